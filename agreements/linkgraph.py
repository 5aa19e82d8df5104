"""The agreements' part of the link graph: norm links, links between agreements, body parties."""

from agreements.models import AgreementLink, NormLink, Participation
from core.linkgraph import Edge, node_of, read_as_nodes, touching
from core.models import public_via


def _norm_links():
    rows = NormLink.objects.with_public_norm().with_public_agreement()
    return read_as_nodes(rows, "agreement", "norm", also=("relation",)).order_by("pk")


def _agreement_links():
    rows = AgreementLink.objects.with_public_target().with_public_source()
    return read_as_nodes(rows, "source", "target", also=("relation",)).order_by("pk")


def _body_parties():
    rows = (
        Participation.objects.filter(body__isnull=False)
        .filter(public_via(Participation, "body"))
        .of_public_agreements()
    )
    return read_as_nodes(rows, "body", "agreement").order_by("pk")


def link_edges(wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges touching ``wanted`` (or all): at most one query per relation."""
    edges: list[Edge] = []
    agreements, norms, bodies = (
        (None, None, None)
        if wanted is None
        else (wanted.get("agreement"), wanted.get("norm"), wanted.get("body"))
    )
    if wanted is None or agreements or norms:
        ends = None if wanted is None else {"agreement": agreements, "norm": norms}
        edges += [
            Edge(node_of(link.agreement), node_of(link.norm), link.relation)
            for link in touching("agreements:norm links", _norm_links, ends, limit)
        ]
    if wanted is None or agreements:
        ends = None if wanted is None else {"source": agreements, "target": agreements}
        edges += [
            Edge(node_of(link.source), node_of(link.target), link.relation)
            for link in touching("agreements:links", _agreement_links, ends, limit)
        ]
    if wanted is None or agreements or bodies:
        ends = None if wanted is None else {"agreement": agreements, "body": bodies}
        edges += [
            Edge(node_of(p.body), node_of(p.agreement), "party to")
            for p in touching("agreements:body parties", _body_parties, ends, limit)
        ]
    return edges
