"""Whole-set CSV and JSON exports stream in chunks: every published row once, at any size."""

import csv
import io
import json

import pytest
from django.urls import reverse

from agreements.models import Agreement
from core import exports
from core.registry import registry


def rows_of(response) -> list[dict]:
    assert response.streaming, "a CSV export streams"
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("chunk", [1, 2, 500])
def test_every_published_record_is_exported_once_in_any_chunk_size(
    client, graph, monkeypatch, chunk
):
    monkeypatch.setattr(exports, "CHUNK", chunk)
    response = client.get(reverse("agreements:list"), {"format": "csv"})
    rows = rows_of(response)
    published = Agreement.objects.published()
    assert sorted(r["slug"] for r in rows) == sorted(published.values_list("slug", flat=True))
    assert list(rows[0]) == exports.export_columns(registry.get(Agreement))
    assert all(r["url"].startswith("http://testserver/agreements/") for r in rows)
    assert all(r["themes"] for r in rows), "prefetched relations survive chunking"


def test_an_empty_selection_exports_the_header(client, graph):
    response = client.get(
        reverse("agreements:list"), {"q": "nothing matches this", "format": "csv"}
    )
    assert response.status_code == 200 and response.streaming
    assert response.getvalue().decode("utf-8-sig").splitlines() == [
        ",".join(exports.export_columns(registry.get(Agreement)))
    ]


@pytest.mark.parametrize("chunk", [1, 500])
def test_the_json_export_streams_every_published_record_once(client, graph, monkeypatch, chunk):
    monkeypatch.setattr(exports, "CHUNK", chunk)
    response = client.get(reverse("agreements:list"), {"format": "json"})
    assert response.streaming, "a whole-set JSON export streams"
    data = json.loads(response.getvalue())
    published = Agreement.objects.published()
    assert data["count"] == published.count() == len(data["results"])
    assert sorted(r["slug"] for r in data["results"]) == sorted(
        published.values_list("slug", flat=True)
    )
    assert all(r["url"].startswith("http://testserver/agreements/") for r in data["results"])


def test_record_urls_are_filled_in_not_remembered_one_by_one():
    """A record's URL is its pattern, reversed once, with its slug put in: remembering
    each URL kept a worker's memory growing with the records an export or a sitemap
    linked (10 MB for 60,000 agreements). The result is what reverse() gives, and the
    URLs that take no stand-in (a country's two letters) still resolve."""
    from core import models as core_models

    remembered = core_models._reverse.cache_info().currsize
    for n in range(3000):
        url = core_models.cached_reverse("agreements:detail", [f"an-agreement-{n}"])
        if n % 500 == 0:
            assert url == reverse("agreements:detail", args=[f"an-agreement-{n}"])
    assert core_models._reverse.cache_info().currsize == remembered
    assert core_models.cached_reverse("norms:detail", ["un-gge-2015", "13f"]) == reverse(
        "norms:detail", args=["un-gge-2015", "13f"]
    )
    assert core_models.cached_reverse("countries:detail", ["fr"]) == reverse(
        "countries:detail", args=["fr"]
    )
