"""National positions in the link graph: the norms and rules each addresses."""

from core.linkgraph import Edge, through_edges
from positions.models import PositionNorm

LINKS = ((PositionNorm, "position", "norm", "position", "norm", "addresses"),)


def link_edges(wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges touching ``wanted`` (or all), in one query."""
    return through_edges(LINKS, wanted, limit)
