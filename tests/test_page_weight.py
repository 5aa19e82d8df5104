"""Pages whose content grows with the data show a bounded part of it and link the rest:
theme and country pages, and the long facets of the lists."""

import copy

import pytest
from django.db import transaction
from django.urls import reverse

from agreements.models import Agreement
from tests.graph import make_graph

SCALE = 15  # records of each type, all with the same two themes


@pytest.fixture(scope="module")
def _module_graph(django_db_setup, django_db_blocker) -> dict:
    """Built once for this module's tests (3 s each), in a transaction that is never
    committed: each test runs in a savepoint inside it (as Django's ``setUpTestData``),
    and the whole is rolled back after the module's last test."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            made = make_graph(scale=SCALE)
        except BaseException:
            block.__exit__(None, None, None)
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


@pytest.fixture
def big_graph(_module_graph, db) -> dict:
    return copy.deepcopy(_module_graph)


def cards(response) -> int:
    return response.content.decode().count('<article class="card">')


def test_theme_page_shows_the_first_cards_of_each_type_and_links_the_rest(
    client, big_graph, monkeypatch
):
    monkeypatch.setattr("reference.views.THEME_SECTION_SIZE", 4)
    theme = big_graph["theme"]
    response = client.get(theme.get_absolute_url())
    assert response.status_code == 200
    sections = {s.record_type.key: s for s in response.context["sections"]}
    agreements = sections["agreement"]
    assert len(agreements.records) == 4
    assert agreements.total == Agreement.objects.published().with_theme(theme.slug).count()
    # The rest are in the agreement list filtered by the theme, which counts them all.
    html = response.content.decode()
    link = f"{reverse('agreements:list')}?theme={theme.slug}"
    assert f'href="{link}"' in html
    assert client.get(link).context["page"].paginator.count == agreements.total
    assert cards(response) == 4 * len(sections)


def test_a_theme_page_for_one_type_pages_through_all_of_it(
    client, big_graph, settings, monkeypatch
):
    monkeypatch.setattr("reference.views.THEME_SECTION_SIZE", 4)
    settings.PAGE_SIZE = 10
    theme = big_graph["theme"]
    html = client.get(theme.get_absolute_url()).content.decode()
    # Frameworks have no list of their own filtered by theme: the theme page pages them.
    assert f'href="{theme.get_absolute_url()}?type=framework"' in html
    first = client.get(theme.get_absolute_url(), {"type": "framework"})
    second = client.get(theme.get_absolute_url(), {"type": "framework", "page": 2})
    assert (cards(first), cards(second)) == (10, SCALE - 10)
    assert "Secret draft" not in first.content.decode() + second.content.decode()
    assert client.get(theme.get_absolute_url(), {"type": "nothing"}).status_code == 400


def test_country_page_lists_the_first_rows_and_links_the_filtered_list(
    client, big_graph, monkeypatch
):
    monkeypatch.setattr("reference.views.COUNTRY_SECTION_SIZE", 5)
    country = big_graph["country"]  # party to every agreement, member of every body
    response = client.get(country.get_absolute_url())
    html = response.content.decode()
    by_label = {
        section.label: (rows, total) for section, rows, total in response.context["sections"]
    }
    (parties, party_total), (members, member_total) = by_label["Agreements"], by_label["Member of"]
    assert (len(parties), len(members)) == (5, 5)
    assert party_total == SCALE  # published agreements only: the draft's party is left out
    agreements = f"{reverse('agreements:list')}?party={country.code}"
    bodies = f"{reverse('bodies:list')}?member={country.code}"
    assert f'href="{agreements}"' in html and f'href="{bodies}"' in html
    assert client.get(agreements).context["page"].paginator.count == party_total
    assert client.get(bodies).context["page"].paginator.count == member_total


def test_a_long_facet_lists_the_most_frequent_values_and_the_chosen_ones(
    client, big_graph, monkeypatch
):
    monkeypatch.setattr("core.facets.FACET_LIMIT", 3)
    url = reverse("norms:index")
    facet = {f.name: f for f in client.get(url).context["facets"]}["framework"]
    assert len(facet.options) == 3
    assert facet.more == SCALE - 3
    assert "3 with the most records are listed; 12 more are not" in client.get(url).content.decode()
    # A chosen value is shown, checked, even when it is not among the most frequent.
    chosen = client.get(url, {"framework": "framework-14"})
    facet = {f.name: f for f in chosen.context["facets"]}["framework"]
    assert facet.options[0].value == "framework-14" and facet.options[0].selected
    assert chosen.context["page"].paginator.count == 3
    assert client.get(url, {"framework": "no-such-framework"}).status_code == 400


def test_party_facet_never_offers_a_draft_body(client, big_graph):
    response = client.get(reverse("agreements:list"))
    party = {f.name: f for f in response.context["facets"]}["party"]
    values = {o.value for o in party.options}
    assert "body:body-0" in values
    assert "body:draft-body" not in values
    assert "Secret draft" not in response.content.decode()
    # Nor can it be chosen by URL.
    assert client.get(reverse("agreements:list"), {"party": "body:draft-body"}).status_code == 400


@pytest.mark.parametrize(
    ("list_name", "long_facets"),
    [
        ("agreements:list", {"party", "norm"}),
        ("incidents:list", {"attributed_by", "norm"}),
        ("incidents:response-list", {"party", "norm"}),
        ("positions:list", {"norm"}),
        ("norms:index", {"framework"}),
    ],
)
def test_facets_over_norms_and_bodies_list_a_bounded_number_of_values(
    client, big_graph, monkeypatch, list_name, long_facets
):
    """Norms, frameworks and bodies grow with the data: their facets show the most frequent
    values only, on every list (15 of each here, 3 shown at most)."""
    monkeypatch.setattr("core.facets.FACET_LIMIT", 3)
    response = client.get(reverse(list_name))
    facets = {f.name: f for f in response.context["facets"]}
    assert long_facets <= set(facets)
    for name in long_facets:
        assert len(facets[name].options) <= 3, (name, len(facets[name].options))
