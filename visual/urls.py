"""The pictures' own pages: /timeline/, /map/, /graph/, /compare/ and their data."""

from django.urls import path  # noqa: F401

from visual import adoption, compare, graph, maps, timeline

app_name = "visual"

urlpatterns = []

urlpatterns += [path("map/", maps.world, name="map")]

urlpatterns += [
    path("graph/", graph.graph_page, name="graph"),
    path("graph/graph.svg", graph.graph_svg, name="graph-svg"),
    path("graph/<str:table>.<str:fmt>", graph.graph_data, name="graph-data"),
    path("compare/", compare.countries, name="compare"),
    path("compare/norms/", compare.norms, name="compare-norms"),
    # Before the countries' own pages (cyberdiplo/urls.py mounts these first).
    path("countries/<str:code>/norms/", adoption.country_norms, name="country-norms"),
    # Before the norms' own pages, as the countries' above.
    path("norms/<slug:framework>/<slug:slug>/states/", adoption.norm_states, name="norm-states"),
]

urlpatterns += [path("timeline/", timeline.timeline, name="timeline")]
