"""World maps: an agreement's parties, a body's members, and /map/ (instruments per state).

What the pictures draw, link and count; their downloads say what they show; bad
parameters get a 4xx; drafts stay out; the queries do not grow with the data. The
browser's view of the same pictures is in test_maps_browser.py.
"""

import csv
import datetime
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Participation
from bodies.models import Body, Membership
from core import worldmap
from core.models import Status
from reference.models import Country, Theme
from tests.graph import make_graph
from tests.test_queries import clear_records
from visual.maps import step_of, steps

AS_OF = datetime.date(2026, 11, 1)


def agreement(slug: str, kind=Agreement.Kind.MULTILATERAL_TREATY, status=Status.PUBLISHED):
    return Agreement.objects.create(
        title=f"Agreement {slug}",
        short_title=f"Treaty {slug}",
        slug=slug,
        kind=kind,
        legally_binding=True,
        adopted="2001-11-23",
        legal_status=Agreement.LegalStatus.IN_FORCE,
        status_as_of=AS_OF,
        summary="A treaty.",
        status=status,
    )


def party(agreement, country=None, body=None, **dates):
    return Participation.objects.create(
        agreement=agreement, country=country, body=body, as_of=AS_OF, **dates
    )


@pytest.fixture
def world(db) -> dict:
    return build_world()


def build_world() -> dict:
    """Real countries (a small state among them), a treaty with a party at each step,
    a body party, a draft body party, and a second, themed political commitment."""
    names = {
        "FR": "France",
        "DE": "Germany",
        "JP": "Japan",
        "ZA": "South Africa",
        "SG": "Singapore",
        "BR": "Brazil",
    }
    c = {code: Country.objects.create(code=code, name=name, region="europe")
         for code, name in names.items()}  # fmt: skip
    treaty = agreement("treaty")
    party(treaty, c["FR"], signed="2001-11-23", consent_kind="ratification", consent="2006",
          entry_into_force="2006-05-01")  # fmt: skip
    party(treaty, c["DE"], signed="2001-11-23", consent_kind="ratification", consent="2009")
    party(treaty, c["ZA"], signed="2001-11-23")
    party(treaty, c["SG"])
    party(treaty, c["BR"], signed="2002", withdrawn="2020")
    body = Body.objects.create(
        title="European Union", slug="eu", acronym="EU", kind=Body.Kind.INTERGOVERNMENTAL,
        summary="A union.", status=Status.PUBLISHED,
    )  # fmt: skip
    hidden = Body.objects.create(
        title="Secret Club", slug="secret", kind=Body.Kind.OTHER, summary="Hidden.",
        status=Status.DRAFT,
    )  # fmt: skip
    party(treaty, body=body, signed="2002")
    party(treaty, body=hidden, signed="2002")
    for code in ("FR", "DE", "SG"):
        Membership.objects.create(body=body, country=c[code], since="1993")
    theme = Theme.objects.create(name="Cybercrime", slug="cybercrime", description="Crime.")
    call = agreement("call", kind=Agreement.Kind.POLITICAL_COMMITMENT)
    call.themes.add(theme)
    party(call, c["FR"])
    party(call, c["JP"])
    draft = agreement("draft-treaty", status=Status.DRAFT)
    party(draft, c["JP"], signed="2020")
    return {"treaty": treaty, "call": call, "body": body, "theme": theme, **c}


def figure_of(response):
    return response.context["world_map"]


def test_shapes_are_small_and_cover_every_country_of_the_shipped_list():
    assert worldmap.WORLD.stat().st_size < 200_000
    shipped = tomllib.loads((Path(settings.BASE_DIR) / "data" / "countries.toml").read_text())
    shapes = worldmap.world()["countries"]
    missing = [c["code"] for c in shipped["country"] if c["code"] not in shapes]
    assert missing == []
    # Kosovo and Taiwan are drawn; the tiniest states (Tuvalu, Nauru) at least as a dot.
    assert shapes["XK"]["d"] and shapes["TW"]["d"]
    assert "dot" in shapes["TV"] and "dot" in shapes["NR"]
    assert "AQ" not in shapes


