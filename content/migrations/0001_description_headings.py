"""Render again the descriptions that have headings: core.text now puts a
description's own headings below its page's "About" heading (h3 and h4, not h2)."""

from django.db import migrations

from core.text import render_markdown

RECORD_MODELS = [
    ("norms", "NormFramework"),
    ("norms", "Norm"),
    ("agreements", "Agreement"),
    ("bodies", "Body"),
    ("glossary", "GlossaryTerm"),
]


def render_headings(apps, schema_editor):
    for app_label, name in RECORD_MODELS:
        model = apps.get_model(app_label, name)
        changed = []
        for record in model.objects.filter(description__regex=r"(^|\n)#").only(
            "pk", "description", "description_html"
        ):
            html = render_markdown(record.description)
            if html != record.description_html:
                record.description_html = html
                changed.append(record)
        model.objects.bulk_update(changed, ["description_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("norms", "0003_speed_indexes"),
        ("agreements", "0003_speed_indexes"),
        ("bodies", "0003_speed_indexes"),
        ("glossary", "0002_initial"),
    ]

    operations = [migrations.RunPython(render_headings, migrations.RunPython.noop)]
