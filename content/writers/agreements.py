"""Agreements, then their parties and their links to norms and to other agreements."""

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from content.writers.base import Writer, entry_values


def write_rows(writer: Writer) -> None:
    writer.upsert(Agreement, writer.content.agreements.values(), entry_values)


def write_links(writer: Writer) -> None:
    agreements = writer.present(writer.content.agreements.values())
    owners = {(writer.row(r).pk,): r for r in agreements}
    parties, norm_links, agreement_links = [], [], []
    for record in agreements:
        pk = writer.row(record).pk
        for party in record.children:
            country, body = party.data.get("country"), party.data.get("body")
            row = {
                "agreement_id": pk,
                "country_id": writer.pk("country", country),
                "body_id": writer.pk("body", body),
                **party.columns(),
                "unconfirmed": party.data.get("unconfirmed", {}),
            }
            parties.append((party, row))
        for link in record.data.get("norms", []):
            row = {"norm_id": writer.pk("norm", link["norm"]), **_link(link)}
            norm_links.append((record, {"agreement_id": pk, **row}))
        for link in record.data.get("related", []):
            row = {"target_id": writer.pk("agreement", link["agreement"]), **_link(link)}
            agreement_links.append((record, {"source_id": pk, **row}))
    writer.sync(Participation, owners, ("agreement_id",), ("country_id", "body_id"), parties)
    writer.sync(NormLink, owners, ("agreement_id",), ("norm_id", "relation"), norm_links)
    writer.sync(AgreementLink, owners, ("source_id",), ("target_id", "relation"), agreement_links)


def _link(item: dict) -> dict:
    return {"relation": item["relation"], "note": item.get("note", "")}
