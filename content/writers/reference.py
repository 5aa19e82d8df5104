"""Sources, themes and countries; and every record's themes and citations."""

from django.contrib.contenttypes.models import ContentType

from content.writers.base import Writer
from reference.models import Citation, Country, Source, Theme, ThemedItem


def write_rows(writer: Writer) -> None:
    content = writer.content
    # No save() logic of their own: written in bulk (with their history, where kept).
    for model, records, natural in (
        (Source, content.sources, "key"),
        (Theme, content.themes, "slug"),
        (Country, content.countries, "code"),
    ):
        writer.upsert(model, records.values(), lambda r: r.columns(), (natural,), bulk=True)


def write_links(writer: Writer) -> None:
    entries = writer.present(writer.content.entries())
    rows = [writer.row(record) for record in entries]
    types = ContentType.objects.get_for_models(*{type(row) for row in rows})
    owners = {
        (types[type(row)].pk, row.pk): record for row, record in zip(rows, entries, strict=True)
    }
    citations, themes = [], []
    for (type_id, pk), record in owners.items():
        owner = {"content_type_id": type_id, "object_id": pk}
        for position, (key, pinpoint) in enumerate(record.citations()):
            source_id = writer.pk("source", key)
            row = {**owner, "source_id": source_id, "pinpoint": pinpoint, "position": position}
            citations.append((record, row))
        for slug in record.data.get("themes", []):
            themes.append((record, {**owner, "tag_id": writer.pk("theme", slug)}))
    owner = ("content_type_id", "object_id")
    writer.sync(Citation, owners, owner, ("source_id", "pinpoint"), citations)
    writer.sync(ThemedItem, owners, owner, ("tag_id",), themes)
