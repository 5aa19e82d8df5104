"""Property-based and schema-based fuzzing: no input makes a page or the API fail with a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

PARAMS = [
    "q", "theme", "match", "kind", "binding", "status", "party", "region", "year_from",
    "year_to", "norm", "sort", "page", "format", "framework", "member", "type", "partial",
]  # fmt: skip
PAGES = ["/agreements/", "/norms/", "/bodies/", "/search/", "/themes/cybercrime/"]
API = ["/api/v1/agreements/", "/api/v1/norms/", "/api/v1/bodies/"]

values = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(
        ["cybercrime", "all", "any", "2015", "AA", "body:body-0", "framework-0/13a", "csv",
         "json", "html", "listing", "parties", "' OR 1=1 --", "<script>", "\x00", "9" * 400]
    ),
)  # fmt: skip
queries = st.lists(st.tuples(st.sampled_from(PARAMS), values), max_size=6)


@pytest.mark.django_db
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(PAGES + API), query=queries)
def test_no_filter_input_causes_a_server_error(client, graph, path, query):
    response = client.get(path, query, HTTP_ACCEPT="application/json" if "/api/" in path else "*/*")
    assert response.status_code < 500, (path, query, response.status_code)


@pytest.fixture
def wsgi_app(graph):
    """The real WSGI application, kept from closing the test's database connection at the
    end of each request (Django's test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from cyberdiplo.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_conforms_to_its_schema_and_never_fails(wsgi_app):
    """schemathesis generates requests from the OpenAPI schema for every operation and
    checks each response: no 5xx, status codes, content types and bodies as documented."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:

        @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            # Choice filters (themes, parties, norms) take values from the data, which the
            # schema types as strings: an unknown value is rightly refused with a 400.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
