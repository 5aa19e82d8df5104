"""The norms' part of the link graph: a norm's framework, a framework's producing body,
the earlier norm a norm restates."""

from django.db.models import Q

from core.linkgraph import Edge, node_of, through_edges
from core.models import CARD_DEFERRED, other_side
from norms.models import Norm, NormFramework, Restatement


def link_edges(wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges touching ``wanted`` (or all): at most one query per relation."""
    edges: list[Edge] = []
    norms, frameworks, bodies = (
        (None, None, None)
        if wanted is None
        else (wanted.get("norm"), wanted.get("framework"), wanted.get("body"))
    )
    if wanted is None or norms or frameworks:
        found = (
            Norm.objects.published()
            .select_related("framework")
            .defer(*CARD_DEFERRED, "quotation")
            .defer(*(f"framework__{f}" for f in CARD_DEFERRED))
            .order_by("framework__adopted", "framework_id", "position", "reference")
        )
        if wanted is not None:
            found = found.filter(
                Q(pk__in=list(norms or ())) | Q(framework__in=list(frameworks or ()))
            )
        edges += [Edge(node_of(n), node_of(n.framework), "set out in") for n in found[:limit]]
    if wanted is None or frameworks or bodies:
        Body = other_side(NormFramework, "produced_by")
        produced = (
            NormFramework.objects.published()
            .filter(produced_by__in=Body.objects.published())
            .select_related("produced_by")
            .defer(*CARD_DEFERRED)
            .defer(*(f"produced_by__{f}" for f in CARD_DEFERRED))
            .order_by("pk")
        )
        if wanted is not None:
            produced = produced.filter(
                Q(pk__in=list(frameworks or ())) | Q(produced_by__in=list(bodies or ()))
            )
        edges += [Edge(node_of(f), node_of(f.produced_by), "produced by") for f in produced[:limit]]
    links = ((Restatement, "norm", "restates", "norm", "norm", "restates"),)
    return edges + through_edges(links, wanted, limit)
