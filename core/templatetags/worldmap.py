"""``{% world_map figure downloads %}``: a world map with its legend, downloads and table."""

from django import template
from django.http import HttpRequest

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


@register.inclusion_tag("includes/_worldmap.html", takes_context=True)
def world_map(context, figure: MapFigure, param: str = "map", beside: bool = False) -> dict:
    """The figure: caption, legend with counts, the SVG, notes, download links (the page's
    URL with ``param`` set to svg, csv or json) and the table of every place (open beside
    the map on /map/, folded under it elsewhere)."""
    return {
        "figure": figure,
        "svg": figure.page_svg,
        "legend": [(swatch(c), c, n) for c, n in figure.legend()],
        "rows": figure.table_rows,
        "downloads": download_links(context["request"], param),
        "details": figure.has_details,
        "beside": beside,
        "anchor": f"{figure.slug}-table",
    }