def test_no_shape_streaks_across_the_map():
    # Russia and Fiji cross the antimeridian: drawn whole, a ring would join its two ends
    # with a line across the world. Each step of an outline is short.
    number = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
    for code, shape in worldmap.world()["countries"].items():
        for ring in shape["d"].split("M")[1:]:
            steps = [float(n) for n in number.findall(ring.split("l")[1])]
            assert max(abs(dx) for dx in steps[::2]) < 150, code


def test_agreement_map_colours_each_party_by_its_furthest_step(client, world):
    response = client.get(world["treaty"].get_absolute_url())
    assert response.status_code == 200
    states = {p.code: p.category for p in figure_of(response).places}
    assert states == {
        "FR": "in-force",
        "DE": "bound",
        "ZA": "signed",
        "SG": "participant",
        "BR": "withdrawn",
    }
    html = response.content.decode()
    # Each party a link to its country page, named by country and state.
    assert '<a href="/countries/fr/" aria-label="France: In force for the party' in html
    assert '<a href="/countries/br/" aria-label="Brazil: Withdrawn"' in html
    # Singapore is too small to see: its link is a dot.
    assert '<a href="/countries/sg/"' in html.split('class="worldmap-dots"')[1]
    # The legend counts each state present, and the body party is named, not drawn; a
    # draft body party appears nowhere.
    legend = html.split('class="worldmap-legend"')[1].split("</ul>")[0]
    assert 'In force for the party <span class="worldmap-count">1</span>' in legend
    assert legend.count("<li>") == 5
    assert "Also parties, not states so not drawn: European Union" in html
    assert "Secret Club" not in html
    assert 'role="group"' in html and "<title id=" in html and "<figcaption>" in html


def test_body_map_shows_its_members(client, world):
    response = client.get(world["body"].get_absolute_url())
    figure = figure_of(response)
    assert sorted(p.code for p in figure.places) == ["DE", "FR", "SG"]
    assert figure.legend()[0][1] == 3
    assert "Member states" in response.content.decode()


def test_records_without_parties_or_members_have_no_map(client, world):
    lonely = agreement("lonely")
    response = client.get(lonely.get_absolute_url())
    assert response.context["world_map"] is None
    assert 'class="worldmap' not in response.content.decode()
    assert client.get(lonely.get_absolute_url() + "?map=svg").status_code == 404


