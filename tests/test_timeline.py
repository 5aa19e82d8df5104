"""The timeline: what /timeline/ and the theme and country pages draw, link and download.

Layout on plain data (labels never collide, early records sit in the margin), the
filters with the lists' parameters, bad input as a 400, drafts never shown, downloads
that say what the picture shows, a lane added by one registration, bounded queries.
The browser's view of the same pictures is in test_timeline_browser.py.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Participation
from bodies.models import Body, Membership
from core.models import Status
from core.registry import TimelineLane, registry
from core.timeline import (
    COMPACT,
    Event,
    LaneEvents,
    Size,
    TimelineQuery,
    draw,
    layout,
)
from norms.models import NormFramework
from reference.models import Country, Theme
from visual import timeline as timeline_view

AS_OF = datetime.date(2026, 11, 1)
TODAY = datetime.date(2026, 11, 29)


# --- Layout, on plain data ------------------------------------------------------------


def lane_of(events, key="agreement"):
    return LaneEvents(key, "Agreements", "#0b5394", "circle", events)


def crowded(n: int) -> list[Event]:
    """``n`` events with long labels, many in the same years."""
    return [
        Event(
            date=f"{2010 + i % 6}-{1 + i % 12:02d}",
            label=f"A rather long agreement title number {i}",
            url=f"/agreements/a-{i}/",
            lane="agreement",
            what="Adopted or signed",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("size", [Size(), COMPACT])
def test_labels_never_overlap_and_the_rest_are_thinned_out(size):
    timeline = layout([lane_of(crowded(80))], size=size, today=TODAY)
    marks = timeline.lanes[0].marks
    labelled = [m for m in marks if m.label]
    assert len(marks) == 80  # every event keeps its mark (a link)
    assert 0 < len(labelled) < 80  # some are thinned out
    by_row: dict[int, list[tuple[float, float]]] = {}
    for m in labelled:
        width = len(m.label) * size.font * 0.58
        left, right = (m.x - width - 9, m.x) if m.label_end else (m.x, m.x + 9 + width)
        by_row.setdefault(m.row, []).append((left, right))
    for spans in by_row.values():
        spans.sort()
        for (_, right), (left, _) in zip(spans, spans[1:], strict=False):
            assert right <= left, spans
    assert max(m.row for m in labelled) < size.max_rows


def test_records_before_2001_sit_in_the_margin_unless_the_period_starts_earlier():
    events = [
        Event("1949-04-04", "North Atlantic Treaty", "/a/nat/", "agreement", what="Signed"),
        Event("2001-11-23", "Budapest Convention", "/a/bc/", "agreement", what="Signed"),
    ]
    default = layout([lane_of(events)], today=TODAY)
    assert default.start == 2001 and default.margin_until == 2001
    margin = [m for m in default.lanes[0].marks if m.margin]
    assert [m.event.label for m in margin] == ["North Atlantic Treaty"]
    assert margin[0].label.startswith("1949 ")
    assert margin[0].x < default.x0  # left of the axis
    svg = draw(default, title="T", desc="D")
    assert "Earlier (not to scale)" in svg

    before = layout([lane_of(events[:1])], end=1960, today=TODAY)
    assert (before.start, before.end, before.margin_until) == (1949, 1960, None)

    zoomed = layout([lane_of(events)], start=1945, end=2005, today=TODAY)
    assert zoomed.margin_until is None
    assert all(not m.margin for m in zoomed.lanes[0].marks)
    assert zoomed.lanes[0].marks[0].x < zoomed.x("1950")


def test_drawing_is_accessible_markup_without_style_attributes():
    events = [
        Event("2001-11-23", "Budapest <Convention>", "/a/bc/", "agreement", title="Convention",
              what="Adopted or signed", until="2004-07-01", until_what="Entered into force"),
    ]  # fmt: skip
    svg = draw(layout([lane_of(events)], today=TODAY), title="Timeline & co", desc="One event")
    # A group (its marks are links, which an img would hide), named by its title and desc.
    assert 'role="group" aria-labelledby="timeline-title timeline-desc"' in svg
    assert "<title id=" in svg and "<desc id=" in svg
    assert "Timeline &amp; co" in svg and "Budapest &lt;Convention&gt;" in svg
    assert 'href="/a/bc/"' in svg
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    # A span: a line from adoption to a hollow mark at entry into force.
    assert 'fill="#ffffff" stroke="#0b5394"' in svg
    assert "entered into force 1 July 2004" in svg


def test_the_tables_list_every_event_of_each_lane_escaped():
    """The picture's text alternative: a table per lane, a row per event, a record's
    name escaped, an agreement's entry into force in a column of its own."""
    agreements = [
        Event("2001-11-23", "Budapest", "/a/bc/", "agreement", title="Convention <b>&</b>",
              what="Adopted or signed", until="2004-07-01", kind_label="Treaty"),
        Event("2015-07", "GGE", "/a/gge/", "agreement", what="Adopted or signed"),
    ]  # fmt: skip
    bodies = [Event("2004", "ENISA", "/b/enisa/", "body", what="Founded")]
    lanes = [lane_of(agreements), LaneEvents("body", "Bodies", "#1c7a4b", "diamond", bodies)]
    figure = timeline_figure(lanes)
    tables = str(figure.tables)
    assert tables.count("<table>") == 2 and tables.count('<th scope="row">') == 3
    assert "Convention &lt;b&gt;&amp;&lt;/b&gt;</a>" in tables and "<b>" not in tables
    assert '<a href="/a/gge/">GGE</a>' in tables  # no title: its label
    agreement_table, body_table = tables.split("</table>")[:2]
    assert "Entered into force" in agreement_table and "Entered into force" not in body_table
    assert '<td><time datetime="2004-07-01">2004-07-01</time></td>' in agreement_table


