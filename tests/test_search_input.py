"""Search keeps drafts out and answers bad or hostile input with a 4xx or an empty result."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_search_never_shows_drafts(client, graph):
    for query in ("Secret draft", "Secret", "Draft"):
        response = client.get(reverse("search"), {"q": query})
        found = [str(hit.record) for hit in response.context["results"].hits]
        assert not [title for title in found if "Secret draft" in title], found
        html = response.content.decode()
        for key in ("draft_agreement", "draft_body", "draft_norm", "draft_framework", "draft_term"):
            assert graph[key].get_absolute_url() not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "cyber", "type": "nonsense"},
        {"q": "cyber", "theme": "no-such-theme"},
        {"q": "cyber", "format": "xml"},
        {"q": "cyber", "page": "abc"},
    ],
)
def test_bad_search_input_gets_a_clear_4xx(client, graph, params):
    response = client.get(reverse("search"), params)
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "<script>alert(1)</script>", "a & | ! :*", '"""', "\\"]
)
def test_hostile_queries_are_harmless(client, graph, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("format_", ["html", "json"])
def test_countries_within_a_theme_are_an_empty_result(client, graph, format_):
    """A country belongs to no theme: searching only countries within one finds none
    (it was a 500: every type asked for was empty, and so was the ranking's SQL)."""
    country = graph["country"]
    theme = graph["theme"]
    params = {"q": country.name, "type": "country", "theme": theme.slug, "format": format_}
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    without_theme = client.get(reverse("search"), {**params, "theme": ""})
    assert country.get_absolute_url() in without_theme.content.decode()
    assert country.get_absolute_url() not in response.content.decode()
