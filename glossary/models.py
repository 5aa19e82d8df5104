"""The glossary: terms students meet in the records, in plain words."""

import functools
import re

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import pagecache
from core.models import (
    Entry,
    Status,
    published_index,
    search_index,
    search_vector_field,
    title_index,
    title_vector_field,
)


class GlossaryTerm(Entry):
    """A term students meet in the records; ``summary`` holds its definition."""

    url_name = "glossary:detail"

    aliases = ArrayField(
        models.CharField(max_length=100),
        blank=True,
        default=list,
        help_text="Other spellings and acronyms, comma-separated (e.g. CBM, CBMs).",
    )
    search_vector = search_vector_field("title")
    title_vector = title_vector_field("title")

    public_fields = ("aliases",)

    class Meta(Entry.Meta):
        verbose_name = _("glossary term")
        permissions = [("publish_glossaryterm", "Can publish, unpublish and archive")]
        constraints = [models.UniqueConstraint(fields=["slug"], name="glossaryterm_slug_unique")]
        indexes = [
            search_index("glossaryterm"),
            title_index("glossaryterm"),
            published_index("glossaryterm"),
        ]

    def clean(self):
        super().clean()
        for alias in self.aliases:
            if not alias.strip():
                raise ValidationError({"aliases": "An alias may not be empty."})


def terms_used_in(text: str, terms: list[tuple[int, list[str]]]) -> set[int]:
    """The ids of the terms, given as (id, names), whose name or an alias occurs in
    ``text`` as a word."""
    found = set()
    lowered = text.lower()
    words = set(WORD.findall(lowered))
    # Where lower case keeps every character one character, a place in one is the same
    # place in the other.
    same_places = len(lowered) == len(text)
    for pk, names in terms:
        for name in names:
            low, first, as_a_word = _name_keys(name)
            # Cheap tests first, as most terms do not occur at all: the name's first word
            # among the text's words (a name that occurs as a word starts with one), then
            # the name anywhere; the word-boundary search confirms the others, from the
            # name's first place (the text before it holds no match).
            if first is not None and first not in words:
                continue
            at = lowered.find(low)
            if at < 0:
                continue
            if as_a_word.search(text, max(at - 1, 0) if same_places else 0):
                found.add(pk)
                break
    return found


# A word as the word-boundary search of ``terms_used_in`` sees one.
WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=4096)
def _name_keys(name: str) -> tuple[str, str | None, re.Pattern]:
    """A term's name in lower case, its first word (None if it has none) and the search
    for it as a word."""
    low = name.lower()
    first = WORD.search(low)
    as_a_word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", flags=re.IGNORECASE)
    return low, first.group() if first else None, as_a_word


TERM_COLUMNS = ("pk", "title", "slug", "aliases", "translations")


def terms_used_on(entry) -> dict:
    """The context a record page adds: the published terms its summary and description use.

    The terms are read once per content version and kept in the worker (every record
    page looks for all of them in its text: no query, nothing to unpickle), and only those
    used become model instances."""
    rows = pagecache.held(
        "glossary-terms",
        lambda: list(GlossaryTerm.objects.published().values_list(*TERM_COLUMNS)),
    )
    own = entry.pk if isinstance(entry, GlossaryTerm) else None
    text = f"{entry.summary}\n{entry.description}"
    used = terms_used_in(text, [(pk, [title, *aliases]) for pk, title, _s, aliases, _t in rows])
    return {
        "glossary_terms": [
            GlossaryTerm(status=Status.PUBLISHED, **dict(zip(TERM_COLUMNS, row, strict=True)))
            for row in rows
            if row[0] in used and row[0] != own
        ]
    }
