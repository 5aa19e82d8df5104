"""Full-text search over every record type, themes included, in a bounded number of queries.

PostgreSQL does the work: each record type has a weighted, generated search
vector; every published record is kept with its vectors in one table
(``SearchEntry``, filled by triggers as records are written), with GIN indexes;
queries use ``websearch`` syntax (quotes, OR, minus); results are ranked and
highlighted. A search costs the same at 1,000 records as at 100,000 because it
never ranks every match:

1. the spelling of the query's words is checked against ``SearchWord`` (the words
   of titles, with a trigram index): a misspelled word gets its nearest known word;
2. one query ranks, of the types searched together, their first
   ``RESULT_LIMIT + 1`` matches per type and their first ``RESULT_LIMIT`` per type
   whose *title* matches (the titles' vectors are stored and indexed, which finds
   those among tens of thousands of matches), with the themes and countries that
   match, best first, and keeps ``RESULT_LIMIT + 1``. A search with at most that many
   matches is thus ranked whole and the count is exact; past that the page says
   "more than" and lists the best of those candidates. When the query as typed matches
   nothing, a second query ranks the corrected spelling instead ("Budapst
   convention" finds the Budapest Convention);
3. one query per searched type loads the records of the page shown, with their
   highlighted snippets.

The page's query count depends on the query and the types asked for, never on the
data (tests/test_search_scale.py).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import (
    CombinedSearchVector,
    SearchConfig,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import compiled
from core.models import SEARCH_CONFIGS, TRANSLATED_SEARCH
from core.registry import registry
from reference.models import Country, Theme

MAX_QUERY_LENGTH = 200
# Results a search ranks and lists at most; beyond, it says "more than 100".
RESULT_LIMIT = 100
THEME = "theme"
COUNTRY = "country"
# What a hit's ``why`` says, for the page.
WHY = {
    "name": "Its name is what you searched for",
    "title": "Its title has every word you searched for",
    "some": "Its title has some of the words you searched for, its text all of them",
    "text": "Its text mentions what you searched for",
}
# The words a spelling check looks at: three letters or more (as SearchWord stores).
WORD = re.compile(r"[^\W\d_]{3,}")


def search_types() -> dict[str, str]:
    """Every type a search can be limited to, by key: the record types, then themes
    and countries."""
    return {**{rt.key: rt.label for rt in registry}, THEME: "Themes", COUNTRY: "Countries"}


def _title_vector(key: str):
    """The names of themes or countries as a vector (the record types' are stored in
    ``SearchEntry``); a theme's with its name's translation on a French or Spanish page
    (countries have none)."""
    vector = SearchVector("name", config="english")
    language = get_language()
    if language in TRANSLATED_SEARCH and key == THEME:
        text = KT(f"translations__{language}__name")
        translated = SearchVector(text, config=TRANSLATED_SEARCH[language])
        vector = CombinedSearchVector(vector, "||", translated, SearchConfig("english"))
    return vector


# Sentinels that cannot occur in text, swapped for <mark> after escaping.
_START, _STOP = "\x02", "\x03"


@dataclass
class Hit:
    record: object
    type: str
    score: float
    snippet: SafeString
    why: str = "text"

    @property
    def label(self) -> str:
        """What the record is: "Agreement", "Theme", "Country"."""
        return getattr(self.record, "type_label", "") or self.type.capitalize()

    @property
    def reason(self) -> str:
        return WHY[self.why]


@dataclass(frozen=True)
class Ranked:
    """One row of the ranking: which record, how good, and what names it."""

    type: str
    pk: int
    score: float
    name: str
    fuzzy: bool
    why: str


def _highlight(text: str) -> SafeString:
    """Escape what the database returned, then turn its sentinels into <mark>."""
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _config() -> str:
    """The text-search configuration of the page's language: a query on the French pages
    is stemmed as French, and matches the records' French text (core.models)."""
    return SEARCH_CONFIGS.get(get_language(), "english")


def _configs() -> list[str]:
    """The configurations a query is stemmed in: the page's language's, and on a French or
    Spanish page English's too. Most records are in English only, and an acronym, a
    symbol or a name is not translated: stemmed as French alone, "ENISA" found nothing."""
    config = _config()  # one of SEARCH_CONFIGS' names, never what a visitor typed
    return [config] if config == "english" else [config, "english"]


def _ts_query(text: str) -> SearchQuery:
    first, *others = [SearchQuery(text, search_type="websearch", config=c) for c in _configs()]
    for other in others:
        first = first | other
    return first


