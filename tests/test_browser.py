"""A person in headless Chromium follows links from record to record; axe checks each page.

These tests never skip: if Chromium cannot start, they fail and say how to fix it.
"""

import os
import re
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.signals import request_finished, request_started
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tests.graph import make_graph

pytestmark = pytest.mark.browser


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def sync_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread while the ORM is used
    synchronously. Allowed for this module only (never in a deployment), and for as long
    as the browser runs, database teardown included."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(sync_orm_beside_playwright):
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
        except PlaywrightError as exc:
            pytest.fail(
                f"Chromium could not start from {CHROMIUM} ({exc.message.splitlines()[0]}). "
                "Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH."
            )
        yield browser
        browser.close()


class Answering:
    """The requests the live server's threads have begun and not yet finished (Django's
    ``request_started`` and ``request_finished``, sent in the thread answering)."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()
        self.local = threading.local()
        request_started.connect(self.started, dispatch_uid="tests.browser.answering")
        request_finished.connect(self.finished, dispatch_uid="tests.browser.answered")

    def started(self, **kwargs) -> None:
        if threading.current_thread() is threading.main_thread():
            return  # the test client's, in the test's own thread
        self.local.counted = True
        with self.changed:
            self.count += 1

    def finished(self, **kwargs) -> None:
        if getattr(self.local, "counted", False):
            self.local.counted = False
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait(self, timeout: float = 30) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.count == 0, timeout):
                pytest.fail(f"the live server is still answering {self.count} requests")


ANSWERING = Answering()


def close(context) -> None:
    """Close a browser context, then wait until the live server has finished every
    request it began. One still being answered would hold locks that the database's
    flush after a transactional test waits for (a deadlock, seen when the suite runs in
    parallel); with the context closed, no new one starts."""
    context.close()
    ANSWERING.wait()


@pytest.fixture
def page(browser, live_server, transactional_db):
    # After the database fixture, so torn down before its flush (``close``).
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text),
    )
    yield page
    close(context)


def assert_accessible(page) -> None:
    results = Axe().run(page, options=AXE_OPTIONS)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{page.url}: {serious}"
    assert not page.csp_violations, page.csp_violations


def test_visitor_follows_links_from_home_to_theme_agreement_norm_and_body(
    page, live_server, transactional_db
):
    make_graph(scale=2)
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyber diplomacy, linked and sourced")
    assert_accessible(page)

    page.get_by_role("link", name="Confidence-building measures").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confidence-building measures")
    assert_accessible(page)

    page.get_by_role("link", name="Agreement 0", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreement 0")
    expect(page.get_by_role("heading", name="Referenced by")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Norm 0.0 (A/70/174 13(a))").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Norm 0.0")
    expect(page.get_by_role("heading", name="Affirms it (agreements)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Body 0 (B0)").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Body 0")
    assert page.url.endswith("/bodies/body-0/")
    assert_accessible(page)


def test_keyboard_user_can_skip_to_content(page, live_server, transactional_db):
    make_graph(scale=1)
    page.goto(live_server.url + "/agreements/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    # Waited for: under load the page's URL can be read before the jump to #main is made.
    expect(page).to_have_url(re.compile(r"/agreements/#main$"))
    expect(page.locator("#main")).to_be_focused()


def test_researcher_filters_by_two_themes_and_years_then_exports(
    page, live_server, transactional_db, shipped, tmp_path
):
    import csv

    page.goto(live_server.url + "/agreements/")
    heading = page.locator("#results-heading")
    before = heading.inner_text()

    page.get_by_role("checkbox", name=re.compile(r"^Cybercrime \(")).check()
    expect(heading).not_to_have_text(before)  # updated in place, no reload
    # The status region outside the swapped listing announces the new count.
    expect(page.locator("#results-status")).to_have_text(heading.inner_text())
    assert "theme=cybercrime" in page.url
    expect(page.get_by_role("checkbox", name=re.compile(r"^Cybercrime \("))).to_be_focused()

    page.get_by_role("checkbox", name=re.compile(r"^International law in cyberspace \(")).check()
    expect(page).to_have_url(re.compile(r"theme=cybercrime&theme=international-law"))
    page.get_by_label("From year").fill("2000")
    page.get_by_label("to year").fill("2020")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"year_from=2000&year_to=2020"))
    shown = int(heading.inner_text().split()[0])
    assert shown > 0
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "export.csv"
    download_info.value.save_as(path)
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == shown
    assert all("2000" <= row["adopted"][:4] <= "2020" for row in rows)
    assert all(
        {"Cybercrime", "International law in cyberspace"} & set(row["themes"].split("; "))
        for row in rows
    )

    # The back button restores the previous selection: the listing is fetched again. Wait
    # for it, or the database is emptied after the test while the server still reads it.
    with page.expect_response(lambda response: "partial=listing" in response.url) as restored:
        page.go_back()
    assert restored.value.ok
    assert "year_from" not in restored.value.url
    expect(page).not_to_have_url(re.compile(r"year_from"))


def test_search_box_finds_a_misspelt_treaty(page, live_server, transactional_db):
    make_graph(scale=1)
    page.goto(live_server.url)
    page.get_by_role("searchbox", name="Search Cyberdiplo").fill("Agreemnt 0")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status")).to_contain_text("Showing results for Agreement 0.")
    assert_accessible(page)
    page.get_by_role("article").get_by_role("link", name="Agreement 0", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreement 0")


def choose(page, select_id: str, text: str, option: str) -> None:
    """Pick ``option`` in a Django admin autocomplete (select2) by typing ``text``."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=option).first.click()


