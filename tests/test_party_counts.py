"""A party the public cannot see (a draft body) is counted nowhere: card, page, export, API."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from agreements.models import Agreement


@pytest.mark.django_db
def test_party_counts_agree_on_card_page_export_sort_and_api(client, graph):
    agreement = graph["agreement"]
    all_parties = agreement.participations.count()
    public = [p for p in agreement.participations.all() if p.body is None or p.body.is_public]
    assert len(public) < all_parties, "the graph gives this agreement a draft body as a party"
    expected = len(public)

    listing = client.get(reverse("agreements:list")).content.decode()
    card = listing[listing.index(f'href="{agreement.get_absolute_url()}"') :]
    assert re.search(r"· (\d+) part", card).group(1) == str(expected)

    page = client.get(agreement.get_absolute_url()).content.decode()
    assert f"Parties and participants ({expected})" in page
    assert graph["draft_body"].title not in page

    rows = csv.DictReader(io.StringIO(client.get(reverse("agreements:list"), {"format": "csv"})
                                      .getvalue().decode("utf-8-sig")))  # fmt: skip
    assert {r["slug"]: r["party_count"] for r in rows}[agreement.slug] == str(expected)
    exported = json.loads(client.get(reverse("agreements:list"), {"format": "json"}).getvalue())[
        "results"
    ]
    assert {r["slug"]: r["party_count"] for r in exported}[agreement.slug] == expected

    api = client.get(f"/api/v1/agreements/{agreement.slug}/").json()
    assert len(api["parties"]) == expected

    by_parties = Agreement.objects.published().with_party_count().get(pk=agreement.pk)
    assert by_parties.party_count == expected
