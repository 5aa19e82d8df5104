"""The sitemap is an index of bounded parts: every public record once, no draft, any size."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from content.synthetic import generate
from core.models import Status
from research import sitemaps

LOC = re.compile(r"<loc>http://testserver([^<]+)</loc>")


def small_parts(monkeypatch, size: int) -> None:
    for part in (sitemaps.PagesSitemap, sitemaps.EntrySitemap, sitemaps.ReferenceSitemap):
        monkeypatch.setattr(part, "limit", size)


def read(client) -> tuple[list[str], list[list[str]]]:
    """The parts the index names, and the URLs of each part."""
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200
    parts = [loc.replace("&amp;", "&") for loc in LOC.findall(index.content.decode())]
    return parts, [LOC.findall(client.get(part).content.decode()) for part in parts]


@pytest.mark.django_db
def test_the_index_names_bounded_parts_that_list_every_published_record_once(client, monkeypatch):
    generate(60, seed=3)
    small_parts(monkeypatch, 10)
    parts, urls = read(client)
    assert "/sitemap-agreements.xml?p=2" in parts
    assert all(len(part) <= 10 for part in urls)
    listed = [url for part in urls for url in part]
    assert len(listed) == len(set(listed))
    for agreement in Agreement.objects.all():
        shown = agreement.get_absolute_url() in listed
        assert shown == (agreement.status == Status.PUBLISHED), agreement.status


@pytest.mark.django_db
def test_a_part_past_the_last_is_a_404(client, graph):
    assert client.get("/sitemap-agreements.xml", {"p": "9"}).status_code == 404
    assert client.get("/sitemap-agreements.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.django_db
def test_the_index_and_a_part_run_the_same_queries_at_any_size(client, db, monkeypatch):
    small_parts(monkeypatch, 50)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    generate(30, seed=1)
    small = (queries("/sitemap.xml"), queries("/sitemap-norms.xml"))
    generate(300, seed=2)
    assert (queries("/sitemap.xml"), queries("/sitemap-norms.xml")) == small