def log_in(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def run_action(page, base: str, title: str, action: str) -> None:
    page.goto(f"{base}/admin/agreements/agreement/?q={title.split()[0]}")
    page.get_by_role("row", name=re.compile(title)).get_by_role("checkbox").check()
    page.locator('select[name="action"]').select_option(label=action)
    page.locator('.actions button[name="index"]').click()


def test_editor_drafts_reviewer_publishes_visitor_finds_reviewer_reverts(
    browser, live_server, transactional_db
):
    from tests.conftest import staff_in

    make_graph(scale=1)
    staff_in("editor", "edith", "Edith Editor")
    staff_in("reviewer", "rui", "Rui Reviewer")
    base = live_server.url
    title = "Hotline understanding"

    # The editor drafts an agreement with a party, a theme, a source and a norm link.
    editor = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(editor, base, "edith", "/admin/agreements/agreement/add/")
    editor.get_by_label("Title:", exact=True).fill(title)
    editor.get_by_label("Summary:", exact=True).fill(
        "Two states agree to set up a hotline for incidents."
    )
    editor.get_by_label("Legal form:", exact=True).select_option(label="Political commitment")
    editor.get_by_label("Number of parties:", exact=True).select_option(
        label="Bilateral (two parties)"
    )
    editor.get_by_label("Adopted:", exact=True).fill("2013-06-17")
    editor.get_by_label("Legal status:", exact=True).select_option(
        label="Non-binding (no entry into force)"
    )
    editor.get_by_label("Status as of:", exact=True).fill("2026-11-01")
    choose(editor, "id_participations-0-country", "Country", "Country 0")
    editor.locator("#id_participations-0-as_of").fill("2026-11-01")
    choose(editor, "id_norm_links-0-norm", "Norm", "Norm 0.0")
    editor.locator("#id_norm_links-0-relation").select_option(label="Affirms")
    choose(editor, "id_reference-citation-content_type-object_id-0-source", "Report", "Report")
    choose(
        editor, "id_reference-themeditem-content_type-object_id-0-tag", "Confidence", "Confidence"
    )
    expect(editor.get_by_label("Status:", exact=True)).to_have_value("draft")
    editor.get_by_role("button", name="Save", exact=True).first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    run_action(editor, base, title, "Submit for review")
    expect(editor.locator(".messagelist")).to_contain_text("Submitted: 1 record(s).")

    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/agreements/hotline-understanding/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Page not found")

    # The reviewer publishes it.
    reviewer = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(reviewer, base, "rui", "/admin/")
    expect(reviewer.locator("#dashboard")).to_contain_text("Awaiting review (2)")  # and a norm
    expect(reviewer.locator("#dashboard").get_by_role("link", name=title)).to_be_visible()
    run_action(reviewer, base, title, "Publish")
    expect(reviewer.locator(".messagelist")).to_contain_text("Published: 1 record(s).")

    # A visitor finds it on its theme page and in search, with its links.
    visitor.goto(f"{base}/themes/confidence-building-measures/")
    visitor.get_by_role("link", name=title, exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.get_by_role("link", name="Country 0", exact=True)).to_be_visible()
    expect(visitor.get_by_role("link", name=re.compile(r"^Norm 0\.0"))).to_be_visible()
    visitor.goto(f"{base}/search/?q=hotline")
    expect(visitor.get_by_role("link", name=title)).to_be_visible()

    # The reviewer rewrites the summary, then reverts to the published version.
    reviewer.goto(f"{base}/admin/agreements/agreement/?q=Hotline")
    reviewer.get_by_role("link", name=title).click()
    reviewer.get_by_label("Summary:", exact=True).fill("A hasty rewrite.")
    reviewer.get_by_role("button", name="Save", exact=True).first.click()
    visitor.goto(f"{base}/agreements/hotline-understanding/")
    expect(visitor.locator(".summary")).to_have_text("A hasty rewrite.")

    reviewer.goto(f"{base}/admin/agreements/agreement/?q=Hotline")
    reviewer.get_by_role("link", name=title).click()
    reviewer.get_by_role("link", name="History").click()
    # The newest row is the rewrite; the one below it is the published version.
    reviewer.locator("#change-history tbody tr").nth(1).get_by_role("link").first.click()
    reviewer.get_by_role("button", name="Revert").first.click()
    visitor.goto(f"{base}/agreements/hotline-understanding/")
    expect(visitor.locator(".summary")).to_have_text(
        "Two states agree to set up a hotline for incidents."
    )


def test_a_slug_made_from_a_title_keeps_its_dashes(browser, live_server, transactional_db):
    from tests.conftest import staff_in

    staff_in("editor", "edith", "Edith Editor")
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(page, live_server.url, "edith", "/admin/agreements/agreement/add/")
    page.get_by_label("Title:", exact=True).press_sequentially("Japan–Estonia cyber dialogue")
    expect(page.locator("#id_slug")).to_have_value("japan-estonia-cyber-dialogue")


# One page of every type, on the shipped content (the longest tables, the longest links).
PHONE_PAGES = [
    "/",
    "/agreements/",
    "/agreements/?view=table",  # the table scrolls inside its frame, not the page
    "/agreements/budapest-convention/",
    "/norms/",
    "/norms/un-gge-2015/",
    "/norms/un-gge-2015/13f/",
    "/bodies/",
    "/bodies/enisa/",
    "/glossary/",
    "/glossary/critical-infrastructure/",
    "/themes/",
    "/themes/cybercrime/",
    "/countries/",
    "/countries/fr/",
    "/search/?q=cyber",
    "/about/",
    "/data/",
    "/incidents/",
    "/incidents/wannacry-2017/",
    "/responses/",
    "/responses/?view=table",
    "/responses/eu-sanctions-2020-07/",
    "/timeline/",
    "/map/",
    "/graph/",
    "/compare/?country=FR&country=DE",
    "/compare/norms/?norm=un-gge-2015/13f&norm=un-gge-2021/norm-13f",
    *(
        READER_PAGES := [
            "/norms/lineage/un-gge-2015-13f/",
            "/positions/",
            "/positions/?view=table",
            "/positions/finland-2020/",
            "/profiles/",
            "/profiles/france/",
            "/data/releases/",
            "/agreements/budapest-convention/?as_of=2005-01-01",
            "/countries/fr/norms/",
            "/paths/",
            "/paths/eu-cyber-diplomacy-toolbox/",
            "/norms/un-gge-2015/13f/states/",
            "/countries/fr/?as_of=2005-01-01",
            "/bodies/nato/?from=2004-01-01&to=2010-01-01",
            "/agreements/budapest-convention/?from=2004-01-01&to=2006-12-31",
            "/themes/cybercrime/?as_of=2005-01-01",
            "/fr/",
            "/es/glossary/",
            "/fr/norms/un-gge-2015/13a/",
            "/es/themes/",
        ]
    ),
    "/agreements/budapest-convention/changes/",  # a record's change log
    "/themes/cybercrime/?type=agreement",  # a theme's records of one type
]


def test_a_release_page_fits_a_390px_phone_and_passes_axe(
    browser, live_server, transactional_db, shipped, settings, tmp_path
):
    from django.core.management import call_command

    settings.RELEASES_DIR = str(tmp_path)
    call_command("release", "--as", "2026.11.29")
    for width in (390, 1280):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.csp_violations = []
        page.on(
            "console",
            lambda msg, page=page: (
                "Content Security Policy" in msg.text and page.csp_violations.append(msg.text)
            ),
        )
        for path in ("/data/releases/", "/data/releases/2026.11.29/"):
            assert page.goto(live_server.url + path).status == 200, path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert_accessible(page)
        page.context.close()


def test_positions_profiles_and_a_lineage_pass_axe(browser, live_server, transactional_db, shipped):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text),
    )
    for path in READER_PAGES:
        assert page.goto(live_server.url + path).status == 200, path
        assert_accessible(page)
    page.context.close()