def _query_sql(kind: str) -> str:
    """The SQL of the query as typed (``kind`` "typed") or of its words joined by OR
    ("any"), in each of ``_configs()``, joined by OR: a ``%s`` for the text in each."""
    parts = []
    for config in _configs():
        if kind == "typed":
            parts.append(f"websearch_to_tsquery('{config}'::regconfig, %s)")
        else:
            words = f"plainto_tsquery('{config}'::regconfig, %s)::text"
            parts.append(f"to_tsquery('{config}'::regconfig, replace({words}, ' & ', ' | '))")
    return f"({' || '.join(parts)})"


class _AnyWord(SearchQuery):
    """The query's words joined by OR, to rank with: a record then scores for each word
    where it has it (a word in the title weighs most), however far apart the words are.
    Which records match is still decided by the query as typed."""

    def as_sql(self, compiler, connection, **extra_context):
        value_sql, params = compiler.compile(self.source_expressions[0])
        sql = _query_sql("any").replace("%s", value_sql)
        return sql, list(params) * len(_configs())


def _any_word(text: str) -> SearchQuery:
    return _AnyWord(Value(text))


def _base(key: str, theme: str | None) -> QuerySet:
    """The themes or the countries, with the theme filter (a country belongs to none)."""
    if key == THEME:
        qs = Theme.objects.all()  # its search_vector is stored
        return qs.filter(slug=theme) if theme else qs
    qs = Country.objects.annotate(search_vector=SearchVector("name", config="english"))
    return qs.none() if theme else qs


# Known words a misspelled word is compared with: the nearest by trigram distance.
CANDIDATES = 30


def correct_spelling(query: str) -> str:
    """``query`` with each word no title contains replaced by the known word it is the
    fewest edits away from (a typo, a dropped letter, two letters swapped: "ENSIA" is
    "ENISA"), if one is close enough for the word's length.

    One query; none when the query has no word of three letters or more. The GiST
    index finds the nearest words by trigram distance; the edit distance, which
    trigrams judge badly for short words and swapped letters, chooses among them.
    """
    words = sorted({word.casefold() for word in WORD.findall(query)} - {"or"})
    if not words:
        return query
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT typed, near.word
            FROM unnest(%s::text[]) AS typed
            LEFT JOIN LATERAL (
                SELECT word FROM research_searchword ORDER BY word <-> typed LIMIT %s
            ) AS near ON true
            """,
            [words, CANDIDATES],
        )
        near: dict[str, list[str]] = {}
        for typed, word in cursor.fetchall():
            near.setdefault(typed, []).append(word)
    fixes = {typed: _closest(typed, [w for w in found if w]) for typed, found in near.items()}

    def fix(match: re.Match) -> str:
        word = match.group()
        fixed = fixes.get(word.casefold(), word)
        if fixed == word.casefold():
            return word
        # In the case it was typed: "ENSIA" -> "ENISA", "Budapst" -> "Budapest".
        return (
            fixed.upper() if word.isupper() else fixed.capitalize() if word[0].isupper() else fixed
        )

    return WORD.sub(fix, query)


def _closest(typed: str, known: list[str]) -> str:
    """The word of ``known`` fewest edits from ``typed``, if close enough; else ``typed``."""
    if typed in known:
        return typed
    allowed = 1 if len(typed) <= 5 else 2 if len(typed) <= 9 else 3
    best = min(known, key=lambda word: edit_distance(typed, word), default=typed)
    return best if edit_distance(typed, best) <= allowed else typed


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours from ``a`` to ``b``
    (optimal string alignment)."""
    previous, current = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]


def _ranking(key: str, text: str, theme: str | None, fuzzy: bool) -> QuerySet:
    """(type, pk, rank, sort, name, fuzzy, why) of the themes or countries matching
    ``text``: they are few, and all ranked. ``why`` as ``_entries`` says."""
    ts_query = _ts_query(text)
    ranked = _base(key, theme).filter(search_vector=ts_query)
    return (
        ranked.annotate(
            titles=_title_vector(key),
            hit_why=Case(
                When(name__iexact=text, then=Value("name")),
                When(titles=ts_query, then=Value("title")),
                When(titles=_any_word(text), then=Value("some")),
                default=Value("text"),
            ),
            hit_type=Value(key),
            hit_pk=F("pk"),
            hit_rank=Cast(SearchRank(F("search_vector"), _any_word(text)), FloatField()),
            hit_sort=F("name"),
            hit_name=F("name"),
            hit_fuzzy=Value(fuzzy),
        )
        .order_by()
        .values_list(
            "hit_type", "hit_pk", "hit_rank", "hit_sort", "hit_name", "hit_fuzzy", "hit_why"
        )
    )


