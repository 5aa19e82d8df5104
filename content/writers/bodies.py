"""Bodies (after agreements: a body names the one that established it), then their
members and the norms they promote."""

from bodies.models import Body, Membership, Promotion
from content.writers.base import Writer, entry_values


def write_rows(writer: Writer) -> None:
    def values(record):
        return {
            **entry_values(record),
            "established_by_id": writer.pk("agreement", record.data.get("established_by")),
            "members_as_of": record.data.get("members_as_of"),
        }

    writer.upsert(Body, writer.content.bodies.values(), values)


def write_links(writer: Writer) -> None:
    bodies = writer.present(writer.content.bodies.values())
    owners = {(writer.row(r).pk,): r for r in bodies}
    members, promotions = [], []
    for record in bodies:
        pk = writer.row(record).pk
        for member in record.data.get("members", []):
            member = {"country": member} if isinstance(member, str) else member
            row = {"country_id": writer.pk("country", member["country"])}
            members.append((record, {"body_id": pk, **row, "since": member.get("since", "")}))
        for ref in record.data.get("promotes", []):
            promotions.append((record, {"body_id": pk, "norm_id": writer.pk("norm", ref)}))
    writer.sync(Membership, owners, ("body_id",), ("country_id",), members)
    writer.sync(Promotion, owners, ("body_id",), ("norm_id",), promotions)
