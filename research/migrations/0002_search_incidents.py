"""Spelling suggestions and title-only indexes for incidents and responses, as
0001 set up for the other record types (the same SQL, for the new tables)."""

import importlib

from django.db import migrations

first = importlib.import_module("research.migrations.0001_search_words")

WORD_SOURCES = {
    "incidents_incident": ("title", "short_title"),
    "incidents_response": ("title", "attributed_actor", "legal_act"),
}
TITLE_VECTORS = {
    "incidents_incident": ("search_incident_title_idx", ("title", "short_title")),
    "incidents_response": (
        "search_response_title_idx",
        ("title", "attributed_actor", "legal_act"),
    ),
}


def forwards_sql() -> list[str]:
    sql = []
    for table, columns in WORD_SOURCES.items():
        for event in first.EVENTS:
            sql.append(
                f"CREATE TRIGGER {table}_search_words_{event.lower()} AFTER {event} ON {table} "
                "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION research_add_search_words({', '.join(columns)});"
            )
        sql.append(
            "INSERT INTO research_searchword (word) "
            + first.WORDS_OF.format(rows=table, columns=first.array(columns))
            + " ON CONFLICT (word) DO NOTHING;"
        )
    for table, (index, columns) in TITLE_VECTORS.items():
        sql.append(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
            f"USING gin ({first.title_vector(columns)});"
        )
    return sql


def backwards_sql() -> list[str]:
    sql = [f"DROP INDEX IF EXISTS {index};" for index, _ in TITLE_VECTORS.values()]
    return sql + [
        f"DROP TRIGGER IF EXISTS {table}_search_words_{event.lower()} ON {table};"
        for table in WORD_SOURCES
        for event in first.EVENTS
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0001_search_words"),
        ("incidents", "0001_initial"),
    ]

    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
