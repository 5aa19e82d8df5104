"""Browsing as a reader expects: natural orders, and lists that say what they did."""

import csv
import io

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_countries_are_listed_a_to_z_within_each_region_and_exported_so(client, shipped):
    response = client.get(reverse("countries:list"))
    for region, countries in response.context["regions"]:
        names = [c.name for c in countries]
        assert names == sorted(names), region
    exported = client.get(reverse("countries:list"), {"format": "csv"}).getvalue()
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    names = [row["name"] for row in rows]
    assert names == sorted(names) and len(names) > 190
