"""The read-only JSON API: every type, the pages' filters, links by URL, no drafts."""

import pytest
from django.urls import reverse

from tests.conftest import DRAFT_TITLES


def get(client, url, params=None):
    return client.get(url, params or {}, HTTP_ACCEPT="application/json")


@pytest.mark.django_db
def test_the_root_lists_every_collection(client, graph):
    data = get(client, "/api/v1/").json()
    assert set(data) >= {"agreements", "bodies", "frameworks", "glossary", "themes", "countries"}
    assert get(client, "/api/v1/norms/").status_code == 200


@pytest.mark.django_db
def test_an_agreement_links_its_parties_norms_and_themes_by_url(client, graph):
    data = get(client, "/api/v1/agreements/agreement-0/").json()
    assert data["page_url"].endswith("/agreements/agreement-0/")
    countries = [p["country"] for p in data["parties"] if p["country"]]
    assert countries == ["http://testserver/api/v1/countries/aa/"]
    assert "http://testserver/api/v1/norms/framework-0/13a/" in [n["norm"] for n in data["norms"]]
    assert "http://testserver/api/v1/themes/cybercrime/" in data["themes"]
    for url in [*countries, data["themes"][0], data["norms"][0]["norm"]]:
        assert get(client, url.removeprefix("http://testserver")).status_code == 200


@pytest.mark.django_db
def test_drafts_never_appear_in_the_api(client, graph):
    for collection in (
        "agreements",
        "bodies",
        "frameworks",
        "norms",
        "glossary",
        "incidents",
        "responses",
    ):
        body = get(client, f"/api/v1/{collection}/").content.decode()
        for title in DRAFT_TITLES:
            assert title not in body, (collection, title)
    assert get(client, "/api/v1/agreements/draft-agreement/").status_code == 404
    assert get(client, "/api/v1/norms/framework-0/draft-norm/").status_code == 404
    norm = get(client, "/api/v1/norms/framework-0/13a/").json()
    assert "draft-agreement" not in str(norm["agreements"])
    assert "draft-body" not in str(norm["promoted_by"])


@pytest.mark.django_db
def test_the_api_takes_the_pages_filters(client, graph):
    page = client.get(reverse("agreements:list"), {"party": "AA"}).context["page"]
    api = get(client, "/api/v1/agreements/", {"party": "AA"}).json()
    assert api["count"] == page.paginator.count
    assert get(client, "/api/v1/agreements/", {"year_from": "abc"}).status_code == 400
    assert get(client, "/api/v1/agreements/", {"theme": "nope"}).status_code == 400


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(client, graph):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    response = get(client, "/api/v1/schema/")
    assert response.status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


@pytest.mark.django_db
def test_api_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    from tests.graph import make_graph

    make_graph(scale=12)
    # count, page, themes, citations+sources, parties, norm links, related links
    with django_assert_max_num_queries(10):
        assert get(client, "/api/v1/agreements/").status_code == 200
    # count, page, themes, citations, promoted norms, memberships
    with django_assert_max_num_queries(10):
        assert get(client, "/api/v1/bodies/").status_code == 200
    with django_assert_max_num_queries(10):
        assert get(client, "/api/v1/norms/").status_code == 200


def test_the_browsable_apis_filter_form_leaves_out_the_long_lists(client, graph):
    """Every party and norm as an option took a worker to 800 MB at 100,000 records: the
    form in a browser offers the short facets, and parties and norms are given in the URL."""
    html = client.get("/api/v1/agreements/", HTTP_ACCEPT="text/html").content.decode()
    assert 'name="theme"' in html and 'name="kind"' in html
    assert 'name="party"' not in html and 'name="norm"' not in html
    filtered = client.get("/api/v1/agreements/?party=body:nowhere", HTTP_ACCEPT="text/html")
    assert filtered.status_code == 400  # still checked, as in JSON


def test_the_schema_documents_the_long_filters_as_text_not_every_value(client, graph):
    """Every norm and party as an enum made the schema 24 MB at 100,000 records."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"]["/api/v1/agreements/"]["get"]["parameters"]
    by_name = {p["name"]: p for p in parameters}
    for name in ("party", "norm"):
        assert by_name[name]["schema"] == {"type": "array", "items": {"type": "string"}}
        assert by_name[name]["description"]
    assert "enum" in by_name["theme"]["schema"]["items"]  # short lists still listed


def api_slugs(client, url: str) -> list[str]:
    """The slugs of every page of an API list, following its ``next`` links."""
    slugs = []
    while url:
        data = client.get(url).json()
        slugs += [record["slug"] for record in data["results"]]
        url = data["next"]
    return slugs


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "title"])
def test_small_pages_list_every_record_once_in_the_lists_order(client, shipped, sort):
    """A page's keys are sorted first, then its records read by key
    (``KeysFirstPaginator``): pages of seven give the records in the order pages of a
    hundred do, and the order the site's list sorts them in."""
    from agreements.filters import SORTS
    from agreements.models import Agreement

    small = api_slugs(client, f"/api/v1/agreements/?sort={sort}&page_size=7")
    large = api_slugs(client, f"/api/v1/agreements/?sort={sort}&page_size=100")
    listed = Agreement.objects.published().order_by(*SORTS[sort], "pk")
    assert len(small) > 100
    assert small == large == list(listed.values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("query", "size"),
    [("", 25), ("?page_size=2", 2), ("?page_size=100", 100)],
)
def test_a_client_chooses_the_page_size_up_to_100(client, graph, query, size):
    data = client.get("/api/v1/countries/" + query).json()
    assert len(data["results"]) == min(size, data["count"])


@pytest.mark.parametrize(
    "query", ["?page_size=0", "?page_size=101", "?page_size=x", "?page_size=" + "9" * 5000,
              "?page=0", "?page=-1", "?page=1e3"]
)  # fmt: skip
def test_a_page_size_or_number_out_of_range_is_a_400_that_says_why(client, graph, query):
    response = client.get("/api/v1/countries/" + query)
    assert response.status_code == 400
    assert "whole number" in response.content.decode()


def test_a_page_number_of_thousands_of_digits_is_past_the_end(client, graph):
    """Python reads no integer of 4,300 digits or more: it was a 500."""
    assert client.get("/api/v1/countries/?page=" + "9" * 5000).status_code == 404
