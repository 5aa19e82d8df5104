"""``{% world_map figure downloads %}``: a world map with its legend, downloads and table."""

from django import template
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.worldmap import DOWNLOADS, MapFigure, swatch

register = template.Library()


def download_links(request: HttpRequest, param: str) -> dict[str, str]:
    """The page's own URL with ``param`` set to each download format, filters kept."""
    links = {}
    for fmt in DOWNLOADS:
        query = request.GET.copy()
        query[param] = fmt
        links[fmt] = f"?{query.urlencode()}"
    return links


def table_rows(figure: MapFigure) -> SafeString:
    """The table's rows, one per place (built here: a map has up to two hundred)."""
    rows = []
    for place in figure.places:
        cells = [f'<th scope="row"><a href="{escape(place.url)}">{escape(place.name)}</a></th>']
        if figure.value_label:
            cells.append(f'<td class="num">{escape(str(place.value))}</td>')
        cells.append(f"<td>{escape(figure.by_key[place.category].label)}</td>")
        if figure.has_details:
            cells.append(f"<td>{escape(place.detail)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))


@register.inclusion_tag("includes/_worldmap.html", takes_context=True)
def world_map(context, figure: MapFigure, param: str = "map", beside: bool = False) -> dict:
    """The figure: caption, legend with counts, the SVG, notes, download links (the page's
    URL with ``param`` set to svg, csv or json) and the table of every place (open beside
    the map on /map/, folded under it elsewhere)."""
    return {
        "figure": figure,
        "svg": mark_safe(figure.svg()),
        "legend": [(swatch(c), c, n) for c, n in figure.legend()],
        "rows": table_rows(figure),
        "downloads": download_links(context["request"], param),
        "details": figure.has_details,
        "beside": beside,
        "anchor": f"{figure.slug}-table",
    }
