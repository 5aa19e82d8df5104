"""How the site presents national positions: their record type, their section of country
pages, and the section they add to norm pages."""

from core.models import card_deferred, public_via
from core.registry import Column, CountrySection, DetailSection, RecordType, registry
from positions import linkgraph
from positions.filters import PositionFilter
from positions.models import NationalPosition, PositionNorm
from positions.serializers import PositionSerializer


def country_code(position) -> str:
    return position.country.code


def addressed_norms(position) -> list[str]:
    return [f"{link.norm.framework.slug}/{link.norm.slug}" for link in position.norm_links.all()]


def positions_addressing(norm):
    return (
        PositionNorm.objects.filter(public_via(PositionNorm, "position"))
        .filter(norm=norm)
        .select_related("position__country")
        .defer(*card_deferred("position"))
        .order_by("position__country__name", "-position__published", "pk")
    )


def positions_of(country):
    return (
        NationalPosition.objects.published()
        .filter(country=country)
        .for_card()
        .order_by("-published", "title", "pk")
    )


def register() -> None:
    registry.link_edges.append(linkgraph.link_edges)
    registry.register(
        RecordType(
            model=NationalPosition,
            key="position",
            label="National positions",
            api_prefix="positions",
            serializer=PositionSerializer,
            filterset=PositionFilter,
            list_url="positions:list",
            columns=(
                Column("country", "ISO 3166-1 code of the state whose position it is",
                       country_code),
                Column("norms", "the norms and rules it addresses, as framework/norm",
                       addressed_norms),
            ),
        )
    )  # fmt: skip
    registry.detail_sections.append(
        DetailSection("norms.Norm", "National positions that address it",
                      "positions/_norm_positions.html", positions_addressing),
    )  # fmt: skip
    registry.country_sections.append(
        CountrySection(label="Positions on international law in cyberspace",
                       template="positions/_country_positions.html", rows=positions_of),
    )  # fmt: skip
