"""Spelling suggestions and the title-only index for national positions, as 0001 set up
for the other record types (the same SQL, for the new table)."""

import importlib

from django.db import migrations

first = importlib.import_module("research.migrations.0001_search_words")

COLUMNS = ("title", "forum", "symbol")


def forwards_sql() -> list[str]:
    table = "positions_nationalposition"
    sql = [
        f"CREATE TRIGGER {table}_search_words_{event.lower()} AFTER {event} ON {table} "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION research_add_search_words({', '.join(COLUMNS)});"
        for event in first.EVENTS
    ]
    sql.append(
        "CREATE INDEX IF NOT EXISTS search_position_title_idx ON positions_nationalposition "
        f"USING gin ({first.title_vector(COLUMNS)});"
    )
    return sql


def backwards_sql() -> list[str]:
    return ["DROP INDEX IF EXISTS search_position_title_idx;"] + [
        f"DROP TRIGGER IF EXISTS positions_nationalposition_search_words_{event.lower()} "
        "ON positions_nationalposition;"
        for event in first.EVENTS
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0002_search_incidents"),
        ("positions", "0001_initial"),
    ]

    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
