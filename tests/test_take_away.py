"""Citations, feeds and the sitemap: permalinks that work, drafts that never leak."""

import json
import re

import pytest
from django.urls import reverse

from tests.conftest import DRAFT_TITLES


@pytest.mark.django_db
def test_every_record_page_has_a_cite_block_with_the_access_date(client, graph):
    import datetime

    for key in ("agreement", "norm", "body", "framework"):
        html = client.get(graph[key].get_absolute_url()).content.decode()
        assert "Cite this" in html
        assert f"(accessed {datetime.date.today().isoformat()})" in html
        assert f"http://testserver{graph[key].get_absolute_url()}" in html


@pytest.mark.django_db
def test_citation_downloads(client, graph):
    url = graph["norm"].get_absolute_url()
    bib = client.get(url + "cite.bib")
    assert bib.status_code == 200 and bib["Content-Type"].startswith("application/x-bibtex")
    assert re.search(
        r"@misc\{cyberdiplo-norm-13a,\n  title = \{\{Norm 0\.0\}\}", bib.content.decode()
    )
    ris = client.get(url + "cite.ris").content.decode()
    assert ris.startswith("TY  - ELEC\r\n") and "ER  -" in ris
    csl = json.loads(client.get(url + "cite.json").content)
    assert csl[0]["type"] == "webpage" and csl[0]["URL"].endswith(url)
    assert client.get(url + "cite.doc").status_code == 404


@pytest.mark.django_db
def test_drafts_have_no_citation(client, graph):
    assert client.get(graph["draft_agreement"].get_absolute_url() + "cite.bib").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/feeds/updates.atom", "/themes/confidence-building-measures/feed.atom"]
)
def test_feeds_list_published_records_only(client, graph, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert graph["agreement"].get_absolute_url() in xml
    for title in DRAFT_TITLES:
        assert title not in xml


@pytest.mark.django_db
def test_sitemap_lists_public_pages_and_no_draft(client, graph):
    # /sitemap.xml is an index of parts (research.sitemaps); read every part it names.
    index = client.get(reverse("sitemap")).content.decode()
    parts = re.findall(r"<loc>http://testserver([^<]+)</loc>", index)
    assert len(parts) >= 7
    xml = "".join(client.get(part.replace("&amp;", "&")).content.decode() for part in parts)
    for key in ("agreement", "norm", "body", "framework", "country", "theme"):
        assert f"http://testserver{graph[key].get_absolute_url()}" in xml, key
    for key in ("draft_agreement", "draft_norm", "draft_body", "draft_framework", "draft_term"):
        assert graph[key].get_absolute_url() not in xml, key


@pytest.mark.django_db
def test_exports_never_include_drafts(client, graph):
    for url in (reverse("agreements:list"), reverse("norms:index"), reverse("bodies:list"),
                graph["theme"].get_absolute_url()):  # fmt: skip
        for fmt in ("csv", "json"):
            body = client.get(url, {"format": fmt}).getvalue().decode("utf-8")
            for title in DRAFT_TITLES:
                assert title not in body, (url, fmt, title)
            for slug in ("draft-agreement", "draft-body", "draft-norm", "draft-framework"):
                assert slug not in body, (url, fmt, slug)


@pytest.mark.django_db
def test_list_search_and_export_query_counts_do_not_grow(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.graph import make_graph
    from tests.test_queries import clear_records

    urls = [
        "/agreements/?theme=cybercrime&year_from=2000",
        "/agreements/?format=csv",
        "/norms/?format=json",
        "/bodies/?format=csv",
        "/themes/cybercrime/?format=csv",
        "/search/?q=agreement",
        "/search/?q=agrement",  # the trigram path
        "/feeds/updates.atom",
        "/sitemap.xml",
    ]

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            result[url] = len(ctx.captured_queries)
        return result

    make_graph(scale=2)
    small = counts()
    clear_records()
    make_graph(scale=20)
    large = counts()
    assert large == small
    # The largest is a theme's export across its 10 record types: a few queries per type
    # (a learning path's steps: one, and one per type of record they name).
    assert max(small.values()) <= 60, small


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,count_key",
    [("/themes/", "record_count"), ("/countries/", "agreement_count"), ("/glossary/", "aliases")],
)
def test_theme_country_and_glossary_lists_export_too(client, graph, url, count_key):
    data = client.get(url, {"format": "json"}).json()
    assert data["count"] >= 1 and count_key in data["results"][0]
    text = client.get(url, {"format": "csv"}).getvalue().decode("utf-8")
    assert text.startswith("\ufeff") and len(text.splitlines()) == data["count"] + 1
    assert "Secret draft" not in text


@pytest.mark.django_db
def test_a_release_is_complete_citable_verifiable_and_has_no_draft(
    client, graph, settings, tmp_path
):
    import hashlib

    from django.core.management import call_command

    from core.registry import registry

    settings.RELEASES_DIR = str(tmp_path / "releases")
    assert "No release has been made yet" in client.get(reverse("releases")).content.decode()
    assert client.get("/api/v1/").json()["latest_release"] is None
    call_command("release", "--as", "2026.11.29")
    folder = tmp_path / "releases" / "cyberdiplo-2026.11.29"
    manifest = json.loads((folder / "manifest.json").read_text())
    for rt in registry:
        assert manifest["counts"][rt.key] == rt.model.objects.published().count() > 0, rt.key
    assert manifest["previous"] is None and "release 2026.11.29" in manifest["citation"]
    # Every checksum holds, as `sha256sum -c SHA256SUMS` would check it.
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    everything = "".join(p.read_text() for p in folder.iterdir())
    for title in DRAFT_TITLES:
        assert title not in everything, title
    graph_data = json.loads((folder / "records.jsonld").read_text())
    assert len(graph_data["@graph"]) == sum(manifest["counts"].values())
    # Listed at once (the page cache keys on the content version, which the release bumps),
    # its files served, a wrong version or file a 404.
    assert client.get("/api/v1/").json()["latest_release"]["version"] == "2026.11.29"
    listing = client.get(reverse("releases")).content.decode()
    assert 'href="/data/releases/2026.11.29/"' in listing
    page = client.get(reverse("release", args=["2026.11.29"])).content.decode()
    assert manifest["files"][0]["sha256"] in page
    csv_file = client.get(reverse("release-file", args=["2026.11.29", "agreements.csv"]))
    assert csv_file.status_code == 200 and b"Agreement 0" in b"".join(csv_file.streaming_content)
    for version, name in [("2026.11.30", "agreements.csv"), ("2026.11.29", "..%2Fsecret"),
                          ("2026.11.29", "settings.py"), ("latest", "SHA256SUMS")]:  # fmt: skip
        assert client.get(f"/data/releases/{version}/{name}").status_code == 404, name
    # The next release says what changed; a release never changes.
    agreement = graph["agreement"]
    agreement.summary = "A new summary."
    agreement.save()
    call_command("release")
    from research import releases

    second = releases.listed()[0]
    assert second["previous"] == "2026.11.29"
    assert second["changes"] == {"added": 0, "removed": 0, "changed": 1}
    changelog = tmp_path / "releases" / f"cyberdiplo-{second['version']}" / "CHANGELOG.md"
    assert agreement.get_absolute_url() in changelog.read_text()
    with pytest.raises(Exception, match="releases never change"):
        call_command("release", "--as", "2026.11.29")
