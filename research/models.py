"""What search keeps beside the records: the words of their titles, for spelling suggestions."""

from django.contrib.postgres.indexes import GistIndex, OpClass
from django.db import models


class SearchWord(models.Model):
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
