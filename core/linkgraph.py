"""The link graph: records as nodes, their typed links as edges, drawn as SVG in Python.

Record apps contribute their links through ``registry.link_edges`` (each a function
of the records asked about, see core/registry.py); this module gathers them one and
two steps out from a record (``ego``) or for the whole site (``network``), lays them
out (a radial ego layout, or clusters by type), and writes the SVG. Everything here
works on plain ``Node``/``Edge`` values, so the drawing costs no query and the same
code draws the record pages, /graph/ and its SVG download.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.html import escape

from core import compiled, pagecache
from core.models import other_side, public_via, url_of
from core.registry import registry

# A record page's graph: at most this many nodes; the rest are named in the list below it.
EGO_NODES = 40
# Rows read per relation and step: a hub (a norm affirmed by thousands of agreements)
# costs the same as any other record.
ROW_LIMIT = 400


@dataclass(frozen=True)
class Kind:
    label: str
    plural: str
    shape: str
    colour: str  # 3:1 or more on white, and never the only cue: each kind has its shape

    @property
    def shapes(self) -> str:
        """The shape's name in the plural, for captions: "squares", "crosses"."""
        return {"triangle-down": "downward triangles", "cross": "crosses", "bar": "bars"}.get(
            self.shape, self.shape + "s"
        )


# In the order the legend and the rings list them. Unknown kinds (a new record type)
# get DEFAULT_KIND's shape and colour, with their registry label.
KINDS = {
    "agreement": Kind("Agreement", "Agreements", "square", "#1f5fa6"),
    "norm": Kind("Norm", "Norms", "circle", "#b4480c"),
    "framework": Kind("Norm framework", "Norm frameworks", "hexagon", "#7b3f98"),
    "body": Kind("Body", "Bodies", "diamond", "#1c7a4b"),
    "term": Kind("Glossary term", "Glossary terms", "pentagon", "#8a5a00"),
    "theme": Kind("Theme", "Themes", "triangle", "#5a6270"),
    "incident": Kind("Incident", "Incidents", "triangle-down", "#b3261e"),
    "response": Kind("Response", "Responses", "cross", "#00707a"),
    "position": Kind("National position", "National positions", "star", "#8c2f5a"),
    "profile": Kind("Country profile", "Country profiles", "bar", "#3d5a80"),
    "path": Kind("Learning path", "Learning paths", "octagon", "#5c4d00"),
}
DEFAULT_KIND = Kind("Record", "Records", "pentagon", "#8c2f5a")
KIND_ORDER = {key: i for i, key in enumerate(KINDS)}


def kind_of(key: str) -> Kind:
    if key in KINDS:
        return KINDS[key]
    for record_type in registry:
        if record_type.key == key:
            label = record_type.model._meta.verbose_name.capitalize()
            return Kind(label, record_type.label, DEFAULT_KIND.shape, DEFAULT_KIND.colour)
    return DEFAULT_KIND


@dataclass(frozen=True)
class Node:
    kind: str  # a registry key ("agreement"), or "theme"
    pk: int
    label: str  # short, drawn on the picture: "UN GGE 2015 13(f)"
    title: str  # full, in the list and the hover text
    url: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def kind_label(self) -> str:
        return kind_of(self.kind).label


@dataclass(frozen=True)
class Edge:
    source: Node
    target: Node
    relation: str  # read from source to target: "affirms", "party to", "set out in"


def short_label(record) -> str:
    """The label a picture draws: an acronym, a short title, a framework and paragraph."""
    framework = getattr(record, "framework", None)
    if framework is not None and getattr(record, "reference", ""):
        return f"{framework.short_label} {record.reference}"
    for attr in ("acronym", "short_title", "short_label"):
        value = getattr(record, attr, "")
        if value:
            return value
    return record.title


# What ``node_of`` reads of a record: its label, title and page (a norm's framework too).
NODE_FIELDS = ("slug", "title", "acronym", "short_title", "symbol", "reference", "framework")


def node_columns(model, path: str = "") -> list[str]:
    """The names, for ``only()``, of what ``node_of`` reads of a ``model`` record reached
    by ``path`` from the rows ("" for the rows' own records), its framework's too."""
    names = {field.name for field in model._meta.concrete_fields}
    prefix = f"{path}__" if path else ""
    columns = [prefix + name for name in NODE_FIELDS if name in names]
    if "framework" in names:
        framework = model._meta.get_field("framework").related_model
        columns += node_columns(framework, prefix + "framework")
    return columns


