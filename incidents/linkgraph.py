"""The incidents' part of the link graph: which incidents a response answers, the norms
an incident is said to breach and a response invokes, the agreements a response was made
under or led to, and the bodies that made it."""

from django.db.models import Q

from core.linkgraph import Edge, node_of
from core.models import CARD_DEFERRED, public_via
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
    edges: list[Edge] = []
    for model, one, other, one_key, other_key, relation in LINKS:
        mine = set() if wanted is None else wanted.get(one_key, set())
        theirs = set() if wanted is None else wanted.get(other_key, set())
        if wanted is not None and not (mine or theirs):
            continue
        rows = model.objects.filter(public_via(model, one), public_via(model, other))
        if wanted is not None:
            touching = Q(**{f"{one}__in": list(mine)}) | Q(**{f"{other}__in": list(theirs)})
            rows = rows.filter(touching)
        related = [one, other] + (["norm__framework"] if "norm" in (one, other) else [])
        rows = rows.select_related(*related).order_by("pk")
        for end in (one, other):
            rows = rows.defer(*(f"{end}__{f}" for f in CARD_DEFERRED))
        for row in rows[:limit]:
            label = relation or row.get_relation_display().lower()
            edges.append(Edge(node_of(getattr(row, one)), node_of(getattr(row, other)), label))
    return edges
