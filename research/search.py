"""Full-text search over every record type, themes included.

PostgreSQL does the work: each record type has a weighted, generated search
vector with a GIN index; queries use ``websearch`` syntax (quotes, OR, minus);
results are ranked and highlighted. When nothing matches, trigram similarity
on titles finds near misses ("Budapst convention") and offers a suggestion.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.registry import registry
from reference.models import Theme

MAX_QUERY_LENGTH = 200
FUZZY_THRESHOLD = 0.45
THEME = "theme"


def search_types() -> dict[str, str]:
    """Every type a search can be limited to, by key: the record types, then themes."""
    return {**{rt.key: rt.label for rt in registry}, THEME: "Themes"}


def _title_fields(key: str) -> tuple[str, ...]:
    """The title-like fields that near-miss matching compares with the query."""
    return ("name",) if key == THEME else registry.by_key(key).title_fields


# Sentinels that cannot occur in text, swapped for <mark> after escaping.
_START, _STOP = "\x02", "\x03"


@dataclass
class Hit:
    record: object
    type: str
    score: float
    snippet: SafeString


@dataclass
class Results:
    query: str
    hits: list[Hit]
    fuzzy: bool = False
    suggestion: str = ""


def _highlight(text: str) -> SafeString:
    """Escape what the database returned, then turn its sentinels into <mark>."""
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _base(type_key: str, theme: str | None):
    if type_key == THEME:
        qs = Theme.objects.all()
        return qs.filter(slug=theme) if theme else qs
    qs = registry.by_key(type_key).model.objects.published().named()
    return qs.with_theme(theme) if theme else qs


def search(query: str, types: list[str] | None = None, theme: str | None = None) -> Results:
    """Published records matching ``query``, best first, across ``types`` (default all)."""
    types = types or list(search_types())
    ts_query = SearchQuery(query, search_type="websearch", config="english")
    hits: list[Hit] = []
    for key in types:
        qs = _base(key, theme)
        text = "summary"
        if key == THEME:
            # Themes are few; their vector is computed on the fly.
            qs = qs.annotate(
                search_vector=SearchVector("name", weight="A", config="english")
                + SearchVector("description", weight="B", config="english")
            )
            text = "description"
        else:
            qs = qs.defer("description", "description_html")
        qs = qs.filter(search_vector=ts_query).annotate(
            score=SearchRank(F("search_vector"), ts_query),
            snippet=SearchHeadline(
                text, ts_query, config="english", start_sel=_START, stop_sel=_STOP, max_words=40
            ),
        )
        hits += [Hit(r, key, r.score, _highlight(r.snippet)) for r in qs]
    if hits:
        # A query that is exactly a record's acronym, short title or symbol names that record.
        wanted = query.strip().casefold()
        for hit in hits:
            names = (getattr(hit.record, f, "") for f in ("acronym", "short_title", "symbol"))
            if any(name and name.casefold() == wanted for name in names):
                hit.score += 1
        hits.sort(key=lambda h: (-h.score, str(h.record)))
        return Results(query, hits)
    return _near_misses(query, types, theme)


def _near_misses(query: str, types: list[str], theme: str | None) -> Results:
    """Titles that look like the query: typo tolerance through pg_trgm."""
    hits: list[Hit] = []
    for key in types:
        fields = _title_fields(key)
        similarity = [TrigramWordSimilarity(query, field) for field in fields]
        score = Greatest(*similarity) if len(similarity) > 1 else similarity[0]
        qs = _base(key, theme).annotate(score=score).filter(score__gte=FUZZY_THRESHOLD)
        for record in qs.order_by("-score")[:20]:
            summary = getattr(record, "summary", None) or getattr(record, "description", "")
            hits.append(Hit(record, key, record.score, _highlight(Truncator(summary).words(45))))
    hits.sort(key=lambda h: (-h.score, str(h.record)))
    suggestion = ""
    if hits:
        best = hits[0].record
        suggestion = getattr(best, "short_title", "") or getattr(best, "acronym", "") or str(best)
    return Results(query, hits, fuzzy=True, suggestion=suggestion)
