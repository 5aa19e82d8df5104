"""World maps drawn on the server as SVG, from plain data: {country code: category}.

The shapes are Natural Earth's, projected and simplified once into
``core/data/world.json`` by ``manage.py build_world_map``. A map is a ``MapFigure``:
places (a country with its page and its category) and the categories in legend order
(each a fill and, so that colour is never the only cue, a pattern where two fills could
be confused). It draws itself for a page (countries as links, CSS classes for focus) or
as a standalone SVG file with its legend, source and citation; its rows are the data
download and the table under the picture.
"""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core import charts, citations, pagecache

WORLD = Path(__file__).resolve().parent / "data" / "world.json"
NO_DATA = "#dfe3e8"  # land without a value: a light neutral grey
BORDER = "#ffffff"
DOT_RADIUS = 3.2
DOWNLOADS = ("svg", "csv", "json")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@functools.cache
def world() -> dict:
    """The projected shapes, read once per process (85 KB)."""
    return json.loads(WORLD.read_text())


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    fill: str
    # "" for a plain fill, or "hatch" / "dots": drawn over the fill in ``ink``.
    pattern: str = ""
    ink: str = ""
    dot: bool = True  # small states in this category get a dot (not "none")


@dataclass(frozen=True)
class Place:
    code: str  # ISO 3166-1 alpha-2 (XK for Kosovo)
    name: str
    url: str
    category: str  # a Category key
    detail: str = ""  # what the table says beyond the category, e.g. the dates
    value: int | None = None


