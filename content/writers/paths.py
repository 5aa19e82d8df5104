"""Learning paths (after every record a step may name), then their steps."""

from django.contrib.contenttypes.models import ContentType

from content.writers.base import Writer, entry_values
from core.registry import registry
from core.text import render_markdown
from paths.models import LearningPath, PathStep


def write_rows(writer: Writer) -> None:
    writer.upsert(LearningPath, writer.content.paths.values(), entry_values)


def write_links(writer: Writer) -> None:
    paths = writer.present(writer.content.paths.values())
    owners = {(writer.row(r).pk,): r for r in paths}
    steps = []
    for record in paths:
        pk = writer.row(record).pk
        for position, step in enumerate(record.data["steps"], start=1):
            key, _, ref = step["record"].partition(":")
            model = registry.by_key(key).model
            text = step.get("text", "").strip()
            row = {
                "path_id": pk,
                "content_type_id": ContentType.objects.get_for_model(model).pk,
                "object_id": writer.pk(key, ref),
                "position": position,
                "text": text,
                # Written in bulk, so without save(): the HTML is made here.
                "text_html": render_markdown(text),
            }
            steps.append((record, row))
    writer.sync(PathStep, owners, ("path_id",), ("content_type_id", "object_id"), steps)
