"""How the site presents bodies: their record type and their part of country pages."""

from bodies import asof, linkgraph, timeline
from bodies.filters import BodyFilter
from bodies.models import Body, Membership
from bodies.serializers import BodySerializer
from core.registry import Column, CountrySection, RecordType, registry


def member_codes(body) -> list[str]:
    return [m.country.code for m in body.memberships.all()]


def memberships_of(country):
    return Membership.objects.public().filter(country=country).order_by("body__title")


def memberships_dated(country, day, period):
    """The country's memberships on ``day``, or those it began in ``period`` (a country
    belongs to a few dozen bodies at most: all are judged here)."""
    memberships = list(memberships_of(country))
    return asof.on(memberships, day) if day else asof.joined_between(memberships, *period)


def register() -> None:
    registry.register(
        RecordType(
            model=Body,
            key="body",
            label="Bodies",
            api_prefix="bodies",
            serializer=BodySerializer,
            filterset=BodyFilter,
            list_url="bodies:list",
            columns=(
                Column("members", "ISO 3166-1 codes of its member countries", member_codes),
                Column("members_as_of", "the date the member list was checked",
                       lambda body: body.members_as_of),
            ),
        )
    )  # fmt: skip
    registry.country_sections.append(
        CountrySection(
            label="Member of",
            template="bodies/_country_memberships.html",
            rows=memberships_of,
            dated=memberships_dated,
            dated_template="bodies/_country_memberships_dated.html",
        )
    )
    registry.link_edges.append(linkgraph.link_edges)
    registry.timeline_lanes.append(timeline.LANE)
