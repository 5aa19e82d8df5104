"""Incidents and responses (issue 15): their pages, the sections they add to norm, agreement,
body and country pages, their lists' filters and exports, the API, and their data files.

What every record type shares (one <h1>, drafts hidden, query budgets, sitemap, feeds,
exports' columns) is proved for these types by the shared tests, through tests/graph.py.
"""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from content.dump import dump_content
from content.loader import ContentError, load_content
from incidents.models import Incident, Response, ResponseAgreement

FIXTURES = Path(__file__).parent / "content"


def text_of(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, heading_id
    return match.group(1)


# --- Pages -------------------------------------------------------------------


@pytest.mark.django_db
def test_incident_page_shows_attributions_then_other_responses_then_norms_engaged(visitor, graph):
    response = visitor.get(graph["incident"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    attributions = section(html, "attributions-heading")
    # Country 0's own attribution and Country 1's, which also answers Incident 0, by date.
    rows = re.findall(r"<tr>(.*?)</tr>", attributions, re.S)[1:]
    assert len(rows) == 2
    first = re.sub(r"<[^>]+>", " ", rows[0])
    assert "February 2011" in first and "Country 0" in first and "Body 0" in first
    assert "Actor 0" in first and "“highly likely”" in first
    assert "Country 1" in rows[1]
    others = section(html, "responses-heading")
    assert "Sanctions over Incident 0" in others and "Council Decision 0" in others
    assert "Country 1 attributes" not in others  # an attribution is listed once, above
    norms = section(html, "norms-heading")
    assert graph["norm"].get_absolute_url() in norms and "said by Country 0" in norms
    invoked = norms[norms.index("Invoked by the responses") :]
    assert reverse("incidents:response-detail", args=["sanctions-0"]) in invoked
    assert "draft-norm" not in norms and "Secret draft" not in norms
    order = [html.index(f'id="{h}-heading"') for h in ("attributions", "responses", "norms")]
    assert order == sorted(order)
    assert "Secret draft response" not in html


@pytest.mark.django_db
def test_response_page_shows_who_made_it_and_what_it_links(visitor, graph):
    html = visitor.get(reverse("incidents:response-detail", args=["sanctions-0"])).content
    html = html.decode()
    assert graph["incident"].get_absolute_url() in html  # answers
    assert graph["norm"].get_absolute_url() in html  # invokes
    assert graph["agreement"].get_absolute_url() in html  # made under
    assert graph["body"].get_absolute_url() in html  # made by
    assert "Council Decision 0" in html
    assert "Secret draft" not in html


@pytest.mark.django_db
def test_norm_page_lists_incidents_said_to_breach_it_and_responses_invoking_it(visitor, graph):
    html = visitor.get(graph["norm"].get_absolute_url()).content.decode()
    incidents = section(html, "part-incidents-said-to-breach-or-engage-it-heading")
    assert graph["incident"].get_absolute_url() in incidents
    assert "said by Country 0" in incidents
    assert reverse("incidents:detail", args=["incident-1"]) in incidents
    responses = section(html, "part-responses-that-invoke-it-heading")
    assert reverse("incidents:response-detail", args=["sanctions-0"]) in responses
    assert "draft" not in incidents + responses


@pytest.mark.django_db
def test_a_norm_nobody_invoked_has_no_empty_sections(visitor, graph):
    html = visitor.get(reverse("norms:detail", args=["framework-0", "13c"])).content.decode()
    assert "Incidents said to breach" not in html and "Responses that invoke it" not in html


@pytest.mark.django_db
def test_agreement_page_lists_the_responses_that_led_to_it_and_made_under_it(visitor, graph):
    html = visitor.get(graph["agreement"].get_absolute_url()).content.decode()
    part = section(html, "part-responses-to-cyber-incidents-heading")
    led_to = part.index("preceded it")
    made_under = part.index("made under it")
    assert led_to < part.index(reverse("incidents:response-detail", args=["attribution-0"]))
    assert made_under < part.index(reverse("incidents:response-detail", args=["sanctions-0"]))
    assert "Secret draft response" not in part


@pytest.mark.django_db
def test_body_page_lists_the_responses_it_made(visitor, graph):
    html = visitor.get(graph["body"].get_absolute_url()).content.decode()
    part = section(html, "part-responses-to-cyber-incidents-it-made-heading")
    assert reverse("incidents:response-detail", args=["sanctions-0"]) in part
    assert "Secret draft response" not in part


@pytest.mark.django_db
def test_country_page_shows_incidents_targeted_attributed_and_responses_joined(visitor, graph):
    html = visitor.get(graph["country"].get_absolute_url()).content.decode()
    targeted = section(html, "incidents-that-targeted-it-heading")
    assert graph["incident"].get_absolute_url() in targeted
    assert reverse("incidents:detail", args=["incident-1"]) in targeted
    attributed = section(html, "incidents-attributed-to-it-heading")
    # Both attributions name Country 0 (AA) as the state behind the incidents.
    assert graph["incident"].get_absolute_url() in attributed
    assert reverse("incidents:detail", args=["incident-1"]) in attributed
    joined = section(html, "responses-to-incidents-it-joined-heading")
    assert reverse("incidents:response-detail", args=["attribution-0"]) in joined
    assert "Secret draft" not in targeted + attributed + joined
    other = visitor.get(reverse("countries:detail", args=["AB"])).content.decode()
    assert "No public attribution naming Country 1 is recorded yet." in other


@pytest.mark.django_db
def test_a_draft_attribution_attributes_nothing_on_a_country_page(visitor, graph):
    Response.objects.filter(kind="attribution").exclude(slug="draft-response").update(
        attributed_state=None
    )
    html = visitor.get(graph["country"].get_absolute_url()).content.decode()
    assert "No public attribution naming Country 0 is recorded yet." in html


# --- Lists -------------------------------------------------------------------


def exported(client, url: str, params: dict) -> list[dict]:
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)["results"]


@pytest.mark.django_db
@pytest.mark.parametrize("list_url", ["incidents:list", "incidents:response-list"])
def test_each_facet_count_is_what_choosing_it_gives(visitor, graph, list_url):
    url = reverse(list_url)
    facets = visitor.get(url).context["facets"]
    checked = 0
    for facet in facets:
        for option in facet.options:
            rows = exported(visitor, url, {facet.name: option.value})
            assert len(rows) == option.count, (facet.name, option.value)
            checked += bool(option.count)
    assert checked >= 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("list_url", "legend"),
    [
        ("incidents:list", "Began"),
        ("incidents:response-list", "Made"),
        ("agreements:list", "Adopted or signed"),
        ("positions:list", "Published"),
    ],
)
def test_the_year_range_says_what_date_it_filters_on(visitor, graph, list_url, legend):
    html = visitor.get(reverse(list_url)).content.decode()
    assert f"<legend>{legend}</legend>" in html
    assert html.count("<legend>Adopted or signed</legend>") == (legend == "Adopted or signed")


@pytest.mark.django_db
def test_incident_filters_narrow_the_list(visitor, graph):
    url = reverse("incidents:list")
    slugs = {r["slug"] for r in exported(visitor, url, {})}
    assert slugs == {"incident-0", "incident-1"}
    assert [r["slug"] for r in exported(visitor, url, {"year_to": "2010"})] == ["incident-0"]
    only_second = {"attributed_by": "AB"}  # Country 1 attributed both; Country 0 only its own
    assert {r["slug"] for r in exported(visitor, url, only_second)} == slugs
    assert {r["slug"] for r in exported(visitor, url, {"target": "AB"})} == {"incident-1"}
    assert exported(visitor, url, {"sector": "water"}) == []
    body = {r["slug"] for r in exported(visitor, url, {"attributed_by": "body:body-1"})}
    assert body == {"incident-0", "incident-1"}
    sorted_old = [r["slug"] for r in exported(visitor, url, {"sort": "oldest"})]
    assert sorted_old == ["incident-0", "incident-1"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "abc"},
        {"sector": "moon"},
        {"kind": "war"},
        {"target": "ZZ"},
        {"attributed_by": "body:draft-body"},
        {"norm": "framework-0/draft-norm"},
    ],
)
def test_bad_filters_get_a_clear_400(visitor, graph, params):
    for name in ("incidents:list", "incidents:response-list"):
        response = visitor.get(reverse(name), params)
        if name == "incidents:response-list" and set(params) & {"target", "attributed_by"}:
            continue  # not filters of the responses list: ignored
        assert response.status_code == 400, (name, params)
        assert "errors" in response.context


