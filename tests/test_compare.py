"""/compare/: countries side by side with their differences marked; /compare/norms/: norms'
wording side by side, word by word; downloads of what is shown; bad input is a 400."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from core.text import word_diff
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


COMPARE = reverse("visual:compare")
NORMS = reverse("visual:compare-norms")


def rows_of(html: str, section: str) -> dict[str, str]:
    """The rows of a section's table, by record title: the row's HTML."""
    part = html[html.index(f'id="compare-{section}-heading"') :]
    part = part[: part.index("</table>")]
    return {
        re.sub(r"<[^>]+>", "", m.group(1)).strip(): m.group(0)
        for m in re.finditer(
            r'<tr[^>]*>\s*<th scope="row"><a [^>]+>([^<]+)</a>.*?</tr>', part, re.S
        )
    }


@pytest.mark.django_db
def test_countries_side_by_side_with_dates_and_differences_marked(client, graph):
    html = client.get(COMPARE + "?country=AA&country=AB").content.decode()
    agreements = rows_of(html, "agreements")
    # Country 0 (AA) is party to both agreements, Country 1 (AB) to the second only.
    assert set(agreements) == {"Agreement 0", "Agreement 1"}
    assert "signed 23 November 2001" in agreements["Agreement 0"]  # with its dates
    differs = agreements["Agreement 0"]
    assert 'class="compare-differs"' in differs and "≠" in differs and "1 of 2" in differs
    shared = agreements["Agreement 1"]
    assert "compare-differs" not in shared and "= </span> all" not in shared and "all" in shared
    assert "not recorded" in differs  # the absent cell says so in text, not only with a dash
    bodies = rows_of(html, "bodies")
    assert "member since 2004" in bodies["Body 0 (B0)"]
    norms = rows_of(html, "norms")
    assert "Norm 0.0" in norms and "by Agreement 0" in norms["Norm 0.0"]
    for title in DRAFT_TITLES:
        assert title not in html


@pytest.mark.django_db
def test_withdrawn_party_is_shown_but_not_committed_to_the_norms(client, graph):
    from agreements.models import Participation

    Participation.objects.filter(agreement=graph["agreement"], country__code="AA").update(
        withdrawn="2020"
    )
    html = client.get(COMPARE + "?country=AA&country=AB").content.decode()
    assert "withdrew 2020" in rows_of(html, "agreements")["Agreement 0"]
    # Norm 0.1 is referenced by Agreement 0 only.
    assert "by Agreement 0" not in rows_of(html, "norms").get("Norm 0.1", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?country=AA", "at least 2 different countries"),
        ("?country=AA&country=aa", "at least 2 different countries"),
        ("?country=AA&country=ZZ", "no country with the code ZZ"),
        ("?country=AA&country=AB&country=AC&country=AD&country=AE", "at most 4 countries"),
        ("?country=AA&country=AB&format=xml", "format must be one of"),
    ],
)
def test_bad_country_choice_is_a_400_that_says_why(client, graph, query, message):
    response = client.get(COMPARE + query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert '<form method="get"' in response.content.decode()  # and the form to try again


@pytest.mark.django_db
def test_country_downloads_hold_what_the_page_shows(client, graph):
    query = "?country=AA&country=AB"
    html = client.get(COMPARE + query).content.decode()
    shown = {**rows_of(html, "agreements"), **rows_of(html, "bodies"), **rows_of(html, "norms")}
    data = json.loads(body_of(client.get(COMPARE + query + "&format=json")))
    assert {row["title"] for row in data["results"]} == set(shown)
    row = next(r for r in data["results"] if r["title"] == "Agreement 0")
    assert row["in_all"] is False and row["AB"] == "" and "signed" in row["AA"]
    assert row["citation"].startswith("Cyberdiplo contributors.")
    response = client.get(COMPARE + query + "&format=csv")
    text = body_of(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(shown)
    assert list(rows[0])[:6] == ["section", "title", "url", "in_all", "AA", "AB"]


@pytest.mark.django_db
def test_country_comparison_queries_do_not_grow_with_the_data(client):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    url = COMPARE + "?country=AA&country=AB"
    make_graph(scale=2)
    small = count(url), count(NORMS + "?norm=framework-0/13a&norm=framework-0/13b")
    from tests.test_queries import clear_records

    clear_records()
    make_graph(scale=12)
    large = count(url), count(NORMS + "?norm=framework-0/13a&norm=framework-0/13b")
    assert small == large
    # The country picker and the countries; the rows shown: the agreements' ids and their
    # parties, the bodies' memberships, the norms, their links and the parties through
    # which; each of the three sections' counts over all its rows (two queries each).
    assert small[0] <= 14
    # the norm picker, the norms chosen
    assert small[1] <= 2


def test_word_diff_marks_added_and_removed_words():
    parts = word_diff(
        "States should not harm critical infrastructure",
        "States should protect critical infrastructure",
    )
    assert ("delete", "not harm") in parts and ("insert", "protect") in parts
    assert ("equal", "States should") in parts and ("equal", "critical infrastructure") in parts


@pytest.mark.django_db
def test_norms_wording_side_by_side_with_word_differences(client, graph):
    from norms.models import Norm

    Norm.objects.filter(slug="13a").update(
        quotation="States should not conduct ICT activity that damages critical infrastructure"
    )
    Norm.objects.filter(slug="13b").update(
        quotation="States should not conduct or support ICT activity that damages infrastructure"
    )
    html = client.get(NORMS + "?norm=framework-0/13a&norm=framework-0/13b").content.decode()
    assert html.count('class="compare-column"') == 2
    assert re.search(
        r'<ins class="compare-ins"><span class="visually-hidden">added: </span>or support</ins>',
        html,
    )
    assert re.search(
        r'<del class="compare-del"><span class="visually-hidden">removed: </span>critical</del>',
        html,
    )
    assert "2 words added, 1 removed" in html
    data = json.loads(
        body_of(client.get(NORMS + "?norm=framework-0/13a&norm=framework-0/13b&format=json"))
    )
    assert [r["norm"] for r in data["results"]] == ["framework-0/13a", "framework-0/13b"]
    assert data["results"][1]["words_added"] == 2 and data["results"][1]["words_removed"] == 1
    assert "{+or support+}" in data["results"][1]["differences"]


@pytest.mark.django_db
def test_norm_without_official_wording_says_it_compares_our_summary(client, graph):
    html = client.get(NORMS + "?norm=framework-0/13a&norm=framework-1/13a").content.decode()
    assert "no official wording recorded" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?norm=framework-0/13a", "at least 2 different norms"),
        ("?norm=framework-0/13a&norm=framework-0/zz", "no published norm framework-0/zz"),
        ("?norm=framework-0/13a&norm=nonsense", "Name a norm as framework/norm"),
        ("?" + "&".join(f"norm=f/{i}" for i in range(7)), "at most 6 norms"),
    ],
)
def test_bad_norm_choice_is_a_400_that_says_why(client, graph, query, message):
    response = client.get(NORMS + query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_draft_norm_cannot_be_compared(client, graph):
    draft = graph["draft_norm"]
    query = f"?norm=framework-0/13a&norm={draft.framework.slug}/{draft.slug}"
    response = client.get(NORMS + query)
    assert response.status_code == 400
    assert "Secret draft norm" not in response.content.decode()


@pytest.mark.django_db
def test_country_and_norm_pages_link_to_the_comparison(client, graph):
    country = client.get(graph["country"].get_absolute_url()).content.decode()
    assert f'href="{COMPARE}?with=AA"' in country
    assert client.get(COMPARE + "?with=AA").status_code == 200
    norm = client.get(graph["norm"].get_absolute_url()).content.decode()
    assert f'href="{NORMS}?with=framework-0/13a"' in norm
    assert client.get(NORMS + "?with=framework-0/13a").status_code == 200


@pytest.mark.browser
def test_visitor_compares_two_countries_then_two_norms(page, live_server, transactional_db):  # noqa: F811
    make_graph(scale=2)
    page.goto(live_server.url + COMPARE)
    page.get_by_label("Country 1").select_option("AA")
    page.get_by_label("Country 2").select_option("AB")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"country=AA&country=AB"))
    table = page.locator("section", has=page.locator("#compare-agreements-heading")).locator(
        "table"
    )
    expect(table).to_contain_text("Agreement 0")
    expect(table.locator("tr.compare-differs")).to_have_count(1)
    expect(table.locator("tr.compare-differs")).to_contain_text("1 of 2")
    assert_accessible(page)
    href = page.get_by_role("link", name="JSON").get_attribute("href")
    data = page.request.get(live_server.url + COMPARE + href).json()
    assert any(r["title"] == "Agreement 0" and r["in_all"] is False for r in data["results"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    page.goto(live_server.url + NORMS)
    page.get_by_label("Norm 1").select_option("framework-0/13a")
    page.get_by_label("Norm 2").select_option("framework-1/13a")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".compare-column")).to_have_count(2)
    expect(page.locator(".compare-column").nth(1).locator("ins")).to_contain_text("1.0")
    assert_accessible(page)


@pytest.mark.browser
def test_comparison_fits_a_phone(browser, live_server, transactional_db):  # noqa: F811
    make_graph(scale=2)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        phone.goto(live_server.url + COMPARE + "?country=AA&country=AB")
        expect(phone.locator(".compare-table").first).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        close(context)


@pytest.mark.django_db
def test_a_states_norms_page_lists_each_norm_with_its_routes_and_dates(client, graph):
    country = graph["country"]
    country_page = client.get(country.get_absolute_url()).content.decode()
    url = reverse("visual:country-norms", args=[country.code.lower()])
    assert f'href="{url}"' in country_page
    html = client.get(url).content.decode()
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="([^"]+)">.*?</tr>', html, re.S)
    norm = graph["norm"]
    assert norm.get_absolute_url() in rows
    row = re.search(rf'href="{re.escape(norm.get_absolute_url())}">.*?</tr>', html, re.S).group(0)
    # Party to Agreement 0 (consent 2003), member of Body 0, which promotes it (2004), and
    # its own position: each route named, and none dated before the norm (July 2015).
    assert "party to <a" in row and "Agreement 0" in row and "affirms it" in row
    assert "member of <a" in row and "promotes it" in row
    assert "22 July 2015" in row and "2003" not in row
    for title in DRAFT_TITLES:
        assert title not in html
    assert client.get(reverse("visual:country-norms", args=["zz"])).status_code == 404


@pytest.mark.django_db
def test_a_norms_states_page_counts_the_committed_states_by_year_and_maps_them(client, graph):
    norm, country = graph["norm"], graph["country"]
    url = reverse("visual:norm-states", args=[norm.framework.slug, norm.slug])
    assert f'href="{url}"' in client.get(norm.get_absolute_url()).content.decode()
    html = client.get(url).content.decode()
    for title in DRAFT_TITLES:
        assert title not in html
    # Party to Agreement 0 (consent 2003) and member of Body 0, which promotes the norm:
    # one state, counted from the norm's own adoption (July 2015), never before.
    data = b"".join(client.get(url + "?map=csv")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    mine = next(r for r in rows if r["code"] == country.code)
    assert mine["category"] == "Party to an instrument that links it"
    assert "party to Agreement 0 (22 July 2015)" in mine["detail"]
    assert "member of Body 0" in mine["detail"]
    years = json.loads(b"".join(client.get(url + "?chart=json")))["results"]
    assert years[0]["year"] == 2015 and all(y["year"] >= 2015 for y in years)
    # Every state of the graph has a dated route, none earlier than the norm: all in 2015.
    assert {y["states"] for y in years} == {len(rows)}
    assert client.get(url + "?chart=gif").status_code == 400
    missing = reverse("visual:norm-states", args=[norm.framework.slug, "no-such-norm"])
    assert client.get(missing).status_code == 404


def test_the_norm_choices_are_bounded_and_keep_the_norms_named(client, graph, monkeypatch):
    """Each choice lists a bounded number of norms (30,000 at scale made the page 28 MB),
    says that others exist, and still offers a norm named in the address."""
    monkeypatch.setattr("visual.compare.PICKER_SIZE", 2)
    html = client.get(NORMS).content.decode()
    assert html.count('<option value="framework-') == 4 * 2  # four choices of two norms
    assert "Only the norms of the most recent frameworks are listed" in html
    assert 'value="framework-1/13b"' not in html or 'value="framework-0/13a"' not in html
    listed = client.get(NORMS + "?norm=framework-1/13b&norm=framework-0/13a").content.decode()
    assert 'value="framework-1/13b" selected' in listed
    assert 'value="framework-0/13a"' in listed
    wider = client.get(NORMS + "?with=framework-1/13b").content.decode()
    assert 'value="framework-1/13b" selected' in wider


@pytest.mark.django_db
def test_a_states_norms_come_a_page_at_a_time(client, graph, monkeypatch):
    """The list grows with the data (5.8 MB for France at 100,000 records): paginated."""
    monkeypatch.setattr("visual.adoption.NORMS_PER_PAGE", 1)
    url = reverse("visual:country-norms", args=[graph["country"].code.lower()])
    first = client.get(url).content.decode()
    assert len(re.findall(r'<th scope="row">', first)) == 1
    assert 'rel="next"' in first
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))
    assert pages > 1
    last = client.get(url + f"?page={pages}").content.decode()
    assert len(re.findall(r'<th scope="row">', last)) == 1 and 'rel="next"' not in last
    assert client.get(url + f"?page={pages + 1}").status_code == 404
    assert client.get(url + "?page=x").status_code == 400
    # Page after page, the norms of the whole list, in its order, each once.
    row = r'<th scope="row"><a href="([^"]+)"'
    paged = [
        re.search(row, client.get(url + f"?page={n}").content.decode()).group(1)
        for n in range(1, pages + 1)
    ]
    monkeypatch.setattr("visual.adoption.NORMS_PER_PAGE", 100)
    assert paged == re.findall(row, client.get(url).content.decode())


def test_a_comparison_lists_a_bounded_number_of_rows_and_counts_them_all(
    client, graph, monkeypatch
):
    """At 100,000 records France and Germany shared 40,000 agreements (12 MB): each section
    lists its first rows, its heading and the totals count them all, the downloads hold
    them all."""
    url = COMPARE + "?country=AA&country=AB"
    whole = json.loads(body_of(client.get(url + "&format=json")))["results"]
    monkeypatch.setattr("visual.compare.COMPARE_ROWS", 1)
    html = client.get(url).content.decode()
    agreements = [r for r in whole if r["section"] == "agreements"]
    assert len(agreements) > 1
    assert f'Agreements <span class="compare-count">{len(agreements)},' in html
    assert f"The first 1 are listed here; the downloads hold all {len(agreements)}." in html
    section = html[html.index('id="compare-agreements-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count('<th scope="row">') == 1
    assert len(json.loads(body_of(client.get(url + "&format=json")))["results"]) == len(whole)