def timeline_figure(lanes):
    from core.timeline import figure

    query = TimelineQuery()
    return figure(query, name="Timeline", about="", url="/t/", downloads="/t/?format=",
                  today=TODAY, gathered=lanes)  # fmt: skip


# --- The page, on records -------------------------------------------------------------


def published(model, **fields):
    return model.objects.create(status=Status.PUBLISHED, summary="S.", **fields)


@pytest.fixture
def records(db):
    cyber = Theme.objects.create(name="Cybercrime", slug="cybercrime", description="C.")
    cbm = Theme.objects.create(name="CBMs", slug="cbms", description="C.")
    fr = Country.objects.create(code="FR", name="France", region="europe")
    de = Country.objects.create(code="DE", name="Germany", region="europe")
    nato = published(Body, title="North Atlantic Treaty Organization", slug="nato",
                     acronym="NATO", kind="intergovernmental", founded="1949-08-24")  # fmt: skip
    enisa = published(Body, title="EU Agency for Cybersecurity", slug="enisa", acronym="ENISA",
                      kind="eu-agency", founded="2004-03-10")  # fmt: skip
    Membership.objects.create(body=nato, country=fr)
    Membership.objects.create(body=enisa, country=de)
    treaty = published(Agreement, title="Convention on Cybercrime", slug="budapest",
                       short_title="Budapest Convention", kind="multilateral-treaty",
                       legally_binding=True, adopted="2001-11-23", entry_into_force="2004-07-01",
                       legal_status="in-force", status_as_of=AS_OF)  # fmt: skip
    pledge = published(Agreement, title="Cyber pledge", slug="pledge",
                       kind="political-commitment", legally_binding=False, adopted="2016-07",
                       legal_status="non-binding", status_as_of=AS_OF)  # fmt: skip
    founding = published(Agreement, title="North Atlantic Treaty", slug="nat",
                         kind="regional-treaty", legally_binding=True, adopted="1949-04-04",
                         legal_status="in-force", status_as_of=AS_OF)  # fmt: skip
    nato.established_by = founding
    nato.save()
    Participation.objects.create(agreement=treaty, country=fr, signed="2001-11-23", as_of=AS_OF)
    Participation.objects.create(agreement=pledge, country=de, signed="2016", as_of=AS_OF)
    Participation.objects.create(agreement=pledge, body=nato, signed="2016", as_of=AS_OF)
    framework = published(NormFramework, title="UN GGE report 2015", slug="gge-2015",
                          short_title="UN GGE 2015", kind="un-report", adopted="2015-07-22",
                          produced_by=enisa)  # fmt: skip
    treaty.themes.add(cyber)
    enisa.themes.add(cyber)
    pledge.themes.add(cbm)
    framework.themes.add(cbm)
    # Drafts, dated and linked: never on any timeline.
    draft = Agreement.objects.create(title="Secret draft treaty", slug="secret", kind="bilateral",
                                     legally_binding=True, adopted="2010", legal_status="unknown",
                                     status_as_of=AS_OF, summary="D.")  # fmt: skip
    draft.themes.add(cyber)
    Participation.objects.create(agreement=draft, country=fr, signed="2010", as_of=AS_OF)
    Body.objects.create(title="Secret draft body", slug="secret-body", kind="other",
                        founded="2012", summary="D.")  # fmt: skip
    return {"treaty": treaty, "pledge": pledge, "nat": founding, "nato": nato, "enisa": enisa,
            "framework": framework, "draft": draft}  # fmt: skip


