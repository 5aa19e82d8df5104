"""The country profiles list's filters, shared by the page, the exports and the API."""

import django_filters
from django.db.models import Q

from core.facetindex import Short
from core.facets import counts_by, year_filter, years
from profiles.models import CountryProfile
from reference.filters import ChoicesFilter, ThemedFilterSet, count_themes, theme_pairs
from reference.models import Country

SORTS = {
    "name": ("title",),
    "newest": ("-strategy_adopted", "title"),
    "oldest": ("strategy_adopted", "title"),
}


class ProfileFilter(ThemedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Words in the name, strategy or agencies", max_length=200
    )
    region = ChoicesFilter(
        field_name="country__region", choices=Country.Region.choices, label="Region"
    )
    YEARS_LEGEND = "National strategy adopted"
    year_from = year_filter("filter_year_from", "Strategy adopted from year")
    year_to = year_filter("filter_year_to", "Strategy adopted by year")
    sort = django_filters.ChoiceFilter(
        choices=[("name", "Name A–Z"), ("newest", "Newest strategy first"),
                 ("oldest", "Oldest strategy first")],
        method="keep",
        label="Sort by",
        empty_label=None,
    )  # fmt: skip

    FACETS = {
        "region": ("Region", counts_by("country__region"), "checkbox"),
        "theme": ("Theme", count_themes, "checkbox"),
    }

    # Every facet and filter but words, counted in memory (core/facetindex.py).
    INDEXED = {
        "region": Short(lambda records: records.values_list("country__region", "pk")),
        "theme": Short(theme_pairs),
        "year": Short(lambda records: years(records, "strategy_adopted")),
    }

    class Meta:
        model = CountryProfile
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(strategy__icontains=value)
            | Q(lead_agencies__icontains=value)
            | Q(summary__icontains=value)
        )

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(strategy_adopted__gte=f"{value:04d}")

    def filter_year_to(self, queryset, name, value):
        # A profile without a strategy date was not adopted by then (as for agreements).
        return queryset.filter(strategy_adopted__lt=f"{value + 1:04d}").exclude(strategy_adopted="")

    def ordering(self) -> tuple[str, ...]:
        sort = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return SORTS.get(sort or "name", SORTS["name"])
