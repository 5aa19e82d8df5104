"""The timeline: events on one time axis, in lanes by kind, drawn as SVG in Python.

Works on plain data, so every page that shows a timeline (the /timeline/ page, a
theme's or a country's compact one) draws it with this code. The events come from
the record apps through ``core.registry.registry.timeline_lanes``: each lane's
``events(query)`` answers a ``TimelineQuery`` with ``Event``s in a bounded number of
queries, and adding a lane (the incidents app's) is one registration.

Layout is linear in the number of events (each label goes to the first row of its
lane where it does not collide; past ``max_rows`` the mark stays, unlabelled, and the
text alternative names it), and the number of events per lane is capped by
``TimelineQuery.limit``, so drawing costs the same however large the data grows.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core import citations, pagecache
from core.charts import CITE_CHARS, svg_lines, wrap
from core.dates import format_partial_date
from core.registry import registry

# Before this year, records sit in a compressed margin (in date order, not to scale),
# unless the visitor zooms to an earlier period with ?from=.
AXIS_START = 2001
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#e3e7ed"
# Lane colours (each at least 4.5:1 on white) and shapes: never colour alone.
STYLES = (
    ("#6a3d9a", "square"),
    ("#0b5394", "circle"),
    ("#a34400", "triangle"),
    ("#00695c", "diamond"),
    ("#5a6270", "circle"),
)


@dataclass(frozen=True)
class Event:
    """One dated thing on the timeline; ``until`` makes it a span (adopted, in force)."""

    date: str  # partial ISO date: 2001, 2001-11, 2001-11-23
    label: str  # short, drawn: "Budapest Convention"
    url: str
    lane: str  # the key of its lane
    title: str = ""  # full title, for the tooltip and the table
    what: str = ""  # "Adopted or signed", "Founded"
    until: str = ""  # a second date, e.g. entry into force
    until_what: str = ""  # "Entered into force"
    kind: str = ""  # the record's kind value, as the lists filter it
    kind_label: str = ""

    @property
    def year(self) -> int:
        return int(self.date[:4])

    def row(self) -> dict:
        """The event as a row of the data download."""
        return {
            "date": self.date,
            "event": self.what,
            "title": self.title or self.label,
            "lane": self.lane,
            "kind": self.kind,
            "until": self.until,
            "until_event": self.until_what if self.until else "",
            "url": self.url,
        }


COLUMNS = ["date", "event", "title", "lane", "kind", "until", "until_event", "url"]


@dataclass(frozen=True)
class TimelineQuery:
    """What a visitor asked for: the lists' filters and a period."""

    themes: tuple[str, ...] = ()
    match_all: bool = False
    kinds: tuple[str, ...] = ()
    lanes: tuple[str, ...] = ()  # lane keys; empty: every lane
    countries: tuple[str, ...] = ()  # ISO codes
    bodies: tuple[str, ...] = ()  # body slugs
    start: int | None = None  # first year shown
    end: int | None = None  # last year shown
    limit: int = 300  # events per lane at most (the newest)

    def params(self) -> list[tuple[str, str | int]]:
        """The query as /timeline/'s URL parameters (the lists' names)."""
        params = [("theme", t) for t in self.themes]
        params += [("match", "all")] if self.match_all else []
        params += [("type", t) for t in self.lanes] + [("kind", k) for k in self.kinds]
        params += [("party", c) for c in self.countries]
        params += [("party", f"body:{b}") for b in self.bodies]
        params += [("from", self.start)] if self.start is not None else []
        params += [("to", self.end)] if self.end is not None else []
        return params

    @property
    def parties(self) -> bool:
        return bool(self.countries or self.bodies)

    def wants(self, lane) -> bool:
        """Whether ``lane`` (a registry ``TimelineLane``) answers this query at all."""
        if self.lanes and lane.key not in self.lanes:
            return False
        own = {value for value, _label in lane.kinds}
        return not self.kinds or bool(own & set(self.kinds))

    def narrow(self, records: QuerySet, date_field: str, kind_field: str = "kind") -> QuerySet:
        """``records`` (published) with a date, filtered by theme, kind and period,
        the newest ``limit + 1`` first (one more tells that some were left out)."""
        records = records.exclude(**{date_field: ""})
        if self.themes:
            model = records.model
            if self.match_all:
                for slug in self.themes:
                    records = records.filter(pk__in=model.objects.with_theme(slug).values("pk"))
            else:
                tagged = model.objects.filter(themes__slug__in=self.themes).values("pk")
                records = records.filter(pk__in=tagged)
        if self.kinds and kind_field:
            records = records.filter(**{f"{kind_field}__in": self.kinds})
        if self.start is not None:
            records = records.filter(**{f"{date_field}__gte": f"{self.start:04d}"})
        if self.end is not None:
            # "2019" and every "2019-..." sort before "2020".
            records = records.filter(**{f"{date_field}__lt": f"{self.end + 1:04d}"})
        return records.order_by(f"-{date_field}", "pk")[: self.limit + 1]

    def related(self, countries: str = "", bodies: str | Sequence[str] = ()) -> Q | None:
        """The condition "related to one of the chosen countries or bodies", through the
        given lookups; None when nothing is chosen, Q(pk__in=[]) when nothing can match."""
        if not self.parties:
            return None
        condition = Q(pk__in=[])
        if countries and self.countries:
            condition |= Q(**{f"{countries}__in": self.countries})
        for lookup in [bodies] if isinstance(bodies, str) else bodies:
            if lookup and self.bodies:
                condition |= Q(**{f"{lookup}__in": self.bodies})
        return condition


