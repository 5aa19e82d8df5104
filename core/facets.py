"""Faceted filtering on top of django-filter: each facet counts its values under
the other facets' current selection, so a visitor sees what each choice would give.
Zero counts are kept (the template shows them disabled)."""

import copy
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, Func, Q, QuerySet, Value, When, Window
from django.db.models.functions import Substr
from django.http import QueryDict
from django_filters import fields
from drf_spectacular.utils import extend_schema_field

from core import compiled, facetindex, pagecache
from core.models import other_side

# The options a long facet (parties, norms, frameworks) shows: those with the most
# records, and any chosen. The page says how many more there are.
FACET_LIMIT = 100


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
    more: int = 0  # values with records that a long facet leaves out


@dataclass(frozen=True)
class counts_by:  # noqa: N801 (used as a function: ``counts_by("kind")``)
    """Count distinct records per value of ``path`` (a field or a relation path);
    ``rename`` maps a stored value to the facet's (``True`` -> ``yes``)."""

    path: str
    rename: dict[str, str] = field(default_factory=dict)

    def __call__(self, qs: QuerySet) -> dict[str, int]:
        rows = qs.order_by().values_list(self.path).annotate(n=Count("pk", distinct=True))
        return self.named({value: n for value, n in rows})

    def named(self, counts: dict) -> dict[str, int]:
        result: dict[str, int] = {}
        for value, n in counts.items():
            if value is not None:
                key = self.rename.get(str(value), str(value))
                result[key] = result.get(key, 0) + n
        return result

    @property
    def own_column(self) -> bool:
        """A column of the record itself: counted with the others in one GROUP BY."""
        return "__" not in self.path


def top_counts(
    path: str | tuple[str, ...],
    *label_paths: str,
    label: Callable[..., str] | None = None,
    prefix: str = "",
    where: Callable[[], Q] | None = None,
):
    """A long facet's counter: ``counter(queryset, limit, first)`` gives the ``limit``
    values with the most records, those in ``first`` before them, as ``(value, label,
    count)`` rows, and the number of values with records.

    A value is ``prefix`` and the value of ``path``, or of several paths joined with
    "/" (a norm: ``framework/norm``). The label is the value of ``label_paths[0]``, or
    ``label(*values of label_paths)``. ``where()`` limits the related rows counted
    (public ones only), on the same join.
    """
    paths = (path,) if isinstance(path, str) else path

    def count(qs: QuerySet, limit: int, first=()) -> tuple[list[tuple[str, str, int]], int]:
        wanted = Q()
        for value in first:
            if value.startswith(prefix):
                parts = value.removeprefix(prefix).split("/", len(paths) - 1)
                wanted |= Q(**dict(zip(paths, parts, strict=False)))
        rows = list(
            qs.order_by()
            .filter(where() if where else Q(), **{f"{p}__isnull": False for p in paths})
            .values_list(*paths, *label_paths)
            .annotate(n=Count("pk", distinct=True), total=Window(Count("*")))
            .order_by(
                Case(When(wanted, then=Value(0)), default=Value(1)) if wanted else Value(1),
                "-n",
                *paths,
            )[:limit]
        )
        name = label or (lambda text: text)
        width = len(paths)
        result = [
            (prefix + "/".join(map(str, r[:width])), str(name(*r[width:-2])), r[-2]) for r in rows
        ]
        return result, rows[0][-1] if rows else 0

    return count


class KnownValuesField(fields.MultipleChoiceField):
    """Several values of a long list (``?norm=a&norm=b``), checked with one query for
    the values given instead of against the whole list; empty values are no filter.

    ``known(values)`` answers ``{value: label}`` for those of ``values`` that exist;
    the labels of the chosen values stay on the field for the facet.
    """

    def __init__(self, *args, known: Callable[[list[str]], dict[str, str]], **kwargs):
        self.known = known
        self.labels: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def to_python(self, value) -> list[str]:
        return [v for v in super().to_python(value) if v not in self.empty_values]

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        self.labels = self.known(value) if value else {}
        for one in value:
            if one not in self.labels:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": one},
                )


class LongChoicesFilter(django_filters.MultipleChoiceFilter):
    """A facet over a list that grows with the data: ``known`` checks the values given,
    the facet shows the most frequent (see ``top_counts``).

    The API's schema says "text", not the list of every value: at 100,000 records the
    norms alone made it a 24 MB answer that took a worker 9 s and 800 MB.
    """

    field_class = KnownValuesField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "string", "description": self.label})(self)