def test_a_reader_switches_to_french_and_spanish_and_stays_there(
    browser, live_server, transactional_db, shipped
):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Languages").get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Glossaire"
    ).click()
    expect(page).to_have_url(live_server.url + "/fr/glossary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossaire")
    page.locator("dl.glossary dt a").first.click()
    assert page.url.startswith(live_server.url + "/fr/glossary/")
    page.get_by_role("navigation", name="Langues").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.startswith(live_server.url + "/es/glossary/")
    for reference in "abcdefghijk":
        page.goto(f"{live_server.url}/es/norms/un-gge-2015/13{reference}/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("navigation", name="Ruta de navegación")).to_contain_text("Normas")
    page.context.close()


def test_no_page_scrolls_sideways_on_a_390px_phone(browser, live_server, transactional_db, shipped):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    wide = []
    for path in PHONE_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append(f"{path}: {width}px")
    phone.close()
    assert not wide, wide


def test_on_a_phone_results_come_first_and_a_long_facet_narrows_as_you_type(
    browser, live_server, transactional_db, shipped
):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto(live_server.url + "/agreements/")
    panel = page.locator("[data-filters-panel]")
    assert panel.evaluate("panel => panel.open") is False, "folded on a phone"
    first = page.locator(".results article").first
    assert first.bounding_box()["y"] < 844, "the first result is on the first screen"
    panel.locator("summary").click()
    finder = page.get_by_label("Find in Party")
    finder.fill("fran")
    parties = page.locator("fieldset[data-long]").first.locator(".options li")
    shown = [t for t in parties.all_inner_texts() if t]
    visible = parties.filter(has_text="France")
    expect(visible.first).to_be_visible()
    assert page.locator("fieldset[data-long] .options li:not([hidden])").count() < len(shown)
    visible.first.get_by_role("checkbox").check()
    expect(page.get_by_role("link", name="Remove the filter Party: France")).to_be_visible()
    assert finders_where_the_options_need_one(page)
    phone.close()


def finders_where_the_options_need_one(page) -> list[tuple[int, bool]]:
    """Each long facet's (options, has a finder): a finder exactly where there are more
    than ten options (static/js/filters.js)."""
    found = page.locator("fieldset[data-long]").evaluate_all(
        "sets => sets.map(s => [s.querySelectorAll('.options li').length,"
        " Boolean(s.querySelector('.finder'))])"
    )
    assert all(has == (options > 10) for options, has in found), found
    return found


def test_a_long_facet_of_a_few_values_has_no_box_to_narrow_it(page, live_server):
    make_graph(scale=2)
    page.goto(live_server.url + "/agreements/")
    found = finders_where_the_options_need_one(page)
    assert found and not any(has for _options, has in found)


def test_the_parties_inline_fits_the_form_with_its_required_date_in_view(
    browser, live_server, transactional_db
):
    from tests.conftest import staff_in

    staff_in("editor", "edith", "Edith Editor")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server.url, "edith", "/admin/agreements/agreement/add/")
    group = page.locator("#participations-group")
    table, box = group.locator("table"), group.bounding_box()
    assert table.bounding_box()["width"] <= box["width"] + 1, "no sideways scrolling"
    as_of = group.locator("th", has_text="As of")
    assert as_of.bounding_box()["x"] + as_of.bounding_box()["width"] <= 1280
    signed = page.locator("#id_participations-0-signed")
    assert signed.get_attribute("placeholder") == "YYYY-MM-DD" and signed.get_attribute("pattern")


