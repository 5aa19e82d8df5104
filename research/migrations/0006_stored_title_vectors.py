"""The title-only indexes on expressions (0001-0005) give way to the record types' stored
``title_vector`` columns and their indexes: search reads the column rather than building
the vector for each record it ranks."""

import importlib

from django.db import migrations

first = importlib.import_module("research.migrations.0001_search_words")

# Table, the index 0001-0005 made, and the title fields it was built on.
EXPRESSION_INDEXES = {
    **first.TITLE_VECTORS,
    "incidents_incident": ("search_incident_title_idx", ("title", "short_title")),
    "incidents_response": (
        "search_response_title_idx",
        ("title", "attributed_actor", "legal_act"),
    ),
    "positions_nationalposition": ("search_position_title_idx", ("title", "forum", "symbol")),
    "profiles_countryprofile": (
        "search_countryprofile_title_idx",
        ("title", "strategy", "lead_agencies"),
    ),
    "paths_learningpath": ("search_learningpath_title_idx", ("title",)),
}

# Statistics for the new columns at once (the planner weighs the title index by them),
# rather than when autovacuum next passes.
FORWARDS = [f"DROP INDEX IF EXISTS {index};" for index, _ in EXPRESSION_INDEXES.values()]
FORWARDS += [f"ANALYZE {table};" for table in EXPRESSION_INDEXES]
BACKWARDS = [
    f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({first.title_vector(columns)});"
    for table, (index, columns) in EXPRESSION_INDEXES.items()
]


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0005_search_paths"),
        ("agreements", "0011_title_vector"),
        ("bodies", "0010_title_vector"),
        ("glossary", "0008_title_vector"),
        ("incidents", "0007_title_vector"),
        ("norms", "0011_title_vector"),
        ("paths", "0005_title_vector"),
        ("positions", "0006_title_vector"),
        ("profiles", "0005_title_vector"),
    ]

    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]