@dataclass
class LaneEvents:
    """A lane with the events a query found, and whether some were left out."""

    key: str
    label: str
    colour: str
    shape: str
    events: list[Event]
    truncated: bool = False


def gather(lanes: Iterable, query: TimelineQuery) -> list[LaneEvents]:
    """Each lane's events for ``query``: one lane's queries at a time, a bounded number."""
    gathered = []
    for index, lane in enumerate(sorted(lanes, key=lambda lane: lane.order)):
        colour, shape = STYLES[index % len(STYLES)]
        if not query.wants(lane):
            continue
        events = [e for e in lane.events(query) if e.date]
        truncated = len(events) > query.limit
        events = sorted(events[: query.limit], key=lambda e: (e.date, e.label))
        if not events:
            continue  # an empty lane is left out (a country page has no frameworks)
        gathered.append(LaneEvents(lane.key, lane.label, colour, shape, events, truncated))
    return gathered


# --- Layout ---------------------------------------------------------------------------


def year_fraction(value: str) -> float:
    """A partial ISO date as a fractional year: "2001-07" is 2001.5; "2001" its start."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    return year + (month - 1) / 12 + (day - 1) / 365


def text_width(text: str, size: float) -> float:
    """A label's width, estimated: about 0.56 em a character in a sans-serif."""
    return len(text) * size * 0.58


def shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


@dataclass
class Mark:
    event: Event
    x: float
    row: int
    label: str  # "" when thinned out
    label_end: bool = False  # the label sits left of the mark (near the right edge)
    x_until: float | None = None
    margin: bool = False  # in the compressed "before" margin


@dataclass
class LaneLayout:
    lane: LaneEvents
    marks: list[Mark]
    rows: int
    top: float = 0
    more_before: int = 0  # earlier events that did not fit the margin


@dataclass
class Size:
    width: float = 960
    row: float = 20
    header: float = 20
    gap: float = 12
    font: float = 12
    margin: float = 170  # the "before" margin's width, when there is one
    max_rows: int = 9
    label_chars: int = 30


COMPACT_LIMIT = 40  # events per lane on a theme or country page (the newest; /timeline/ has all)
COMPACT = Size(row=18, header=22, gap=8, font=12, margin=170, max_rows=3, label_chars=24)


@dataclass
class Timeline:
    """A laid-out timeline, ready to draw."""

    lanes: list[LaneLayout]
    start: int
    end: int
    size: Size
    x0: float  # the axis's left end
    x1: float
    margin_until: int | None = None  # events before this year sit in the margin
    height: float = 0
    axis_y: float = 0
    events: list[Event] = field(default_factory=list)

    def x(self, value: str) -> float:
        span = self.end + 1 - self.start
        position = (year_fraction(value) - self.start) / span
        return self.x0 + min(max(position, 0.0), 1.0) * (self.x1 - self.x0)

    @property
    def ticks(self) -> list[int]:
        span = self.end - self.start + 1
        step = (
            1 if span <= 12 else 2 if span <= 20 else 5 if span <= 60 else 10 if span <= 120 else 25
        )
        years = [y for y in range(self.start, self.end + 1) if y % step == 0]
        if not years or years[0] - self.start >= step / 2:
            years.insert(0, self.start)
        return years


