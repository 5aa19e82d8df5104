"""What search keeps beside the records: the words of their titles, for spelling
suggestions, and every published record as search ranks it."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from core.models import BaseModel


class SearchWord(BaseModel):
    """A word (three letters or more, lower case) of some record's title, short title,
    symbol, acronym or theme name.

    Database triggers (research/migrations/0001_search_words.py) add the words of every
    row written, in bulk or not; words are never removed, so a word may outlive its
    record. Search shows a spelling it corrects only through the published records it
    then finds, never the word itself, so a draft's title cannot leak through it.
    """

    word = models.TextField(primary_key=True)

    class Meta:
        indexes = [
            # The nearest known word to a misspelled one: ORDER BY word <-> %s (research.search).
            GistIndex(OpClass("word", name="gist_trgm_ops"), name="searchword_trgm_idx"),
        ]

    def __str__(self) -> str:
        return self.word


class SearchEntry(BaseModel):
    """A published record of any type, with what search ranks it by: one table and one
    index for every type, so that a search is one short statement rather than a union
    of a statement per type (which PostgreSQL took longer to plan than to run).

    Kept by database triggers on each record table (research/migrations/
    0007_search_entries.py), for every write, in bulk or not: a record is here while the
    public may find it (published, and a norm while its framework is too: ``published()``),
    with its stored vectors as they are, and goes when it is unpublished, archived or
    deleted. Nothing in Django writes it.
    """

    pk = models.CompositePrimaryKey("kind", "record_id")
    kind = models.TextField()  # the record type's key (core.registry)
    record_id = models.BigIntegerField()
    # The record's own stored vectors (core.models.search_vector_field, title_vector_field).
    search_vector = SearchVectorField()
    titles = SearchVectorField()
    # The titles with the title's translation, for a search on the French or Spanish pages.
    titles_fr = SearchVectorField()
    titles_es = SearchVectorField()
    # Title, acronym, short title, symbol, upper case: a query equal to one names the record.
    names = ArrayField(models.TextField())
    sort = models.TextField()  # its title
    name = models.TextField()  # its short title or acronym, else its title

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="searchentry_search_idx"),
            GinIndex(fields=["titles"], name="searchentry_titles_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id}: {self.name}"
