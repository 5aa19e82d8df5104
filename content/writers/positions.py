"""National positions (after the norms they link and the countries they belong to), then
their norm links."""

from content.writers.base import Writer, entry_values
from positions.models import NationalPosition, PositionNorm


def write_rows(writer: Writer) -> None:
    def values(record):
        data = record.data
        return {
            **entry_values(record),
            "country_id": writer.pk("country", data["country"]),
            "issues": list(data.get("issues", [])),
        }

    writer.upsert(NationalPosition, writer.content.positions.values(), values)


def write_links(writer: Writer) -> None:
    positions = writer.present(writer.content.positions.values())
    owners = {(writer.row(r).pk,): r for r in positions}
    links = []
    for record in positions:
        pk = writer.row(record).pk
        for link in record.data.get("norms", []):
            row = {"norm_id": writer.pk("norm", link["norm"]), "note": link.get("note", "")}
            links.append((record, {"position_id": pk, **row}))
    writer.sync(PositionNorm, owners, ("position_id",), ("norm_id",), links)
