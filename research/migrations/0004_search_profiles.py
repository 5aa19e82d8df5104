"""Spelling suggestions and the title-only index for country profiles, as 0001 set up for
the other record types (the same SQL, for the new table)."""

import importlib

from django.db import migrations

first = importlib.import_module("research.migrations.0001_search_words")

TABLE = "profiles_countryprofile"
COLUMNS = ("title", "strategy", "lead_agencies")


def forwards_sql() -> list[str]:
    sql = [
        f"CREATE TRIGGER {TABLE}_search_words_{event.lower()} AFTER {event} ON {TABLE} "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION research_add_search_words({', '.join(COLUMNS)});"
        for event in first.EVENTS
    ]
    sql.append(
        f"CREATE INDEX IF NOT EXISTS search_countryprofile_title_idx ON {TABLE} "
        f"USING gin ({first.title_vector(COLUMNS)});"
    )
    return sql


def backwards_sql() -> list[str]:
    return ["DROP INDEX IF EXISTS search_countryprofile_title_idx;"] + [
        f"DROP TRIGGER IF EXISTS {TABLE}_search_words_{event.lower()} ON {TABLE};"
        for event in first.EVENTS
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0003_search_positions"),
        ("profiles", "0001_initial"),
    ]

    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
