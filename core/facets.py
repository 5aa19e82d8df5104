"""Faceted filtering on top of django-filter: each facet counts its values under
the other facets' current selection, so a visitor sees what each choice would give.
Zero counts are kept (the template shows them disabled)."""

from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Count, QuerySet


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)
    widget: str = "checkbox"  # or "select" for long lists


def counts_by(path: str) -> Callable[[QuerySet], dict[str, int]]:
    """Count distinct records per value of ``path`` (a field or a relation path)."""

    def count(qs: QuerySet) -> dict[str, int]:
        rows = qs.order_by().values_list(path).annotate(n=Count("pk", distinct=True))
        return {str(value): n for value, n in rows if value is not None}

    return count


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose ``FACETS`` say how to count each facet's values:
    ``{name: (label, counter, widget)}``, counter from ``counts_by`` or any
    function of a queryset."""

    FACETS: dict[str, tuple[str, Callable, str]] = {}

    def choices_for(self, name: str) -> list[tuple[str, str]]:
        choices = self.filters[name].extra["choices"]
        return [(str(v), str(label)) for v, label in (choices() if callable(choices) else choices)]

    def facets(self) -> list[Facet]:
        """Each facet's options, counted under every other filter of this request.

        The other filters are applied to the base queryset with this form's own
        cleaned values: no FilterSet (and no form with its choice queries) is built
        again per facet.
        """
        self.is_valid()  # clean the form; a value that is not valid filters nothing here
        cleaned = {k: v for k, v in self.form.cleaned_data.items() if k in self.filters}
        result = []
        for name, (label, counter, widget) in self.FACETS.items():
            queryset = self.queryset.all()
            for other, value in cleaned.items():
                if other != name:
                    queryset = self.filters[other].filter(queryset, value)
            counts = counter(queryset)
            selected = set(self.data.getlist(name))
            options = [
                Option(value, option_label, counts.get(value, 0), value in selected)
                for value, option_label in self.choices_for(name)
            ]
            result.append(Facet(name, label, options, widget))
        return result

    def keep(self, queryset, name, value):
        """For parameters read by other filters (``match``) or by ``ordering``."""
        return queryset

    def filter_theme(self, queryset, name, value: str):
        """Records with any of the themes, or with all of them when ``match=all``."""
        model = self._meta.model
        if self.form.cleaned_data.get("match") == "all":
            for slug in value:
                queryset = queryset.filter(pk__in=model.objects.with_theme(slug).values("pk"))
            return queryset
        return queryset.filter(pk__in=model.objects.filter(themes__slug__in=value).values("pk"))

    def ordering(self) -> tuple[str, ...]:
        return tuple(self._meta.model._meta.ordering)
