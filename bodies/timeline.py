"""Bodies on the timeline: each one's founding."""

from bodies.models import Body
from core.registry import TimelineLane
from core.timeline import Event, TimelineQuery


def timeline_events(query: TimelineQuery) -> list[Event]:
    """Published bodies founded in the period, in one query: a country filter keeps the
    bodies it is a member of, a body filter the body itself."""
    records = Body.objects.published().only("slug", "title", "acronym", "kind", "founded")
    related = query.related("memberships__country__code", "slug")
    if related is not None:
        records = records.filter(pk__in=Body.objects.filter(related).values("pk"))
    kinds = dict(Body.Kind.choices)
    return [
        Event(
            date=b.founded,
            label=b.acronym or b.title,
            url=b.get_absolute_url(),
            lane="body",
            title=b.title,
            what="Founded",
            kind=b.kind,
            kind_label=kinds.get(b.kind, b.kind),
        )
        for b in query.narrow(records, "founded")
    ]


LANE = TimelineLane(
    key="body",
    label="Bodies founded",
    events=timeline_events,
    kinds=tuple(Body.Kind.choices),
    order=30,
)