@pytest.mark.django_db
def test_csv_export_has_the_declared_columns_and_no_draft(visitor, graph):
    response = visitor.get(reverse("incidents:response-list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["slug"] for r in rows} == {"attribution-0", "attribution-1", "sanctions-0"}
    first = next(r for r in rows if r["slug"] == "attribution-0")
    assert first["attributed_state"] == "AA" and first["confidence"] == "highly likely"
    assert first["incidents"] == "incident-0"
    assert "draft" not in text


# --- API ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_serves_incidents_and_responses_without_drafts(client, graph):
    def get(url, params=None):
        return client.get(url, params or {}, HTTP_ACCEPT="application/json")

    incident = get("/api/v1/incidents/incident-0/").json()
    assert incident["target_countries"] == ["AA"]
    assert incident["norms"][0]["said_by"] == "Country 0"
    response = get("/api/v1/responses/sanctions-0/").json()
    assert response["incidents"] == ["http://testserver/api/v1/incidents/incident-0/"]
    assert response["agreements"][0]["relation"] == "made-under"
    assert "draft" not in str(response)
    for collection in ("incidents", "responses"):
        assert "Secret draft" not in get(f"/api/v1/{collection}/").content.decode()
    assert get("/api/v1/responses/draft-response/").status_code == 404
    filtered = get("/api/v1/incidents/", {"target": "AB"}).json()
    assert [r["slug"] for r in filtered["results"]] == ["incident-1"]


# --- Data files --------------------------------------------------------------


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """The small valid data set with two incidents and three responses."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", target)
    shutil.copytree(FIXTURES / "incidents", target, dirs_exist_ok=True)
    return target


@pytest.mark.django_db
def test_incident_and_response_files_load_with_every_relation_and_twice_change_nothing(
    content_dir,
):
    load_content(content_dir)
    incident = Incident.objects.get(slug="test-ransomware-2017")
    assert incident.target_sectors == ["health", "industry"]
    assert sorted(t.country.code for t in incident.targets.all()) == ["FR", "US"]
    link = incident.norm_links.get()
    assert (link.norm.slug, link.said_by, link.source.key) == (
        "13a",
        "United States",
        "test-incident-statement",
    )
    attribution = Response.objects.get(slug="us-attributes-test-ransomware")
    assert attribution.attributed_state.code == "FR"
    assert [c.code for c in attribution.parties.all()] == ["US"]
    sanctions = Response.objects.get(slug="test-body-sanctions")
    assert sorted(i.slug for i in sanctions.incidents.all()) == [
        "test-espionage-2014",
        "test-ransomware-2017",
    ]
    assert [b.slug for b in sanctions.bodies.all()] == ["test-body"]
    assert ResponseAgreement.objects.get(response__slug="test-dialogue").relation == "led-to"
    again = load_content(content_dir)
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.django_db
def test_a_dump_of_incidents_and_responses_loads_to_the_same_records(content_dir, tmp_path):
    load_content(content_dir)
    dumped = tmp_path / "dumped"
    dump_content(dumped)
    assert (dumped / "incidents" / "test-ransomware-2017.toml").exists()
    assert (dumped / "responses" / "test-dialogue.toml").exists()
    again = load_content(dumped)
    assert (again.created, again.updated) == (0, 0)


BROKEN = [
    ("incidents/test-espionage-2014.toml", '["government"]', '["moon"]', "target_sectors"),
    ("incidents/test-espionage-2014.toml", 'kind = "espionage"', 'kind = "war"', "kind must be"),
    ("incidents/test-espionage-2014.toml", '["US"]', '["ZZ"]', "country 'ZZ'"),
    ("incidents/test-ransomware-2017.toml", 'ended = "2017-05-15"', 'ended = "2016"', "before"),
    (
        "incidents/test-ransomware-2017.toml",
        'said_by = "United States", ',
        "",
        "a norms link is",
    ),
    ("responses/test-dialogue.toml", '["test-espionage-2014"]', "[]", "incidents"),
    ("responses/test-dialogue.toml", '["test-espionage-2014"]', '["nope"]', "incident 'nope'"),
    ("responses/test-dialogue.toml", '"led-to"', '"caused"', "relation"),
    ("responses/test-body-sanctions.toml", '"test-body"', '"no-body"', "body 'no-body'"),
    ("responses/us-attributes-test-ransomware.toml", '"FR"', '"XX"', "attributed_state"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "old", "new", "message"), BROKEN)
def test_a_broken_incident_or_response_file_names_file_and_record_and_loads_nothing(
    content_dir, path, old, new, message
):
    file = content_dir / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as refused:
        load_content(content_dir)
    assert path in refused.value.path
    assert Path(path).stem in refused.value.record
    assert message in refused.value.message
    assert not Incident.objects.exists() and not Response.objects.exists()


@pytest.mark.django_db
def test_incidents_and_responses_have_their_lanes_on_the_timeline(client, graph):
    html = client.get(reverse("visual:timeline"), {"from": "2001"}).content.decode()
    incident = Incident.objects.published().exclude(began="").first()
    response = Response.objects.published().first()
    assert incident.get_absolute_url() in html and response.get_absolute_url() in html
    only = client.get(reverse("visual:timeline"), {"type": "incident"}).content.decode()
    assert incident.get_absolute_url() in only and response.get_absolute_url() not in only


@pytest.mark.django_db
def test_an_incidents_link_graph_draws_its_responses_and_norms(client, graph):
    incident = Incident.objects.published().filter(response_links__isnull=False).first()
    html = client.get(incident.get_absolute_url()).content.decode()
    svg = html[
        html.index('class="linkgraph-svg') : html.index("</svg>", html.index("linkgraph-svg"))
    ]
    for response in incident.responses.published():
        assert response.get_absolute_url() in svg
    assert "answers" in html