def _entries(kinds: list[str], theme: bool, fuzzy: bool) -> tuple[str, list]:
    """The SQL and parameters (``_TEXT`` and ``_THEME`` standing for the query and the
    theme) of the candidates of the record types ``kinds``, read from ``SearchEntry``,
    with the columns of ``_ranking``.

    The candidates are the first ``RESULT_LIMIT + 1`` matches for each type asked for
    and the first ``RESULT_LIMIT`` for each whose titles match, taken from all the types
    together (the titles' index finds those among tens of thousands of matches): with
    fewer matches than that, every match is ranked. A statement per type, as the ranking
    was before this table, costs PostgreSQL more to plan than to run at the shipped size,
    and at 100,000 records reads every row of a type with few. ``why`` is "name" when the
    query is the record's very name (its title, acronym, short title or symbol), "title"
    when its title holds every word of the query, "some" when some, else "text".
    """
    query, any_word = _query_sql("typed"), _query_sql("any")
    text = [_TEXT] * len(_configs())  # the query's parameters, one per configuration
    language = get_language()
    titles = f"titles_{language}" if language in TRANSLATED_SEARCH else "titles"
    matching = f"kind = ANY(%s) AND search_vector @@ {query}"
    matching_params = [kinds, *text]
    if theme:
        # The records with the theme: its items' content types named by type.
        types = ", ".join(
            f"('{rt.key}', '{rt.model._meta.app_label}', '{rt.model._meta.model_name}')"
            for rt in registry
            if rt.key in kinds
        )
        matching += (
            " AND (kind, record_id) IN (SELECT type.kind, item.object_id"
            " FROM reference_themeditem AS item"
            " JOIN reference_theme AS theme ON theme.id = item.tag_id"
            " JOIN django_content_type AS ct ON ct.id = item.content_type_id"
            f" JOIN (VALUES {types}) AS type (kind, app_label, model)"
            " ON type.app_label = ct.app_label AND type.model = ct.model"
            " WHERE theme.slug = %s)"
        )
        matching_params.append(_THEME)
    # Each candidate is scored where it is found (the two halves' rows for one record are
    # the same, and UNION keeps one): reading the records again by key cost more.
    scored = (
        "SELECT kind AS hit_type, record_id AS hit_pk,"
        f" ts_rank(search_vector, {any_word})::double precision AS hit_rank,"
        " sort AS hit_sort, name AS hit_name, %s AS hit_fuzzy,"
        " CASE WHEN upper(%s) = ANY(names) THEN 'name'"
        f" WHEN {titles} @@ {query} THEN 'title' WHEN {titles} @@ {any_word} THEN 'some'"
        " ELSE 'text' END AS hit_why FROM research_searchentry"
    )
    scored_params = [*text, fuzzy, _TEXT, *text, *text]
    # The titles' condition first: it is the cheaper to test, on the smaller vector.
    sql = (
        f"({scored} WHERE {matching} LIMIT {(RESULT_LIMIT + 1) * len(kinds)})"
        f" UNION ({scored} WHERE {titles} @@ {query} AND {matching}"
        f" LIMIT {RESULT_LIMIT * len(kinds)})"
    )
    params = [*scored_params, *matching_params, *scored_params, *text, *matching_params]
    return sql, params


# The score is the text rank plus a bonus for why the record matched: above any text rank
# (at most 1) plus the title bonus, what the query names comes first, however often
# another record mentions it. Added over the merged rows, where ``hit_why`` is a column:
# inside each type's query the bonus's conditions would build the title's vector again.
BONUS = {"name": 2.0, "title": 0.5, "some": 0.2}
_SCORE = (
    "hit_rank + CASE hit_why "
    + " ".join(f"WHEN '{why}' THEN {bonus}" for why, bonus in BONUS.items())
    + " ELSE 0.0 END"
)


# The candidates' columns and no row.
NOTHING = (
    "SELECT NULL::text AS hit_type, NULL::bigint AS hit_pk, NULL::float AS hit_rank,"
    " NULL::text AS hit_sort, NULL::text AS hit_name, NULL::boolean AS hit_fuzzy,"
    " NULL::text AS hit_why WHERE false"
)


# Stand-ins for the query and the theme while the ranking's SQL is compiled once per shape:
# building that union of querysets costs more than the database takes to run it.
_TEXT, _THEME = "\x00query\x00", "\x00theme\x00"
_compiled: dict[tuple, tuple[str, tuple]] = {}