def read_as_nodes(rows: QuerySet, *ends: str, also: tuple[str, ...] = ()) -> QuerySet:
    """``rows`` with each end (a relation to a record, or "" for the rows' own records)
    selected, reading only what its node is drawn from (``node_columns``), and of the
    rows themselves their keys to those ends and ``also``: a hub's graph reads hundreds
    of rows, and the other columns (a record's translations as JSON, its dates) cost more
    to read than to fetch."""
    columns = list(also)
    for end in ends:
        model = rows.model
        for step in filter(None, end.split("__")):
            model = model._meta.get_field(step).related_model
        columns += [end] if end else []
        columns += node_columns(model, end)
    # The ends, and a norm's framework (a column named for the relation it is).
    related = [c for c in columns if c in ends or c == "framework" or c.endswith("__framework")]
    return rows.select_related(*filter(None, related)).only(*columns)


def with_public(model, relation: str):
    """The published records of ``model`` whose ``relation`` (a foreign key) is public
    too, with it, read as nodes: a link graph's edges along that relation."""
    other = other_side(model, relation)
    rows = model.objects.published().filter(**{f"{relation}__in": other.objects.published()})
    return read_as_nodes(rows, "", relation).order_by("pk")


def touching(
    key: str, base, ends: dict[str, set[int] | None] | None, limit: int = ROW_LIMIT
) -> list:
    """The first ``limit`` rows of ``base()`` (a relation's rows, ordered) with one of the
    ids of ``ends`` ({lookup: ids}) at one of its ends; with ``ends`` None, the first rows
    of all (the whole network). Compiled once per relation ``key`` (core/compiled.py):
    the ids are array parameters, so the step out from one record and the step out from
    its hundred neighbours run the same SQL."""
    if ends is None:
        return list(base()[:limit])
    lookups = tuple(ends)

    def rows(*ids: list[int]):
        condition = Q()
        for lookup, values in zip(lookups, ids, strict=True):
            condition |= Q(**{f"{lookup}__any": values})
        return base().filter(condition)[:limit]

    values = [sorted(ends[lookup] or ()) for lookup in lookups]
    return compiled.rows(("link graph", key, lookups, limit), rows, *values)


def through_edges(links, wanted: dict[str, set[int]] | None, limit: int) -> list[Edge]:
    """Edges of the typed links ``links`` touching ``wanted`` (or all), a query per link
    model: each link is (through model, its two ends, the registry key of each end, the
    relation's words, or None to read them from the row's ``relation``)."""
    edges: list[Edge] = []
    for model, one, other, one_key, other_key, relation in links:
        mine = set() if wanted is None else wanted.get(one_key, set())
        theirs = set() if wanted is None else wanted.get(other_key, set())
        if wanted is not None and not (mine or theirs):
            continue

        def base(model=model, one=one, other=other, relation=relation):
            rows = model.objects.filter(public_via(model, one), public_via(model, other))
            also = () if relation else ("relation",)
            return read_as_nodes(rows, one, other, also=also).order_by("pk")

        ends = None if wanted is None else {one: mine, other: theirs}
        for row in touching(model._meta.label, base, ends, limit):
            label = relation or row.get_relation_display().lower()
            edges.append(Edge(node_of(getattr(row, one)), node_of(getattr(row, other)), label))
    return edges


def node_of(record) -> Node:
    """A record of a registered type as a node."""
    return Node(
        kind=registry.get(record).key,
        pk=record.pk,
        label=short_label(record),
        title=record.title,
        url=url_of(record),
    )


def theme_node(theme) -> Node:
    return Node("theme", theme.pk, theme.name, theme.name, url_of(theme))


def collect(wanted: dict[str, set[int]] | None, limit: int = ROW_LIMIT) -> list[Edge]:
    """Every contributed edge touching ``wanted`` (or every edge), without duplicates."""
    seen: dict[tuple, Edge] = {}
    for contribute in registry.link_edges:
        for edge in contribute(wanted, limit):
            seen.setdefault((edge.source.id, edge.target.id, edge.relation), edge)
    return list(seen.values())


def _theme_items(nodes: list[Node]):
    """The (node, theme) pairs of ``nodes``, in one query."""
    by_kind = {rt.key: rt.model for rt in registry}
    wanted, keys = Q(), {}
    for node in nodes:
        if node.kind in by_kind:
            content_type = ContentType.objects.get_for_model(by_kind[node.kind])
            keys[content_type.pk, node.pk] = node
            wanted |= Q(content_type_id=content_type.pk, object_id=node.pk)
    if not keys:
        return []
    through = next(iter(by_kind.values()))._meta.get_field("themes").remote_field.through
    items = through.objects.filter(wanted).select_related("tag").order_by("tag__name")
    return [(keys[item.content_type_id, item.object_id], item.tag) for item in items]


