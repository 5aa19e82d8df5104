"""A body's member states on a world map."""

from bodies.models import Body
from core.dates import format_partial_date
from core.models import url_of
from core.worldmap import Category, MapFigure, Place

MEMBER = Category("member", "Member", "#0b4f8a")


def member_map(body: Body) -> MapFigure | None:
    """The map of its members (from the prefetched memberships: no query), or None."""
    places = [
        Place(
            code=m.country.code,
            name=m.country.name,
            url=url_of(m.country),
            category=MEMBER.key,
            detail=f"since {format_partial_date(m.since)}" if m.since else "",
        )
        for m in body.memberships.all()
    ]
    if not places:
        return None
    return MapFigure(
        title=f"Members of {body.acronym or body.title}",
        description="Member states in dark blue; every other state in grey.",
        categories=[MEMBER],
        places=places,
        slug=f"body-{body.slug}",
    )
