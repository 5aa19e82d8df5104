"""Facets, counts, URL state and exports agree with each other on the shipped content."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.models import Agreement
from reference.models import Country
from tests.conftest import DRAFT_TITLES


def all_pages(client, url: str, params: dict) -> list[str]:
    """The titles shown on every page of a filtered list."""
    titles, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        assert response.status_code == 200
        titles += [str(r) for r in response.context["page"]]
        if not response.context["page"].has_next():
            return titles
        page += 1


def csv_rows(response) -> list[dict]:
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")  # BOM for spreadsheets
    return list(csv.DictReader(io.StringIO(text[1:])))


FILTERED_VIEWS = [
    {"theme": ["cybercrime", "international-law"]},
    {"theme": ["cybercrime", "international-law"], "match": "all"},
    {"kind": "multilateral-treaty", "year_from": "2000", "year_to": "2020"},
    {"binding": "no", "sort": "title"},
    {"status": "in-force", "region": "europe", "sort": "parties"},
    {"party": ["FR", "US"]},
    {"norm": "un-gge-2015/13a"},
    {},
]


@pytest.mark.django_db
@pytest.mark.parametrize("params", FILTERED_VIEWS)
def test_the_csv_of_a_filtered_view_has_exactly_the_rows_the_pages_show(
    client, shipped, settings, params
):
    settings.PAGE_SIZE = 15  # several pages
    url = reverse("agreements:list")
    shown = all_pages(client, url, params)
    rows = csv_rows(client.get(url, {**params, "format": "csv"}))
    exported = [row["short_title"] or row["title"] for row in rows]
    assert exported == shown
    data = json.loads(client.get(url, {**params, "format": "json"}).getvalue())
    assert data["count"] == len(shown)
    assert [r["slug"] for r in data["results"]] == [row["slug"] for row in rows]


@pytest.mark.django_db
def test_each_facet_count_is_what_choosing_it_gives(client, shipped):
    url = reverse("agreements:list")
    base = {"theme": "cybercrime"}
    facets = {f.name: f for f in client.get(url, base).context["facets"]}
    for name in ("kind", "binding", "status", "region"):
        for option in facets[name].options:
            # The JSON export has the very rows the page lists, without rendering facets.
            chosen = client.get(url, {**base, name: option.value, "format": "json"})
            assert json.loads(chosen.getvalue())["count"] == option.count, (name, option)


@pytest.mark.django_db
def test_theme_counts_ignore_the_theme_selection_but_follow_the_others(client, shipped):
    url = reverse("agreements:list")
    facets = {f.name: f for f in client.get(url, {"kind": "eu-legislation"}).context["facets"]}
    cybercrime = next(o for o in facets["theme"].options if o.value == "cybercrime")
    expected = Agreement.objects.published().filter(kind="eu-legislation").with_theme("cybercrime")
    assert cybercrime.count == expected.count()


@pytest.mark.django_db
def test_zero_count_values_are_shown_disabled(client, shipped):
    html = client.get(reverse("agreements:list"), {"kind": "bilateral"}).content.decode()
    facets = {
        f.name: f
        for f in client.get(reverse("agreements:list"), {"kind": "bilateral"}).context["facets"]
    }
    zero = [o for o in facets["status"].options if o.count == 0]
    assert zero, "some legal status has no bilateral agreement"
    for option in zero:
        assert f'name="status" value="{option.value}" disabled' in html


@pytest.mark.django_db
def test_a_list_of_countries_offers_those_with_records_and_the_chosen_ones(client, shipped):
    """A scrolling list of every country shows the chosen ones first, even without
    records, then those with records; with none left it says so, with no box to narrow."""
    url = reverse("incidents:list")
    every = Country.objects.count()
    target = {f.name: f for f in client.get(url).context["facets"]}["target"]
    assert 0 < len(target.options) < every
    assert all(o.count for o in target.options)
    nowhere = Country.objects.exclude(incident_targets__isnull=False).first()
    response = client.get(url, {"target": nowhere.code})
    target = {f.name: f for f in response.context["facets"]}["target"]
    # First, as in a long facet. (Its own facet is counted without its own choice: the
    # others keep their counts.)
    assert (target.options[0].value, target.options[0].count) == (nowhere.code, 0)
    assert target.options[0].selected and all(o.count for o in target.options[1:])
    html = response.content.decode()
    legend = html.index("<legend>Norm said to be engaged</legend>")
    norm = html[html.rindex("<fieldset", 0, legend) : html.index("</fieldset>", legend)]
    assert norm.startswith("<fieldset>")  # no data-long: nothing to narrow
    assert "None among these results." in norm and "<ul" not in norm


@pytest.mark.django_db
def test_theme_all_is_narrower_than_any(client, shipped):
    url = reverse("agreements:list")
    themes = {"theme": ["cybercrime", "international-law"]}
    any_count = client.get(url, themes).context["page"].paginator.count
    all_count = client.get(url, {**themes, "match": "all"}).context["page"].paginator.count
    assert 0 < all_count < any_count


@pytest.mark.django_db
def test_year_range_keeps_only_agreements_adopted_in_it(client, shipped):
    rows = csv_rows(
        client.get(
            reverse("agreements:list"), {"year_from": "2015", "year_to": "2016", "format": "csv"}
        )
    )
    assert rows
    assert all("2015" <= row["adopted"][:4] <= "2016" for row in rows)


@pytest.mark.django_db
def test_sorting_by_parties_puts_the_most_parties_first(client, shipped):
    data = json.loads(
        client.get(reverse("agreements:list"), {"sort": "parties", "format": "json"}).getvalue()
    )
    counts = [int(r["party_count"]) for r in data["results"]]
    assert counts == sorted(counts, reverse=True)
    assert data["results"][0]["slug"] == "budapest-convention"


@pytest.mark.django_db
def test_the_partial_renders_the_form_and_results_only(client, shipped):
    response = client.get(reverse("agreements:list"), {"theme": "cybercrime", "partial": "listing"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="listing"')
    assert "<h1" not in html and 'name="theme"' in html


@pytest.mark.django_db
def test_norm_and_body_lists_filter_and_export(client, shipped):
    norms = json.loads(
        client.get(
            reverse("norms:index"), {"framework": "un-gge-2015", "format": "json"}
        ).getvalue()
    )
    shipped_norms = (Path(settings.BASE_DIR) / "data/frameworks/un-gge-2015.toml").read_text()
    assert norms["count"] == shipped_norms.count("[[norm]]") >= 11
    assert {r["framework"] for r in norms["results"]} == {"un-gge-2015"}
    bodies = json.loads(
        client.get(reverse("bodies:list"), {"member": "FR", "format": "json"}).getvalue()
    )
    assert "nato" in {r["slug"] for r in bodies["results"]}
    assert all("FR" in r["members"] for r in bodies["results"])


@pytest.mark.django_db
def test_theme_page_exports_every_record_of_the_theme(client, shipped):
    url = reverse("themes:detail", args=["cybercrime"])
    sections = client.get(url).context["sections"]
    data = client.get(url, {"format": "json"}).json()
    # The page shows the first few of each type and counts them all.
    assert data["count"] == sum(section.total for section in sections)
    assert json.dumps(data, ensure_ascii=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"theme": "no-such-theme"},
        {"year_from": "abc"},
        {"year_from": "1200"},
        {"kind": "<script>"},
        {"page": "99999"},
        {"format": "xml"},
        {"q": "x" * 5000},
    ],
)
def test_bad_filters_get_a_clear_4xx(client, shipped, params):
    response = client.get(reverse("agreements:list"), params)
    assert 400 <= response.status_code < 500, response.status_code
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["1; DROP TABLE agreements_agreement", "relevance"])
def test_an_unknown_order_shows_the_list_in_the_default_order_and_says_so(client, shipped, sort):
    """An old shared link with an order the list no longer offers still works."""
    url = reverse("agreements:list")
    response = client.get(url, {"theme": "cybercrime", "sort": sort})
    assert response.status_code == 200
    assert "the default is used" in response.content.decode()
    default = client.get(url, {"theme": "cybercrime"})
    assert [a.pk for a in response.context["page"]] == [a.pk for a in default.context["page"]]
    both_bad = client.get(url, {"theme": "no-such-theme", "sort": sort})
    assert both_bad.status_code == 400  # a bad filter still is


@pytest.mark.django_db
def test_reversed_years_are_read_the_right_way_round_and_say_so(client, shipped):
    url = reverse("agreements:list")
    reversed_ = client.get(url, {"year_from": "2020", "year_to": "2010"})
    assert reversed_.status_code == 200
    html = reversed_.content.decode()
    assert "The year range was reversed" in html
    assert 'id="id_year_from" value="2010"' in html  # the form shows what it applied
    ordered = client.get(url, {"year_from": "2010", "year_to": "2020"})
    assert reversed_.context["page"].paginator.count == ordered.context["page"].paginator.count > 0
    api = client.get("/api/v1/agreements/", {"year_from": "2020", "year_to": "2010"}).json()
    assert api["count"] == ordered.context["page"].paginator.count


@pytest.mark.django_db
def test_the_agreements_in_existence_on_a_day(client, graph):
    # Agreement 0: adopted 2001-11-23. Two more: one that ended in "2003", one dated
    # only to the year 2001.
    first = graph["agreement"]
    for slug, adopted, ended in [("ended", "2001-11-23", "2003"), ("yearly", "2001", "")]:
        Agreement.objects.create(
            title=f"The {slug} one", slug=slug, kind=first.kind, reach=first.reach,
            legally_binding=False, adopted=adopted, ended=ended, legal_status=first.legal_status,
            status_as_of=first.status_as_of, summary="A test instrument.", status=first.status,
        )  # fmt: skip

    def titles(day):
        response = client.get("/agreements/", {"as_of": day, "format": "json"})
        assert response.status_code == 200
        return {row["title"] for row in json.loads(b"".join(response))["results"]}

    assert titles("2001-11-22") == {"The yearly one"}  # adopted in 2001: perhaps by then
    on_the_day = titles("2001-11-23")
    assert {"Agreement 0", "The ended one", "The yearly one"} <= on_the_day
    assert not on_the_day & set(DRAFT_TITLES)
    assert "The ended one" in titles("2003-12-31")  # ended in 2003: perhaps not yet
    later = titles("2004-01-01")
    assert "The ended one" not in later and "Agreement 0" in later
    html = client.get("/agreements/", {"as_of": "2004-01-01"}).content.decode()
    assert "Instruments in existence on 1 January 2004" in html
    response = client.get("/agreements/", {"as_of": "2004-02-30"})
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()


@pytest.mark.django_db
def test_a_theme_and_each_dated_list_on_a_past_day(client, graph):
    # In the graph: Agreement 0 adopted 2001-11-23, Incident 0 begun 2010-05-12, its
    # attribution dated 2011-02, Framework 0 adopted 2015-07-22, positions 2021-07;
    # bodies have no founding date; drafts are dated 2019 to 2022.
    theme = graph["theme"].get_absolute_url()

    def shown(url, day, key=None):
        response = client.get(url, {"as_of": day, **({"type": key} if key else {})})
        assert response.status_code == 200
        if "sections" in response.context:
            sections = response.context["sections"]
            return {s.record_type.key: {str(r) for r in s.records} for s in sections}
        return {str(r) for r in response.context["page"]}

    on_the_day = shown(theme, "2010-05-12")
    assert set(on_the_day) == {"agreement", "incident"}  # no norm, response, position yet
    assert "Incident 0" in on_the_day["incident"] and "Incident 1" not in on_the_day["incident"]
    # Dated only to February 2011: perhaps made by the 10th, so shown; not by the 31st of January.
    assert "Country 0 attributes Incident 0" in shown(theme, "2011-02-10")["response"]
    assert "response" not in shown(theme, "2011-01-31")
    later = shown(theme, "2030-01-01")
    assert {"agreement", "framework", "norm", "incident", "response", "position"} <= set(later)
    assert "body" not in later and "term" not in later  # no founding date recorded; no date
    assert not {title for titles in later.values() for title in titles} & set(DRAFT_TITLES)
    html = client.get(theme, {"as_of": "2030-01-01"}).content.decode()
    assert "have no date and are left out" in html and 'name="as_of" value="2030-01-01"' in html
    assert shown(theme, "2010-05-12", "incident") == {"Incident 0"}
    # The lists take the same day.
    assert shown(reverse("norms:index"), "2015-07-21") == set()
    assert "Norm 0.0 (A/70/174 13(a))" in shown(reverse("norms:index"), "2015-07-22")
    assert shown(reverse("incidents:list"), "2010-05-12") == {"Incident 0"}
    assert shown(reverse("positions:list"), "2021-06-30") == set()
    # A bad day is a 400 that says how to write it, on the theme page and the lists.
    for url in (theme, reverse("bodies:list")):
        response = client.get(url, {"as_of": "2010-02-30"})
        assert response.status_code == 400