class AsOfFilter(django_filters.DateFilter):
    """``?as_of=YYYY-MM-DD``: the records in existence on the day (see
    ``EntryQuerySet.existing_on``); the label says what that means for the type."""

    def filter(self, qs, value):
        return qs.existing_on(value) if value else qs


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


YEARS = (1800, 2200)  # the years a year filter accepts


def year_filter(method: str, label: str) -> YearFilter:
    """A year bound; the API schema states its range (drf-spectacular reads no min/max)."""
    year = YearFilter(method=method, label=label, min_value=YEARS[0], max_value=YEARS[1])
    schema = {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1], "description": label}
    return extend_schema_field(schema)(year)


def count_unnested(field: str):
    """A facet count over an array column (``target_sectors``, ``issues``): records per
    value, the array unnested, one row per record and value."""

    def count(qs) -> dict[str, int]:
        rows = (
            qs.order_by()
            .annotate(value=Func(F(field), function="unnest"))
            .values_list("value")
            .annotate(n=Count("pk", distinct=True))
        )
        return dict(rows)

    return count


# What ``norm_option`` reads of a norm and its framework (selected).
NORM_OPTION_FIELDS = (
    "slug",
    "title",
    "reference",
    "framework__slug",
    "framework__short_title",
    "framework__symbol",
    "framework__title",
)


def unnested(records: QuerySet, field: str) -> QuerySet:
    """(value, record pk) of ``records`` for each value of their array ``field``: a facet
    index's pairs for what ``count_unnested`` counts."""
    return records.annotate(value=Func(F(field), function="unnest")).values_list("value", "pk")


def years(records: QuerySet, field: str) -> QuerySet:
    """(four-digit year, record pk) of the ``records`` dated by ``field`` (a partial date):
    a facet index's "year", which the year range reads."""
    return records.exclude(**{field: ""}).values_list(Substr(field, 1, 4), "pk")


def norm_pairs(through, record: str) -> Callable[[QuerySet], QuerySet]:
    """A facet index's pairs for what ``count_norms`` counts: (public norm id, record pk)
    of the records' links through ``through``."""

    def pairs(records: QuerySet) -> QuerySet:
        return through.objects.filter(
            **{f"{record}__in": records.order_by().values("pk")},
            norm__in=other_side(through, "norm").objects.published(),
        ).values_list("norm", record)

    return pairs


def top_rows(counts: dict, first=()) -> list:
    """A long facet's values shown, from ``{value: records}``: the chosen (``first``)
    first, then the most records, ties in the values' order, ``FACET_LIMIT`` of them."""
    chosen = {value for value in first if value in counts}
    # Only the values with as many records as the last shown can be shown (25,000 norms
    # at scale: a sort of them all took 5 ms).
    least = min(heapq.nlargest(FACET_LIMIT, counts.values()), default=0)
    likely = [value for value, n in counts.items() if n >= least and value not in chosen]
    order = lambda value: (-counts[value], value)  # noqa: E731
    return [*sorted(chosen, key=order), *sorted(likely, key=order)][:FACET_LIMIT]


def norm_option(norm) -> tuple[str, str]:
    """A norm (its framework selected) as a facet's value and label:
    ("un-gge-2015/13f", "UN GGE 2015 13(f): Critical infrastructure")."""
    label = f"{norm.framework.short_label} {norm.reference}: {norm.title}"
    return f"{norm.framework.slug}/{norm.slug}", label


def known_norms(through) -> Callable[[list[str]], dict[str, str]]:
    """A norm facet's ``known``: the given ``framework/norm`` values that name a public
    norm, with their labels."""

    def known(values: list[str]) -> dict[str, str]:
        Norm = other_side(through, "norm")
        norms = Norm.objects.published().filter(norm_query("", values))
        return dict(norm_option(n) for n in norms.select_related("framework"))

    return known


def count_norms(through, record: str):
    """A norm facet's counter: records per public norm they link to through ``through``
    (whose ``record`` field is the record), the most frequent first and the chosen before
    them. Counted on the links, grouped by norm id alone (narrow rows at any size), then
    the labels of the norms shown in one more query."""

    def count(qs: QuerySet, limit: int, first=()) -> tuple[list[tuple[str, str, int]], int]:
        Norm = other_side(through, "norm")
        chosen = norm_query("norm", [v for v in first if "/" in v])
        rows = list(
            through.objects.filter(
                **{f"{record}__in": qs.order_by().values("pk")},
                norm__in=Norm.objects.published(),
            )
            .values_list("norm")
            .annotate(n=Count(record, distinct=True), total=Window(Count("*")))
            .order_by(
                Case(When(chosen, then=Value(0)), default=Value(1)) if chosen else Value(1),
                "-n",
                "norm",
            )[:limit]
        )
        options = norm_options(Norm, [pk for pk, _n, _t in rows])
        shown = [(*options[pk], n) for pk, n, _total in rows]
        return shown, rows[0][-1] if rows else 0

    return count


