"""The norms' part of the link graph: a norm's framework, a framework's producing body,
the earlier norm a norm restates."""

from core.linkgraph import Edge, node_of, read_as_nodes, through_edges, touching, with_public
from norms.models import Norm, NormFramework, Restatement


def _norms():
    return read_as_nodes(Norm.objects.published(), "").order_by(
        "framework__adopted", "framework_id", "position", "reference"
    )


def link_edges(wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges touching ``wanted`` (or all): at most one query per relation."""
    edges: list[Edge] = []
    norms, frameworks, bodies = (
        (None, None, None)
        if wanted is None
        else (wanted.get("norm"), wanted.get("framework"), wanted.get("body"))
    )
    if wanted is None or norms or frameworks:
        ends = None if wanted is None else {"pk": norms, "framework": frameworks}
        found = touching("norms:set out in", _norms, ends, limit)
        edges += [Edge(node_of(n), node_of(n.framework), "set out in") for n in found]
    if wanted is None or frameworks or bodies:
        ends = None if wanted is None else {"pk": frameworks, "produced_by": bodies}
        produced = touching(
            "norms:produced by", lambda: with_public(NormFramework, "produced_by"), ends, limit
        )
        edges += [Edge(node_of(f), node_of(f.produced_by), "produced by") for f in produced]
    links = ((Restatement, "norm", "restates", "norm", "norm", "restates"),)
    return edges + through_edges(links, wanted, limit)
