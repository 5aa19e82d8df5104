"""Filters on the reference records that every record list shares: the theme facet."""

import django_filters

from core.facets import FacetedFilterSet
from reference.models import Country, Theme


def theme_choices():
    return list(Theme.objects.values_list("slug", "name"))


def country_choices():
    return list(Country.objects.values_list("code", "name"))


class ThemedFilterSet(FacetedFilterSet):
    """A faceted list whose records carry themes: the theme facet and its any/all switch."""

    theme = django_filters.MultipleChoiceFilter(
        choices=theme_choices, method="filter_theme", label="Theme"
    )
    match = django_filters.ChoiceFilter(
        choices=[("any", "any of the themes"), ("all", "all of the themes")],
        method="keep",
        label="Match",
        empty_label=None,
    )
