"""How the site presents norm frameworks and norms: their record types."""

from core.registry import Column, RecordType, registry
from norms import linkgraph, timeline
from norms.filters import NormFilter
from norms.models import Norm, NormFramework
from norms.serializers import NormFrameworkSerializer, NormSerializer


def linking_agreements(norm) -> list[str]:
    return sorted({link.agreement.slug for link in norm.agreement_links.all()})


def promoting_bodies(norm) -> list[str]:
    return [body.slug for body in norm.promoting_bodies.all()]


def register() -> None:
    registry.register(
        RecordType(
            model=NormFramework,
            key="framework",
            label="Norm frameworks",
            api_prefix="frameworks",
            serializer=NormFrameworkSerializer,
            columns=(
                Column("norm_count", "how many of its norms are published",
                       lambda framework: getattr(framework, "norm_count", None)),
            ),
        )
    )  # fmt: skip
    registry.register(
        RecordType(
            model=Norm,
            key="norm",
            label="Norms",
            api_prefix="norms",
            serializer=NormSerializer,
            filterset=NormFilter,
            list_url="norms:index",
            api_lookup=("framework", "slug"),
            columns=(
                Column("agreements", "slugs of the agreements that link to it",
                       linking_agreements),
                Column("promoted_by", "slugs of the bodies that promote it", promoting_bodies),
            ),
        )
    )  # fmt: skip
    registry.link_edges.append(linkgraph.link_edges)
    registry.timeline_lanes.append(timeline.LANE)
