"""The link graph: on every record page (one and two steps out) and at /graph/ (the whole
network, filtered), with its data downloads, bounded in size and in queries; no draft
ever drawn or listed."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from core import linkgraph
from tests.conftest import DRAFT_TITLES
from tests.graph import make_graph
from tests.test_browser import (  # noqa: F401 (fixtures)
    assert_accessible,
    browser,
    close,
    page,
    sync_orm_beside_playwright,
)


def body_of(response) -> bytes:
    """The whole body, streamed or not (CSV streams; JSON may)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def svg_of(html: str, svg_id: str = "linkgraph") -> str:
    match = re.search(rf'<svg[^>]* id="{svg_id}".*?</svg>', html, re.S)
    assert match, f"no <svg id={svg_id}> on the page"
    return match.group(0)


def drawn_ids(svg: str) -> set[str]:
    return set(re.findall(r'class="linkgraph-node" data-id="([^"]+)"', svg))


def drawn_urls(svg: str) -> set[str]:
    return set(re.findall(r'<a href="([^"]+)" class="linkgraph-node"', svg))


@pytest.mark.django_db
def test_agreement_page_draws_its_links_one_and_two_steps_out(client, graph):
    html = client.get(graph["agreement"].get_absolute_url()).content.decode()
    svg = svg_of(html)
    assert 'role="group"' in svg and "<title id=" in svg and "<desc id=" in svg
    urls = drawn_urls(svg)
    # One step out: the norm it affirms, the body it established, its themes.
    assert graph["norm"].get_absolute_url() in urls
    assert graph["body"].get_absolute_url() in urls
    assert graph["theme"].get_absolute_url() in urls
    # Two steps out: the framework that sets out the norm.
    assert graph["framework"].get_absolute_url() in urls
    # Relations are labelled: under the first ring, and in the table.
    assert "affirmed by this" in svg
    table = html[html.index('class="graph-table"') :]
    assert "<td>affirms</td>" in table and "<td>set out in</td>" in table
    assert "<figcaption>" in html
    assert (
        'Cite: Cyberdiplo contributors. "Links of Agreement 0, one and two steps out."'
        in unescape(html)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["agreement", "norm", "body", "framework", "incident"])
def test_every_record_type_has_a_link_graph(client, graph, key):
    html = client.get(graph[key].get_absolute_url()).content.decode()
    assert len(drawn_ids(svg_of(html))) >= 3


