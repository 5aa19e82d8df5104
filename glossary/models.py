"""The glossary: terms students meet in the records, in plain words."""

import re

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import pagecache
from core.models import Entry, Status, search_index, search_vector_field


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

    public_fields = ("aliases",)

    class Meta(Entry.Meta):
        verbose_name = _("glossary term")
        permissions = [("publish_glossaryterm", "Can publish, unpublish and archive")]
        constraints = [models.UniqueConstraint(fields=["slug"], name="glossaryterm_slug_unique")]
        indexes = [search_index("glossaryterm")]

    @property
    def names(self) -> list[str]:
        return [self.title, *self.aliases]

    def clean(self):
        super().clean()
        for alias in self.aliases:
            if not alias.strip():
                raise ValidationError({"aliases": "An alias may not be empty."})


def terms_used_in(text: str, terms) -> list[GlossaryTerm]:
    """The glossary terms whose name or an alias occurs in ``text`` as a word."""
    found = []
    lowered = text.lower()
    for term in terms:
        for name in term.names:
            # A plain substring test first: most terms do not occur at all, and it is
            # far cheaper than the word-boundary search that confirms the others.
            if name.lower() not in lowered:
                continue
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
                found.append(term)
                break
    return found


TERM_COLUMNS = ("pk", "title", "slug", "aliases", "translations")


def terms_used_on(entry) -> dict:
    """The context a record page adds: the published terms its summary and description use.

    The terms are read once per content version (every record page looks for all of them
    in its text), and only those used become model instances."""
    rows = pagecache.remembered(
        "glossary-terms",
        lambda: list(GlossaryTerm.objects.published().values_list(*TERM_COLUMNS)),
    )
    text = f"{entry.summary}\n{entry.description}"
    own = entry.pk if isinstance(entry, GlossaryTerm) else None
    named = [_Names(row[0], [row[1], *row[3]]) for row in rows if row[0] != own]
    used = {term.pk for term in terms_used_in(text, named)}
    return {
        "glossary_terms": [
            GlossaryTerm(status=Status.PUBLISHED, **dict(zip(TERM_COLUMNS, row, strict=True)))
            for row in rows
            if row[0] in used
        ]
    }


class _Names:
    """A term's id and names, as ``terms_used_in`` reads them."""

    __slots__ = ("names", "pk")

    def __init__(self, pk: int, names: list[str]):
        self.pk, self.names = pk, names
