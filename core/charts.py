"""Charts drawn in Python as SVG, and the downloads every picture offers.

The accession chart of a treaty (cumulative signatures and parties by year, with the
entry-into-force threshold) works on plain data: the party rows an agreement page
has already loaded, so it costs the page no query. ``download`` answers a picture's
data as CSV or JSON and the picture as SVG or PNG, each with a citation line.
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from core.dates import format_partial_date
from core.exports import export

PICTURE_FORMATS = ("csv", "json", "svg", "png")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#e3e7ed"
SIGNED = "#a34400"  # signatures: orange, dashed, squares
PARTIES = "#0b5394"  # parties: blue, solid, circles
THRESHOLD = "#4a5360"
CITE_CHARS = 118  # citation characters per line in a 720-wide picture, at 10.5 px


def wrap(text: str, chars: int) -> list[str]:
    """``text`` in lines of at most ``chars`` characters, broken at spaces (a long URL
    stays whole on its own line)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def svg_lines(
    text: str, x: float, y: float, chars: int, size: float, colour: str, weight: str = "400"
) -> str:
    """``text`` as SVG lines from baseline ``y``, wrapped at ``chars``."""
    tspans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else size * 1.3:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(wrap(text, chars))
    )
    return (
        f'<text x="{x}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
        f'fill="{colour}">{tspans}</text>'
    )


def picture_format(request: HttpRequest, param: str) -> str:
    value = request.GET.get(param, "")
    if value not in PICTURE_FORMATS:
        choices = ", ".join(PICTURE_FORMATS)
        raise BadRequest(f"{param} must be one of {choices}, not “{value[:20]}”.")
    return value


