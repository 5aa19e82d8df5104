"""National positions in the link graph: the norms and rules each addresses."""

from django.db.models import Q

from core.linkgraph import Edge, node_of
from core.models import CARD_DEFERRED, public_via
from positions.models import PositionNorm


def link_edges(wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges touching ``wanted`` (or all), in one query."""
    mine = set() if wanted is None else wanted.get("position", set())
    theirs = set() if wanted is None else wanted.get("norm", set())
    if wanted is not None and not (mine or theirs):
        return []
    rows = PositionNorm.objects.filter(public_via(PositionNorm, "position"))
    rows = rows.filter(public_via(PositionNorm, "norm"))
    if wanted is not None:
        rows = rows.filter(Q(position__in=list(mine)) | Q(norm__in=list(theirs)))
    rows = (
        rows.select_related("position", "norm", "norm__framework")
        .defer(*(f"position__{f}" for f in CARD_DEFERRED), *(f"norm__{f}" for f in CARD_DEFERRED))
        .order_by("pk")
    )
    return [Edge(node_of(row.position), node_of(row.norm), "addresses") for row in rows[:limit]]