def norm_filter(through, label: str, method: str = "filter_norm") -> LongChoicesFilter:
    """A facet of the norms linked through ``through``: long, as norms grow with the data."""
    return LongChoicesFilter(
        known=known_norms(through),
        method=method,
        label=label,
    )


def combined(*counters):
    """Long facets' counters over one list of values (states, then bodies as ``body:...``):
    the most frequent of all, the chosen first, and the number of values with records."""

    def count(qs: QuerySet, limit: int, first=()) -> tuple[list[tuple[str, str, int]], int]:
        rows, total = [], 0
        for counter in counters:
            found, more = counter(qs, limit, first)
            rows += found
            total += more
        return merged(rows, first, limit), total

    return count


def merged(rows: list[tuple[str, str, int]], first=(), limit: int | None = None) -> list:
    """Several long facets' (value, label, count) rows as one: the chosen first, then
    the most frequent, ties by label; ``limit`` (``FACET_LIMIT``) of them."""
    chosen = set(first)
    rows = sorted(rows, key=lambda row: (row[0] not in chosen, -row[2], row[1]))
    return rows[: limit or FACET_LIMIT]


def norm_options(Norm, pks) -> dict:  # noqa: N803 (a model class)
    """``{pk: (value, label)}`` of the norms ``pks``, as ``norm_option`` names them."""
    # As norm_option gives them, from the columns alone (no instances: a facet shows a
    # few dozen norms on every filtered page); the framework's label is its short_label.
    # Compiled once, the keys one array parameter: psycopg took longer to write a hundred
    # placeholders' query than PostgreSQL to run it.
    rows = compiled.rows(
        ("norm options", Norm._meta.label),
        lambda keys: (
            Norm.objects.filter(pk__any=keys).order_by().values_list("pk", *NORM_OPTION_FIELDS)
        ),
        list(pks),
    )
    return {
        pk: (f"{framework}/{slug}", f"{short_title or symbol or title_} {reference}: {title}")
        for pk, slug, title, reference, framework, short_title, symbol, title_ in rows
    }


def norm_query(prefix: str, values: list[str]) -> Q:
    """``framework/norm`` values as a condition on the norm at ``prefix`` ("" for the
    norm itself)."""
    at = f"{prefix}__" if prefix else ""
    wanted = Q()
    for value in values:
        framework, _, slug = value.partition("/")
        wanted |= Q(**{f"{at}framework__slug": framework, f"{at}slug": slug})
    return wanted


