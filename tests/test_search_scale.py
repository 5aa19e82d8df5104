"""Search at scale: the same queries however many records, bounded results, spelling words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from content.synthetic import generate
from research import search as search_module
from research.models import SearchWord
from research.search import search

# Issue 10's three searches: a common word, a rare one, a misspelling; and a phrase.
QUERIES = ["cyber", "hydrographic", "Budapst convention", '"critical infrastructure"']


def queries_of(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_a_search_page_runs_the_same_queries_at_any_size(client, shipped):
    # The theme choices, the spelling check, the ranking (the typo's twice: as typed, then
    # corrected), then the page's records: one query per searched type, whether or not
    # the page shows one of that type.
    small = {query: queries_of(client, {"q": query}) for query in QUERIES}
    filtered = queries_of(client, {"q": "cyber", "type": ["agreement", "norm"]})
    generate(400, seed=2)
    large = {query: queries_of(client, {"q": query}) for query in QUERIES}
    assert large == small
    # 10 record types (incidents, responses, positions, profiles, learning paths among them)
    assert max(small.values()) <= 16
    assert queries_of(client, {"q": "cyber", "type": ["agreement", "norm"]}) == filtered


@pytest.mark.django_db
def test_past_the_limit_the_page_says_more_than_and_pages_through_the_best(client, db):
    generate(300, seed=5)
    limit = search_module.RESULT_LIMIT
    response = client.get(reverse("search"), {"q": "cyber"})
    html = response.content.decode()
    assert f"More than {limit} results" in html
    page = response.context["page"]
    assert page.paginator.count == limit
    last = page.paginator.num_pages
    assert client.get(reverse("search"), {"q": "cyber", "page": last}).status_code == 200
    assert client.get(reverse("search"), {"q": "cyber", "page": last + 1}).status_code == 404
    exported = client.get(reverse("search"), {"q": "cyber", "format": "json"}).json()
    assert exported["count"] == limit


@pytest.mark.django_db
def test_a_title_match_ranks_first_among_more_matches_than_the_limit(shipped, monkeypatch):
    # Synthetic descriptions cite the Budapest Convention; few of them fit in the limit.
    generate(300, seed=2)
    monkeypatch.setattr(search_module, "RESULT_LIMIT", 5)
    results = search("Budapest Convention")
    assert results.more and len(results) == 5
    assert str(results.hits[0].record) == "Budapest Convention"
    typo = search("Budapst convention")
    assert typo.fuzzy and typo.suggestion.casefold() == "budapest convention"


@pytest.mark.django_db
def test_the_words_of_every_title_written_feed_the_spelling_check(db):
    generate(20, seed=1)  # bulk inserts
    assert SearchWord.objects.filter(word="synthetic").exists()
    agreement = Agreement.objects.first()
    agreement.short_title = "Zanzibar Accord"
    agreement.save()
    assert SearchWord.objects.filter(word__in=["zanzibar", "accord"]).count() == 2


@pytest.mark.django_db
def test_a_misspelled_word_of_a_draft_title_finds_nothing(client, graph):
    response = client.get(reverse("search"), {"q": "Secrte"})
    assert response.status_code == 200
    assert not [hit for hit in response.context["results"].hits if "Secret" in str(hit.record)]
    assert "Secret draft" not in response.content.decode()