@pytest.mark.django_db
def test_no_draft_is_drawn_listed_or_exported(client, graph):
    focus = graph["agreement"].get_absolute_url()
    pages = [graph[k].get_absolute_url() for k in ("agreement", "norm", "body", "framework")]
    pages += [reverse("visual:graph"), reverse("visual:graph") + "?type=theme&type=norm"]
    pages += [reverse("visual:graph-svg"), reverse("visual:graph-data", args=["nodes", "csv"])]
    pages += [reverse("visual:graph-data", args=["edges", "json"]) + f"?focus={focus}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for title in DRAFT_TITLES:
            assert title not in body_of(response).decode(), (url, title)


@pytest.mark.django_db
def test_a_record_graph_is_bounded_and_lists_the_rest(graph):
    full = linkgraph.ego(graph["norm"])
    small = linkgraph.ego(graph["norm"], max_nodes=4)
    assert len(small.nodes) == 4
    assert {n.id for n in small.hidden} | {n.id for n in small.nodes} == {
        n.id for n in full.nodes
    } | {n.id for n in full.hidden}
    picture = linkgraph.record_picture(graph["norm"])["linkgraph"]
    svg = linkgraph.render_svg(small, linkgraph.radial_layout(small), title="t", description="d")
    assert f"and {len(small.hidden)} more" in svg
    # The table lists every link gathered, drawn or not.
    assert picture["rows"] == len(full.all_edges) == picture["table"].count("<tr>")
    edge = full.all_edges[0]
    assert f'<a href="{edge.source.url}">' in picture["table"] and edge.relation in picture["table"]


@pytest.mark.django_db
def test_the_network_page_names_only_the_most_connected_of_those_left_out(
    client, graph, monkeypatch
):
    """At 100,000 records the network leaves out some 16,000 records: the page names a
    bounded number of them, the most connected first, and says how many in all."""
    from visual import graph as network_page

    monkeypatch.setattr(network_page, "MAX_NODES", 3)
    monkeypatch.setattr(linkgraph, "NAMED_LEFT_OUT", 2)
    types = [key for key in network_page.kinds() if key != "theme"]
    network = linkgraph.network(types, max_nodes=3)
    assert len(network.hidden) > 2
    html = client.get(reverse("visual:graph")).content.decode()
    left_out = re.search(r"<p>Left out \((\d+)\); the 2 most connected are named here.*?</p>", html)
    assert left_out and int(left_out.group(1)) == len(network.hidden)
    named = re.findall(r'<a href="([^"]+)">', left_out.group(0))
    assert named == [node.url for node in network.hidden[:2]]
    assert f"and {len(network.hidden)} more, the 2 most connected listed below" in html


@pytest.mark.django_db
def test_record_picture_queries_do_not_grow_with_the_data():
    def count(record) -> int:
        with CaptureQueriesContext(connection) as ctx:
            linkgraph.record_picture(record)
        return len(ctx.captured_queries)

    small_graph = make_graph(scale=2)
    small = {k: count(small_graph[k]) for k in ("agreement", "norm", "body", "framework")}
    from tests.test_queries import clear_records

    clear_records()
    large_graph = make_graph(scale=12)
    large = {k: count(large_graph[k]) for k in ("agreement", "norm", "body", "framework")}
    assert small == large
    # Each relation at most twice (one step out, then two) and the themes once: 7 relations
    # of agreements, norms and bodies, 5 of incidents and responses.
    assert max(small.values()) <= 2 * 12 + 1


@pytest.mark.django_db
def test_graph_page_filters_by_type_and_theme(client, graph):
    everything = svg_of(client.get(reverse("visual:graph")).content.decode(), "network")
    kinds = {i.split(":")[0] for i in drawn_ids(everything)}
    assert {"agreement", "norm", "framework", "body"} <= kinds
    assert "theme" not in kinds
    norms_only = svg_of(
        client.get(reverse("visual:graph") + "?type=norm&type=framework").content.decode(),
        "network",
    )
    assert {i.split(":")[0] for i in drawn_ids(norms_only)} == {"norm", "framework"}
    themed = svg_of(
        client.get(reverse("visual:graph") + "?type=norm&type=theme").content.decode(), "network"
    )
    assert f"theme:{graph['theme'].pk}" in drawn_ids(themed)


@pytest.mark.django_db
def test_graph_theme_filter_keeps_only_links_touching_that_theme(client, graph):
    from reference.models import Theme

    lonely = Theme.objects.create(name="Lonely", slug="lonely", description="No record.")
    graph["agreement"].themes.add(lonely)
    html = client.get(reverse("visual:graph") + "?theme=lonely").content.decode()
    drawn = drawn_ids(svg_of(html, "network"))
    assert f"agreement:{graph['agreement'].pk}" in drawn
    # The second agreement carries no such theme and links only to records without it.
    everything = drawn_ids(svg_of(client.get(reverse("visual:graph")).content.decode(), "network"))
    assert drawn < everything


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["?type=bogus", "?theme=no-such-theme", "?focus=/nowhere/", "?focus=/themes/",
     "?focus=" + "x" * 5000],
)  # fmt: skip
def test_graph_bad_input_is_a_400(client, graph, query):
    for url in (reverse("visual:graph"), reverse("visual:graph-svg")):
        response = client.get(url + query)
        assert response.status_code == 400, (url, query)


