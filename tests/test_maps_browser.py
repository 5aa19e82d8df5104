"""The maps in headless Chromium: drawn, labelled, linked, filtered, downloaded, the table
beside them, readable at 390 px, and axe finds nothing serious on their pages."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests import test_browser
from tests.test_maps import build_world

pytestmark = pytest.mark.browser

# The browser fixtures of test_browser.py, shared rather than copied.
sync_orm_beside_playwright = test_browser.sync_orm_beside_playwright
browser = test_browser.browser
page = test_browser.page
assert_accessible = test_browser.assert_accessible


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_world_map_is_drawn_linked_filtered_and_downloadable(
    page, live_server, transactional_db, tmp_path
):
    build_world()
    page.goto(live_server.url + "/map/")
    figure = page.locator("figure.worldmap")
    svg = figure.locator(".worldmap-frame > svg")
    expect(svg).to_be_visible()
    expect(svg.locator("title").first).to_have_text("Instruments each state is party to")
    # Every state of the site is a link, named by its count's class; France is in two.
    expect(svg.locator("a.worldmap-place")).to_have_count(6)
    expect(svg.locator('a[aria-label="France: 2–3"]')).to_have_count(1)
    expect(figure.locator(".worldmap-legend li")).to_have_text(
        ["None 1", "1 4", "2–3 1"], use_inner_text=True
    )
    # The table beside the map is open and says the same.
    table = figure.locator("details.worldmap-data table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(table.get_by_role("row", name="France 2 2–3")).to_be_visible()
    assert_accessible(page)

    # A filter changes the map: Cybercrime alone leaves France and Japan at one each.
    page.get_by_label("Theme").select_option("cybercrime")
    page.get_by_role("button", name="Show on the map").click()
    expect(page).to_have_url(live_server.url + "/map/?theme=cybercrime&kind=")
    expect(svg.locator('a[aria-label="France: 1"]')).to_have_count(1)
    expect(svg.locator('a[aria-label="Germany: None"]')).to_have_count(1)
    shown = {
        row.locator("th").inner_text(): row.locator("td.num").inner_text()
        for row in table.locator("tbody tr").all()
    }

    # Its CSV download has the rows the table shows, for the same filter.
    with page.expect_download() as download:
        figure.get_by_role("link", name="data (CSV)").click()
    path = tmp_path / "map.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert {r["country"]: r["instruments"] for r in rows} == shown
    assert "theme=cybercrime" in rows[0]["citation"]

    # A country is a link to its page.
    svg.locator('a[aria-label="Japan: 1"]').click()
    expect(page).to_have_url(live_server.url + "/countries/jp/")


def test_agreement_and_body_maps_on_desktop_and_phone(page, live_server, transactional_db):
    world = build_world()
    page.goto(live_server.url + world["treaty"].get_absolute_url())
    figure = page.locator("figure.worldmap")
    expect(figure.locator("figcaption")).to_contain_text("Parties to the Treaty treaty")
    expect(figure.locator(".worldmap-legend li")).to_have_count(5)
    expect(figure.locator("svg a.worldmap-place")).to_have_count(5)
    # Singapore, too small to see, is a dot one can click; it is also in the table.
    expect(figure.locator('.worldmap-dots a[aria-label^="Singapore"] circle')).to_be_visible()
    figure.locator("summary").click()
    expect(
        figure.get_by_role("row", name="Singapore Participant, no dates recorded")
    ).to_be_visible()
    svg = page.request.get(page.url + "?map=svg")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert_accessible(page)
    # Keyboard: a link past the country links, to the table, shows when focused.
    page.locator(".worldmap-skip").focus()
    expect(page.locator(".worldmap-skip")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(figure.locator(".worldmap-frame > svg")).to_be_visible()
    # The map pans inside its frame (at least 36rem wide); it never widens the page.
    frame_svg = figure.locator(".worldmap-frame > svg")
    assert frame_svg.evaluate("e => getComputedStyle(e).minWidth") == "576px"
    assert page.evaluate(
        "document.querySelector('.worldmap').getBoundingClientRect().right <= window.innerWidth"
    )

    page.goto(live_server.url + world["body"].get_absolute_url())
    expect(page.locator("figure.worldmap svg a.worldmap-place")).to_have_count(3)
    # map.js starts the panned map on its members (in Europe), not on the Pacific.
    page.wait_for_function("document.querySelector('.worldmap-frame').scrollLeft > 100")
    assert no_sideways_scroll(page)
    assert_accessible(page)
