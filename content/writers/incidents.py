"""Incidents and responses (after every other record: they link to norms, bodies,
agreements and countries), then their targets, norm links and the responses' links."""

from content.writers.base import Writer, entry_values
from incidents.models import (
    Incident,
    IncidentNorm,
    IncidentTarget,
    Response,
    ResponseAgreement,
    ResponseBody,
    ResponseIncident,
    ResponseNorm,
    ResponseParty,
)


def write_rows(writer: Writer) -> None:
    def incident_values(record):
        return {
            **entry_values(record),
            "target_sectors": list(record.data.get("target_sectors", [])),
        }

    writer.upsert(Incident, writer.content.incidents.values(), incident_values)

    def response_values(record):
        state = record.data.get("attributed_state") or None
        return {**entry_values(record), "attributed_state_id": writer.pk("country", state)}

    writer.upsert(Response, writer.content.responses.values(), response_values)


def write_links(writer: Writer) -> None:
    incidents = writer.present(writer.content.incidents.values())
    owners = {(writer.row(r).pk,): r for r in incidents}
    targets, norm_links = [], []
    for record in incidents:
        pk = writer.row(record).pk
        for code in record.data.get("target_countries", []):
            targets.append((record, {"incident_id": pk, "country_id": writer.pk("country", code)}))
        for link in record.data.get("norms", []):
            row = {
                "incident_id": pk,
                "norm_id": writer.pk("norm", link["norm"]),
                "said_by": link["said_by"],
                "source_id": writer.pk("source", link.get("source")),
                "note": link.get("note", ""),
            }
            norm_links.append((record, row))
    writer.sync(IncidentTarget, owners, ("incident_id",), ("country_id",), targets)
    writer.sync(IncidentNorm, owners, ("incident_id",), ("norm_id", "said_by"), norm_links)

    responses = writer.present(writer.content.responses.values())
    owners = {(writer.row(r).pk,): r for r in responses}
    answered, parties, bodies, norms, agreements = [], [], [], [], []
    for record in responses:
        pk = writer.row(record).pk
        data = record.data
        for slug in data.get("incidents", []):
            answered.append(
                (record, {"response_id": pk, "incident_id": writer.pk("incident", slug)})
            )
        for code in data.get("parties", []):
            parties.append((record, {"response_id": pk, "country_id": writer.pk("country", code)}))
        for slug in data.get("bodies", []):
            bodies.append((record, {"response_id": pk, "body_id": writer.pk("body", slug)}))
        for link in data.get("norms", []):
            row = {"norm_id": writer.pk("norm", link["norm"]), "note": link.get("note", "")}
            norms.append((record, {"response_id": pk, **row}))
        for link in data.get("agreements", []):
            row = {
                "agreement_id": writer.pk("agreement", link["agreement"]),
                "relation": link["relation"],
                "note": link.get("note", ""),
            }
            agreements.append((record, {"response_id": pk, **row}))
    writer.sync(ResponseIncident, owners, ("response_id",), ("incident_id",), answered)
    writer.sync(ResponseParty, owners, ("response_id",), ("country_id",), parties)
    writer.sync(ResponseBody, owners, ("response_id",), ("body_id",), bodies)
    writer.sync(ResponseNorm, owners, ("response_id",), ("norm_id",), norms)
    writer.sync(
        ResponseAgreement, owners, ("response_id",), ("agreement_id", "relation"), agreements
    )
