"""Norm frameworks (after bodies: a framework names the body that produced it) and
their norms, in the order the file lists them."""

from content.writers.base import GONE, Writer, entry_values
from norms.models import Norm, NormFramework, Restatement


def write_rows(writer: Writer) -> None:
    frameworks = writer.content.frameworks.values()

    def framework_values(record):
        produced_by = writer.pk("body", record.data.get("produced_by"))
        return {**entry_values(record), "produced_by_id": produced_by}

    writer.upsert(NormFramework, frameworks, framework_values)
    # The norms of a framework deleted in the admin went with it.
    for framework in frameworks:
        if writer.pk("framework", framework.ref) is GONE:
            writer.gone.update(("norm", norm.ref) for norm in framework.children)
    frameworks = writer.present(frameworks)
    positions = {}
    for framework in frameworks:
        for position, norm in enumerate(framework.children, start=1):
            positions[id(norm)] = (writer.row(framework).pk, position)

    def norm_values(record):
        framework_id, position = positions[id(record)]
        return {**entry_values(record), "framework_id": framework_id, "position": position}

    norms = [norm for framework in frameworks for norm in framework.children]
    writer.upsert(Norm, norms, norm_values, ("framework_id", "slug"))


def write_links(writer: Writer) -> None:
    """The earlier norms each norm restates; themes and sources are written with every
    record's."""
    norms = writer.present([n for f in writer.content.frameworks.values() for n in f.children])
    owners = {(writer.row(r).pk,): r for r in norms}
    restatements = [
        (
            record,
            {
                "norm_id": writer.row(record).pk,
                "restates_id": writer.pk("norm", link["norm"]),
                "note": link.get("note", ""),
            },
        )
        for record in norms
        for link in record.data.get("restates", [])
    ]
    writer.sync(Restatement, owners, ("norm_id",), ("restates_id",), restatements)
