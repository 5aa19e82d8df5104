"""/graph/: the whole network of typed links, filtered by type and theme, and its downloads.

``?focus=<a record's path>`` gives one record's graph, one and two steps out: the
downloads under each record page's picture are these URLs.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from core import citations, linkgraph
from core.exports import export
from core.models import get_reachable
from core.registry import registry
from reference.models import Theme

# The most records drawn at once; the rest are named in the list beside the picture.
MAX_NODES = 600
# Labelled on the picture; the others say their name on hover and focus.
LABELLED = 30


def kinds() -> dict[str, str]:
    """The types a visitor may show, registry-driven, and themes: {key: plural label}."""
    found = {rt.key: linkgraph.kind_of(rt.key).plural for rt in registry}
    found.pop("term", None)  # glossary terms have no typed links, only themes
    return {**found, "theme": "Themes"}


def resolve_in_any_language(path: str):
    """The page ``path`` names in any of the site's languages (/norms/... or /fr/norms/...:
    a link keeps its focus when the language changes), or None."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                return resolve(path)
            except Resolver404:
                continue
    return None


def focus_record(request: HttpRequest):
    """The record named by ``?focus=<its path>``, or None; a path that is not a public
    record's page is a 400 (or a 404 for one that is not public)."""
    path = request.GET.get("focus", "")
    if not path:
        return None
    match = resolve_in_any_language(path[:300])
    if match is None:
        raise BadRequest(f"focus must be the path of a record's page, not “{path[:60]}”.")
    model = next((rt.model for rt in registry if rt.model.url_name == match.view_name), None)
    if model is None:
        raise BadRequest(f"focus must be the path of a record's page, not “{path[:60]}”.")
    return get_reachable(model, **match.kwargs)


def chosen(request: HttpRequest) -> tuple[list[str], Theme | None]:
    """The types and theme asked for; an unknown one is a 400 naming it."""
    available = kinds()
    types = [t for t in request.GET.getlist("type") if t]
    for value in types:
        if value not in available:
            raise BadRequest(
                f"type must be one or more of {', '.join(available)}, not “{value[:30]}”."
            )
    if not types:
        types = [k for k in available if k != "theme"]
    theme = None
    slug = request.GET.get("theme", "")
    if slug:
        theme = Theme.objects.filter(slug=slug[:100]).first()
        if theme is None:
            raise BadRequest(f"There is no theme “{slug[:60]}”.")
    return types, theme


def build(request: HttpRequest):
    """The graph the URL asks for, its title, and the layout drawn."""
    record = focus_record(request)
    if record is not None:
        graph = linkgraph.ego(record)
        title = f"Links of {linkgraph.short_label(record)}, one and two steps out"
        return graph, title, linkgraph.radial_layout(graph), record
    types, theme = chosen(request)
    graph = linkgraph.network(types, theme, max_nodes=MAX_NODES)
    names = kinds()
    title = "Links between " + ", ".join(names[t].lower() for t in types)
    if theme is not None:
        title += f" on {theme.name}"
    return graph, title, linkgraph.cluster_layout(graph, LABELLED), None


def draw(request: HttpRequest, graph, title: str, placed, *, standalone: bool) -> str:
    return linkgraph.render_svg(
        graph,
        placed,
        title=title,
        description=linkgraph.describe(graph),
        svg_id="network",
        standalone=standalone,
        spoke_labels=linkgraph.says_relations(graph),
        footer=citations.picture_here(request, title) if standalone else "",
    )


def graph_page(request: HttpRequest) -> HttpResponse:
    graph, title, placed, record = build(request)
    types, theme = (None, None) if record else chosen(request)
    query = request.GET.urlencode()
    neighbours: dict[str, list] = {}
    for edge in graph.edges:
        neighbours.setdefault(edge.source.id, []).append((edge.relation, edge.target))
        neighbours.setdefault(edge.target.id, []).append((f"{edge.relation} (from)", edge.source))
    degree = graph.degree()
    rows = [
        (node, degree[node.id], neighbours.get(node.id, []))
        for node in sorted(graph.nodes, key=lambda n: (-degree[n.id], n.label.casefold()))
    ]
    context = {
        "svg": draw(request, graph, title, placed, standalone=False),
        "title": title,
        "graph": graph,
        "rows": rows,
        "record": record,
        "kinds": kinds(),
        "types": types or [],
        "theme": theme,
        "themes": Theme.objects.order_by("name"),
        "legend": linkgraph.legend_items(graph.nodes),
        "query": query,
        "citation": citations.picture_here(request, title),
        "labelled": LABELLED,
        "downloads": downloads(query),
    }
    return render(request, "visual/graph.html", context)


def graph_svg(request: HttpRequest) -> HttpResponse:
    graph, title, placed, _record = build(request)
    svg = draw(request, graph, title, placed, standalone=True)
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml"
    )
    response["Content-Disposition"] = 'attachment; filename="cyberdiplo-link-graph.svg"'
    return response


def graph_data(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """The nodes or the edges drawn, as CSV or JSON; each row carries the citation."""
    if table not in ("nodes", "edges") or fmt not in ("csv", "json"):
        raise Http404("The link graph's data are nodes.csv, nodes.json, edges.csv, edges.json.")
    graph, title, _placed, _record = build(request)
    cite = citations.picture_here(request, title)
    if table == "nodes":
        rows = linkgraph.node_rows(graph)
        columns = ["id", "type", "title", "label", "url", "links"]
        columns += ["steps"] if graph.centre else []
    else:
        rows = linkgraph.edge_rows(graph)
        for row in rows:
            row["source_url"] = request.build_absolute_uri(row["source_url"])
            row["target_url"] = request.build_absolute_uri(row["target_url"])
        columns = list(linkgraph.EDGE_COLUMNS)
    for row in rows:
        row["citation"] = cite
    return export(request, rows, f"cyberdiplo-link-graph-{table}", fmt, [*columns, "citation"])


def downloads(query: str) -> dict[str, str]:
    """The download URLs of the graph a query string names."""
    suffix = f"?{query}" if query else ""
    return {
        name: reverse("visual:graph-data", args=[table, fmt]) + suffix
        for name, table, fmt in (
            ("nodes_csv", "nodes", "csv"),
            ("nodes_json", "nodes", "json"),
            ("edges_csv", "edges", "csv"),
            ("edges_json", "edges", "json"),
        )
    } | {"svg": reverse("visual:graph-svg") + suffix}
