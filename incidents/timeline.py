"""Incidents and the responses to them on the timeline: when each began, when each
response was made."""

from core.registry import TimelineLane
from core.timeline import Event, TimelineQuery
from incidents.models import Incident, Response


def incident_events(query: TimelineQuery) -> list[Event]:
    """Published incidents begun in the period, in one query: a country filter keeps the
    incidents that targeted it."""
    records = Incident.objects.published().only("slug", "title", "short_title", "kind", "began")
    related = query.related("targets__country__code")
    if related is not None:
        records = records.filter(pk__in=Incident.objects.filter(related).values("pk"))
    kinds = dict(Incident.Kind.choices)
    return [
        Event(
            date=i.began,
            label=i.short_title or i.title,
            url=i.get_absolute_url(),
            lane="incident",
            title=i.title,
            what="Began",
            kind=i.kind,
            kind_label=kinds.get(i.kind, i.kind),
        )
        for i in query.narrow(records, "began")
    ]


def response_events(query: TimelineQuery) -> list[Event]:
    """Published responses made in the period, in one query: a country or body filter
    keeps the responses it made."""
    records = Response.objects.published().only("slug", "title", "kind", "date")
    related = query.related("parties__code", "bodies__slug")
    if related is not None:
        records = records.filter(pk__in=Response.objects.filter(related).values("pk"))
    kinds = dict(Response.Kind.choices)
    return [
        Event(
            date=r.date,
            label=r.title,
            url=r.get_absolute_url(),
            lane="response",
            title=r.title,
            what=kinds.get(r.kind, r.kind),
            kind=r.kind,
            kind_label=kinds.get(r.kind, r.kind),
        )
        for r in query.narrow(records, "date")
    ]


INCIDENTS = TimelineLane(
    key="incident",
    label="Incidents",
    events=incident_events,
    kinds=tuple(Incident.Kind.choices),
    order=40,
)
RESPONSES = TimelineLane(
    key="response",
    label="Diplomatic responses",
    events=response_events,
    kinds=tuple(Response.Kind.choices),
    order=45,
)