def links_in_picture(html: str) -> set[str]:
    svg = html[html.index("<svg") : html.index("</svg>")]
    return set(re.findall(r'<a href="([^"]+)" class="timeline-mark"', svg))


def url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('visual:timeline')}?{query}"


def test_timeline_draws_every_lane_and_links_each_record(client, records):
    response = client.get(reverse("visual:timeline"))
    assert response.status_code == 200
    html = response.content.decode()
    assert links_in_picture(html) == {
        records[k].get_absolute_url()
        for k in ("treaty", "pledge", "nat", "nato", "enisa", "framework")
    }
    for label in ("Norm frameworks (1)", "Agreements and instruments (3)", "Bodies founded (2)"):
        assert label in html
    assert "Secret" not in html  # drafts never appear
    assert 'src="/static/js/timeline.js" defer' in html
    assert "<figcaption" in html and "The timeline as tables" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "cybercrime"}, {"treaty", "enisa"}),
        ({"theme": "cybercrime", "kind": "eu-agency"}, {"enisa"}),
        ({"type": "framework"}, {"framework"}),
        # A country: what it is party to or a member of (frameworks have no parties).
        ({"party": "FR"}, {"treaty", "nato"}),
        # A body: itself, what it is party to, the treaty that founded it, what it produced.
        ({"party": "body:nato"}, {"nato", "pledge", "nat"}),
        ({"party": "body:enisa"}, {"enisa", "framework"}),
        ({"from": "2005", "to": "2020"}, {"pledge", "framework"}),
        ({"from": "1940", "to": "1960"}, {"nat", "nato"}),
        ({"to": "1960"}, {"nat", "nato"}),
    ],
)
def test_filters_take_the_lists_parameters_and_change_the_picture(
    client, records, params, expected
):
    response = client.get(url(**params))
    assert response.status_code == 200
    assert links_in_picture(response.content.decode()) == {
        records[k].get_absolute_url() for k in expected
    }


