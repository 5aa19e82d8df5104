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

from agreements.models import Agreement
from bodies.models import Body
from cyberdiplo.models import GlossaryTerm, Theme
from norms.models import Norm, NormFramework

MAX_QUERY_LENGTH = 200
FUZZY_THRESHOLD = 0.45

# type key -> (model, label, the title-like fields used for near-miss matching)
TYPES = {
    "agreement": (Agreement, "Agreements", ("title", "short_title", "symbol")),
    "framework": (NormFramework, "Norm frameworks", ("title", "short_title", "symbol")),
    "norm": (Norm, "Norms", ("title",)),
    "body": (Body, "Bodies", ("title", "acronym")),
    "term": (GlossaryTerm, "Glossary", ("title",)),
    "theme": (Theme, "Themes", ("name",)),
}

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
    model = TYPES[type_key][0]
    if model is Theme:
        qs = Theme.objects.all()
        return qs.filter(slug=theme) if theme else qs
    qs = model.objects.published()
    if type_key == "norm":
        qs = qs.select_related("framework")
    return qs.with_theme(theme) if theme else qs


def search(query: str, types: list[str] | None = None, theme: str | None = None) -> Results:
    """Published records matching ``query``, best first, across ``types`` (default all)."""
    types = types or list(TYPES)
    ts_query = SearchQuery(query, search_type="websearch", config="english")
    hits: list[Hit] = []
    for key in types:
        qs = _base(key, theme)
        text = "summary"
        if key == "theme":
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
        fields = TYPES[key][2]
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
