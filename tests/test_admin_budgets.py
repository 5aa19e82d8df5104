"""The admin pages editors use most answer in a fixed number of queries, on the real content.

The curated content of data/ is the larger data set: the Budapest Convention
has about 80 parties, so a query per row could not hide under these budgets.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agreements.models import Agreement
from core.models import Status
from core.registry import registry
from norms.models import Norm

pytestmark = pytest.mark.django_db

# Staff who are not superusers read their permissions with their user, in the same query
# (editorial.auth.ModelBackend): every role has the same budget.
PERMISSION_QUERIES = 0


@pytest.fixture
def as_role(request, client, admin_user):
    """A client logged in as the role named by the test's parameter, and its extra queries."""
    user = admin_user if request.param == "superuser" else request.getfixturevalue(request.param)
    client.force_login(user)
    return client, 0 if user.is_superuser else PERMISSION_QUERIES


ROLES = pytest.mark.parametrize("as_role", ["superuser", "editor", "reviewer"], indirect=True)


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def fewest_parties() -> Agreement:
    return Agreement.objects.with_party_count().filter(party_count__gt=0).order_by("party_count")[0]


# -- The change page of an agreement -------------------------------------------------


@ROLES
@pytest.mark.parametrize("slug", ["budapest-convention", None])  # None: the fewest parties
def test_agreement_change_page_has_a_fixed_query_budget(
    shipped, as_role, django_assert_max_num_queries, slug
):
    client, _ = as_role
    agreement = Agreement.objects.get(slug=slug) if slug else fewest_parties()
    # session, user, (permissions), the agreement, its content type, then one query per
    # inline with what its rows name: parties with country and body, norm links with norm
    # and framework, links with their target, citations with source, themes with theme.
    # About 10; a query per party or per autocomplete would be over a hundred.
    with django_assert_max_num_queries(30):
        response = client.get(change_url(agreement))
    assert response.status_code == 200


@pytest.mark.parametrize("as_role", ["superuser", "reviewer"], indirect=True)
def test_agreement_change_page_shows_every_party_in_its_autocomplete(shipped, as_role):
    client, _ = as_role
    agreement = Agreement.objects.get(slug="budapest-convention")
    parties = list(agreement.participations.select_related("country", "body"))
    assert len(parties) > 50
    html = client.get(change_url(agreement)).content.decode()
    # Each row's widget names its party without fetching it: the option is there, selected.
    for participation in parties:
        field = "country" if participation.country_id else "body"
        option = (
            f'<option value="{getattr(participation, f"{field}_id")}" selected>'
            f"{escape(participation.party)}</option>"
        )
        assert option in html, participation
    initial_rows = re.search(r'name="participations-INITIAL_FORMS" value="(\d+)"', html)
    assert int(initial_rows[1]) == len(parties)


def test_editor_sees_a_published_agreement_read_only_with_its_parties(shipped, editor_client):
    agreement = Agreement.objects.get(slug="budapest-convention")
    assert agreement.status == Status.PUBLISHED
    response = editor_client.get(change_url(agreement))
    assert response.status_code == 200
    html = response.content.decode()
    for participation in agreement.participations.select_related("country", "body"):
        assert escape(participation.party) in html


# -- Autocomplete --------------------------------------------------------------------

AUTOCOMPLETES = [
    ("agreements", "normlink", "norm", "critical"),
    ("agreements", "participation", "country", "a"),
    ("agreements", "participation", "body", "a"),
    ("agreements", "agreementlink", "target", "a"),
    ("bodies", "promotion", "norm", "a"),
    ("bodies", "body", "established_by", "a"),
    ("norms", "norm", "framework", "a"),
    ("reference", "citation", "source", "a"),
    ("reference", "themeditem", "tag", "a"),
]


def autocomplete(client, app_label: str, model_name: str, field_name: str, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


@ROLES
@pytest.mark.parametrize("relation", AUTOCOMPLETES, ids=lambda r: f"{r[1]}.{r[2]}")
def test_autocomplete_answers_in_one_query(
    shipped, as_role, django_assert_max_num_queries, relation
):
    client, permission_queries = as_role
    # session, user, (permissions), one page of matches with what names them (a norm's
    # framework): no COUNT, the page reads one row more to know whether more follow.
    with django_assert_max_num_queries(3 + permission_queries):
        response = autocomplete(client, *relation)
    assert response.status_code == 200
    assert response.json()["results"], relation


def test_autocomplete_says_when_more_matches_follow(shipped, admin_user_client):
    first = autocomplete(admin_user_client, "agreements", "participation", "country", "")
    assert len(first.json()["results"]) == 20
    assert first.json()["pagination"]["more"] is True
    last_page = (Norm.objects.count() - 1) // 20 + 1
    response = admin_user_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "agreements", "model_name": "normlink", "field_name": "norm"}
        | {"page": last_page},
    )
    assert response.json()["results"]
    assert response.json()["pagination"]["more"] is False


def test_norm_picker_names_each_norm_with_its_framework_and_paragraph(shipped, admin_user_client):
    results = autocomplete(admin_user_client, "agreements", "normlink", "norm", "critical").json()
    assert results["results"]
    norms = Norm.objects.select_related("framework").in_bulk(
        [int(result["id"]) for result in results["results"]]
    )
    for result in results["results"]:
        norm = norms[int(result["id"])]
        assert norm.framework.short_label in result["text"]
        assert norm.reference in result["text"]


# -- The admin index and its dashboard -------------------------------------------------


@ROLES
def test_admin_index_with_the_dashboard_has_a_fixed_query_budget(
    shipped, as_role, django_assert_max_num_queries
):
    client, _ = as_role
    # session, user, (permissions), the record types' content types (cached after the
    # first request), one query per record type for all four panels, the recent actions.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert 'id="dashboard"' in response.content.decode()


def test_dashboard_lists_what_needs_attention_across_record_types(shipped, admin_user_client):
    agreement = Agreement.objects.get(slug="budapest-convention")
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.REVIEW)
    norm = Norm.objects.published().first()
    long_ago = timezone.now() - datetime.timedelta(days=90)
    Norm.objects.filter(pk=norm.pk).update(status=Status.DRAFT, updated=long_ago)

    panels = {
        panel["label"]: panel
        for panel in admin_user_client.get(reverse("admin:index")).context["panels"]
    }

    awaiting = panels["Awaiting review"]
    assert awaiting["total"] == sum(
        rt.model.objects.filter(status=Status.REVIEW).count() for rt in registry
    )
    assert change_url(agreement) in [item["url"] for item in awaiting["items"]]
    stale = panels["Drafts untouched for 30 days"]
    assert stale["total"] >= 1
    assert change_url(norm) in [item["url"] for item in stale["items"]]


def test_a_permission_taken_away_applies_at_the_next_request(client, editor):
    """Permissions are read with the user on each request, never kept beyond it."""
    from django.contrib.auth.models import Group

    client.force_login(editor)
    url = reverse("admin:agreements_agreement_changelist")
    assert client.get(url).status_code == 200
    group = Group.objects.get(name="editor")
    group.permissions.remove(*group.permissions.filter(codename="view_agreement"))
    group.permissions.remove(*group.permissions.filter(codename="change_agreement"))
    assert client.get(url).status_code == 403