@pytest.mark.django_db
def test_graph_of_a_draft_is_a_404(client, graph):
    url = reverse("visual:graph") + "?focus=" + graph["draft_agreement"].get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(reverse("visual:graph-data", args=["nodes", "xml"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("focus", ["", "agreement"])
def test_graph_downloads_hold_what_the_picture_shows(client, graph, focus):
    query = f"?focus={graph[focus].get_absolute_url()}" if focus else ""
    html = client.get(reverse("visual:graph") + query).content.decode()
    svg = svg_of(html, "network")
    nodes = json.loads(
        body_of(client.get(reverse("visual:graph-data", args=["nodes", "json"]) + query))
    )
    assert {row["id"] for row in nodes["results"]} == drawn_ids(svg)
    assert all(row["citation"].startswith("Cyberdiplo contributors.") for row in nodes["results"])
    response = client.get(reverse("visual:graph-data", args=["edges", "csv"]) + query)
    rows = list(csv.DictReader(io.StringIO(body_of(response).decode("utf-8-sig"))))
    assert len(rows) == svg.count("<line ")
    assert response["Content-Disposition"].endswith('.csv"')
    standalone = client.get(reverse("visual:graph-svg") + query)
    assert standalone["Content-Type"] == "image/svg+xml"
    body = standalone.content.decode()
    assert 'xmlns="http://www.w3.org/2000/svg"' in body and "(accessed " in body
    assert drawn_ids(body) == drawn_ids(svg)


@pytest.mark.django_db
def test_graph_page_queries_do_not_grow_with_the_data(client):
    def count(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("visual:graph"), reverse("visual:graph") + "?type=norm&type=theme",
            reverse("visual:graph") + "?theme=cybercrime"]  # fmt: skip
    make_graph(scale=2)
    small = [count(u) for u in urls]
    from tests.test_queries import clear_records

    clear_records()
    make_graph(scale=12)
    assert [count(u) for u in urls] == small
    # the relations (14), the themes of the records, the theme asked for, the themes of the
    # filter's list, and the content types (cached per process, looked up once)
    assert max(small) <= 18


def test_cluster_layout_is_deterministic_and_labels_do_not_overlap():
    nodes = [
        linkgraph.Node("norm" if i % 3 else "agreement", i, f"Record {i}", f"R{i}", f"/r/{i}/")
        for i in range(120)
    ]
    edges = [linkgraph.Edge(nodes[i], nodes[(i * 7) % 120], "affirms") for i in range(120)]
    graph = linkgraph.Graph(nodes=nodes, edges=edges)
    first = linkgraph.cluster_layout(graph, labels=30)
    again = linkgraph.cluster_layout(graph, labels=30)
    assert [(p.x, p.y) for p in first] == [(p.x, p.y) for p in again]
    named = [p for p in first if p.label]
    assert 0 < len(named) <= 30
    boxes = []
    for p in named:
        width = len(p.node.label) * linkgraph.CHAR_WIDTH
        x0 = p.x + p.size + 3 if p.anchor == "start" else p.x - p.size - 3 - width
        boxes.append((x0, p.y - 9, x0 + width, p.y + 7))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3]


# ---------------------------------------------------------------------------------------
# In a browser


@pytest.mark.browser
def test_visitor_reads_a_record_graph_and_follows_a_node(page, live_server, transactional_db):  # noqa: F811
    made = make_graph(scale=2)
    page.goto(live_server.url + made["agreement"].get_absolute_url())
    figure = page.locator("section.linkgraph figure")
    expect(figure.locator("svg#linkgraph")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("Each mark is a record")
    assert figure.locator("a.linkgraph-node").count() >= 5
    page.locator("section.linkgraph details summary").click()
    expect(page.locator("section.linkgraph table")).to_contain_text("affirms")
    assert_accessible(page)
    # Keyboard: a node is a link that takes focus and opens its record.
    norm_url = made["norm"].get_absolute_url()
    node = figure.locator(f'a.linkgraph-node[href="{norm_url}"]')
    node.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + norm_url)
    expect(page.locator("svg#linkgraph")).to_be_visible()


@pytest.mark.browser
def test_a_name_with_no_room_shows_over_the_picture_when_pointed_at_or_focused(
    page, live_server, transactional_db, shipped  # noqa: F811
):  # fmt: skip
    page.goto(live_server.url + "/norms/un-gge-2015/13f/")
    crowded = page.locator("a.linkgraph-node:has(.linkgraph-label-hidden)")
    assert crowded.count() > 0, "the 13(f) norm's graph has names shown on hover only"
    node = crowded.first
    name = node.locator(".linkgraph-label-hidden").first.text_content()
    shown = page.locator("svg#linkgraph > g.linkgraph-top text")
    node.locator("rect, polygon, circle, path").first.hover()
    expect(shown).to_have_count(1)
    expect(shown).to_have_text(name)  # last in the picture: over every other name
    page.mouse.move(0, 0)
    expect(shown).to_have_count(0)
    node.focus()
    expect(shown).to_have_text(name)
    assert page.evaluate("document.activeElement.dataset.id") == node.get_attribute("data-id")


@pytest.mark.browser
def test_visitor_filters_the_network_and_its_download_matches(page, live_server, transactional_db):  # noqa: F811
    make_graph(scale=2)
    page.goto(live_server.url + reverse("visual:graph"))
    nodes = page.locator("svg#network a.linkgraph-node")
    before = nodes.count()
    assert before > 5
    expect(page.locator("figure figcaption")).to_contain_text("records and")
    assert_accessible(page)
    page.get_by_role("checkbox", name="Agreements").uncheck()
    page.get_by_role("checkbox", name="Bodies").uncheck()
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"type=norm"))
    after = nodes.count()
    assert 0 < after < before
    assert page.locator('svg#network a.linkgraph-node[data-id^="agreement:"]').count() == 0
    href = page.get_by_role("link", name="JSON").first.get_attribute("href")
    data = page.request.get(live_server.url + href).json()
    assert data["count"] == page.locator("svg#network line").count()
    # Progressive extras: zoom buttons exist only with the script, and change the view.
    box = page.locator("svg#network")
    view = box.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    assert box.get_attribute("viewBox") != view
    assert_accessible(page)


