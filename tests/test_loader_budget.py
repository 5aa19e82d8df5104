"""The loader's query budget on the shipped content: a first load in a bounded number of
queries, and a second load that writes nothing. Its time is measured by `make bench`."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.loader import load_content, read_content

FIRST_LOAD_QUERIES = 3000
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.django_db
def test_a_first_load_of_the_shipped_content_stays_within_its_query_budget():
    content = read_content(settings.CONTENT_DIR)
    with CaptureQueriesContext(connection) as queries:
        stats = load_content(settings.CONTENT_DIR)
    assert (stats.updated, stats.unchanged) == (0, 0), "the database must start empty"
    assert len(queries) <= FIRST_LOAD_QUERIES
    # Expected: each record its INSERT and its history row (save() renders its Markdown
    # and keeps its history); sources, themes and countries, and each kind of child row
    # (citations, themed items, parties, norm links, agreement links, members,
    # promotions, and the incidents' and responses' targets, norm links, incidents,
    # parties, bodies and agreement links), one query to read what exists and a few to
    # write it in bulk. Anything per child row would break this.
    records = len(content.entries())
    assert len(queries) <= 2 * records + 130


@pytest.mark.django_db
def test_a_second_load_writes_nothing(shipped):
    with CaptureQueriesContext(connection) as queries:
        stats = load_content(settings.CONTENT_DIR)
    assert (stats.created, stats.updated) == (0, 0)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    # Reading what exists: a query per model (and its history, for records), no more
    # (ten record types with their link rows; a learning path's steps are one).
    assert len(queries) <= 44
