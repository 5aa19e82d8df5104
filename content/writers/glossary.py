"""Glossary terms: a term is its title, its definition the summary."""

from content.writers.base import Writer, entry_values
from glossary.models import GlossaryTerm


def write_rows(writer: Writer) -> None:
    def values(record):
        aliases = [str(alias).strip() for alias in record.data.get("aliases", [])]
        return {**entry_values(record, "term", "definition"), "aliases": aliases}

    writer.upsert(GlossaryTerm, writer.content.terms.values(), values)


def write_links(writer: Writer) -> None:
    """Terms link to nothing but themes and sources, written with every record's."""