def test_agreement_map_downloads_say_what_the_map_shows(client, world):
    url = world["treaty"].get_absolute_url()
    shown = {p.name: world_category(p, figure_of(client.get(url))) for p in
             figure_of(client.get(url)).places}  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(
        b"".join(client.get(url + "?map=csv").streaming_content).decode("utf-8-sig")
    )))  # fmt: skip
    assert {r["country"]: r["category"] for r in rows} == shown
    assert all(
        r["citation"].startswith('Cyberdiplo contributors. "Parties to the Treaty treaty."')
        for r in rows
    )
    assert rows[0]["url"].startswith("http://testserver/countries/")
    data = json.loads(client.get(url + "?map=json").content)
    assert {r["country"]: r["category"] for r in data["results"]} == shown
    assert f"http://testserver{url} (accessed " in data["citation"]
    svg = client.get(url + "?map=svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    text = svg.content.decode()
    assert text.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert 'href="http://testserver/countries/fr/"' in text
    assert "In force for the party (1)" in text and "(accessed " in text
    assert "style=" not in text and "<script" not in text


def world_category(place, figure) -> str:
    return figure.by_key[place.category].label


@pytest.mark.parametrize("param", ["map=png", "map=", "map=%00"])
def test_a_bad_map_download_is_a_400(client, world, param):
    assert client.get(f"{world['treaty'].get_absolute_url()}?{param}").status_code == 400


def counts_of(client, query: str = "") -> dict[str, int]:
    response = client.get(reverse("visual:map") + query)
    assert response.status_code == 200
    return {p.code: p.value for p in response.context["figure"].places if p.value}


def test_world_map_counts_instruments_per_state_without_drafts_or_withdrawals(client, world):
    # Japan's draft treaty and Brazil's withdrawal do not count.
    assert counts_of(client) == {"FR": 2, "DE": 1, "ZA": 1, "SG": 1, "JP": 1}


def test_world_map_filters_by_theme_and_kind_like_the_agreement_list(client, world):
    assert counts_of(client, "?theme=cybercrime") == {"FR": 1, "JP": 1}
    assert counts_of(client, "?kind=multilateral-treaty") == {"FR": 1, "DE": 1, "ZA": 1, "SG": 1}
    response = client.get(reverse("visual:map") + "?theme=cybercrime")
    html = response.content.decode()
    assert f'href="{reverse("agreements:list")}?theme=cybercrime"' in html
    assert "1 instrument mapped" in html
    # Every state is in the table, with a link, including those party to nothing.
    assert '<a href="/countries/br/">Brazil</a>' in html


def test_world_map_downloads_match_the_map(client, world):
    response = client.get(reverse("visual:map") + "?theme=cybercrime&format=csv")
    rows = list(csv.DictReader(io.StringIO(
        b"".join(response.streaming_content).decode("utf-8-sig")
    )))  # fmt: skip
    assert {r["code"]: int(r["instruments"]) for r in rows if r["instruments"] != "0"} == {
        "FR": 1,
        "JP": 1,
    }
    assert len(rows) == Country.objects.count()
    assert "?theme=cybercrime (accessed" in rows[0]["citation"]
    data = json.loads(client.get(reverse("visual:map") + "?theme=cybercrime&format=json").content)
    assert data["count"] == len(rows) and data["title"].endswith(": Cybercrime")
    svg = client.get(reverse("visual:map") + "?format=svg").content.decode()
    assert 'aria-label="France: 2–3"' in svg


@pytest.mark.parametrize(
    "query", ["?kind=nonsense", "?theme=no-such-theme", "?format=xml", "?year_from=abc"]
)
def test_bad_world_map_parameters_are_a_400(client, world, query):
    response = client.get(reverse("visual:map") + query)
    assert response.status_code == 400


def test_classes_double_and_every_count_falls_in_its_labelled_class():
    classes = {c.key: c.label for c in steps(40)}
    assert list(classes.values()) == ["None", "1", "2–3", "4–7", "8–15", "16 or more"]
    assert list(c.label for c in steps(3)) == ["None", "1", "2–3"]
    for n in range(0, 41):
        label = classes[step_of(n)]
        if label == "None":
            assert n == 0
        elif "or more" in label:
            assert n >= int(label.split()[0])
        else:
            low, _, high = label.partition("–")
            assert int(low) <= n <= int(high or low)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_map_queries_do_not_grow_with_the_data(client):
    # /map/: themes, theme choices, the instrument count, counts per state, the states,
    # and the content version that the choices are held under (a query per request in a
    # test's transaction: a production worker is notified of changes instead).
    # The record pages' maps read the parties and members their page already fetched: no
    # query of their own (test_queries.py keeps those pages' budgets unchanged).
    def counts(graph) -> list[int]:
        urls = [
            reverse("visual:map"),
            reverse("visual:map") + "?theme=cybercrime&kind=multilateral-treaty",
            reverse("visual:map") + "?theme=cybercrime&format=csv",
            graph["agreement"].get_absolute_url() + "?map=svg",
            graph["body"].get_absolute_url() + "?map=json",
        ]
        return [count_queries(client, url) for url in urls]

    small = counts(make_graph(scale=2))
    clear_records()
    large = counts(make_graph(scale=20))
    assert small[0] <= 6, small
    assert large == small


def test_record_page_maps_add_no_query(client, world, monkeypatch):
    # They draw from the parties and members the page has already fetched.
    pages = [world["treaty"].get_absolute_url(), world["body"].get_absolute_url()]
    for url in pages:
        client.get(url)  # steady state: what a worker holds per content version is read
    with_maps = [count_queries(client, url) for url in pages]
    monkeypatch.setattr("agreements.views.party_map", lambda entry: None)
    monkeypatch.setattr("bodies.views.member_map", lambda entry: None)
    without = [count_queries(client, url) for url in pages]
    assert 'class="worldmap' not in client.get(pages[0]).content.decode()
    assert with_maps == without