def _ranking_sql(types: list[str], text: str, theme: str | None, fuzzy: bool):
    """The SQL and parameters of every type's candidates scored, best first,
    ``RESULT_LIMIT + 1`` at most."""
    shape = (tuple(types), theme is not None, fuzzy, RESULT_LIMIT, _config())
    if shape not in _compiled:
        parts, params = [], []
        kinds = [key for key in types if key not in (THEME, COUNTRY)]
        if kinds:
            sql, kinds_params = _entries(kinds, theme is not None, fuzzy)
            parts.append(sql)
            params += kinds_params
        for key in (key for key in types if key in (THEME, COUNTRY)):
            try:
                sql, key_params = _ranking(
                    key, _TEXT, _THEME if theme else None, fuzzy
                ).query.sql_with_params()
            except EmptyResultSet:  # countries in a theme: none
                continue
            parts.append(sql)
            params += key_params
        merged = " UNION ALL ".join(f"({part})" for part in parts) if parts else NOTHING
        sql = (
            f"SELECT hit_type, hit_pk, {_SCORE} AS hit_score, hit_sort, hit_name, hit_fuzzy,"
            f" hit_why FROM ({merged}) AS hits"
            f" ORDER BY hit_score DESC, hit_sort, hit_type, hit_pk LIMIT {RESULT_LIMIT + 1}"
        )
        _compiled[shape] = sql, tuple(params)
    sql, params = _compiled[shape]
    values = {_TEXT: text, _THEME: theme}
    return sql, tuple(values.get(p, p) if isinstance(p, str) else p for p in params)


class Search:
    """The published records matching a query, best first.

    Sized and sliced like a list (a ``Paginator`` pages it): the ranking is one
    query made up front (a second when nothing matches as typed and the spelling was
    corrected), each slice loads its records in one query per type.
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
        self.suggestion = self._suggestion() if self.fuzzy else ""
        self.limit = RESULT_LIMIT

    def _suggestion(self) -> str:
        """The corrected words ("cybercrime" for "cybercrme"), when the query is plain
        words: all of them then occur in the published records found, so a word seen
        only in a draft's title cannot show. With OR, a minus or quotes, some words may
        have matched nothing: the best record's name is suggested instead."""
        plain = not re.search(r'\bor\b|-|"', self.query, re.IGNORECASE)
        return self.corrected if plain else self.ranked[0].name

    def _rank(self) -> list[Ranked]:
        """The ranking as typed, or, when that finds nothing, of the corrected spelling."""
        rows = self._ranked(self.query, fuzzy=False)
        if not rows and self.corrected != self.query:
            # A statement of its own, run only when the typed query found nothing: as one
            # statement with the typed ranking (a union, its second half run only when
            # the first is empty) PostgreSQL planned both every time, and planning these
            # unions costs more than running them ("Budapst convention": 10.2 ms against
            # 4.2 + 4.3 ms; a corrected query that also matches as typed, 4.2).
            rows = self._ranked(self.corrected, fuzzy=True)
        return [
            Ranked(key, pk, score, name, fuzzy, why) for key, pk, score, _, name, fuzzy, why in rows
        ]

    def _ranked(self, text: str, fuzzy: bool) -> list[tuple]:
        sql, params = _ranking_sql(self.types, text, self.theme, fuzzy)
        # Not prepared: the best plan depends on how common the words are, and a prepared
        # statement may come to run one plan for every query (at 100k records "critical
        # infrastructure" took 174 ms instead of 64).
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index: slice | int) -> list[Hit] | Hit:
        """The hits of a slice of the ranking (or one hit), records and snippets loaded."""
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        rows = self.ranked[index]
        text = self.corrected if self.fuzzy else self.query
        queries = [
            _records(key, [row.pk for row in rows if row.type == key], text) for key in self.types
        ]
        records = {
            (key, record.pk): record
            for key, found in zip(self.types, compiled.together(queries), strict=True)
            for record in found
        }
        return [
            Hit(record, row.type, row.score, _highlight(record.snippet), row.why)
            for row in rows
            if (record := records.get((row.type, row.pk))) is not None
        ]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self[:])

    @property
    def hits(self) -> "Search":
        """The hits, loaded as they are sliced (a page) or iterated (an export)."""
        return self


def _records(key: str, ids: list[int], text: str) -> compiled.Query:
    """The query of the records ``ids`` of a type with their snippets of ``text``,
    compiled once per type and search configuration; the types' are sent together.

    One query even when ``ids`` is empty (``pk__in=[]`` would run none), so that a
    page's query count does not depend on which types its hits are of.
    """
    shape = "search records", key, _config()
    return compiled.Query(shape, lambda ids, text: _found(key, ids, text), (ids, text), False)


def _found(key: str, ids: list[int], text: str) -> QuerySet:
    ts_query = _ts_query(text)
    if key == THEME:
        qs, text = Theme.objects.filter(pk__any=ids), "description"
    elif key == COUNTRY:
        qs, text = Country.objects.filter(pk__any=ids), "name"
    else:
        model = registry.by_key(key).model
        qs = model.objects.named().filter(pk__any=ids).defer("description", "description_html")
        text = "summary"
    return qs.annotate(
        snippet=SearchHeadline(
            text, ts_query, config="english", start_sel=_START, stop_sel=_STOP, max_words=40
        )
    )


def search(query: str, types: list[str] | None = None, theme: str | None = None) -> Search:
    """Published records matching ``query``, best first, across ``types`` (default all)."""
    return Search(query, types, theme)