def theme_edges(nodes: list[Node]) -> list[Edge]:
    """Edges from ``nodes`` to their themes, in one query."""
    pairs = _theme_items(nodes)
    return [Edge(node, theme_node(theme), "theme") for node, theme in pairs]


# The most records a picture's page names of those it leaves out (the most connected
# first): at 100,000 records the whole network leaves out some 16,000 (3.8 MB of names).
NAMED_LEFT_OUT = 100


@dataclass
class Graph:
    """Nodes and edges as drawn, with what did not fit."""

    nodes: list[Node]
    edges: list[Edge]
    centre: Node | None = None
    ring: dict[str, int] = field(default_factory=dict)  # node id -> steps from the centre
    hidden: list[Node] = field(default_factory=list)  # gathered but not drawn
    all_edges: list[Edge] = field(default_factory=list)  # every edge gathered, for the list

    @property
    def named_hidden(self) -> list[Node]:
        """The records left out that its page names."""
        return self.hidden[:NAMED_LEFT_OUT]

    def degree(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for edge in self.edges:
            counts[edge.source.id] += 1
            counts[edge.target.id] += 1
        return counts


def _frontier(nodes) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for node in nodes:
        if node.kind != "theme":  # a theme is a hub: its records are not followed
            wanted[node.kind].add(node.pk)
    return dict(wanted)


def _sort_key(node: Node):
    return (KIND_ORDER.get(node.kind, len(KINDS)), node.label.casefold(), node.pk)


def ego(record, max_nodes: int = EGO_NODES) -> Graph:
    """The record's links one and two steps out, at most ``max_nodes`` drawn.

    Queries: each contributed relation at most twice (one step, then two), whatever the
    data, with their generic plans (``compiled.generic_plans``: two more statements).
    """
    centre = node_of(record)
    with compiled.generic_plans():
        first = collect({centre.kind: {centre.pk}})
        ring1 = {e.target if e.source == centre else e.source for e in first} - {centre}
        second = collect(_frontier(ring1)) if ring1 else []
    known = {centre, *ring1}
    ring2 = {n for e in second for n in (e.source, e.target)} - known
    edges = first + [e for e in second if e not in first]
    # A record's themes, one step out; a theme is not followed further (it gathers hundreds
    # of records), nor drawn from the other records (a web of dashes says nothing).
    # The page has loaded them already (``for_detail``): no query.
    themed = [Edge(centre, theme_node(theme), "theme") for theme in record.themes.all()]
    themes = {e.target for e in themed}
    ring: dict[str, int] = {centre.id: 0}
    ring.update({n.id: 1 for n in ring1 | themes})
    ring.update({n.id: 2 for n in ring2})
    edges += themed
    # Who to draw: the centre, then one step out, then the nodes two steps out with the
    # most links into what is already drawn.
    order = sorted(ring1 | themes, key=_sort_key)
    links_in: dict[Node, int] = defaultdict(int)
    for edge in edges:
        for a, b in ((edge.source, edge.target), (edge.target, edge.source)):
            if a in ring2 and ring.get(b.id, 2) < 2:
                links_in[a] += 1
    order += sorted(ring2, key=lambda n: (-links_in[n], *_sort_key(n)))
    drawn = [centre, *order[: max_nodes - 1]]
    ids = {n.id for n in drawn}
    # Drawn: each record's way in from the centre (all of the first ring's links to it,
    # one link for each record two steps out); the links among them are in the table,
    # where they do not turn the picture into a tangle.
    shown, reached = [], set()
    for edge in edges:
        if edge.source.id not in ids or edge.target.id not in ids:
            continue
        steps = (ring[edge.source.id], ring[edge.target.id])
        if 0 in steps:
            shown.append(edge)
        elif sorted(steps) == [1, 2]:
            far = edge.source if steps[0] == 2 else edge.target
            if far.id not in reached:
                reached.add(far.id)
                shown.append(edge)
    return Graph(
        nodes=drawn,
        edges=shown,
        centre=centre,
        ring=ring,
        hidden=order[max_nodes - 1 :],
        all_edges=sorted(edges, key=lambda e: (ring[_far(e, ring).id], _sort_key(_far(e, ring)))),
    )


def _far(edge: Edge, ring: dict[str, int]) -> Node:
    return max((edge.source, edge.target), key=lambda n: (ring.get(n.id, 3), n.id))


def network(kinds: list[str], theme=None, max_nodes: int = 600) -> Graph:
    """The whole network among records of ``kinds`` (and themes, if "theme" is one),
    optionally only the links touching records of ``theme``; at most ``max_nodes``, the
    most connected first."""
    gathered = collect(None, limit=max_nodes * 4)
    edges = [e for e in gathered if e.source.kind in kinds and e.target.kind in kinds]
    if theme is not None or "theme" in kinds:
        # Every linked record of the types shown, even one whose links all lead to types
        # not shown: its themes may still join it to the picture.
        nodes = {n for e in gathered for n in (e.source, e.target) if n.kind in kinds}
        themed = theme_edges(sorted(nodes, key=_sort_key))
        if theme is not None:
            carrying = {e.source for e in themed if e.target.pk == theme.pk}
            edges = [e for e in edges if e.source in carrying or e.target in carrying]
            themed = [e for e in themed if e.source in carrying]
        if "theme" in kinds:
            edges += themed
    counts: dict[Node, int] = defaultdict(int)
    for edge in edges:
        counts[edge.source] += 1
        counts[edge.target] += 1
    ranked = sorted(counts, key=lambda n: (-counts[n], *_sort_key(n)))
    drawn = ranked[:max_nodes]
    ids = {n.id for n in drawn}
    shown = [e for e in edges if e.source.id in ids and e.target.id in ids]
    return Graph(nodes=drawn, edges=shown, hidden=ranked[max_nodes:], all_edges=edges)


# ---------------------------------------------------------------------------------------
# Layout: positions in SVG user units, computed in one pass over the nodes.

CHAR_WIDTH = 6.4  # an average glyph at the 12-unit label size, for the picture's bounds
LABEL_CHARS = 26
# A record's graph says under each record one step out how it links to the centre, when
# there are at most this many.
SPOKE_LABELS_UP_TO = 14


def says_relations(graph: Graph) -> bool:
    """Whether a record's graph writes how each record one step out links to it."""
    inner = sum(1 for n in graph.nodes if graph.ring.get(n.id) == 1)
    return graph.centre is not None and inner <= SPOKE_LABELS_UP_TO


def clip(text: str, chars: int = LABEL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


@dataclass
class Placed:
    node: Node
    x: float
    y: float
    size: float
    label: bool  # drawn with its label
    anchor: str = "start"  # where its label starts: right of the node, or "end": left
    chars: int = LABEL_CHARS  # the label clipped to this many characters


def radial_layout(graph: Graph) -> list[Placed]:
    """The centre in the middle, one step out on an inner ring (by type, then name), two
    steps out on an outer ring, each beside the first-ring record it came through."""
    inner = [n for n in graph.nodes if graph.ring.get(n.id) == 1]
    outer = [n for n in graph.nodes if graph.ring.get(n.id) == 2]
    r1 = max(130.0, len(inner) * 30 / (2 * math.pi)) if outer else 190.0
    r2 = max(r1 + 130, len(outer) * 22 / (2 * math.pi))
    placed = [Placed(graph.centre, 0, 0, 13, True, "middle")]
    angle_of: dict[str, float] = {}
    for i, node in enumerate(inner):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(inner), 1)
        angle_of[node.id] = angle
        placed.append(_on_ring(node, r1, angle, 9))
    parent: dict[str, float] = {}
    for edge in graph.edges:
        for a, b in ((edge.source, edge.target), (edge.target, edge.source)):
            if graph.ring.get(a.id) == 2 and b.id in angle_of:
                parent.setdefault(a.id, angle_of[b.id] % (2 * math.pi))
    outer.sort(key=lambda n: (parent.get(n.id, 7.0), *_sort_key(n)))
    start = parent.get(outer[0].id, 0.0) if outer else 0.0
    for i, node in enumerate(outer):
        angle = start + 2 * math.pi * i / len(outer)
        placed.append(_on_ring(node, r2, angle, 6.5))
    # The first ring's labels may carry a second line (how each links to the centre).
    _place_labels(placed, {n.id for n in inner} if says_relations(graph) else set())
    return placed


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _label_box(p: Placed, anchor: str, lines: int, chars: int) -> Box:
    """Where a node's label is drawn (``render_svg``), as estimated from its length."""
    if anchor == "middle":
        half = len(clip(p.node.label, 40)) * CHAR_WIDTH * 13 / 12 / 2
        return (p.x - half, p.y + p.size + 4, p.x + half, p.y + p.size + 19)
    width = len(clip(p.node.label, chars)) * CHAR_WIDTH
    x0 = p.x + p.size + 5 if anchor == "start" else p.x - p.size - 5 - width
    return (x0, p.y - 8, x0 + width, p.y + 7 + 13 * (lines - 1))


def _mark_box(p: Placed) -> Box:
    reach = p.size * 1.4  # the widest shape (a star, a cross) at its size
    return (p.x - reach, p.y - reach, p.x + reach, p.y + reach)


def _overlap(a: Box, b: Box) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


# A label shortened to fit is not shortened below this many characters.
SHORTEST_LABEL = 12


def _place_labels(placed: list[Placed], two_lines: set[str]) -> None:
    """Label each node, in the order given (the centre, one step out, then two), where
    its label covers no label already placed and no other record's mark: on its outer
    side, else on the other, else shortened on either (down to ``SHORTEST_LABEL``
    characters); else it shows on hover and focus only (it is in the list below the
    picture either way). Crowded rings would otherwise draw names over each other and
    over the marks a visitor clicks."""
    marks = [_mark_box(p) for p in placed]
    taken: list[Box] = []
    for i, p in enumerate(placed):
        lines = 2 if p.node.id in two_lines else 1
        other = {"start": "end", "end": "start"}.get(p.anchor)
        sides = [p.anchor, other] if other else [p.anchor]
        tries = [(side, LABEL_CHARS) for side in sides]
        if other:
            tries += [
                (side, n) for n in range(LABEL_CHARS - 2, SHORTEST_LABEL - 1, -2) for side in sides
            ]
        for anchor, chars in tries:
            box = _label_box(p, anchor, lines, chars)
            clear = not any(_overlap(box, b) for b in taken)
            if clear and not any(_overlap(box, m) for j, m in enumerate(marks) if j != i):
                p.anchor, p.chars, p.label = anchor, chars, True
                taken.append(box)
                break
        else:
            p.label = False


def _on_ring(node: Node, radius: float, angle: float, size: float) -> Placed:
    x, y = radius * math.cos(angle), radius * math.sin(angle)
    return Placed(node, round(x, 1), round(y, 1), size, True, "start" if x >= -0.5 else "end")


GOLDEN = math.pi * (3 - math.sqrt(5))


def cluster_layout(graph: Graph, labels: int = 30) -> list[Placed]:
    """Each type in a cluster of its own, side by side; within one, a sunflower spiral
    with the most connected records in its middle. Only the ``labels`` most connected
    records overall are labelled on the picture; the rest say their name on hover and
    focus, and all of them are in the list."""
    degree = graph.degree()
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in graph.nodes:
        groups[node.kind].append(node)
    kinds = sorted(groups, key=lambda k: KIND_ORDER.get(k, len(KINDS)))
    labelled = {
        n.id for n in sorted(graph.nodes, key=lambda n: (-degree[n.id], *_sort_key(n)))[:labels]
    }
    spacing = 21.0
    placed: list[Placed] = []
    radii = {k: spacing * math.sqrt(len(groups[k])) + 20 for k in kinds}
    # The clusters' centres on a circle wide enough that neighbours do not touch, turned
    # so that four clusters sit as a two-by-two grid.
    gap = 2 * max(radii.values(), default=0) + 170
    ring = 0.0 if len(kinds) == 1 else gap / (2 * math.sin(math.pi / len(kinds)))
    for k, kind in enumerate(kinds):
        turn = -math.pi * 3 / 4 + 2 * math.pi * k / len(kinds)
        cx, cy = ring * math.cos(turn), ring * math.sin(turn) * 0.8
        members = sorted(groups[kind], key=lambda n: (-degree[n.id], *_sort_key(n)))
        for i, node in enumerate(members):
            r = spacing * math.sqrt(i + 0.5)
            angle = i * GOLDEN
            x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
            size = 4.5 + min(degree[node.id], 30) ** 0.5 * 1.6
            placed.append(
                Placed(node, round(x, 1), round(y, 1), round(size, 1), False,
                       "start" if x >= cx else "end")
            )  # fmt: skip
    # The most connected are named, unless the name would cover one already named.
    boxes: list[tuple[float, float, float, float]] = []
    for p in sorted(placed, key=lambda p: (-degree[p.node.id], *_sort_key(p.node))):
        if p.node.id not in labelled:
            continue
        width = len(clip(p.node.label)) * CHAR_WIDTH
        x0 = p.x + p.size + 3 if p.anchor == "start" else p.x - p.size - 3 - width
        box = (x0, p.y - 9, x0 + width, p.y + 7)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            p.label = True
    return placed


# ---------------------------------------------------------------------------------------
# Drawing

INK = "#1b1f24"
# How a record one step out is linked to the centre, when the centre is the link's source.
INVERSE = {
    "affirms": "affirmed by this",
    "references": "referenced by this",
    "implements": "implemented by this",
    "supplements": "supplemented by this",
    "amends": "amended by this",
    "replaces": "replaced by this",
    "party to": "has this as a party",
    "promotes": "promoted by this",
    "established by": "established this",
    "set out in": "sets out this",
    "produced by": "produced this",
    "restates": "restated by this",
}
EDGE = "#8c96a3"


def shape(kind: Kind, x: float, y: float, s: float) -> str:
    """One mark: fill and outline by type, its shape by type too."""
    paint = f'fill="{kind.colour}" stroke="#ffffff" stroke-width="1.5"'
    if kind.shape == "circle":
        return f'<circle cx="{x}" cy="{y}" r="{s}" {paint}/>'
    if kind.shape == "square":
        d = s * 0.9
        return (
            f'<rect x="{x - d:.1f}" y="{y - d:.1f}" width="{2 * d:.1f}" '
            f'height="{2 * d:.1f}" {paint}/>'
        )
    if kind.shape == "cross":  # a plus sign: arms a third of its width
        a, w = s * 1.2, s * 0.42
        corners = [(-w, -a), (w, -a), (w, -w), (a, -w), (a, w), (w, w), (w, a), (-w, a),
                   (-w, w), (-a, w), (-a, -w), (-w, -w)]  # fmt: skip
        points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in corners)
        return f'<polygon points="{points}" {paint}/>'
    if kind.shape == "bar":  # wider than tall
        return (
            f'<rect x="{x - s * 1.3:.1f}" y="{y - s * 0.6:.1f}" width="{2.6 * s:.1f}" '
            f'height="{1.2 * s:.1f}" {paint}/>'
        )
    if kind.shape == "star":  # five points: radii alternate outer and inner
        radii = [s * (1.4 if i % 2 == 0 else 0.6) for i in range(10)]
    else:
        corners = {"diamond": 4, "triangle": 3, "triangle-down": 3, "pentagon": 5,
                   "hexagon": 6, "octagon": 8}[kind.shape]  # fmt: skip
        scale = {"diamond": 1.25, "triangle": 1.35, "triangle-down": 1.35, "pentagon": 1.1,
                 "hexagon": 1.1, "octagon": 1.05}[kind.shape]  # fmt: skip
        radii = [s * scale] * corners
    turn = math.pi / 2 if kind.shape == "triangle-down" else -math.pi / 2
    points = " ".join(
        f"{x + r * math.cos(turn + 2 * math.pi * i / len(radii)):.1f},"
        f"{y + r * math.sin(turn + 2 * math.pi * i / len(radii)):.1f}"
        for i, r in enumerate(radii)
    )
    return f'<polygon points="{points}" {paint}/>'


