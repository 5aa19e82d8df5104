"""The read-only JSON API under /api/v1/: every record type, countries and themes,
with the same filters as the pages (the same FilterSets), page-number pagination
and an OpenAPI 3 schema (drf-spectacular)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from agreements.filters import AgreementFilter
from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.filters import BodyFilter
from bodies.models import Body, Membership
from cyberdiplo.api import serializers as s
from cyberdiplo.models import Country, GlossaryTerm, Theme
from norms.filters import NormFilter
from norms.models import Norm, NormFramework


class SortedFilterBackend(DjangoFilterBackend):
    """Filter with the page's FilterSet, then apply its ``sort`` parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            from django_filters import utils

            raise utils.translate_validation(filterset.errors)
        return filterset.qs.order_by(*filterset.ordering())


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filter_backends = [SortedFilterBackend]


def published_norms():
    return Norm.objects.published().select_related("framework")


class AgreementViewSet(RecordViewSet):
    """Agreements and instruments, with their parties, norm links and related agreements."""

    serializer_class = s.AgreementSerializer
    filterset_class = AgreementFilter
    queryset = Agreement.objects.published().prefetch_related(
        "themes",
        "citations__source",
        Prefetch(
            "participations",
            queryset=Participation.objects.public(),
        ),
        Prefetch(
            "norm_links",
            queryset=NormLink.objects.filter(norm__in=Norm.objects.published()).select_related(
                "norm__framework"
            ),
        ),
        Prefetch(
            "outbound_links",
            queryset=AgreementLink.objects.filter(target__status="published").select_related(
                "target"
            ),
        ),
    )


class BodyViewSet(RecordViewSet):
    """Cooperation bodies with their members, founding instrument and promoted norms."""

    serializer_class = s.BodySerializer
    filterset_class = BodyFilter
    queryset = (
        Body.objects.published()
        .select_related("established_by")
        .prefetch_related(
            "themes",
            "citations__source",
            Prefetch("promoted_norms", queryset=published_norms()),
            Prefetch("memberships", queryset=Membership.objects.select_related("country")),
        )
    )


class NormFrameworkViewSet(RecordViewSet):
    """Norm frameworks: the reports, declarations and processes that set norms out."""

    serializer_class = s.NormFrameworkSerializer
    queryset = (
        NormFramework.objects.published()
        .select_related("produced_by")
        .prefetch_related(
            "themes", "citations__source", Prefetch("norms", queryset=published_norms())
        )
    )


class NormViewSet(RecordViewSet):
    """Norms, each within its framework: /api/v1/norms/<framework>/<norm>/."""

    serializer_class = s.NormSerializer
    filterset_class = NormFilter
    queryset = published_norms().prefetch_related(
        "themes",
        "citations__source",
        Prefetch("agreement_links", queryset=NormLink.objects.select_related("agreement")),
        Prefetch("promoting_bodies", queryset=Body.objects.published()),
    )

    def get_object(self):
        return get_object_or_404(
            self.get_queryset(), framework__slug=self.kwargs["framework"], slug=self.kwargs["slug"]
        )


class GlossaryTermViewSet(RecordViewSet):
    """Glossary terms in plain words."""

    serializer_class = s.GlossaryTermSerializer
    queryset = GlossaryTerm.objects.published().prefetch_related("themes", "citations__source")


class ThemeViewSet(RecordViewSet):
    """Themes that gather records of every type."""

    serializer_class = s.ThemeSerializer
    queryset = Theme.objects.all()
    filter_backends = []


class CountryViewSet(RecordViewSet):
    """Countries (ISO 3166-1) and their UN M49 region."""

    serializer_class = s.CountrySerializer
    queryset = Country.objects.all()
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    filter_backends = []

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())
