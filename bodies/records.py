"""How the site presents bodies: their record type and their part of country pages."""

from bodies import linkgraph, timeline
from bodies.filters import BodyFilter
from bodies.models import Body, Membership
from bodies.serializers import BodySerializer
from core.registry import Column, CountrySection, RecordType, registry


def member_codes(body) -> list[str]:
    return [m.country.code for m in body.memberships.all()]


def memberships_of(country):
    return Membership.objects.public().filter(country=country).order_by("body__title")


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
            title_fields=("title", "acronym"),
            columns=(
                Column("members", "ISO 3166-1 codes of its member countries", member_codes),
                Column("members_as_of", "the date the member list was checked",
                       lambda body: body.members_as_of),
            ),
        )
    )  # fmt: skip
    registry.country_sections.append(
        CountrySection(
            label="Member of", template="bodies/_country_memberships.html", rows=memberships_of
        )
    )
    registry.link_edges.append(linkgraph.link_edges)
    registry.timeline_lanes.append(timeline.LANE)