def legend_items(nodes) -> list[tuple[str, Kind]]:
    keys = sorted({n.kind for n in nodes}, key=lambda k: KIND_ORDER.get(k, len(KINDS)))
    return [(key, kind_of(key)) for key in keys]


def render_svg(
    graph: Graph,
    placed: list[Placed],
    *,
    title: str,
    description: str,
    svg_id: str = "linkgraph",
    standalone: bool = False,
    spoke_labels: bool = False,
    footer: str = "",
) -> str:
    """The picture: edges under nodes, each node a link to its record, a legend on top."""
    where = {p.node.id: p for p in placed}
    xs = [p.x for p in placed] or [0.0]
    ys = [p.y for p in placed] or [0.0]
    left = (
        min(
            p.x
            - p.size
            - (
                len(clip(p.node.label, p.chars)) * CHAR_WIDTH + 8
                if p.label and p.anchor == "end"
                else 0
            )
            for p in placed
        )
        if placed
        else -10
    )  # noqa: E501
    right = (
        max(
            p.x
            + p.size
            + (
                len(clip(p.node.label, p.chars)) * CHAR_WIDTH + 8
                if p.label and p.anchor == "start"
                else 0
            )
            for p in placed
        )
        if placed
        else 10
    )  # noqa: E501
    for p in placed:
        if p.anchor == "middle" and p.label:
            half = len(clip(p.node.label, 40)) * CHAR_WIDTH / 2
            left, right = min(left, p.x - half), max(right, p.x + half)
    left, right = min(left, min(xs)) - 12, max(right, max(xs)) + 12
    legend = legend_items(graph.nodes)
    top = min(ys) - 40 - 24
    bottom = max(ys) + 40 + (22 if footer else 0)
    width = max(right - left, 360.0)
    height = bottom - top
    out = []
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out.append(
        f'<svg{ns} id="{svg_id}" class="linkgraph-svg" viewBox="{left:.0f} {top:.0f} '
        f'{width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="group" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc" font-family="system-ui, sans-serif">'
    )
    out.append(f'<title id="{svg_id}-title">{escape(title)}</title>')
    out.append(f'<desc id="{svg_id}-desc">{escape(description)}</desc>')
    if standalone:
        out.append(
            f'<rect x="{left:.0f}" y="{top:.0f}" width="{width:.0f}" height="{height:.0f}" '
            'fill="#ffffff"/>'
        )
    # Legend: shape, colour and name of each type drawn.
    lx, ly = left + 12, top + 18
    out.append('<g class="linkgraph-legend" aria-hidden="true">')
    for _key, kind in legend:
        out.append(shape(kind, lx + 6, ly - 4, 6))
        out.append(
            f'<text x="{lx + 16:.0f}" y="{ly:.0f}" font-size="12" fill="{INK}">'
            f"{escape(kind.plural)}</text>"
        )
        lx += 30 + len(kind.plural) * 7.2
    out.append("</g>")
    out.append('<g class="linkgraph-edges" aria-hidden="true">')
    for edge in graph.edges:
        a, b = where.get(edge.source.id), where.get(edge.target.id)
        if a is None or b is None:
            continue
        theme = edge.relation == "theme"
        faint = graph.centre is None  # the whole network: many lines, each light
        out.append(
            f'<line x1="{a.x}" y1="{a.y}" x2="{b.x}" y2="{b.y}" stroke="{EDGE}" '
            f'stroke-width="{0.8 if theme or faint else 1.2}" '
            f'stroke-opacity="{0.45 if theme or faint else 0.8}"'
            f"{' stroke-dasharray=' + chr(34) + '3 3' + chr(34) if theme else ''} "
            f'data-a="{a.node.id}" data-b="{b.node.id}">'
            f"<title>{escape(edge.source.label)} {escape(edge.relation)} {escape(edge.target.label)}</title></line>"  # noqa: E501
        )
    out.append("</g>")
    # Under each record one step out, how it links to the centre: "affirms this".
    relations: dict[str, list[str]] = defaultdict(list)
    if spoke_labels and graph.centre is not None:
        for edge in graph.edges:
            if graph.centre not in (edge.source, edge.target) or edge.relation == "theme":
                continue
            if edge.source == graph.centre:
                text = INVERSE.get(edge.relation, f"this {edge.relation} it")
                relations[edge.target.id].append(text)
            else:
                relations[edge.source.id].append(f"{edge.relation} this")
    out.append('<g class="linkgraph-nodes">')
    for p in sorted(placed, key=lambda p: p.label):
        kind = kind_of(p.node.kind)
        name = f"{kind.label}: {p.node.title}"
        label_chars = 40 if p.anchor == "middle" else p.chars
        if p.anchor == "middle":
            tx, ty = p.x, p.y + p.size + 16
        else:
            dx = p.size + 5
            tx, ty = (p.x + dx if p.anchor == "start" else p.x - dx), p.y + 4
        # A label with no room on the picture shows on hover and focus, its relation too.
        hidden = "" if p.label else ' visibility="hidden"'
        text = (
            f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="{13 if p.anchor == "middle" else 12}" '
            f'fill="{INK}" text-anchor="{p.anchor}" paint-order="stroke" stroke="#ffffff" '
            f'stroke-width="3" stroke-linejoin="round" class="linkgraph-label'
            f'{"" if p.label else " linkgraph-label-hidden"}"{hidden}'
            f"{' font-weight=' + chr(34) + '700' + chr(34) if p.anchor == 'middle' else ''}>"
            f"{escape(clip(p.node.label, label_chars))}</text>"
        )
        if relations.get(p.node.id):
            text += (
                f'<text x="{tx:.1f}" y="{ty + 13:.1f}" font-size="10.5" fill="#4a5360" '
                f'text-anchor="{p.anchor}" paint-order="stroke" stroke="#ffffff" '
                f'stroke-width="3" stroke-linejoin="round"'
                f"{'' if p.label else ' class=' + chr(34) + 'linkgraph-label-hidden' + chr(34)}"
                f"{hidden}>{escape(', '.join(relations[p.node.id]))}</text>"
            )
        out.append(
            f'<a href="{escape(p.node.url)}" class="linkgraph-node" data-id="{p.node.id}" '
            f'aria-label="{escape(name)}"><title>{escape(name)}</title>'
            f"{shape(kind, p.x, p.y, p.size)}{text}</a>"
        )
    out.append("</g>")
    if graph.hidden:
        # Beside the legend where it fits (``lx``: where the legend ends), else under it.
        note = f"and {len(graph.hidden)} more, {_listed(graph)} below"
        beside = lx + len(note) * 7.2 <= left + width - 12
        x, y, anchor = (
            (left + width - 12, top + 18, "end") if beside else (left + 12, top + 36, "start")
        )
        out.append(
            f'<text x="{x:.0f}" y="{y:.0f}" font-size="12" fill="#4a5360" '
            f'text-anchor="{anchor}" class="linkgraph-more">{note}</text>'
        )
    if footer:
        out.append(
            f'<text x="{left + 12:.0f}" y="{bottom - 8:.0f}" font-size="11" fill="#4a5360">'
            f"{escape(footer)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def describe(graph: Graph) -> str:
    """One sentence for the picture's description: how many of each type, and links."""
    counts: dict[str, int] = defaultdict(int)
    for node in graph.nodes:
        counts[node.kind] += 1
    parts = [
        f"{n} {kind_of(k).plural.lower() if n != 1 else kind_of(k).label.lower()}"
        for k, n in sorted(counts.items(), key=lambda kv: KIND_ORDER.get(kv[0], len(KINDS)))
    ]
    text = f"{', '.join(parts) or 'No records'} joined by {len(graph.edges)} links"
    if graph.hidden:
        text += f"; {len(graph.hidden)} more records, {_listed(graph)} below the picture"
    return text + "."


def _listed(graph: Graph) -> str:
    """Which of the records left out the page lists."""
    if len(graph.hidden) <= NAMED_LEFT_OUT:
        return "listed"
    return f"the {NAMED_LEFT_OUT} most connected listed"


def record_picture(record) -> dict:
    """What a record page adds: its link graph, drawn, and the list that says the same.

    Kept under the content version (``pagecache.remembered``), so a page rendered afresh
    (a staff visitor, a new query string) costs one query for it rather than a dozen, and
    a change to any record draws it anew.
    """
    name = f"linkgraph:{record._meta.label_lower}:{record.pk}"
    return pagecache.remembered(name, lambda: _record_picture(record))


def _record_picture(record) -> dict:
    graph = ego(record)
    if len(graph.nodes) < 2:
        return {"linkgraph": None}
    title = f"Links of {short_label(record)}, one and two steps out"
    svg = render_svg(
        graph,
        radial_layout(graph),
        title=title,
        description=describe(graph),
        spoke_labels=says_relations(graph),
    )
    return {
        "linkgraph": {
            "svg": svg,
            "title": title,
            "rows": len(graph.all_edges),
            "table": table_rows(graph),
            "hidden": graph.hidden,
            "legend": legend_items(graph.nodes),
            "focus": record.get_absolute_url(),
        }
    }


def table_rows(graph: Graph) -> str:
    """The picture's links as table rows (``<tr>``): how many steps out, from, relation, to.
    Built here, once with the picture: a norm's graph has a couple of hundred links."""

    def end(node) -> str:
        kind = escape(str(node.kind_label).lower())
        link = f'<a href="{escape(node.url)}">{escape(node.title)}</a>'
        return f'{link} <span class="kind">({kind})</span>'

    rows = []
    for edge in graph.all_edges:
        steps = max(graph.ring.get(edge.source.id, 2), graph.ring.get(edge.target.id, 2))
        rows.append(
            f"<tr><td>{steps}</td><td>{end(edge.source)}</td><td>{escape(edge.relation)}</td>"
            f"<td>{end(edge.target)}</td></tr>"
        )
    return "\n".join(rows)


def edge_rows(graph: Graph) -> list[dict]:
    """The edges as export rows: each end's type, title and URL, and the relation."""
    return [
        {
            "source_type": e.source.kind,
            "source": e.source.title,
            "source_url": e.source.url,
            "relation": e.relation,
            "target_type": e.target.kind,
            "target": e.target.title,
            "target_url": e.target.url,
        }
        for e in graph.edges
    ]


def node_rows(graph: Graph) -> list[dict]:
    degree = graph.degree()
    return [
        {
            "id": n.id,
            "type": n.kind,
            "title": n.title,
            "label": n.label,
            "url": n.url,
            "links": degree[n.id],
            **({"steps": graph.ring.get(n.id)} if graph.centre else {}),
        }
        for n in graph.nodes
    ]


EDGE_COLUMNS = [
    "source_type", "source", "source_url", "relation", "target_type", "target", "target_url"
]  # fmt: skip