def download(
    request: HttpRequest,
    fmt: str,
    filename: str,
    *,
    rows: Iterable[dict],
    columns: list[str],
    svg: str,
    cite: str,
    title: str = "",
) -> HttpResponse:
    """The picture's data (``csv``, ``json``) or the picture (``svg``, ``png``).

    The CSV carries the citation in a last column of every row (a spreadsheet keeps it
    with the data), the JSON in a ``citation`` key, the SVG and PNG drawn under the
    picture (``svg`` is the standalone drawing, citation included).
    """
    if fmt in ("csv", "json"):
        if fmt == "json":
            response = export(request, rows, filename, fmt, columns)
            named = {"title": title} if title else {}
            data = {**named, "citation": cite, **json.loads(response.content)}
            response.content = json.dumps(data, ensure_ascii=False)
            return response
        rows = ({**row, "citation": cite} for row in rows)
        return export(request, rows, filename, fmt, [*columns, "citation"])
    if fmt == "svg":
        response = HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?>\n' + svg,
            content_type="image/svg+xml; charset=utf-8",
        )
    else:
        response = HttpResponse(png(svg), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def png(svg: str) -> bytes:
    """The standalone SVG as a PNG at twice its size (sharp on a slide or a screen)."""
    import cairosvg  # loaded on the first PNG only: most requests never draw one

    return cairosvg.svg2png(bytestring=svg.encode(), scale=2)


# --- The accession chart --------------------------------------------------------------


@dataclass(frozen=True)
class YearCount:
    year: int
    signatures: int  # signatures so far (cumulative)
    parties: int  # consents to be bound so far, less withdrawals


def accession_counts(
    rows: Iterable[tuple[str, str, str]], first: int | None = None, last: int | None = None
) -> list[YearCount]:
    """Cumulative signatures and parties by year from each party's (signed, consent,
    withdrawn) partial dates. A withdrawal takes a party off from its year on; a party
    with no dated signature still counts when it consents (accession)."""
    signed, consented, withdrawn = {}, {}, {}
    for sign, consent, withdrawal in rows:
        for value, counter in ((sign, signed), (consent, consented), (withdrawal, withdrawn)):
            if value:
                counter[int(value[:4])] = counter.get(int(value[:4]), 0) + 1
    years = [*signed, *consented, *withdrawn]
    if not years:
        return []
    first = min(years) if first is None else min(first, min(years))
    last = max(max(years), last or 0)
    counts, s, p = [], 0, 0
    for year in range(first, last + 1):
        s += signed.get(year, 0)
        p += consented.get(year, 0) - withdrawn.get(year, 0)
        counts.append(YearCount(year, s, p))
    return counts


# The lines drawn: (YearCount field, colour, dash, end marker, label).
SERIES = (
    ("signatures", SIGNED, ' stroke-dasharray="5 3"', "square", "Signatures"),
    ("parties", PARTIES, "", "circle", "Parties"),
)
# One line of states committed to a norm, counted as "parties" (visual/adoption.py).
STATES_SERIES = (("parties", PARTIES, "", "circle", "States"),)


@dataclass
class AccessionChart:
    """The chart of one treaty (or of the states committed to a norm: ``noun``), with what
    its figure and downloads need."""

    title: str
    counts: list[YearCount]
    threshold: int | None
    in_force: str  # the treaty's entry-into-force date, if known
    undated: int  # parties whose signature and consent are both undated (not drawn)
    series: tuple = SERIES
    noun: str = ""  # what a single line counts, e.g. "states committed"

    @property
    def latest(self) -> YearCount:
        return self.counts[-1]

    def rows(self) -> list[dict]:
        return [
            {"year": c.year, **{label.lower(): getattr(c, key) for key, *_, label in self.series}}
            for c in self.counts
        ]

    def caption(self) -> str:
        last = self.latest
        if self.noun:
            return (
                f"By {last.year}: {last.parties} {self.noun}, each counted from its earliest "
                "dated route (cumulative, by year)."
            )
        text = (
            f"By {last.year}: {last.signatures} signatures and {last.parties} parties "
            "recorded here (cumulative, by year)."
        )
        if self.threshold:
            text += f" It needed {self.threshold} parties to enter into force"
            text += f"; it did on {format_partial_date(self.in_force)}." if self.in_force else "."
        return text


COLUMNS = ["year", "signatures", "parties"]
STATES_COLUMNS = ["year", "states"]


def accession_chart(
    title: str,
    parties: Iterable[tuple[str, str, str]],
    *,
    threshold: int | None = None,
    adopted: str = "",
    in_force: str = "",
    today: datetime.date | None = None,
    series: tuple = SERIES,
    noun: str = "",
) -> AccessionChart | None:
    """The chart of a treaty from its parties' (signed, consent, withdrawn) dates, or
    None when fewer than two parties have a dated signature or consent."""
    parties = list(parties)
    dated = [p for p in parties if p[0] or p[1]]
    if len(dated) < 2:
        return None
    today = today or datetime.date.today()
    first = int(adopted[:4]) if adopted else None
    counts = accession_counts(dated, first=first, last=today.year)
    undated = len(parties) - len(dated)
    return AccessionChart(title, counts, threshold, in_force, undated, series, noun)


def draw_accession(
    chart: AccessionChart,
    *,
    ident: str = "accession",
    standalone: bool = False,
    cite: str = "",
    width: int = 600,
    height: int = 300,
) -> str:
    """Two step lines, signatures and parties, labelled at their ends; the threshold a
    dashed reference line, the year of entry into force a marked tick."""
    counts = chart.counts
    title_chars = int(width / (15 * 0.62))
    head = 14 + 20 * len(wrap(chart.title, title_chars)) if standalone else 0
    foot = 16 + 14 * len(wrap(cite, CITE_CHARS * width // 720)) if standalone and cite else 0
    height += foot + head
    left, right, top, bottom = 40, width - 132, 16 + head, height - 34 - foot
    top_value = max(getattr(c, key) for c in counts for key, *_ in chart.series)
    top_value = max(top_value, chart.threshold or 0, 1)
    step = nice_step(top_value)
    top_value = -(-top_value // step) * step
    first, last = counts[0].year, counts[-1].year + 1

    def x(year: float) -> float:
        return left + (year - first) / max(last - first, 1) * (right - left)

    def y(value: float) -> float:
        return bottom - value / top_value * (bottom - top)

    out = []
    attrs = (
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}" font-size="13"'
    )
    prefix = '<svg xmlns="http://www.w3.org/2000/svg" ' if standalone else '<svg class="chart-svg" '
    out.append(f'{prefix}{attrs} role="img" aria-labelledby="{ident}-title {ident}-desc">')
    out.append(f'<title id="{ident}-title">{escape(chart.title)}</title>')
    out.append(f'<desc id="{ident}-desc">{escape(chart.caption())}</desc>')
    if standalone:
        out.append('<rect width="100%" height="100%" fill="#ffffff"/>')
        out.append(svg_lines(chart.title, 8, 22, title_chars, 15, INK, "700"))
    # Value grid and its labels.
    value = 0
    while value <= top_value:
        out.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{right}" y2="{y(value):.1f}" '
            f'stroke="{GRID if value else MUTED}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{value}</text>"
        )
        value += step
    # Year ticks: every year marked, a few labelled.
    span = last - first
    every = 1 if span <= 8 else 2 if span <= 16 else 5 if span <= 40 else 10
    for year in range(first, last):
        out.append(
            f'<line x1="{x(year):.1f}" y1="{bottom}" x2="{x(year):.1f}" y2="{bottom + 4}" '
            f'stroke="{MUTED}"/>'
        )
        # The first year labelled, and every few after it, none crowding the first.
        if year == first or (year % every == 0 and year - first > every // 2):
            out.append(
                f'<text x="{x(year + 0.5):.1f}" y="{bottom + 17}" text-anchor="middle" '
                f'fill="{MUTED}">{year}</text>'
            )
    if chart.threshold:
        ty = y(chart.threshold)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{right}" y2="{ty:.1f}" stroke="{THRESHOLD}" '
            'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        out.append(
            f'<text x="{right + 8}" y="{ty + 4:.1f}" fill="{INK}">'
            f"{chart.threshold} needed to</text>"
        )
        out.append(f'<text x="{right + 8}" y="{ty + 18:.1f}" fill="{INK}">enter into force</text>')
    if chart.in_force and first <= int(chart.in_force[:4]) < last:
        ix = x(int(chart.in_force[:4]) + 0.5)
        out.append(
            f'<line x1="{ix:.1f}" y1="{top}" x2="{ix:.1f}" y2="{bottom}" stroke="{MUTED}" '
            'stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<text x="{ix + 4:.1f}" y="{top + 10}" fill="{MUTED}">'
            f"in force {chart.in_force[:4]}</text>"
        )
    labels = []
    for key, colour, dash, shape, name in chart.series:
        points, previous = [], None
        for c in counts:
            v = getattr(c, key)
            if previous is not None:
                points.append(f"{x(c.year):.1f},{y(previous):.1f}")
            points.append(f"{x(c.year):.1f},{y(v):.1f}")
            previous = v
        points.append(f"{x(last):.1f},{y(getattr(counts[-1], key)):.1f}")
        out.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/>'
        )
        end = getattr(counts[-1], key)
        labels.append([y(end), f"{name}: {end}", colour, shape])
    # Direct labels at the lines' ends, pushed apart when they would overlap.
    labels.sort(key=lambda item: item[0])
    if len(labels) == 2 and labels[1][0] - labels[0][0] < 16:
        middle = (labels[0][0] + labels[1][0]) / 2
        labels[0][0], labels[1][0] = middle - 8, middle + 8
    for ly, text, colour, shape in labels:
        marker = (
            f'<rect x="{right + 4}" y="{ly - 5:.1f}" width="9" height="9" fill="{colour}"/>'
            if shape == "square"
            else f'<circle cx="{right + 8.5}" cy="{ly - 0.5:.1f}" r="4.5" fill="{colour}"/>'
        )
        out.append(marker)
        out.append(
            f'<text x="{right + 18}" y="{ly + 4:.1f}" font-weight="700" fill="{INK}">'
            f"{escape(text)}</text>"
        )
    if standalone and cite:
        out.append(svg_lines(cite, 8, height - foot + 18, CITE_CHARS * width // 720, 10.5, MUTED))
    out.append("</svg>")
    return "".join(out)


def nice_step(top: int) -> int:
    """A round grid step giving three to six lines up to ``top``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return 10 ** len(str(top))
