"""Spelling suggestions and title-only indexes for incidents and responses, as
0001 set up for the other record types (the same SQL, for the new tables)."""

import importlib

from django.db import migrations

first = importlib.import_module("research.migrations.0001_search_words")

INCIDENT = first.one_table(
    "incidents_incident", ("title", "short_title"), "search_incident_title_idx"
)
RESPONSE = first.one_table(
    "incidents_response",
    ("title", "attributed_actor", "legal_act"),
    "search_response_title_idx",
)


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0001_search_words"),
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(INCIDENT[0] + RESPONSE[0], RESPONSE[1] + INCIDENT[1]),
    ]