def test_the_budapest_convention_page_is_short_with_every_party_reachable(
    page, live_server, shipped
):
    page.goto(live_server.url + "/agreements/budapest-convention/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height
    summary = page.locator(".party-table > summary")
    count = int(re.search(r"\((\d+)\)", summary.inner_text()).group(1))
    summary.click()
    expect(page.locator("table[data-filterable] tbody tr")).to_have_count(count)
    page.get_by_label("Find a party").fill("Japan")
    expect(page.locator("table[data-filterable] tbody tr:not([hidden])")).to_have_count(1)
    assert_accessible(page)


def test_the_admin_pages_editors_use_pass_axe(browser, live_server, transactional_db):
    """Rows of inlines (fields under column headings) and searchable pickers carry the
    names of their fields."""
    from tests.conftest import staff_in

    made = make_graph(scale=2)
    staff_in("editor", "edith", "Edith Editor")
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text),
    )
    log_in(page, live_server.url, "edith", "/admin/")
    for path in [
        "/admin/agreements/agreement/add/",
        f"/admin/agreements/agreement/{made['agreement'].pk}/change/",
        f"/admin/norms/norm/{made['norm'].pk}/change/",
        "/admin/norms/normframework/add/",
        f"/admin/bodies/body/{made['body'].pk}/change/",
        "/admin/incidents/response/add/",
        f"/admin/agreements/agreement/{made['draft_agreement'].pk}/change/",  # its buttons
        "/admin/positions/nationalposition/add/",
        "/admin/profiles/countryprofile/add/",
        "/admin/paths/learningpath/add/",
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("#content h1")).to_be_visible()
        if page.locator("select.admin-autocomplete").count():  # not on a read-only page
            expect(page.locator(".select2-selection[aria-label]").first).to_be_attached()
        assert_accessible(page)
    page.context.close()