def _copied(filter_: django_filters.Filter) -> django_filters.Filter:
    """A filter for one FilterSet: a shallow copy, its method bound to the copy."""
    copied = copy.copy(filter_)
    copied.__dict__.pop("_field", None)  # built for this copy when asked
    if filter_.method is not None:
        copied.method = filter_.method  # a FilterMethod of the copy, not of the original
    return copied


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose ``FACETS`` say how to count each facet's values:
    ``{name: (label, counter, widget)}``, counter from ``counts_by`` or any
    function of a queryset."""

    FACETS: dict[str, tuple[str, Callable, str]] = {}
    # The records under every filter, once the facets have counted them in memory.
    matching: int | None = None
    # Facets counted in memory (core/facetindex.py): ``{name: Short(...) | Long(...)}``
    # with ``records_in`` and ``count_in`` for each filter and facet. Empty: in SQL.
    INDEXED: dict[str, facetindex.Short | facetindex.Long] = {}
    # What the year range filters on, as its fieldset's legend ("Adopted or signed").
    YEARS_LEGEND = "Year"
    # The link model of the ``norm`` filter and facet, when the index holds them: its
    # records' public norms by id, a long facet (``Long``) named "norm".
    NORMS_THROUGH = None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's, but each filter copied shallowly rather than deep-copied
        # (with its choices, labels and widgets) for each request: what a filter holds of
        # its FilterSet (model, parent, the method bound to it) is set anew here.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _copied(f) for name, f in self.base_filters.items()}
        self._norm_ids: dict[tuple, list[int]] = {}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        """The form's class, built once per FilterSet class: django-filter builds its
        fields anew for each request, which cost more than validating them. Each form
        still works on copies of the fields (a Django form deep-copies its class's)."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            filters = copy.deepcopy(cls.base_filters)
            for filter_ in filters.values():
                filter_.model = cls._meta.model
            fields = {name: filter_.field for name, filter_ in filters.items()}
            cls._form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
        return cls._form_class

    def choices_for(self, name: str) -> list[tuple[str, str]]:
        """A short facet's (value, label) options. Choices that come from the database
        (themes, countries) are held per content version (``pagecache.held``)."""
        choices = self.filters[name].extra["choices"]
        if callable(choices):
            choices = choices()
        return [(str(v), str(label)) for v, label in choices]

    def facets(self) -> list[Facet]:
        """Each facet's options, counted under every other filter of this request.

        The other filters are applied to the base queryset with this form's own
        cleaned values: no FilterSet (and no form with its choice queries) is built
        again per facet. Nothing chosen, the counts are the whole list's: the same for
        every visitor and every page of it, they are kept under the content version.
        """
        self.is_valid()  # clean the form; a value that is not valid filters nothing here
        cleaned = {k: v for k, v in self.form.cleaned_data.items() if k in self.filters}
        if self.unfiltered(cleaned):
            # Under the list's own query too, should a view give another base queryset.
            base = facetindex.records_key(self.queryset)
            # With the number of records the counting found (None counted in SQL): the
            # paginator then counts none.
            counts, self.matching = pagecache.remembered(
                f"facets:{type(self).__qualname__}:{base}",
                lambda: (self.counts(cleaned), self.matching),
            )
        else:
            counts = self.counts(cleaned)
        result = []
        for name, (label, _counter, widget) in self.FACETS.items():
            selected = self.data.getlist(name)
            if isinstance(self.filters[name], LongChoicesFilter):
                result.append(self.long_facet(name, label, widget, counts[name], selected))
                continue
            options = [
                Option(value, option_label, counts[name].get(value, 0), value in selected)
                for value, option_label in self.choices_for(name)
            ]
            if widget == "select":
                # A scrolling list (every country): the chosen values first, as in a long
                # facet, then those with records; not two hundred greyed-out boxes. A
                # few kinds are all shown, in their order.
                options = [o for o in options if o.selected] + [
                    o for o in options if o.count and not o.selected
                ]
            result.append(Facet(name, label, options, widget))
        return result

    def unfiltered(self, cleaned: dict) -> bool:
        """No filter chosen, and no facet value given (not even one that is not valid)."""
        chosen = (
            name
            for name, value in cleaned.items()
            if value not in (None, "", [], ()) and self.filters[name].method != "keep"
        )
        return next(chosen, None) is None and not any(self.data.getlist(n) for n in self.FACETS)

    def counts(self, cleaned: dict) -> dict:
        """Each facet's counts under the other filters: a dict of value -> count, or for a
        long facet the rows and total of its counter."""
        if self.INDEXED:
            return self.counts_in_memory(cleaned)
        counted = self.count_own_columns(cleaned)
        result = {}
        for name, (_label, counter, _widget) in self.FACETS.items():
            if name in counted:
                result[name] = counted[name]
                continue
            queryset = self.filtered(cleaned, but=name)
            if isinstance(self.filters[name], LongChoicesFilter):
                result[name] = counter(queryset, FACET_LIMIT, self.chosen_first(name))
            else:
                result[name] = counter(queryset)
        return result

    def counts_in_memory(self, cleaned: dict) -> dict:
        """``counts`` from the list's facet index. A filter the index does not hold (words,
        a day) is applied alone in SQL, and its records are then a bit set like the
        others': the filters are conditions on a record, each true or not whatever the
        others."""
        index = facetindex.index(self.queryset, self.INDEXED)
        chosen = {}
        for name, value in cleaned.items():
            if value in (None, "", [], ()) or self.filters[name].method == "keep":
                continue
            records = self.records_in(index, name, value)
            if records is None:
                # Words, a day: the filter alone in SQL, its records' keys in one query.
                alone = self.filters[name].filter(self.queryset.all(), value)
                records = index.of_keys(alone.order_by().values_list("pk", flat=True))
            chosen[name] = records
        matching = index.every
        for records in chosen.values():
            matching &= records
        self.matching = matching.bit_count()
        result = {}
        for name in self.FACETS:
            within = index.every
            for other, records in chosen.items():
                if other != name:
                    within &= records
            result[name] = self.count_in(index, name, within)
        return result

    def records_in(self, index: facetindex.FacetIndex, name: str, value) -> int | None:
        """The records under filter ``name`` at ``value`` (cleaned), from ``index``; None
        when the index does not hold the filter. Here the theme filter (any or all of the
        themes), the year range (a short facet "year" of four-digit years), the norms
        (``NORMS_THROUGH``) and choices (one, or any of several) counted under their own
        name."""
        if name == "theme" and self.form.cleaned_data.get("match") == "all":
            return index.all_of(name, value)
        if name in ("year_from", "year_to") and "year" in index.short:
            # As the SQL filters compare dates with text: "2019-05" >= "2019", < "2020".
            if name == "year_from":
                return index.where("year", lambda year: year >= f"{value:04d}")
            return index.where("year", lambda year: year < f"{value + 1:04d}")
        if name == "norm" and self.NORMS_THROUGH is not None:
            return index.any_of(name, self.norm_ids(value))
        if name in index.short or name in index.long:
            if isinstance(self.filters[name], django_filters.MultipleChoiceFilter):
                return index.any_of(name, value)
            if isinstance(self.filters[name], django_filters.ChoiceFilter):
                return index.any_of(name, [value])
        return None

    def count_in(self, index: facetindex.FacetIndex, name: str, within: int):
        """Facet ``name``'s counts among the records ``within``, as its SQL counter gives
        them. Here a short facet's and the norms'; other long facets' are the FilterSet's own."""
        if name == "norm" and self.NORMS_THROUGH is not None:
            counts = index.count(name, within)
            shown = top_rows(counts, self.norm_ids(self.chosen_first(name)))
            options = norm_options(other_side(self.NORMS_THROUGH, "norm"), shown)
            return [(*options[pk], counts[pk]) for pk in shown], len(counts)
        return index.count(name, within)

    def norm_ids(self, values: list[str]) -> list[int]:
        """The ids of the norms named ``framework/norm`` (read once per request: the
        filter and its facet both ask)."""
        if not values:
            return []
        key = tuple(values)
        if key not in self._norm_ids:
            Norm = other_side(self.NORMS_THROUGH, "norm")
            found = Norm.objects.filter(norm_query("", values)).values_list("pk", flat=True)
            self._norm_ids[key] = list(found)
        return self._norm_ids[key]

    def chosen_first(self, name: str) -> list[str]:
        """A long facet's chosen values that exist, shown before the others."""
        labels = self.form.fields[name].labels
        return [value for value in self.data.getlist(name) if value in labels]

    def filtered(self, cleaned: dict, but: str = ""):
        """The base queryset under every filter of this request except ``but``."""
        queryset = self.queryset.all()
        for name, value in cleaned.items():
            if name != but:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def count_own_columns(self, cleaned: dict) -> dict[str, dict[str, int]]:
        """The facets on the records' own columns that nothing is chosen in (kind, legal
        force, legal status...) share one queryset, every filter applied: count them in
        one GROUP BY over their columns instead of one query each."""
        names = [
            name
            for name, (_label, counter, _widget) in self.FACETS.items()
            if isinstance(counter, counts_by) and counter.own_column and not cleaned.get(name)
        ]
        if len(names) < 2:
            return {}
        counters = [self.FACETS[name][1] for name in names]
        rows = (
            self.filtered(cleaned)
            .order_by()
            .values_list(*(c.path for c in counters))
            .annotate(n=Count("*"))  # not the ids: the index on the columns is enough
        )
        totals: list[dict] = [{} for _ in names]
        for *values, n in rows:
            for total, value in zip(totals, values, strict=True):
                total[value] = total.get(value, 0) + n
        return {name: c.named(t) for name, c, t in zip(names, counters, totals, strict=True)}

    def long_facet(self, name, label, widget, counted, selected) -> Facet:
        """The values with the most records, the chosen ones first (even without records)."""
        labels = self.form.fields[name].labels  # of the chosen values that exist
        chosen = self.chosen_first(name)
        rows, total = counted
        found = {value for value, _label, _n in rows}
        options = [Option(value, labels[value], 0, True) for value in chosen if value not in found]
        options += [Option(value, text, n, value in labels) for value, text, n in rows]
        shown = sum(1 for o in options if o.count)
        return Facet(name, label, options, widget, more=max(total - shown, 0))

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
