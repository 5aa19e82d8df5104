"""The accession chart of a treaty page: cumulative signatures and parties by year, the
entry-into-force threshold, its downloads, and the field that holds the threshold."""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, Participation
from core.charts import accession_chart, accession_counts, draw_accession
from core.models import Status
from reference.models import Country

AS_OF = datetime.date(2026, 11, 1)
TODAY = datetime.date(2026, 11, 29)


def test_counts_are_cumulative_and_a_withdrawal_takes_a_party_off():
    rows = [
        ("2001-11-23", "2004", ""),  # signed, then ratified
        ("2001", "", ""),  # signed only
        ("", "2006-03", ""),  # acceded without signing
        ("2002", "2003", "2010"),  # ratified, withdrew
    ]
    counts = {c.year: (c.signatures, c.parties) for c in accession_counts(rows, last=2011)}
    assert counts[2001] == (2, 0)
    assert counts[2003] == (3, 1)
    assert counts[2004] == (3, 2)
    assert counts[2006] == (3, 3)
    assert counts[2010] == (3, 2)
    assert max(counts) == 2011


def test_no_chart_without_two_dated_parties():
    assert accession_chart("T", [("2001", "", ""), ("", "", "")], today=TODAY) is None
    chart = accession_chart("T", [("2001", "", ""), ("", "2002", ""), ("", "", "")], today=TODAY)
    assert chart.undated == 1 and chart.latest.year == 2026


def test_chart_labels_its_lines_and_draws_the_threshold():
    chart = accession_chart(
        "Signatures and parties of the Test Convention, by year",
        [("2001", "2002", ""), ("2001", "2003", ""), ("2002", "2004", "")],
        threshold=5,
        adopted="2001-11-23",
        in_force="2004-07-01",
        today=TODAY,
    )
    svg = draw_accession(chart)
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "Signatures: 3" in svg and "Parties: 3" in svg  # direct labels
    assert "5 needed to" in svg and 'stroke-dasharray="6 4"' in svg  # the reference line
    assert "in force 2004" in svg
    assert "style=" not in svg
    assert "It needed 5 parties to enter into force; it did on 1 July 2004." in chart.caption()


@pytest.mark.parametrize("value", [0, -1])
def test_the_threshold_is_a_positive_number(db, value):
    treaty = make_treaty("t")
    treaty.parties_for_entry_into_force = value
    with pytest.raises(ValidationError):
        treaty.full_clean()


def make_treaty(slug, kind="multilateral-treaty", threshold=None, parties=3, reach="plurilateral"):
    treaty = Agreement.objects.create(
        title=f"Convention {slug}", slug=slug, short_title=f"{slug.title()} Convention",
        kind=kind, reach=reach, legally_binding=True, adopted="2001-11-23",
        entry_into_force="2004-07-01",
        legal_status="in-force", status_as_of=AS_OF, summary="S.", status=Status.PUBLISHED,
        parties_for_entry_into_force=threshold,
    )  # fmt: skip
    for i in range(parties):
        country, _ = Country.objects.get_or_create(
            code=f"Q{chr(65 + i)}", defaults={"name": f"State {i}", "region": "europe"}
        )
        Participation.objects.create(
            agreement=treaty, country=country, signed=f"{2001 + i}", consent=f"{2003 + i}",
            consent_kind="ratification", as_of=AS_OF,
        )  # fmt: skip
    return treaty


def test_treaty_page_shows_the_chart_with_its_table_downloads_and_citation(client, db):
    treaty = make_treaty("test", threshold=2)
    html = client.get(treaty.get_absolute_url()).content.decode()
    assert 'id="accession-heading"' in html
    assert "Signatures: 3" in html and "Parties: 3" in html and "2 needed to" in html
    assert "<dt>Parties needed for entry into force</dt><dd>2</dd>" in html
    for fmt in ("csv", "json", "svg", "png"):
        assert f'href="?accession={fmt}"' in html
    assert "Cite this chart:" in html
    assert "<caption>Signatures and parties so far, at the end of each year</caption>" in html

    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(f"{treaty.get_absolute_url()}?accession=csv").streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    by_year = {int(r["year"]): (int(r["signatures"]), int(r["parties"])) for r in rows}
    assert by_year[2001] == (1, 0) and by_year[2003] == (3, 1) and by_year[2005] == (3, 3)
    # The table under the chart says the same.
    assert '<th scope="row">2003</th><td>3</td><td>1</td>' in html
    assert "Test Convention" in rows[0]["citation"]

    data = json.loads(client.get(f"{treaty.get_absolute_url()}?accession=json").content)
    assert data["results"][0] == {"year": 2001, "signatures": 1, "parties": 0}
    assert treaty.get_absolute_url() in data["citation"]
    svg = client.get(f"{treaty.get_absolute_url()}?accession=svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"accessed" in svg.content
    png = client.get(f"{treaty.get_absolute_url()}?accession=png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_bilateral_and_partyless_agreements_have_no_chart(client, db):
    bilateral = make_treaty("pair", kind="bilateral", reach="bilateral", parties=2)
    lonely = make_treaty("lonely", parties=1)
    for record in (bilateral, lonely):
        assert (
            'id="accession-heading"' not in client.get(record.get_absolute_url()).content.decode()
        )
        assert client.get(f"{record.get_absolute_url()}?accession=csv").status_code == 404


def test_a_bad_download_format_is_a_400(client, db):
    treaty = make_treaty("test")
    assert client.get(f"{treaty.get_absolute_url()}?accession=xls").status_code == 400


def test_the_chart_costs_the_page_no_query(client, db):
    treaty = make_treaty("test", parties=2)
    client.get(treaty.get_absolute_url())  # Django's content-type cache filled: steady state
    with CaptureQueriesContext(connection) as small:
        client.get(treaty.get_absolute_url())
    for i in range(2, 12):
        country = Country.objects.create(code=f"R{chr(65 + i)}", name=f"R {i}", region="asia")
        Participation.objects.create(agreement=treaty, country=country, signed="2010", as_of=AS_OF)
    # Steady state again: the content changed, so what a worker holds under the content
    # version (the themes) is read once more.
    client.get(treaty.get_absolute_url())
    with CaptureQueriesContext(connection) as large:
        html = client.get(treaty.get_absolute_url()).content.decode()
    assert "Signatures: 12" in html
    assert len(large.captured_queries) == len(small.captured_queries)


def test_shipped_treaties_carry_their_entry_into_force_thresholds(shipped, db, client):
    expected = {
        "budapest-convention": 5,
        "budapest-first-protocol": 5,
        "budapest-second-protocol": 5,
        "un-cybercrime-convention": 40,
        "malabo-convention": 15,
        "arab-it-offences-convention": 7,
    }
    thresholds = dict(
        Agreement.objects.filter(slug__in=expected).values_list(
            "slug", "parties_for_entry_into_force"
        )
    )
    assert thresholds == expected
    html = client.get("/agreements/budapest-convention/").content.decode()
    assert "5 needed to" in html and 'id="accession-heading"' in html
