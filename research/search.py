"""Full-text search over every record type, themes included, in a bounded number of queries.

PostgreSQL does the work: each record type has a weighted, generated search
vector with a GIN index; queries use ``websearch`` syntax (quotes, OR, minus);
results are ranked and highlighted. A search costs the same at 1,000 records as
at 100,000 because it never ranks every match:

1. the spelling of the query's words is checked against ``SearchWord`` (the words
   of titles, with a trigram index): a misspelled word gets its nearest known word;
2. one query ranks, for each type, its first ``RESULT_LIMIT + 1`` matches and its
   first ``RESULT_LIMIT`` records whose *title* matches (a title-only expression
   index finds those among tens of thousands of matches), merges the types best
   first and keeps ``RESULT_LIMIT + 1``. A type with at most ``RESULT_LIMIT``
   matches is thus ranked whole and the count is exact; past that the page says
   "more than" and lists the best of those candidates. When the query as typed
   matches nothing, the same query ranks the corrected spelling instead
   ("Budapst convention" finds the Budapest Convention);
3. one query per searched type loads the records of the page shown, with their
   highlighted snippets.

The page's query count depends on the query and the types asked for, never on the
data (tests/test_search_scale.py).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.registry import registry
from reference.models import Theme

MAX_QUERY_LENGTH = 200
# Results a search ranks and lists at most; beyond, it says "more than 100".
RESULT_LIMIT = 100
THEME = "theme"
# The words a spelling check looks at: three letters or more (as SearchWord stores).
WORD = re.compile(r"[^\W\d_]{3,}")
# Fields that, equal to the whole query, name a record: it comes first.
NAME_FIELDS = ("acronym", "short_title", "symbol")


def search_types() -> dict[str, str]:
    """Every type a search can be limited to, by key: the record types, then themes."""
    return {**{rt.key: rt.label for rt in registry}, THEME: "Themes"}


def _title_fields(key: str) -> tuple[str, ...]:
    """The title-like fields of a type (research/migrations/0001 indexes their vector)."""
    return ("name",) if key == THEME else registry.by_key(key).title_fields


# Sentinels that cannot occur in text, swapped for <mark> after escaping.
_START, _STOP = "\x02", "\x03"


@dataclass
class Hit:
    record: object
    type: str
    score: float
    snippet: SafeString


@dataclass(frozen=True)
class Ranked:
    """One row of the ranking: which record, how good, and what names it."""

    type: str
    pk: int
    score: float
    name: str
    fuzzy: bool


def _highlight(text: str) -> SafeString:
    """Escape what the database returned, then turn its sentinels into <mark>."""
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _ts_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config="english")


def _base(key: str, theme: str | None) -> QuerySet:
    """What the public may find of a type, with the theme filter."""
    if key == THEME:
        qs = Theme.objects.annotate(
            search_vector=SearchVector("name", weight="A", config="english")
            + SearchVector("description", weight="B", config="english")
        )
        return qs.filter(slug=theme) if theme else qs
    qs = registry.by_key(key).model.objects.published()
    return qs.with_theme(theme) if theme else qs


def correct_spelling(query: str) -> str:
    """``query`` with each word no title contains replaced by the nearest word one does.

    One query; none when the query has no word of three letters or more.
    """
    words = sorted({word.casefold() for word in WORD.findall(query)} - {"or"})
    if not words:
        return query
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT typed, coalesce(
                (SELECT word FROM research_searchword WHERE word = typed),
                (SELECT word FROM research_searchword WHERE word %% typed
                 ORDER BY word <-> typed LIMIT 1),
                typed)
            FROM unnest(%s::text[]) AS typed
            """,
            [words],
        )
        fixes = dict(cursor.fetchall())
    return WORD.sub(lambda m: fixes.get(m.group().casefold(), m.group()), query)


def _ranking(key: str, text: str, theme: str | None, fuzzy: bool) -> QuerySet:
    """(type, pk, score, sort, name, fuzzy) of a type's candidates for ``text``."""
    ts_query = _ts_query(text)
    base = _base(key, theme)
    model = base.model
    fields = {field.name for field in model._meta.fields}
    names = [name for name in NAME_FIELDS if name in fields]
    # The query is exactly a record's acronym, short title or symbol: that record first.
    exact = Q()
    for field in names:
        exact |= Q(**{f"{field}__iexact": text})
    bonus = Case(When(exact, then=Value(1.0)), default=Value(0.0)) if names else Value(0.0)
    title = "name" if key == THEME else "title"
    if key == THEME:
        # Themes are few: rank them all.
        ranked = base.filter(search_vector=ts_query)
    else:
        matches = base.filter(search_vector=ts_query).order_by().values("pk")
        # Matches whose title matches too (a title alone could match "cybercrime -convention").
        titled = (
            base.annotate(title_vector=SearchVector(*_title_fields(key), config="english"))
            .filter(search_vector=ts_query, title_vector=ts_query)
            .order_by()
            .values("pk")
        )
        candidates = matches[: RESULT_LIMIT + 1].union(titled[:RESULT_LIMIT])
        ranked = model.objects.filter(pk__in=candidates)
    shown = [NullIf(F(f), Value("")) for f in ("short_title", "acronym") if f in names]
    return (
        ranked.annotate(
            hit_type=Value(key),
            hit_pk=F("pk"),
            hit_score=Cast(SearchRank(F("search_vector"), ts_query) + bonus, FloatField()),
            hit_sort=F(title),
            hit_name=Coalesce(*shown, F(title)) if shown else F(title),
            hit_fuzzy=Value(fuzzy),
        )
        .order_by()
        .values_list("hit_type", "hit_pk", "hit_score", "hit_sort", "hit_name", "hit_fuzzy")
    )


