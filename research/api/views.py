"""The read-only JSON API under /api/v1/: every record type from the registry, countries
and themes, with the same filters as the pages (the same FilterSets), page-number
pagination and an OpenAPI 3 schema (drf-spectacular)."""

from django.shortcuts import get_object_or_404
from django.template import loader
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.facets import KnownValuesField
from core.models import forget_relations, lookup_from_url
from core.registry import RecordType, registry
from reference.models import Country, Theme
from reference.serializers import CountrySerializer, ThemeSerializer
from research import releases


class SortedFilterBackend(DjangoFilterBackend):
    """Filter with the page's FilterSet, then apply its ``sort`` parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs.order_by(*filterset.ordering())

    def to_html(self, request, queryset, view):
        """The browsable API's filter form without the long lists' fields (parties,
        norms): their every option in a select (tens of thousands at scale) took a worker
        to 800 MB. Those filters are given in the URL, as the schema says."""
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for name, field in list(filterset.form.fields.items()):
            if isinstance(field, KnownValuesField):
                del filterset.form.fields[name]
        return loader.get_template(self.template).render({"filter": filterset}, request)


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filter_backends = [SortedFilterBackend]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # Written out, the page's records need their relations no more: an API page
        # keeps too few objects for the collection at the request's end
        # (cyberdiplo/memory.py), and its cycles had grown a worker by some 25 MB at
        # 100,000 records before Python's own full collection.
        for record in getattr(self.paginator, "page", None) or ():
            forget_relations(record)
        return response


def record_viewset(record_type: RecordType) -> type[RecordViewSet]:
    """The API of one record type: published records with what its serializer needs."""
    model = record_type.model
    attrs = {
        "__doc__": model.__doc__,
        "serializer_class": record_type.serializer,
        "filterset_class": record_type.filterset,
        "queryset": model.objects.for_api(),
    }
    if record_type.api_lookup != ("slug",):
        # Named by its parent's slug and its own: /api/v1/norms/<framework>/<slug>/.
        attrs["get_object"] = lambda self: get_object_or_404(
            self.get_queryset(), **lookup_from_url(self.kwargs)
        )
    if record_type.filterset is None:
        attrs["filter_backends"] = []
    return type(f"{model.__name__}ViewSet", (RecordViewSet,), attrs)


class ThemeViewSet(RecordViewSet):
    """Themes that gather records of every type."""

    serializer_class = ThemeSerializer
    queryset = Theme.objects.all()
    filter_backends = []


class CountryViewSet(RecordViewSet):
    """Countries (ISO 3166-1) and their UN M49 region."""

    serializer_class = CountrySerializer
    queryset = Country.objects.all()
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    filter_backends = []

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())


class APIRoot(APIView):
    """Every list the API serves."""

    def get(self, request, *args, **kwargs):
        names = {rt.api_prefix: f"api:{rt.key}-list" for rt in registry}
        names.update(themes="api:theme-list", countries="api:country-list")
        lists = {prefix: reverse(name, request=request) for prefix, name in names.items()}
        # The API serves the live data; the latest fixed, citable copy of it is named here.
        latest = next(iter(releases.listed()), None)
        release = latest and {
            "version": latest["version"],
            "created": latest["created"],
            "url": request.build_absolute_uri(f"/data/releases/{latest['version']}/"),
            "citation": latest["citation"],
        }
        return Response({**lists, "latest_release": release})