@pytest.mark.parametrize(
    "params",
    [
        {"from": "soon"},
        {"to": "99999"},
        {"theme": "no-such-theme"},
        {"kind": "spaceship"},
        {"type": "planet"},
        {"party": "ZZ"},
        {"party": "body:secret-body"},  # a draft body is not a choice
        {"format": "xls"},
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, records, params):
    response = client.get(url(**params))
    assert response.status_code == 400
    if "format" not in params:
        assert "Some filters could not be used" in response.content.decode()


def test_a_reversed_period_is_swapped_and_said(client, records):
    response = client.get(url(**{"from": "2020", "to": "2005"}))
    html = response.content.decode()
    assert "The period was reversed" in html
    assert links_in_picture(html) == {
        records[k].get_absolute_url() for k in ("pledge", "framework")
    }


def test_downloads_say_what_the_picture_shows(client, records):
    html = client.get(url(theme="cybercrime")).content.decode()
    shown = links_in_picture(html)
    assert '?theme=cybercrime&amp;format=csv"' in html and "Cite this picture:" in html

    response = client.get(url(theme="cybercrime", format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert {row["url"].removeprefix("http://testserver") for row in rows} == shown
    treaty = next(row for row in rows if row["title"] == "Convention on Cybercrime")
    assert (treaty["date"], treaty["until"], treaty["lane"]) == (
        "2001-11-23",
        "2004-07-01",
        "agreement",
    )
    assert all(
        "Cyberdiplo" in row["citation"] and "theme=cybercrime" in row["citation"] for row in rows
    )

    data = json.loads(client.get(url(theme="cybercrime", format="json")).content)
    assert data["count"] == len(shown) and "accessed" in data["citation"]

    svg = client.get(url(theme="cybercrime", format="svg"))
    assert svg["Content-Type"].startswith("image/svg+xml")
    text = svg.content.decode()
    assert text.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert "Cybercrime" in text and "accessed" in text  # its title and citation line
    png = client.get(url(theme="cybercrime", format="png"))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_theme_and_country_pages_show_a_compact_timeline_of_their_records(client, records):
    html = client.get(Theme.objects.get(slug="cybercrime").get_absolute_url()).content.decode()
    assert 'id="timeline-heading"' in html
    assert links_in_picture(html) == {records[k].get_absolute_url() for k in ("treaty", "enisa")}
    assert "/timeline/?theme=cybercrime&amp;format=csv" in html  # the same selection's data

    html = client.get(Country.objects.get(code="FR").get_absolute_url()).content.decode()
    assert links_in_picture(html) == {records[k].get_absolute_url() for k in ("treaty", "nato")}
    assert "/timeline/?party=FR" in html
    assert "Secret" not in html


def test_a_theme_pages_timeline_shows_the_newest_of_each_lane_and_links_them_all(client, records):
    from core.timeline import COMPACT_LIMIT

    more_records(COMPACT_LIMIT + 5)  # agreements of the theme, adopted 2002-2021
    html = client.get(Theme.objects.get(slug="cybercrime").get_absolute_url()).content.decode()
    shown = links_in_picture(html)
    extra = {a.get_absolute_url() for a in Agreement.objects.filter(slug__startswith="extra-")}
    assert len(shown & extra) == COMPACT_LIMIT  # the page's weight does not grow further
    oldest = Agreement.objects.filter(slug__startswith="extra-").order_by("adopted", "pk")[0]
    assert oldest.get_absolute_url() not in shown  # the newest are shown
    assert f"only the newest {COMPACT_LIMIT} are shown" in html
    assert "/timeline/?theme=cybercrime" in html  # where every one of them is


def test_a_page_with_nothing_dated_shows_no_timeline(client, db):
    country = Country.objects.create(code="IS", name="Iceland", region="europe")
    html = client.get(country.get_absolute_url()).content.decode()
    assert 'id="timeline-heading"' not in html


def test_a_new_lane_is_one_registration(client, records):
    """The incidents app (or any other) adds its lane with one TimelineLane."""

    def events(query: TimelineQuery):
        return [Event("2017-06-27", "NotPetya", "/incidents/notpetya/", "incident",
                      what="Began", kind="disruption")]  # fmt: skip

    lane = TimelineLane("incident", "Key events", events, kinds=(("disruption", "Disruption"),),
                        order=40)  # fmt: skip
    registry.timeline_lanes.append(lane)
    try:
        html = client.get(reverse("visual:timeline")).content.decode()
        assert "Key events (1)" in html and "/incidents/notpetya/" in links_in_picture(html)
        html = client.get(url(kind="disruption")).content.decode()
        assert links_in_picture(html) == {"/incidents/notpetya/"}
    finally:
        registry.timeline_lanes.remove(lane)


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def more_records(n: int) -> None:
    fr = Country.objects.get(code="FR")
    cyber = Theme.objects.get(slug="cybercrime")
    for i in range(n):
        a = published(Agreement, title=f"Extra {i}", slug=f"extra-{i}", kind="bilateral",
                      legally_binding=True, adopted=f"{2002 + i % 20}", legal_status="in-force",
                      status_as_of=AS_OF)  # fmt: skip
        a.themes.add(cyber)
        Participation.objects.create(agreement=a, country=fr, signed=f"{2002 + i % 20}",
                                     as_of=AS_OF)  # fmt: skip
        published(Body, title=f"Extra body {i}", slug=f"extra-body-{i}", kind="other",
                  founded=f"{1990 + i % 30}")  # fmt: skip


TIMELINE_URLS = {
    # themes, countries, bodies (form choices); a query per lane (3)
    "timeline": "/timeline/",
    # ... the chosen theme's check is in its choices; the chosen body among the bodies
    "timeline filtered": "/timeline/?theme=cybercrime&party=body:nato&from=2000&to=2020",
    "csv": "/timeline/?format=csv",
}
# A query per lane: agreements, bodies, incidents, responses (frameworks need none).
BUDGETS = {"timeline": 8, "timeline filtered": 8, "csv": 8}


def test_query_count_does_not_grow_with_the_data(client, records):
    for path in TIMELINE_URLS.values():
        client.get(path)  # once, so that per-process caches (content types) are warm
    small = {name: count_queries(client, path) for name, path in TIMELINE_URLS.items()}
    more_records(40)
    large = {name: count_queries(client, path) for name, path in TIMELINE_URLS.items()}
    assert small == large
    for name, n in small.items():
        assert n <= BUDGETS[name], (name, n)


def test_events_per_lane_are_capped_and_the_picture_says_so(client, records, monkeypatch):
    more_records(12)
    html = client.get(url(type="body")).content.decode()
    assert "Bodies founded (14)" in html
    monkeypatch.setattr(timeline_view, "EVENTS_PER_LANE", 5)
    html = client.get(url(type="body")).content.decode()
    assert "Bodies founded (5+)" in html  # the newest five
    assert "only the newest 5 are shown" in html
    assert len(links_in_picture(html)) == 5