@pytest.mark.browser
def test_record_graph_fits_a_phone_without_sideways_scroll(browser, live_server, transactional_db):  # noqa: F811
    made = make_graph(scale=2)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        for url in (made["norm"].get_absolute_url(), reverse("visual:graph")):
            phone.goto(live_server.url + url)
            expect(phone.locator("svg.linkgraph-svg")).to_be_visible()
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, url
    finally:
        close(context)


def test_each_record_type_and_themes_have_a_shape_of_their_own():
    from core.linkgraph import KINDS
    from core.registry import registry

    assert {rt.key for rt in registry} | {"theme"} <= set(KINDS)
    shapes = [kind.shape for kind in KINDS.values()]
    assert len(set(shapes)) == len(shapes), shapes
    svg = "".join(linkgraph.shape(kind, 10, 10, 5) for kind in KINDS.values())  # every shape draws
    assert svg.count("<") == len(KINDS)


def legend_and_note(svg: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where the legend's last name ends and its line; where the note of the records
    left out starts and its line (names at the legend's 7.2 units a character)."""
    legend = svg[svg.index('class="linkgraph-legend"') :]
    legend = legend[: legend.index("</g>")]
    x, y, name = re.findall(r'<text x="([\d.-]+)" y="([\d.-]+)"[^>]*>([^<]*)</text>', legend)[-1]
    note_x, note_y, anchor, note = re.search(
        r'<text x="([\d.-]+)" y="([\d.-]+)"[^>]*text-anchor="(\w+)" class="linkgraph-more">'
        r"([^<]*)</text>",
        svg,
    ).groups()
    start = float(note_x) - (len(note) * 7.2 if anchor == "end" else 0)
    return (float(x) + len(name) * 7.2, float(y)), (start, float(note_y))


@pytest.mark.django_db
def test_the_note_of_records_left_out_never_covers_the_legend(graph):
    full = linkgraph.ego(graph["norm"])
    beside = set()
    for drawn in range(4, len(full.nodes)):
        small = linkgraph.ego(graph["norm"], max_nodes=drawn)
        svg = linkgraph.render_svg(
            small, linkgraph.radial_layout(small), title="t", description="d"
        )
        (legend_end, legend_line), (start, line) = legend_and_note(svg)
        assert line != legend_line or start >= legend_end, (drawn, legend_end, start)
        beside.add(line == legend_line)
    assert beside == {True, False}, "beside the legend for a few kinds, under it for many"


def crowded(inner: int, outer: int) -> linkgraph.Graph:
    """A record with ``inner`` records one step out and ``outer`` two steps out, every
    name as long as a picture draws."""

    def node(kind: str, pk: int) -> linkgraph.Node:
        label = f"{kind.capitalize()} {pk} with a long name indeed"
        return linkgraph.Node(kind, pk, label, label, f"/{kind}/{pk}/")

    centre = node("norm", 0)
    ring1 = [node("agreement" if i % 2 else "response", i + 1) for i in range(inner)]
    ring2 = [node("incident", 100 + i) for i in range(outer)]
    edges = [linkgraph.Edge(centre, n, "affirms") for n in ring1]
    edges += [linkgraph.Edge(ring1[i % inner], n, "references") for i, n in enumerate(ring2)]
    ring = {centre.id: 0} | {n.id: 1 for n in ring1} | {n.id: 2 for n in ring2}
    return linkgraph.Graph([centre, *ring1, *ring2], edges, centre, ring)


def drawn_labels(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Each node's label shown on the picture (not only on hover): its box, from where
    the SVG draws it and how long it is, at the legend's 6.4 units a character."""
    boxes = {}
    for node_id, text in re.findall(r'data-id="([^"]+)"[^>]*>.*?(<text [^>]*>[^<]*)</text>', svg):
        if 'visibility="hidden"' in text:
            continue
        x, y, size, anchor = re.search(
            r'x="([\d.-]+)" y="([\d.-]+)" font-size="([\d.]+)".*?text-anchor="(\w+)"', text
        ).groups()
        width = len(unescape(text[text.index(">") + 1 :])) * 6.4 * float(size) / 12
        left = {"start": float(x), "end": float(x) - width, "middle": float(x) - width / 2}
        boxes[node_id] = (left[anchor], float(y) - 11, left[anchor] + width, float(y) + 3)
    return boxes


def test_a_crowded_graph_draws_no_name_over_another_or_over_a_record():
    for inner, outer in [(4, 3), (12, 10), (20, 19), (30, 9)]:
        graph = crowded(inner, outer)
        placed = linkgraph.radial_layout(graph)
        svg = linkgraph.render_svg(graph, placed, title="t", description="d", spoke_labels=False)
        labels = drawn_labels(svg)
        for a, box in labels.items():
            for b, other in labels.items():
                apart = (
                    box[2] < other[0] or other[2] < box[0] or box[3] < other[1] or other[3] < box[1]
                )
                assert a == b or apart, f"{inner}+{outer}: {a}'s name over {b}'s"
            for p in placed:
                inside = box[0] < p.x < box[2] and box[1] < p.y < box[3]
                assert p.node.id == a or not inside, f"{inner}+{outer}: {a}'s name over {p.node.id}"
        hidden = len(placed) - len(labels)
        # A few records named on the picture; a crowd named where there is room, every
        # one on hover and focus and in the list below.
        assert hidden == 0 if inner + outer < 10 else 0 < hidden < len(placed) / 2, (inner, hidden)
        assert svg.count("linkgraph-label-hidden") == hidden
        # Under a name, how the record links to the centre: shown and hidden with it.
        spokes = linkgraph.render_svg(graph, placed, title="t", description="d", spoke_labels=True)
        for node in re.findall(r'<a href[^>]*class="linkgraph-node".*?</a>', spokes):
            texts, hidden_texts = node.count("<text"), node.count('visibility="hidden"')
            assert hidden_texts in (0, texts), node


@pytest.mark.django_db
def test_a_graph_reads_of_each_record_only_what_its_node_is_drawn_from(graph):
    """A hub's graph reads hundreds of rows: not their translations, dates or text."""
    record = linkgraph.ego(graph["norm"])  # compiled once, then read as a page reads it
    with CaptureQueriesContext(connection) as queries:
        record = linkgraph.ego(graph["norm"])
    assert len(record.nodes) > 5
    steps = [q["sql"] for q in queries if "ANY(" in q["sql"]]
    assert len(steps) >= 10, "each relation one and two steps out"
    for sql in steps:
        selected = sql[: sql.index(" FROM ")]
        for column in ('"translations"', '"summary"', '"updated"', '"as_of"'):
            assert column not in selected, f"{column} read by {selected[:120]}…"
