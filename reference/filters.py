"""Filters on the reference records that every record list shares: the theme facet."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django_filters import fields

from core.facets import FacetedFilterSet
from reference.models import Country, Theme, ThemedItem


def theme_choices():
    return list(Theme.objects.values_list("slug", "name"))


def country_choices():
    return list(Country.objects.values_list("code", "name"))


def count_themes(qs) -> dict[str, int]:
    """Records per theme, counted on the tag table (a record carries a theme once, so
    no DISTINCT and no join back to the records)."""
    rows = (
        ThemedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(qs.model),
            object_id__in=qs.order_by().values("pk"),
        )
        .values_list("tag__slug")
        .annotate(n=Count("*"))
    )
    return dict(rows)


class OptionalChoicesField(fields.MultipleChoiceField):
    """A multiple choice whose empty values (``theme=``, as a form or a link may send)
    are dropped: an empty selection means no filter, as the API schema says."""

    def to_python(self, value) -> list[str]:
        return [choice for choice in super().to_python(value) if choice not in self.empty_values]


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """A facet of several values (any of them): ``theme=a&theme=b``; ``theme=`` is no filter."""

    field_class = OptionalChoicesField


class ThemedFilterSet(FacetedFilterSet):
    """A faceted list whose records carry themes: the theme facet and its any/all switch."""

    theme = ChoicesFilter(choices=theme_choices, method="filter_theme", label="Theme")
    match = django_filters.ChoiceFilter(
        choices=[("any", "any of the themes"), ("all", "all of the themes")],
        method="keep",
        label="Match",
        empty_label=None,
    )
