import django_filters
from django.db.models import Q

from bodies.models import Body, Membership
from core.facetindex import Short
from core.facets import AsOfFilter, counts_by
from reference.filters import (
    ChoicesFilter,
    ThemedFilterSet,
    count_themes,
    country_choices,
    theme_pairs,
)


class BodyFilter(ThemedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Words in the name or summary", max_length=200
    )
    kind = ChoicesFilter(choices=Body.Kind.choices, label="Kind")
    member = ChoicesFilter(choices=country_choices, method="filter_member", label="Member country")
    as_of = AsOfFilter(label="Founded by then")

    FACETS = {
        "kind": ("Kind", counts_by("kind"), "checkbox"),
        "theme": ("Theme", count_themes, "checkbox"),
        "member": ("Member country", counts_by("memberships__country__code"), "select"),
    }

    # Every facet and filter but words and a day, counted in memory (core/facetindex.py).
    INDEXED = {
        "kind": Short(lambda records: records.values_list("kind", "pk")),
        "theme": Short(theme_pairs),
        "member": Short(
            lambda records: Membership.objects.filter(
                body__in=records.order_by().values("pk")
            ).values_list("country__code", "body")
        ),
    }

    class Meta:
        model = Body
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(acronym__icontains=value) | Q(summary__icontains=value)
        )

    def filter_member(self, queryset, name, value: str):
        return queryset.filter(
            pk__in=Body.objects.filter(memberships__country__code__in=value).values("pk")
        )