def layout(
    lanes: list[LaneEvents],
    start: int | None = None,
    end: int | None = None,
    size: Size | None = None,
    today: datetime.date | None = None,
) -> Timeline:
    """Place every event: x from its date, a row in its lane where its label fits.

    Without ``start``, the axis starts in ``AXIS_START`` and earlier events sit in a
    margin on the left, newest nearest the axis; with ``start``, the axis begins there.
    """
    today = today or datetime.date.today()
    size = size or Size()
    years = [e.year for lane in lanes for e in lane.events]
    last = max([*years, today.year]) if end is None else end
    margin_until = None
    if start is None and end is not None and end < AXIS_START:
        start = min(years, default=end)  # a period wholly before 2001 needs no margin
    if start is None:
        start = AXIS_START
        if any(y < AXIS_START for y in years):
            margin_until = AXIS_START
    first = start
    x0 = size.margin + 16 if margin_until else 24  # room for the first year's label
    timeline = Timeline([], first, max(last, first), size, x0, size.width - 12, margin_until)
    y = size.gap
    gap = 6
    for lane in lanes:
        rows_end: list[float] = []  # per row, where its last label ends
        overflow = False
        marks = []
        earlier = [e for e in lane.events if margin_until and e.year < margin_until]
        for event in lane.events:
            if margin_until and event.year < margin_until:
                continue
            x = timeline.x(event.date)
            x_until = timeline.x(event.until) if event.until else None
            label = shorten(event.label, size.label_chars)
            width = text_width(label, size.font) + 10
            # A span's label follows its end mark, so the line never runs through it.
            anchor = x_until if x_until is not None else x
            label_end = anchor + width > timeline.x1 + 4
            left = min(x, anchor) - width - 6 if label_end else x - 6
            right = anchor + 6 if label_end else anchor + width
            row = next((i for i, end_x in enumerate(rows_end) if end_x + gap < left), None)
            if row is None and len(rows_end) < size.max_rows:
                rows_end.append(right)
                row = len(rows_end) - 1
            elif row is None:
                # Thinned out: the mark stays (a link with its tooltip) without a label, in
                # a row where it collides with nothing if there is one; the tables under
                # the picture name it.
                free = [i for i, end_x in enumerate(rows_end) if end_x + 2 < x - 6]
                if free:
                    row = free[0]
                    rows_end[row] = (x_until or x) + 6
                else:
                    # Below the labelled rows, one row of marks only (they may touch).
                    row = size.max_rows
                    overflow = True
                marks.append(Mark(event, x, row, "", False, x_until))
                continue
            rows_end[row] = right
            marks.append(Mark(event, x, row, label, label_end, x_until))
        # The margin: the newest earlier events, one row each, as many as the lane has rows.
        room = max(len(rows_end), min(len(earlier), size.max_rows), 1)
        shown = sorted(earlier, key=lambda e: e.date, reverse=True)[:room]
        for row, event in enumerate(sorted(shown, key=lambda e: e.date)):
            chars = int((size.margin - 14) / (size.font * 0.56)) - 5
            marks.append(
                Mark(event, 10, row, f"{event.year} {shorten(event.label, chars)}", margin=True)
            )
        rows = max(len(rows_end) + overflow, len(shown) + (len(earlier) > len(shown)), 1)
        layout_lane = LaneLayout(lane, marks, rows, y, len(earlier) - len(shown))
        timeline.lanes.append(layout_lane)
        y += size.header + rows * size.row + size.gap
    timeline.axis_y = y + 4
    timeline.height = y + 30
    timeline.events = [e for lane in lanes for e in lane.events]
    return timeline


# --- Drawing --------------------------------------------------------------------------


def _shape(shape: str, x: float, y: float, colour: str, hollow: bool = False, r: float = 5) -> str:
    fill = "#ffffff" if hollow else colour
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="{2 if hollow else 1}"'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" {paint}/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y + r:.1f} {x - r - 1:.1f},{y + r:.1f}"
        return f'<polygon points="{points}" {paint}/>'
    if shape == "diamond":
        r += 1
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{points}" {paint}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {paint}/>'


def tooltip(event: Event) -> str:
    text = f"{event.title or event.label}: {event.what.lower()} {format_partial_date(event.date)}"
    if event.until:
        text += f"; {event.until_what.lower()} {format_partial_date(event.until)}"
    return text