def _merged(types: list[str], text: str, theme: str | None, fuzzy: bool) -> QuerySet:
    """Every type's candidates, best first, ``RESULT_LIMIT + 1`` at most."""
    first, *rest = [_ranking(key, text, theme, fuzzy) for key in types]
    merged = first.union(*rest, all=True) if rest else first
    return merged.order_by("-hit_score", "hit_sort", "hit_type", "hit_pk")[: RESULT_LIMIT + 1]


# Stand-ins for the query and the theme while the ranking's SQL is compiled once per shape:
# building that union of querysets costs more than the database takes to run it.
_TEXT, _THEME = "\x00query\x00", "\x00theme\x00"
_compiled: dict[tuple, tuple[str, tuple]] = {}


def _ranking_sql(types: list[str], text: str, theme: str | None, fuzzy: bool):
    """The SQL and parameters of ``_merged(types, text, theme, fuzzy)``."""
    shape = (tuple(types), theme is not None, fuzzy, RESULT_LIMIT)
    if shape not in _compiled:
        merged = _merged(types, _TEXT, _THEME if theme else None, fuzzy)
        _compiled[shape] = merged.query.sql_with_params()
    sql, params = _compiled[shape]
    values = {_TEXT: text, _THEME: theme}
    return sql, tuple(values.get(p, p) if isinstance(p, str) else p for p in params)


class Search:
    """The published records matching a query, best first.

    Sized and sliced like a list (a ``Paginator`` pages it): the ranking is one
    query made up front, each slice loads its records in one query per type.
    """

    def __init__(self, query: str, types: list[str] | None = None, theme: str | None = None):
        # PostgreSQL text cannot hold NUL characters.
        self.query = query.replace("\x00", "").strip()
        self.types = types or list(search_types())
        self.theme = theme
        self.corrected = correct_spelling(self.query)
        self.ranked = self._rank()
        self.more = len(self.ranked) > RESULT_LIMIT
        self.ranked = self.ranked[:RESULT_LIMIT]
        # Nothing matched as typed; these match the corrected spelling.
        self.fuzzy = bool(self.ranked) and self.ranked[0].fuzzy
        self.suggestion = self.ranked[0].name if self.fuzzy else ""
        self.limit = RESULT_LIMIT

    def _rank(self) -> list[Ranked]:
        """The ranking as typed, or, when that finds nothing, of the corrected spelling."""
        sql, params = _ranking_sql(self.types, self.query, self.theme, fuzzy=False)
        if self.corrected != self.query:
            fixed_sql, fixed_params = _ranking_sql(
                self.types, self.corrected, self.theme, fuzzy=True
            )
            # One statement: the corrected ranking runs only if the typed one is empty.
            sql = (
                f"WITH typed AS ({sql}) SELECT * FROM typed UNION ALL "
                f"SELECT * FROM ({fixed_sql}) AS fixed WHERE NOT EXISTS (SELECT FROM typed)"
            )
            params = (*params, *fixed_params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [Ranked(key, pk, score, name, fuzzy) for key, pk, score, _, name, fuzzy in rows]

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index: slice | int) -> list[Hit] | Hit:
        """The hits of a slice of the ranking (or one hit), records and snippets loaded."""
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        rows = self.ranked[index]
        ts_query = _ts_query(self.corrected if self.fuzzy else self.query)
        records = {}
        for key in self.types:
            ids = [row.pk for row in rows if row.type == key]
            for record in _records(key, ids, ts_query):
                records[key, record.pk] = record
        return [
            Hit(record, row.type, row.score, _highlight(record.snippet))
            for row in rows
            if (record := records.get((row.type, row.pk))) is not None
        ]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self[:])

    @property
    def hits(self) -> "Search":
        """The hits, loaded as they are sliced (a page) or iterated (an export)."""
        return self


def _records(key: str, ids: list[int], ts_query: SearchQuery) -> QuerySet:
    """The records ``ids`` of a type with their snippets.

    One query even when ``ids`` is empty (``pk__in=[]`` would run none), so that a
    page's query count does not depend on which types its hits are of.
    """
    wanted = RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    if key == THEME:
        qs, text = Theme.objects.filter(pk__in=wanted), "description"
    else:
        model = registry.by_key(key).model
        qs = model.objects.named().filter(pk__in=wanted).defer("description", "description_html")
        text = "summary"
    return qs.annotate(
        snippet=SearchHeadline(
            text, ts_query, config="english", start_sel=_START, stop_sel=_STOP, max_words=40
        )
    )


def search(query: str, types: list[str] | None = None, theme: str | None = None) -> Search:
    """Published records matching ``query``, best first, across ``types`` (default all)."""
    return Search(query, types, theme)
