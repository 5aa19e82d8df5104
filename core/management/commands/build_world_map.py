"""Build core/data/world.json, the country shapes every map draws, from Natural Earth.

Run once when the shapes should change (never at run time, never in CI):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python manage.py build_world_map package/countries-50m.json

The input is world-atlas's TopoJSON of Natural Earth's 1:50m admin-0 countries
(public domain; world-atlas is ISC, see static/vendor/world-atlas/LICENSE). Each
country is projected (Equal Earth, Antarctica left out), its outlines are
simplified (Douglas-Peucker, below what a screen shows) and written as
an SVG path keyed by its ISO 3166-1 alpha-2 code (pycountry maps world-atlas's numeric
ids; a dev dependency, needed by this command only). States too small to see at the
map's size also get a dot, so that they can be seen and clicked.

Decisions, each as the UN's list of states has it (data/countries.toml): Natural
Earth's Somaliland is drawn as part of Somalia and northern Cyprus as part of Cyprus;
Kosovo (no ISO code) is XK; Tuvalu, missing from the 1:50m set, is a dot only.
"""

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

OUTPUT = Path(__file__).resolve().parents[2] / "data" / "world.json"
WIDTH = 1000.0
TOLERANCE = 0.35  # map units (a thousandth of the width): below what a screen shows
MIN_RING_AREA = 0.6  # square map units; smaller islands are dropped (the largest ring stays)
SMALL_AREA = 12.0  # a state smaller than this on the map also gets a dot
MERGE = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"}
DROP = {"AQ", "Siachen Glacier", "Indian Ocean Ter."}
DOTS = {"TV": (179.2, -8.5)}  # lon, lat of states the input lacks

# Equal Earth (Šavrič, Patterson and Jenny 2018)
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX = equal_earth(180, 0)[0]
SCALE = WIDTH / (2 * X_MAX)


def project(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return (x + X_MAX) * SCALE, -y * SCALE


def unwrap(ring: list) -> list[list]:
    """A ring that crosses the antimeridian (Chukotka, Fiji) made continuous, as one copy
    reaching past 180° and one past -180°: the map clips both to the sphere."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        out.append((lon, lat))
    lons = [lon for lon, _ in out]
    if max(lons) <= 180 and min(lons) >= -180:
        return [out]
    shift = -360 if max(lons) > 180 else 360
    return [out, [(lon + shift, lat) for lon, lat in out]]


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative; the end points always stay."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            if norm == 0:
                d = math.hypot(x - x1, y - y1)
            else:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(ring: list) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def path_data(rings: list) -> str:
    """Rings as compact SVG path data: one absolute move, then relative lines, in tenths."""
    parts = []
    for ring in rings:
        pts = [(round(x * 10), round(y * 10)) for x, y in ring]
        (px, py), steps = pts[0], []
        for x, y in pts[1:]:
            if (x, y) != (px, py):
                steps += [x - px, y - py]
                px, py = x, y
        if len(steps) >= 4:
            parts.append(f"M{_join(pts[0])}l{_join(steps)}z")
    return "".join(parts)


def _join(tenths) -> str:
    """Numbers in tenths, as short as SVG path syntax allows: "1.5-.3 4"."""
    out = ""
    for value in tenths:
        sign = "-" if value < 0 else ""
        whole, tenth = divmod(abs(value), 10)
        text = sign + (str(whole) if whole or not tenth else "") + (f".{tenth}" if tenth else "")
        # A minus sign, or a point after a number that has one, starts a new number.
        last = out.rsplit(" ", 1)[-1].rsplit("-", 1)[-1]
        glued = not out or sign or (text.startswith(".") and "." in last)
        out += text if glued else " " + text
    return out


class Command(BaseCommand):
    help = "Build core/data/world.json (country paths) from world-atlas's countries-50m.json."

    def add_arguments(self, parser):
        parser.add_argument("topojson", type=Path)

    def handle(self, *args, topojson: Path, **options):
        try:
            import pycountry  # the dev extra: only this command needs it
        except ImportError:
            raise CommandError("This command needs pycountry: pip install -e '.[dev]'.") from None
        topo = json.loads(topojson.read_text())
        (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
        arcs = []
        for arc in topo["arcs"]:
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
            arcs.append(points)

        def ring(indexes: list[int]) -> list:
            points: list = []
            for i in indexes:
                arc = arcs[i] if i >= 0 else arcs[~i][::-1]
                points += arc[1:] if points else arc
            return points

        shapes: dict[str, list] = {}
        names: dict[str, str] = {}
        for geometry in topo["objects"]["countries"]["geometries"]:
            name = geometry["properties"]["name"]
            if geometry.get("id"):
                country = pycountry.countries.get(numeric=geometry["id"])
                code = country.alpha_2 if country else None
            else:
                code = MERGE.get(name)
            if code is None or code in DROP or name in DROP:
                self.stderr.write(f"left out: {name} ({geometry.get('id')})")
                continue
            multi = geometry["type"] == "MultiPolygon"
            polygons = geometry["arcs"] if multi else [geometry["arcs"]]
            rings = [
                simplify([project(*point) for point in piece], TOLERANCE)
                for polygon in polygons
                for r in polygon
                for piece in unwrap(ring(r))
            ]
            shapes.setdefault(code, []).extend(rings)
            names.setdefault(code, name)

        countries = {}
        for code, rings in sorted(shapes.items()):
            areas = [ring_area(r) for r in rings]
            largest = max(range(len(rings)), key=areas.__getitem__)
            kept = [r for i, r in enumerate(rings) if i == largest or areas[i] >= MIN_RING_AREA]
            xs = [x for x, _ in rings[largest]]
            ys = [y for _, y in rings[largest]]
            entry = {"d": path_data(kept)}
            if sum(areas) < SMALL_AREA:
                entry["dot"] = [round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1)]
            countries[code] = entry
        for code, (lon, lat) in DOTS.items():
            x, y = project(lon, lat)
            countries[code] = {"d": "", "dot": [round(x, 1), round(y, 1)]}

        all_y = [y for rings in shapes.values() for r in rings for _, y in r]
        y0, y1 = math.floor(min(all_y)) - 4, math.ceil(max(all_y)) + 4
        # The sphere's outline, clipped to the rows the map shows: the map's frame.
        outline = [project(-180, lat) for lat in range(-90, 91, 2)] + [
            project(180, lat) for lat in range(90, -91, -2)
        ]
        data = {
            "source": "Natural Earth 1:50m admin-0 countries via world-atlas 2.0.2; "
            "Equal Earth projection",
            "viewBox": [0, y0, WIDTH, y1 - y0],
            "sphere": path_data([outline]),
            "countries": countries,
        }
        OUTPUT.parent.mkdir(exist_ok=True)
        OUTPUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
        self.stdout.write(
            f"{len(countries)} countries, {OUTPUT.stat().st_size // 1024} KB -> {OUTPUT}"
        )
