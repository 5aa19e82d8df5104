"""Filters on the reference records that every record list shares: the theme facet."""

from collections.abc import Callable

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Concat
from django_filters import fields

from core import pagecache
from core.facetindex import FacetIndex
from core.facets import FacetedFilterSet, merged, top_counts, top_rows
from core.models import other_side
from reference.models import Country, Theme, ThemedItem


def theme_choices():
    return pagecache.held("theme-choices", lambda: list(Theme.objects.values_list("slug", "name")))


def country_choices():
    return pagecache.held(
        "country-choices", lambda: list(Country.objects.values_list("code", "name"))
    )


def country_names() -> dict[str, str]:
    """Every country's name by code (held per content version, as the choices)."""
    return pagecache.held("country-names", lambda: dict(country_choices()))


def body_label(title: str, acronym: str) -> str:
    """As a body names itself (``Body.__str__``), from its columns."""
    return f"{title} ({acronym})" if acronym else title


def body_value(path: str) -> Concat:
    """The body at ``path`` as a party facet's value, ``body:<slug>``, in SQL (a facet
    index's pairs)."""
    return Concat(Value("body:"), f"{path}__slug", output_field=CharField())


def known_parties(through) -> Callable[[list[str]], dict[str, str]]:
    """A facet of states (codes) and bodies (``body:<slug>``): ``known``, the given values
    that exist, bodies public, with their labels; ``through`` links to the bodies."""

    def known(values: list[str]) -> dict[str, str]:
        codes = [v for v in values if not v.startswith("body:")]
        slugs = [v.removeprefix("body:") for v in values if v.startswith("body:")]
        found = {}
        if codes:
            names = country_names()
            found |= {code: names[code] for code in codes if code in names}
        if slugs:
            bodies = other_side(through, "body").objects.published().filter(slug__in=slugs)
            for slug, title, acronym in bodies.values_list("slug", "title", "acronym"):
                found[f"body:{slug}"] = body_label(title, acronym)
        return found

    return known


def count_states(path: str, where: Callable[[], Q] | None = None):
    """A long facet's counter of the states at ``path`` (a relation to countries)."""
    return top_counts(f"{path}__code", f"{path}__name", where=where)


def count_bodies(path: str, through, where: Callable[[], Q] | None = None):
    """A long facet's counter of the public bodies at ``path``, as ``body:<slug>``."""
    Body = other_side(through, "body")
    return top_counts(
        f"{path}__slug",
        f"{path}__title",
        f"{path}__acronym",
        label=body_label,
        prefix="body:",
        where=lambda: (where() if where else Q()) & Q(**{f"{path}__in": Body.objects.published()}),
    )


def theme_pairs(records):
    """(theme slug, record pk) of ``records``: the theme facet in a facet index."""
    return ThemedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(records.model),
        object_id__in=records.order_by().values("pk"),
    ).values_list("tag__slug", "object_id")


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

    # Filters of states and bodies together (``party=FR&party=body:enisa``) that the facet
    # index holds as two facets: ``{filter: (states' Short, bodies' Long, link to bodies)}``.
    PARTIES: dict[str, tuple[str, str, type]] = {}

    def records_in(self, index: FacetIndex, name: str, value) -> int | None:
        if name in self.PARTIES:
            states, bodies, _through = self.PARTIES[name]
            slugs = [v for v in value if v.startswith("body:")]
            codes = [v for v in value if not v.startswith("body:")]
            return index.any_of(states, codes) | index.any_of(bodies, slugs)
        return super().records_in(index, name, value)

    def count_in(self, index: FacetIndex, name: str, within: int):
        """The states and bodies of a ``PARTIES`` filter as ``combined(count_states,
        count_bodies)`` gives them: the most frequent of both, the chosen first."""
        if name not in self.PARTIES:
            return super().count_in(index, name, within)
        states_facet, bodies_facet, through = self.PARTIES[name]
        first = self.chosen_first(name)
        states = index.count(states_facet, within)
        bodies = index.count(bodies_facet, within)
        shown_states = top_rows(states, first)
        shown_bodies = top_rows(bodies, first)
        country = country_names()
        names = {code: country[code] for code in shown_states}
        slugs = [value.removeprefix("body:") for value in shown_bodies]
        Body = other_side(through, "body")
        for slug, title, acronym in Body.objects.filter(slug__in=slugs).values_list(
            "slug", "title", "acronym"
        ):
            names[f"body:{slug}"] = body_label(title, acronym)
        rows = [(value, names[value], states[value]) for value in shown_states]
        rows += [(value, names[value], bodies[value]) for value in shown_bodies]
        return merged(rows, first), len(states) + len(bodies)
