"""Spelling suggestions and the title-only index for learning paths, as 0001 set up for
the other record types (the same SQL, for the new table)."""

import importlib

from django.db import migrations

first = importlib.import_module("research.migrations.0001_search_words")

FORWARDS, BACKWARDS = first.one_table(
    "paths_learningpath",
    ("title",),
    "search_learningpath_title_idx",
)


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0004_search_profiles"),
        ("paths", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]
