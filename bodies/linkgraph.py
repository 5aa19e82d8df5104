"""The bodies' part of the link graph: the norms they promote, the agreements that set them up."""

from bodies.models import Body, Promotion
from core.linkgraph import Edge, node_of, touching, with_public
from core.models import CARD_DEFERRED, public_via


def _promotions():
    return (
        Promotion.objects.filter(public_via(Promotion, "body"), public_via(Promotion, "norm"))
        .select_related("body", "norm__framework")
        .defer(*(f"body__{f}" for f in CARD_DEFERRED))
        .defer(*(f"norm__{f}" for f in CARD_DEFERRED))
        .defer(*(f"norm__framework__{f}" for f in CARD_DEFERRED))
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
            for b in touching(
                "bodies:established by", lambda: with_public(Body, "established_by"), ends, limit
            )
        ]
    return edges
