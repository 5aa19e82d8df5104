"""Full-text search over the shipped content: titles, phrases, symbols, acronyms, typos."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement
from bodies.models import Body
from core.models import Status
from core.registry import registry
from norms.models import Norm, NormFramework
from research.models import SearchEntry
from research.search import _ranking_sql, search, search_types


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
    assert results.suggestion == "Budapest convention"  # the words, in the case typed


def rankings_run(query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        search(query)
    return sum("hit_score" in q["sql"] for q in captured)


@pytest.mark.django_db
def test_the_corrected_spelling_is_ranked_only_when_nothing_matches_as_typed(shipped):
    # "convntion" is corrected, but "Budapest OR convntion" finds Budapest as typed.
    typed = search("Budapest OR convntion")
    assert typed.corrected != typed.query and not typed.fuzzy and typed.hits
    assert rankings_run("Budapest OR convntion") == 1
    assert rankings_run("Budapst convention") == 2  # nothing as typed, then corrected
    assert rankings_run("Budapest convention") == 1  # nothing to correct


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


@pytest.mark.django_db
def test_a_records_full_name_ranks_it_first(shipped):
    """ "European Union Agency for Cybersecurity" is ENISA, not the act that renamed it."""
    results = search("European Union Agency for Cybersecurity")
    assert titles(results)[0] == "European Union Agency for Cybersecurity (ENISA)"
    assert results.hits[0].why == "name"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed,word,first",
    [
        ("ENSIA", "ENISA", "European Union Agency for Cybersecurity (ENISA)"),  # swapped letters
        ("cybercrme", "cybercrime", None),  # a dropped letter: the word is suggested
    ],
)
def test_a_misspelt_word_or_acronym_suggests_the_word(shipped, typed, word, first):
    results = search(typed)
    assert results.fuzzy and results.suggestion == word
    if first:
        assert titles(results)[0] == first


@pytest.mark.django_db
def test_words_found_apart_rank_the_report_they_name(shipped):
    """ "gge norms": the GGE 2015 report, which says GGE in its title and norms in its text."""
    found = titles(search("gge norms"))[:8]
    assert "2015 report of the UN Group of Governmental Experts" in found, found


@pytest.mark.django_db
def test_countries_are_searchable(client, shipped):
    results = search("France")
    first = results.hits[0]
    assert (first.type, str(first.record), first.label) == ("country", "France", "Country")
    html = client.get(reverse("search"), {"q": "France"}).content.decode()
    assert 'href="/countries/fr/"' in html.lower()


@pytest.mark.django_db
def test_each_result_says_why_it_matched(client, shipped):
    html = client.get(reverse("search"), {"q": "ENISA"}).content.decode()
    assert "Its name is what you searched for." in html
    assert "Its text mentions what you searched for." in html
    rows = client.get(reverse("search"), {"q": "ENISA", "format": "json"}).json()["results"]
    assert rows[0]["matched"] == "name"


@pytest.mark.django_db
def test_incidents_are_found_by_name_and_by_a_misspelt_name(shipped):
    assert titles(search("WannaCry"))[0].startswith("WannaCry")
    typo = search("WannaCyr")
    assert typo.fuzzy and typo.suggestion.casefold() == "wannacry"
    assert titles(typo)[0].startswith("WannaCry")


def test_the_ranking_reads_every_record_type_from_one_table_and_builds_no_vector():
    """The record types are ranked from SearchEntry, whose vectors are stored: one table
    to plan, not a union of a statement per type (which PostgreSQL took longer to plan
    than to run), and no vector built per row. Themes and countries, few, build theirs."""
    types = list(search_types())
    record_tables = [rt.model._meta.db_table for rt in registry]
    for language in ("en", "fr"):
        with translation.override(language):
            sql, _params = _ranking_sql(types, "cyber", None, fuzzy=False)
            assert sql.count("to_tsvector") <= 4 * 2  # themes and countries
            for key in types[:-2]:
                sql, _params = _ranking_sql([key], "cyber", "cybercrime", fuzzy=False)
                assert "research_searchentry" in sql and "to_tsvector" not in sql, key
                assert not any(table in sql for table in record_tables), key
    # The score still orders the merged rows, bonus included.
    assert "ORDER BY hit_score DESC" in sql and "CASE hit_why WHEN 'name' THEN 2.0" in sql


def entries() -> set[tuple[str, int]]:
    return set(SearchEntry.objects.values_list("kind", "record_id"))


def published() -> set[tuple[str, int]]:
    return {
        (rt.key, pk)
        for rt in registry
        for pk in rt.model.objects.published().values_list("pk", flat=True)
    }


@pytest.mark.django_db
def test_search_entries_are_the_published_records_of_every_type(graph):
    # The shared graph has a draft of every type beside its published records.
    assert entries() == published()
    assert {kind for kind, _ in entries()} == {rt.key for rt in registry}
    assert not SearchEntry.objects.filter(name__startswith="Secret draft").exists()


@pytest.mark.django_db
def test_search_entries_follow_every_write_single_or_bulk(graph):
    draft = Agreement.objects.get(title="Secret draft agreement")
    draft.status = Status.PUBLISHED
    draft.save()
    assert ("agreement", draft.pk) in entries()
    assert titles(search("Secret draft agreement"))[0] == "Secret draft agreement"

    draft.short_title = "Zanzibar Accord"
    draft.save()
    entry = SearchEntry.objects.get(kind="agreement", record_id=draft.pk)
    assert entry.name == "Zanzibar Accord" and "ZANZIBAR ACCORD" in entry.names
    assert search("Zanzibar Accord").ranked[0].pk == draft.pk

    draft.status = Status.ARCHIVED
    draft.save()
    assert ("agreement", draft.pk) not in entries()
    assert draft.pk not in [row.pk for row in search("Zanzibar Accord").ranked]

    Norm.objects.filter(status=Status.PUBLISHED).update(status=Status.DRAFT)  # in bulk
    assert not SearchEntry.objects.filter(kind="norm").exists()
    Norm.objects.update(status=Status.PUBLISHED)
    assert {pk for kind, pk in entries() if kind == "norm"} == set(
        Norm.objects.values_list("pk", flat=True)
    )

    body = Body.objects.create(
        title="Transient body", slug="transient-body", kind=Body.Kind.INTERGOVERNMENTAL,
        status=Status.PUBLISHED,
    )  # fmt: skip
    assert ("body", body.pk) in entries()
    pk = body.pk
    body.delete()
    assert ("body", pk) not in entries()
    assert entries() == published()


@pytest.mark.django_db
def test_a_norm_is_found_only_while_its_framework_is_published(graph):
    framework = NormFramework.objects.get(title="Secret draft framework")
    norm = Norm.objects.published().first()
    norm.framework = framework  # a published norm under a draft framework
    norm.save()
    assert ("norm", norm.pk) not in entries()
    assert norm.pk not in [row.pk for row in search(norm.title).ranked if row.type == "norm"]
    framework.status = Status.PUBLISHED
    framework.save()
    assert ("norm", norm.pk) in entries() and ("framework", framework.pk) in entries()
    assert search(norm.title).ranked[0].pk == norm.pk
    NormFramework.objects.filter(pk=framework.pk).update(status=Status.DRAFT)  # in bulk
    assert ("norm", norm.pk) not in entries() and ("framework", framework.pk) not in entries()
    assert entries() == published()
