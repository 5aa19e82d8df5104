"""Agreements on the timeline: each one adopted or signed, and its entry into force."""

from agreements.models import Agreement
from core.registry import TimelineLane
from core.timeline import Event, TimelineQuery


def timeline_events(query: TimelineQuery) -> list[Event]:
    """Published agreements for ``query``, in one query: a party or body filter keeps
    those the country or body is party to, and the one that established the body."""
    records = Agreement.objects.published().only(
        "slug", "title", "short_title", "kind", "adopted", "entry_into_force"
    )
    related = query.related(
        "participations__country__code",
        ("participations__body__slug", "established_bodies__slug"),
    )
    if related is not None:
        records = records.filter(pk__in=Agreement.objects.filter(related).values("pk"))
    kinds = dict(Agreement.Kind.choices)
    return [
        Event(
            date=a.adopted,
            label=a.short_title or a.title,
            url=a.get_absolute_url(),
            lane="agreement",
            title=a.title,
            what="Adopted or signed",
            until=a.entry_into_force,
            until_what="Entered into force",
            kind=a.kind,
            kind_label=kinds.get(a.kind, a.kind),
        )
        for a in query.narrow(records, "adopted")
    ]


LANE = TimelineLane(
    key="agreement",
    label="Agreements and instruments",
    events=timeline_events,
    kinds=tuple(Agreement.Kind.choices),
    order=20,
)
