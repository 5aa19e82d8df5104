"""Load the curated knowledge base from the TOML files under ``data/``.

The format is described in docs/data-format.md. Loading has two phases:

1. ``read_content`` (content.reader) parses every file and checks it without
   touching the database: known keys only, value formats, duplicates, and every
   reference (theme, source, country, body, agreement, norm) resolvable.
2. The writers (content.writers, one per app) write it in one transaction,
   comparing with what the database holds and writing only what differs, so a
   second run changes nothing. The database is the source of truth: a record
   changed in the admin since it was loaded is skipped and reported (see
   content.writers.base), and every change the loader makes is in history
   with the reason "Loaded from <file>".

Any problem raises ``ContentError`` naming the file and the record, and the
transaction leaves the database as it was.
"""

from pathlib import Path

from django.db import transaction

from content.reader import ContentError, read_content
from content.writers import (
    agreements,
    bodies,
    glossary,
    incidents,
    norms,
    paths,
    positions,
    profiles,
    reference,
)
from content.writers.base import Stats, Writer

__all__ = ["ContentError", "Stats", "load_content", "read_content"]

# In the order their rows can be written: a body names the agreement that
# established it, a framework the body that produced it; incidents and responses
# name all of them; positions name countries and norms; paths' steps name any record.
# Links come after every row exists.
WRITERS = (reference, agreements, bodies, norms, glossary, incidents, positions, profiles, paths)


def load_content(root: Path, *, dry_run: bool = False, force: bool = False) -> Stats:
    """Check and load everything under ``root`` in one transaction.

    A record changed in the admin since it was loaded is left as it is, with its
    relations, and named in ``Stats.skipped``; ``force`` overwrites it (all but its
    status) and names it in ``Stats.forced``.
    """
    content = read_content(root)
    with transaction.atomic():
        writer = Writer(content, force=force)
        for app in WRITERS:
            app.write_rows(writer)
        for app in WRITERS:
            app.write_links(writer)
        if dry_run:
            transaction.set_rollback(True)
    return writer.stats()
