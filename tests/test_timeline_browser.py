"""The timeline and the accession chart as a person sees them in headless Chromium:
drawn, labelled, linked, filtered, downloaded, readable as tables, on a phone, by axe."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.test_browser import (  # noqa: F401 (fixtures)
    assert_accessible,
    browser,
    close,
    page,
    sync_orm_beside_playwright,
)
from tests.test_timeline import records  # noqa: F401 (a fixture)

# The fixtures imported above are redefined as test arguments: that is how pytest uses them.
# ruff: noqa: F811

pytestmark = pytest.mark.browser

MARKS = "figure.timeline svg a.timeline-mark"


def shown(page) -> set[str]:
    return set(page.locator(MARKS).evaluate_all("els => els.map(a => a.getAttribute('href'))"))


def test_timeline_is_drawn_linked_filtered_downloaded_and_accessible(
    page, live_server, transactional_db, records
):
    page.goto(live_server.url + "/timeline/")
    figure = page.locator("figure.timeline")
    expect(figure.locator("svg[role=group]")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("Cyber diplomacy timeline")
    expect(figure.locator("svg")).to_contain_text("Agreements and instruments (3)")
    everything = shown(page)
    assert records["treaty"].get_absolute_url() in everything and len(everything) == 6
    # The tables carry the same events as the picture.
    page.get_by_text("The timeline as tables").click()
    table_links = set(
        figure.locator("details table a").evaluate_all(
            "els => els.map(a => a.getAttribute('href'))"
        )
    )
    assert table_links == everything
    assert_accessible(page)

    # A filter changes the picture, and the data download says what it shows.
    page.check('input[name="theme"][value="cybercrime"]')
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/timeline/?*theme=cybercrime*")
    filtered = shown(page)
    assert filtered == {records[k].get_absolute_url() for k in ("treaty", "enisa")}
    with page.expect_download() as download:
        page.locator(".picture-downloads").get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        text = file.read()
    urls = {row["url"].removeprefix(live_server.url) for row in csv.DictReader(io.StringIO(text))}
    assert urls == filtered

    # Each mark is a link a keyboard reaches.
    mark = page.locator(MARKS).first
    mark.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreements/**")


def test_dragging_across_the_timeline_zooms_to_that_period(
    page, live_server, transactional_db, records
):
    page.goto(live_server.url + "/timeline/")
    expect(page.locator("[data-timeline-hint]")).to_be_visible()  # the script is running
    svg = page.locator("figure.timeline svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    y = box["y"] + box["height"] - 30  # above the axis, on no mark
    page.mouse.move(box["x"] + box["width"] * 0.5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**/timeline/?from=*")
    assert "to=" in page.url
    expect(page.locator("#id_from")).not_to_have_value("")


def test_phone_pans_the_picture_never_the_page(browser, live_server, transactional_db, records):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    for path in ("/timeline/", "/themes/cybercrime/", "/countries/fr/"):
        phone.goto(live_server.url + path)
        expect(phone.locator("figure.timeline svg")).to_be_visible()
        assert phone.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), path
        scroller = phone.locator("figure.timeline .picture-scroll")
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # it pans instead
    close(context)


def test_theme_page_shows_its_compact_timeline(page, live_server, transactional_db, records):
    page.goto(live_server.url + "/themes/cybercrime/")
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    assert shown(page) == {records[k].get_absolute_url() for k in ("treaty", "enisa")}
    page.get_by_role("link", name="open the full timeline").click()
    page.wait_for_url("**/timeline/?theme=cybercrime")
    assert_accessible(page)


def test_budapest_page_charts_signatures_and_parties_with_the_threshold(
    page, live_server, transactional_db, shipped
):
    page.goto(live_server.url + "/agreements/budapest-convention/")
    figure = page.locator("figure.accession")
    expect(figure.locator("svg[role=img]")).to_be_visible()
    expect(figure.locator("svg")).to_contain_text("5 needed to")
    expect(figure.locator("svg")).to_contain_text("Parties:")
    expect(figure.locator("figcaption")).to_contain_text("It needed 5 parties")
    last_row = figure.locator("details tbody tr").last
    parties = last_row.locator("td").nth(1).text_content()
    expect(figure.locator("svg")).to_contain_text(f"Parties: {parties}")
    with page.expect_download() as download:
        figure.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert rows[-1]["parties"] == parties
    assert_accessible(page)
