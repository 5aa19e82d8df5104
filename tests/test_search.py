"""Full-text search over the shipped content: titles, phrases, symbols, acronyms, typos."""

import pytest
from django.urls import reverse

from research.search import search


def titles(results) -> list[str]:
    return [str(hit.record) for hit in results.hits]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [
        ("Budapest Convention", "Budapest Convention"),
        ("A/70/174", "2015 report of the UN Group of Governmental Experts"),
        ("ENISA", "European Union Agency for Cybersecurity (ENISA)"),
        ("CCDCOE", "NATO Cooperative Cyber Defence Centre of Excellence (CCDCOE)"),
        ('"critical infrastructure"', "Do not damage critical infrastructure (UN GGE 2015 13(f))"),
    ],
)
def test_search_finds_records_by_title_symbol_acronym_and_phrase(shipped, query, expected):
    results = search(query)
    assert not results.fuzzy
    assert expected in titles(results)[:5], titles(results)[:5]


@pytest.mark.django_db
def test_search_finds_the_oewg_processes(shipped):
    assert any("Open-ended Working Group" in t for t in titles(search("OEWG"))[:3])


@pytest.mark.django_db
def test_a_misspelling_finds_near_misses_and_suggests(shipped):
    results = search("Budapst convention")
    assert results.fuzzy
    assert titles(results)[0] == "Budapest Convention"
    assert results.suggestion == "Budapest Convention"


@pytest.mark.django_db
def test_minus_excludes_and_or_widens(shipped):
    both = {str(h.record) for h in search("cybercrime").hits}
    without = {str(h.record) for h in search("cybercrime -convention").hits}
    assert without < both
    widened = {str(h.record) for h in search("cybercrime OR espionage").hits}
    assert both < widened


@pytest.mark.django_db
def test_results_filter_by_type_and_theme(shipped):
    results = search("cyber", types=["agreement"], theme="cybercrime")
    assert results.hits
    for hit in results.hits:
        assert hit.type == "agreement"
        assert "cybercrime" in {t.slug for t in hit.record.themes.all()}


@pytest.mark.django_db
def test_snippets_highlight_and_escape(client, shipped):
    html = client.get(reverse("search"), {"q": "Budapest"}).content.decode()
    assert "<mark>Budapest</mark>" in html


@pytest.mark.django_db
def test_search_exports_every_result(client, shipped):
    page = client.get(reverse("search"), {"q": "cyber"})
    exported = client.get(reverse("search"), {"q": "cyber", "format": "json"}).json()
    assert exported["count"] == page.context["page"].paginator.count > 25