def test_a_student_finishes_a_learning_path_and_comes_back_to_it(
    browser, live_server, transactional_db, shipped
):
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.csp_violations = []
        page.on(
            "console",
            lambda msg, page=page: (
                "Content Security Policy" in msg.text and page.csp_violations.append(msg.text)
            ),
        )
        page.goto(live_server.url + "/paths/")
        assert_accessible(page)
        page.get_by_role("link", name="The EU's cyber diplomacy toolbox").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "The EU's cyber diplomacy toolbox"
        )
        steps = page.locator("li.path-step")
        total = steps.count()
        assert total >= 5
        progress = page.locator(".path-progress-line")
        expect(progress).to_have_text(f"0 of {total} steps done")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        # The first two steps read: marked done, then the page is left and opened again.
        for n in (1, 2):
            steps.nth(n - 1).get_by_role("button", name="Mark as done").click()
        expect(progress).to_have_text(f"2 of {total} steps done")
        page.get_by_role("link", name="Next step").nth(1).click()
        assert page.url.endswith("#step-3")
        page.goto(live_server.url + "/")
        page.go_back()
        page.reload()
        expect(progress).to_have_text(f"2 of {total} steps done")
        expect(steps.nth(0).get_by_role("button")).to_have_text("Done ✓ (mark as not done)")
        page.get_by_role("link", name="Continue where you left off: step 3").click()
        assert page.url.endswith("#step-3")
        expect(page.locator("#step-3")).to_be_in_viewport()

        # The rest, to the end: the path says it is finished, still after a reload.
        for n in range(3, total + 1):
            steps.nth(n - 1).get_by_role("button", name="Mark as done").click()
        finished = f"All {total} steps done: you have finished this path."
        expect(progress).to_have_text(finished)
        expect(page.locator(".path-continue")).to_be_hidden()
        assert_accessible(page)
        page.reload()
        expect(progress).to_have_text(finished)

        # Starting again clears it.
        page.get_by_role("button", name="Start again (clear my progress)").click()
        expect(progress).to_have_text(f"0 of {total} steps done")
        page.reload()
        expect(progress).to_have_text(f"0 of {total} steps done")
        context.close()


def test_a_learning_path_reads_whole_without_javascript_and_prints_without_controls(
    browser, live_server, transactional_db, shipped
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/paths/un-norms-in-30-minutes/")
    steps = page.locator("li.path-step")
    assert steps.count() >= 5
    expect(page.get_by_role("link", name="Next step").first).to_be_visible()
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)
    context.close()

    page = browser.new_context().new_page()
    page.goto(live_server.url + "/paths/un-norms-in-30-minutes/")
    expect(page.get_by_role("button", name="Mark as done").first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Mark as done").first).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".path-step-nav").first).to_be_hidden()
    address = page.locator(".path-step-address").first
    expect(address).to_be_visible()
    expect(address).to_contain_text(live_server.url + "/")
    page.context.close()