def draw(
    timeline: Timeline,
    *,
    title: str,
    desc: str,
    ident: str = "timeline",
    standalone: bool = False,
    citation: str = "",
    zoom_url=None,
) -> str:
    """The timeline as an SVG document (``standalone``: with its title, a white ground and
    the citation line, to be saved as a file) or as markup for a page's ``<figure>``.

    Presentation attributes only, no style element: the same markup renders on a page
    under the site's CSP, as a file, and through a PNG converter.
    ``zoom_url(year)`` gives the link of a margin's "N more" note.
    """
    size = timeline.size
    title_chars = int(size.width / (16 * 0.62))
    head = 14 + 20 * len(wrap(title, title_chars)) if standalone else 0
    cite_chars = int(CITE_CHARS * size.width / 720)
    foot = 12 + 14 * len(wrap(citation, cite_chars)) if standalone and citation else 0
    height = timeline.height + head + foot
    out = []
    attrs = (
        f'viewBox="0 0 {size.width:.0f} {height:.0f}" width="{size.width:.0f}" '
        f'height="{height:.0f}" font-family="{FONT}" font-size="{size.font}"'
    )
    if standalone:
        out.append(f'<svg xmlns="http://www.w3.org/2000/svg" {attrs} role="img" ')
    else:
        # The axis's geometry, for static/js/timeline.js (drag across it to zoom).
        out.append(
            f'<svg class="timeline-svg" {attrs} data-start="{timeline.start}" '
            f'data-end="{timeline.end}" data-x0="{timeline.x0:.1f}" data-x1="{timeline.x1:.1f}" '
            # A group, not an img: an img's children are hidden, and its marks are links.
            'role="group" '
        )
    out.append(f'aria-labelledby="{ident}-title {ident}-desc">')
    out.append(f'<title id="{ident}-title">{escape(title)}</title>')
    out.append(f'<desc id="{ident}-desc">{escape(desc)}</desc>')
    if standalone:
        out.append('<rect width="100%" height="100%" fill="#ffffff"/>')
        out.append(svg_lines(title, 8, 22, title_chars, 16, INK, "700"))
        out.append(f'<g transform="translate(0 {head})">')
    out.append(_axis(timeline))
    for lane in timeline.lanes:
        out.append(_lane(timeline, lane, None if standalone else zoom_url, links=not standalone))
    if standalone:
        out.append("</g>")
        if citation:
            out.append(svg_lines(citation, 8, height - foot + 16, cite_chars, 10.5, MUTED))
    out.append("</svg>")
    return "".join(out)


def _axis(timeline: Timeline) -> str:
    size = timeline.size
    top, bottom = size.gap / 2, timeline.axis_y
    out = ['<g class="timeline-axis" aria-hidden="true">']
    for year in range(timeline.start, timeline.end + 2):
        x = timeline.x(f"{year:04d}") if year <= timeline.end else timeline.x1
        out.append(
            f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" '
            f'stroke="{MUTED}"/>'
        )
    for year in timeline.ticks:
        x = timeline.x(f"{year:04d}")
        # Beside the margin, the first year starts at its tick rather than centring on it.
        anchor = "start" if timeline.margin_until and year == timeline.start else "middle"
        out.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 17:.1f}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{year}</text>"
        )
    out.append(
        f'<line x1="{timeline.x0:.1f}" y1="{bottom:.1f}" x2="{timeline.x1:.1f}" '
        f'y2="{bottom:.1f}" stroke="{MUTED}"/>'
    )
    if timeline.margin_until:
        # The margin is not to scale: a break in the axis says so, and a label.
        m = size.margin
        out.append(
            f'<line x1="4" y1="{bottom:.1f}" x2="{m:.1f}" y2="{bottom:.1f}" stroke="{MUTED}" '
            f'stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<path d="M{m + 3:.1f} {bottom + 6:.1f} l6 -12 M{m + 9:.1f} {bottom + 6:.1f} l6 -12" '
            f'stroke="{MUTED}" fill="none"/>'
        )
        out.append(
            f'<line x1="{m + 8:.1f}" y1="{top:.1f}" x2="{m + 8:.1f}" y2="{bottom - 8:.1f}" '
            f'stroke="{GRID}" stroke-width="2"/>'
        )
        out.append(
            f'<text x="4" y="{bottom + 17:.1f}" fill="{MUTED}">Earlier (not to scale)</text>'
        )
    out.append("</g>")
    return "".join(out)


