"""The bodies' part of the link graph: the norms they promote, the agreements that set them up."""

from bodies.models import Body, Promotion
from core.linkgraph import Edge, node_of, touching
from core.models import CARD_DEFERRED, other_side, public_via


def _promotions():
    return (
        Promotion.objects.filter(public_via(Promotion, "body"), public_via(Promotion, "norm"))
        .select_related("body", "norm__framework")
        .defer(*(f"body__{f}" for f in CARD_DEFERRED))
        .defer(*(f"norm__{f}" for f in CARD_DEFERRED))
        .defer(*(f"norm__framework__{f}" for f in CARD_DEFERRED))
        .order_by("pk")
    )


def _established():
    Agreement = other_side(Body, "established_by")
    return (
        Body.objects.published()
        .filter(established_by__in=Agreement.objects.published())
        .select_related("established_by")
        .defer(*CARD_DEFERRED)
        .defer(*(f"established_by__{f}" for f in CARD_DEFERRED))
        .order_by("pk")
    )


def link_edges(wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges touching ``wanted`` (or all): at most one query per relation."""
    edges: list[Edge] = []
    agreements, norms, bodies = (
        (None, None, None)
        if wanted is None
        else (wanted.get("agreement"), wanted.get("norm"), wanted.get("body"))
    )
    if wanted is None or bodies or norms:
        ends = None if wanted is None else {"body": bodies, "norm": norms}
        promotions = touching("bodies:promotes", _promotions, ends, limit)
        edges += [Edge(node_of(p.body), node_of(p.norm), "promotes") for p in promotions]
    if wanted is None or bodies or agreements:
        ends = None if wanted is None else {"pk": bodies, "established_by": agreements}
        edges += [
            Edge(node_of(b), node_of(b.established_by), "established by")
            for b in touching("bodies:established by", _established, ends, limit)
        ]
    return edges
