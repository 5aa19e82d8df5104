"""The bodies' part of the link graph: the norms they promote, the agreements that set them up."""

from bodies.models import Body, Promotion
from core.linkgraph import Edge, node_of, read_as_nodes, touching, with_public
from core.models import public_via


def _promotions():
    rows = Promotion.objects.filter(public_via(Promotion, "body"), public_via(Promotion, "norm"))
    return read_as_nodes(rows, "body", "norm").order_by("pk")


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