def _lane(timeline: Timeline, lane: LaneLayout, zoom_url, links: bool = True) -> str:
    size = timeline.size
    colour, shape = lane.lane.colour, lane.lane.shape
    out = [f'<g class="timeline-lane" data-lane="{escape(lane.lane.key)}">']
    header_y = lane.top + size.header - 8
    count = len(lane.lane.events)
    heading = f"{lane.lane.label} ({count}{'+' if lane.lane.truncated else ''})"
    out.append(_shape(shape, 10, header_y - 4, colour))
    out.append(
        f'<text x="22" y="{header_y:.1f}" font-weight="700" fill="{INK}">{escape(heading)}</text>'
    )
    spans = any(m.event.until for m in lane.marks)
    if spans:
        legend_x = 40 + text_width(heading, size.font) * 1.1
        out.append(_shape(shape, legend_x, header_y - 4, colour))
        out.append(f'<text x="{legend_x + 9:.1f}" y="{header_y:.1f}" fill="{MUTED}">adopted</text>')
        lx = legend_x + 66
        out.append(
            f'<line x1="{lx - 10:.1f}" y1="{header_y - 4:.1f}" x2="{lx:.1f}" '
            f'y2="{header_y - 4:.1f}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        out.append(_shape(shape, lx, header_y - 4, colour, hollow=True, r=4))
        out.append(f'<text x="{lx + 8:.1f}" y="{header_y:.1f}" fill="{MUTED}">in force</text>')
    base = lane.top + size.header
    for mark in lane.marks:
        y = base + mark.row * size.row + size.row / 2
        event = mark.event
        label = escape(tooltip(event))
        if links:
            out.append(f'<a href="{escape(event.url)}" class="timeline-mark" aria-label="{label}">')
        out.append(f"<title>{label}</title>" if links else f"<g><title>{label}</title>")
        if mark.x_until is not None and not mark.margin:
            out.append(
                f'<line x1="{mark.x:.1f}" y1="{y:.1f}" x2="{mark.x_until:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
            out.append(_shape(shape, mark.x_until, y, colour, hollow=True, r=4))
        out.append(_shape(shape, mark.x, y, colour))
        if mark.label:
            anchor = mark.x_until if mark.x_until is not None and not mark.margin else mark.x
            if mark.label_end:
                out.append(
                    f'<text x="{min(mark.x, anchor) - 9:.1f}" y="{y + 4:.1f}" text-anchor="end" '
                    f'fill="{INK}">{escape(mark.label)}</text>'
                )
            else:
                out.append(
                    f'<text x="{anchor + 9:.1f}" y="{y + 4:.1f}" fill="{INK}">'
                    f"{escape(mark.label)}</text>"
                )
        out.append("</a>" if links else "</g>")
    if lane.more_before:
        y = base + lane.rows * size.row - size.row / 2 + 4
        text = f"+ {lane.more_before} earlier: zoom in"
        earliest = min(e.year for e in lane.lane.events)
        if zoom_url:
            out.append(f'<a href="{escape(zoom_url(earliest))}" class="timeline-more">')
        out.append(
            f'<text x="22" y="{y:.1f}" fill="{MUTED}" text-decoration="underline">{text}</text>'
        )
        if zoom_url:
            out.append("</a>")
    out.append("</g>")
    return "".join(out)


SHAPES = {"square": "■", "circle": "●", "triangle": "▲", "diamond": "◆"}


def caption(gathered: list[LaneEvents], timeline: Timeline) -> str:
    """What the marks mean, in words (the picture's key)."""
    parts = []
    for lane in gathered:
        text = f"{SHAPES.get(lane.shape, '●')} {lane.label}"
        if any(e.until for e in lane.events):
            text += " (a line runs from adoption to ○ entry into force)"
        parts.append(text)
    text = "Marks: " + "; ".join(parts) + "."
    if timeline.margin_until:
        text += (
            f" Records from before {timeline.margin_until} sit in the margin on the left,"
            " in date order but not to scale; choose an earlier “From year” to see them"
            " on the axis."
        )
    return (
        text + " Where labels would collide, some marks are left unlabelled: hover or focus"
        " one for its name, or open the tables."
    )


@dataclass
class Figure:
    """A timeline ready for a page (``svg``) or a file (``standalone()``), with its key,
    citation, downloads and events (``includes/_timeline.html`` shows it)."""

    timeline: Timeline
    gathered: list[LaneEvents]
    title: str
    desc: str
    caption: str
    citation: str
    downloads: str  # a URL ending in "format=", the same selection
    ident: str
    full_url: str = ""
    compact: bool = False
    zoom_url: object = None
    drawn: str | None = None  # the picture, once drawn (or drawn already and kept)
    tabled: str | None = None  # the tables, once written (or kept)

    @property
    def count(self) -> int:
        return len(self.timeline.events)

    @property
    def svg(self) -> str:
        # Built from escaped text only.
        if self.drawn is None:
            self.drawn = draw(self.timeline, title=self.title, desc=self.desc, ident=self.ident,
                              zoom_url=self.zoom_url)  # fmt: skip
        return mark_safe(self.drawn)

    def standalone(self) -> str:
        return draw(
            self.timeline, title=self.title, desc=self.desc, standalone=True,
            citation=self.citation,
        )  # fmt: skip

    def rows(self) -> list[dict]:
        return [e.row() for lane in self.gathered for e in lane.events]

    @property
    def tables(self) -> str:
        """The events of each lane as a table, the picture's text alternative: built here
        (up to 300 events a lane, 40 on a compact one) and kept with the picture."""
        if self.tabled is None:
            self.tabled = "\n".join(_lane_table(lane) for lane in self.gathered if lane.events)
        return mark_safe(self.tabled)


def _time(date: str) -> str:
    return f'<time datetime="{escape(date)}">{escape(date)}</time>'


def _lane_table(lane: LaneEvents) -> str:
    in_force = lane.key == "agreement"  # an agreement's span ends at its entry into force
    heads = ["Date", "What", "Record", "Kind", *(["Entered into force"] if in_force else [])]
    rows = []
    for e in lane.events:
        cells = [
            f"<td>{_time(e.date)}</td>",
            f"<td>{escape(e.what)}</td>",
            f'<th scope="row"><a href="{escape(e.url)}">{escape(e.title or e.label)}</a></th>',
            f"<td>{escape(e.kind_label)}</td>",
        ]
        if in_force:
            cells.append(f"<td>{_time(e.until) if e.until else ''}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in heads)
    return (
        f'<div class="table-wrap"><table><caption>{escape(lane.label)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def figure(
    query: TimelineQuery,
    *,
    name: str,
    about: str,
    url: str,
    downloads: str,
    ident: str = "timeline",
    compact: bool = False,
    full_url: str = "",
    zoom_url=None,
    today: datetime.date | None = None,
    gathered: list[LaneEvents] | None = None,
) -> Figure:
    """The timeline of ``query`` from the registry's lanes: "``name``, 2001–2026: ``about``".
    ``url`` is the address the citation gives; ``gathered``, the lanes' events if read
    already."""
    today = today or datetime.date.today()
    if gathered is None:
        gathered = gather(registry.timeline_lanes, query)
    timeline = layout(gathered, query.start, query.end, COMPACT if compact else Size(), today)
    title = f"{name}, {query.start or timeline.start}–{timeline.end}"
    title = f"{title}: {about}" if about else title
    desc = f"{len(timeline.events)} events in {len(gathered)} lanes"
    if timeline.margin_until:
        desc += (
            f"; records before {timeline.margin_until} sit in a margin on the left, not to scale"
        )
    desc += ". The tables under the picture list them all."
    return Figure(
        timeline, gathered, title, desc, caption(gathered, timeline),
        citations.picture(title, url, today), downloads, ident, full_url, compact, zoom_url,
    )  # fmt: skip


def compact_figure(request: HttpRequest, query: TimelineQuery, about: str) -> Figure | None:
    """The compact timeline of a theme or country page: the same events as /timeline/
    with the same filters, which it links, with that page's downloads; None when
    nothing is dated."""
    full_url = f"{reverse('visual:timeline')}?{urlencode(query.params())}"
    # Fewer events than the full timeline: a theme gathers thousands of records at scale,
    # and its page must stay light (the caption says when some are left out).
    query = replace(query, limit=COMPACT_LIMIT)
    # The events of a theme's or a country's picture are the same for every visitor:
    # kept under the content version, as the counts beside them are.
    gathered = pagecache.remembered(
        f"compact-timeline:{urlencode(query.params())}",
        lambda: gather(registry.timeline_lanes, query),
    )
    figure_ = figure(
        query,
        gathered=gathered,
        name="Timeline",
        about=about,
        url=request.build_absolute_uri(full_url),
        downloads=f"{full_url}&format=",
        ident="compact-timeline",
        compact=True,
        full_url=full_url,
        zoom_url=lambda year: f"{full_url}&from={year}&to={AXIS_START - 1}",
    )
    if not figure_.count:
        return None
    # The picture too, for the day (its axis ends today).
    figure_.drawn, figure_.tabled = pagecache.remembered(
        f"compact-timeline-svg:{urlencode(query.params())}:{datetime.date.today()}",
        lambda: (str(figure_.svg), str(figure_.tables)),
    )
    return figure_
