"""The glossary: terms students meet in the records, in plain words."""

import re

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Entry, search_index, search_vector_field


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


def terms_used_on(entry) -> dict:
    """The context a record page adds: the published terms its summary and description use."""
    terms = GlossaryTerm.objects.published().only("title", "slug", "aliases", "translations")
    text = f"{entry.summary}\n{entry.description}"
    used = [
        t
        for t in terms_used_in(text, terms)
        if not isinstance(entry, GlossaryTerm) or t.pk != entry.pk
    ]
    return {"glossary_terms": used}
