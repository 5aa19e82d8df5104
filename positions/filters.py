"""The national positions list's filters, shared by the page, the exports and the API."""

import django_filters
from django.db.models import Q

from core import facets
from core.facetindex import FacetIndex, Long, Short
from core.facets import AsOfFilter, counts_by, norm_pairs, norm_query, unnested, year_filter, years
from positions.models import Issue, NationalPosition, PositionNorm
from reference.filters import (
    ChoicesFilter,
    ThemedFilterSet,
    count_themes,
    country_choices,
    theme_pairs,
)

count_issues = facets.count_unnested("issues")


SORTS = {
    "country": ("country__name", "-published", "title"),
    "newest": ("-published", "country__name", "title"),
    "oldest": ("published", "country__name", "title"),
}


class PositionFilter(ThemedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Words in the title or summary", max_length=200
    )
    issue = ChoicesFilter(choices=Issue.choices, method="filter_issue", label="Question addressed")
    kind = ChoicesFilter(choices=NationalPosition.Kind.choices, label="Kind")
    country = ChoicesFilter(field_name="country__code", choices=country_choices, label="State")
    norm = facets.norm_filter(PositionNorm, "Norm or rule addressed")
    YEARS_LEGEND = "Published"
    year_from = year_filter("filter_year_from", "Published from year")
    year_to = year_filter("filter_year_to", "Published by year")
    as_of = AsOfFilter(label="Published by then")
    sort = django_filters.ChoiceFilter(
        choices=[("country", "State A–Z"), ("newest", "Newest first"), ("oldest", "Oldest first")],
        method="keep",
        label="Sort by",
        empty_label=None,
    )

    FACETS = {
        "issue": ("Question addressed", count_issues, "checkbox"),
        "kind": ("Kind", counts_by("kind"), "checkbox"),
        "theme": ("Theme", count_themes, "checkbox"),
        "country": ("State", counts_by("country__code"), "select"),
        "norm": ("Norm or rule addressed", facets.count_norms(PositionNorm, "position"), "select"),
    }

    # Every facet and filter but words and a day, counted in memory (core/facetindex.py).
    NORMS_THROUGH = PositionNorm
    INDEXED = {
        "issue": Short(lambda records: unnested(records, "issues")),
        "kind": Short(lambda records: records.values_list("kind", "pk")),
        "theme": Short(theme_pairs),
        "country": Short(lambda records: records.values_list("country__code", "pk")),
        "norm": Long(norm_pairs(PositionNorm, "position")),
        "year": Short(lambda records: years(records, "published")),
    }

    class Meta:
        model = NationalPosition
        fields: list[str] = []

    def records_in(self, index: FacetIndex, name: str, value) -> int | None:
        if name == "issue":  # every question chosen, as ``filter_issue``
            return index.all_of(name, value)
        return super().records_in(index, name, value)

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(forum__icontains=value)
        )

    def filter_issue(self, queryset, name, value: list[str]):
        # A position matches when it addresses every question chosen: "which states took a
        # view on both sovereignty and countermeasures?"
        return queryset.filter(issues__contains=value)

    def filter_norm(self, queryset, name, value: list[str]):
        links = PositionNorm.objects.filter(norm_query("norm", value))
        return queryset.filter(pk__in=links.values("position"))

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(published__gte=f"{value:04d}")

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(published__lt=f"{value + 1:04d}")

    def ordering(self) -> tuple[str, ...]:
        sort = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return SORTS.get(sort or "country", SORTS["country"])