@dataclass
class MapFigure:
    title: str
    description: str  # one sentence: what the colours mean
    categories: list[Category]
    places: list[Place]
    slug: str = "map"  # download file names: cyberdiplo-<slug>-map.svg
    value_label: str = ""  # the table's numeric column, if the map shows a number
    notes: list[str] = field(default_factory=list)
    drawn: str | None = None  # the picture on a page, once drawn (or kept: ``kept``)
    tabled: str | None = None  # the table's rows, once written (or kept)

    @functools.cached_property
    def by_key(self) -> dict[str, Category]:
        return {c.key: c for c in self.categories}

    def counts(self) -> list[tuple[Category, int]]:
        """Each category with the number of places in it, legend order."""
        n = {c.key: 0 for c in self.categories}
        for place in self.places:
            n[place.category] += 1
        return [(c, n[c.key]) for c in self.categories]

    def legend(self) -> list[tuple[Category, int]]:
        return [(c, n) for c, n in self.counts() if n]

    @functools.cached_property
    def has_details(self) -> bool:
        return any(p.detail for p in self.places)

    def columns(self) -> list[str]:
        """The data's columns: a count where the map shows one, details where any has them."""
        return [
            "code",
            "country",
            "url",
            *([self.value_label] if self.value_label else []),
            "category",
            *(["detail"] if self.has_details else []),
        ]

    def rows(self) -> list[dict]:
        """The data behind the picture: one row per place, in the table's order."""
        rows = []
        for p in self.places:
            row = {"code": p.code, "country": p.name, "url": p.url}
            if self.value_label:
                row[self.value_label] = p.value
            row["category"] = self.by_key[p.category].label
            if self.has_details:
                row["detail"] = p.detail
            rows.append(row)
        return rows

    def svg(self, *, standalone: bool = False, base_url: str = "", citation: str = "") -> str:
        return draw(self, standalone=standalone, base_url=base_url, citation=citation)

    @property
    def page_svg(self) -> SafeString:
        """The picture on a page."""
        if self.drawn is None:
            self.drawn = self.svg()
        return mark_safe(self.drawn)

    @property
    def table_rows(self) -> SafeString:
        """The table's rows, one per place (built here: a map has up to two hundred)."""
        if self.tabled is None:
            self.tabled = self._rows()
        return mark_safe(self.tabled)

    def _rows(self) -> str:
        rows = []
        for place in self.places:
            cells = [f'<th scope="row"><a href="{escape(place.url)}">{escape(place.name)}</a></th>']
            if self.value_label:
                cells.append(f'<td class="num">{escape(str(place.value))}</td>')
            cells.append(f"<td>{escape(self.by_key[place.category].label)}</td>")
            if self.has_details:
                cells.append(f"<td>{escape(place.detail)}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return "\n".join(rows)


def kept(name: str, build: Callable[[], MapFigure | None]) -> MapFigure | None:
    """``build()``'s map, its picture and table drawn, made once per content version
    (``remembered`` under ``name``): a record's map, the same for every visitor."""

    def made() -> MapFigure | None:
        figure = build()
        if figure is not None:
            # Drawn now, so that what is kept holds the picture and the table.
            figure.drawn, figure.tabled = figure.svg(), figure._rows()
        return figure

    return pagecache.remembered(f"world-map:{name}", made)


def _defs(figure: MapFigure, prefix: str, clip: str = "") -> str:
    out = [f'<clipPath id="{prefix}-clip"><path d="{clip}"/></clipPath>'] if clip else []
    for c in figure.categories:
        if c.pattern == "hatch":
            out.append(
                f'<pattern id="{prefix}-{c.key}" width="5" height="5" '
                'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="5" height="5" fill="{c.fill}"/>'
                f'<line x1="0" y1="0" x2="0" y2="5" stroke="{c.ink}" stroke-width="2.2"/>'
                "</pattern>"
            )
        elif c.pattern == "dots":
            out.append(
                f'<pattern id="{prefix}-{c.key}" width="4" height="4" '
                'patternUnits="userSpaceOnUse">'
                f'<rect width="4" height="4" fill="{c.fill}"/>'
                f'<circle cx="2" cy="2" r="1.1" fill="{c.ink}"/>'
                "</pattern>"
            )
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _paint(category: Category, prefix: str) -> str:
    return f"url(#{prefix}-{category.key})" if category.pattern else category.fill


def draw(figure: MapFigure, *, standalone: bool, base_url: str = "", citation: str = "") -> str:
    """The map as SVG markup: countries without a place in grey, each place a link."""
    data = world()
    x0, y0, width, height = data["viewBox"]
    prefix = f"wm-{figure.slug}"
    legend_height = 34 + 22 * len(figure.legend()) if standalone else 0
    foot = 40 if standalone else 0
    top = 40 if standalone else 0
    total = height + top + legend_height + foot
    view = f"{x0} {y0 - top} {width} {total}"
    placed = {p.code: p for p in figure.places}
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    attrs = (
        'xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{view}" font-family="{escape(FONT)}" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}"'
    )
    if standalone:
        # A file with links: no role that would hide them.
        attrs += f' width="{width}" height="{total}"'
    else:
        # "group", not "img": an image's children are presentational, and these are links.
        attrs += ' role="group" class="worldmap-svg" focusable="false"'
    parts = [
        f"<svg {attrs}>",
        f'<title id="{title_id}">{escape(figure.title)}</title>',
        f'<desc id="{desc_id}">{escape(figure.description)}</desc>',
        _defs(figure, prefix, clip=data["sphere"]),
        f'<clipPath id="{prefix}-rows"><rect x="{x0}" y="{y0}" width="{width}" '
        f'height="{height}"/></clipPath>',
        f'<rect x="{x0}" y="{y0 - top}" width="{width}" height="{total}" fill="#ffffff"/>'
        if standalone
        else "",
        # The sphere is the map's frame, cut to the rows of the world that have land.
        f'<g clip-path="url(#{prefix}-rows)">',
        f'<path d="{data["sphere"]}" fill="#f4f6f9" class="worldmap-sphere"/>',
        # Clipped to the sphere: shapes across the antimeridian are drawn on both edges.
        f'<g class="worldmap-land" clip-path="url(#{prefix}-clip)" stroke="{BORDER}" '
        'stroke-width="0.5" stroke-linejoin="round">',
    ]
    # Land that is nobody's place first, then the places, so their outlines sit on top.
    for code, shape in data["countries"].items():
        if code not in placed and shape["d"]:
            parts.append(f'<path d="{shape["d"]}" fill="{NO_DATA}"/>')
    dots = []
    for place in figure.places:
        shape = data["countries"].get(place.code)
        if shape is None:
            continue
        category = figure.by_key[place.category]
        label = f"{place.name}: {category.label}" + (f" ({place.detail})" if place.detail else "")
        href = escape(base_url + place.url)
        paint = _paint(category, prefix)
        link = (
            f'<a href="{href}" aria-label="{escape(label)}" class="worldmap-place">'
            f"<title>{escape(label)}</title>"
        )
        shape_path = f'<path d="{shape["d"]}" fill="{paint}"/>' if shape["d"] else ""
        if "dot" in shape and category.dot:
            cx, cy = shape["dot"]
            # A small state: its link is a dot over its shape, so it can be seen and clicked.
            dots.append(
                f'{link}<circle cx="{cx}" cy="{cy}" r="{DOT_RADIUS}" fill="{category.fill}" '
                'stroke="#1b1f24" stroke-width="0.6"/></a>'
            )
            parts.append(shape_path)
        elif shape_path:
            parts.append(f"{link}{shape_path}</a>")
    parts.append("</g></g>")
    parts.append(f'<g class="worldmap-dots">{"".join(dots)}</g>')
    if standalone:
        parts.append(
            f'<text x="{x0 + 8}" y="{y0 - top + 26}" font-size="20" font-weight="600" '
            f'fill="#1b1f24">{escape(figure.title)}</text>'
        )
        y = y0 + height + 24
        parts.append(
            f'<text x="{x0 + 8}" y="{y}" font-size="13" fill="#4a5360">'
            f"{escape(figure.description)}</text>"
        )
        for category, n in figure.legend():
            y += 22
            parts.append(
                f'<rect x="{x0 + 8}" y="{y - 12}" width="16" height="14" '
                f'fill="{_paint(category, prefix)}" stroke="#4a5360" stroke-width="0.5"/>'
                f'<text x="{x0 + 32}" y="{y}" font-size="14" fill="#1b1f24">'
                f"{escape(category.label)} ({n})</text>"
            )
        parts.append(
            f'<text x="{x0 + 8}" y="{y + 36}" font-size="11" fill="#4a5360">'
            f"{escape(citation)} Shapes: Natural Earth (public domain).</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def swatch(category: Category) -> SafeString:
    """A legend key for HTML: a small SVG square in the category's fill and pattern (of
    the class every map SVG has: the site's own pictures are told apart by it)."""
    prefix = f"sw-{category.key}"
    figure = MapFigure("", "", [category], [])
    return mark_safe(
        '<svg class="worldmap-svg" width="18" height="14" viewBox="0 0 18 14" '
        f'aria-hidden="true" focusable="false">{_defs(figure, prefix)}'
        f'<rect width="18" height="14" fill="{_paint(category, prefix)}" '
        'stroke="#4a5360" stroke-width="1"/></svg>'
    )


def download(request: HttpRequest, figure: MapFigure, fmt: str) -> HttpResponse:
    """The map as a standalone SVG file, or its data as CSV or JSON, each with a citation
    of the page it comes from (that page's URL without the download parameter)."""
    if fmt not in DOWNLOADS:
        raise BadRequest(f"A map downloads as {', '.join(DOWNLOADS)}, not “{fmt[:20]}”.")
    query = request.GET.copy()
    query.pop("map", None)
    query.pop("format", None)
    page = request.build_absolute_uri(request.path + (f"?{query.urlencode()}" if query else ""))
    citation = citations.picture(figure.title, page)
    base = request.build_absolute_uri("/").rstrip("/")
    svg = figure.svg(standalone=True, base_url=base, citation=citation) if fmt == "svg" else ""
    return charts.download(
        request,
        fmt,
        f"cyberdiplo-{figure.slug}-map",
        rows=figure.rows(),
        columns=figure.columns(),
        svg=svg,
        cite=citation,
        title=figure.title,
    )
