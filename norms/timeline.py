"""Norm frameworks on the timeline: each report, call or manual, when adopted."""

from core.registry import TimelineLane
from core.timeline import Event, TimelineQuery
from norms.models import NormFramework


def timeline_events(query: TimelineQuery) -> list[Event]:
    """Published frameworks for ``query``, in one query. A framework has no parties: a
    country filter alone leaves none; a body filter keeps those the body produced."""
    records = NormFramework.objects.published().only(
        "slug", "title", "short_title", "kind", "adopted"
    )
    related = query.related(bodies="produced_by__slug")
    if related is not None:
        records = records.filter(related)
    kinds = dict(NormFramework.Kind.choices)
    return [
        Event(
            date=f.adopted,
            label=f.short_title or f.title,
            url=f.get_absolute_url(),
            lane="framework",
            title=f.title,
            what="Adopted",
            kind=f.kind,
            kind_label=kinds.get(f.kind, f.kind),
        )
        for f in query.narrow(records, "adopted")
    ]


LANE = TimelineLane(
    key="framework",
    label="Norm frameworks",
    events=timeline_events,
    kinds=tuple(NormFramework.Kind.choices),
    order=10,
)
