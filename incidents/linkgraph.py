"""The incidents' part of the link graph: which incidents a response answers, the norms
an incident is said to breach and a response invokes, the agreements a response was made
under or led to, and the bodies that made it."""

from core.linkgraph import Edge, through_edges
from incidents.models import (
    IncidentNorm,
    ResponseAgreement,
    ResponseBody,
    ResponseIncident,
    ResponseNorm,
)

# (through model, its two ends, the key of each end's type, how the first relates to the
# second): every typed link of the two record types, one query each.
LINKS = (
    (ResponseIncident, "response", "incident", "response", "incident", "answers"),
    (IncidentNorm, "incident", "norm", "incident", "norm", "said to breach"),
    (ResponseNorm, "response", "norm", "response", "norm", "invokes"),
    (ResponseAgreement, "response", "agreement", "response", "agreement", None),
    (ResponseBody, "body", "response", "body", "response", "made"),
)


def link_edges(wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges touching ``wanted`` (or all): at most one query per relation."""
    return through_edges(LINKS, wanted, limit)
