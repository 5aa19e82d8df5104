"""Spelling suggestions and the title-only index for country profiles, as 0001 set up for
the other record types (the same SQL, for the new table)."""

import importlib

from django.db import migrations

first = importlib.import_module("research.migrations.0001_search_words")

FORWARDS, BACKWARDS = first.one_table(
    "profiles_countryprofile",
    ("title", "strategy", "lead_agencies"),
    "search_countryprofile_title_idx",
)


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0003_search_positions"),
        ("profiles", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]
