"""Editors work in the admin without help."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from glossary.models import GlossaryTerm
from tests.graph import AS_OF

ADMIN_MODELS = [
    "reference/theme",
    "reference/country",
    "reference/source",
    "glossary/glossaryterm",
    "norms/normframework",
    "norms/norm",
    "bodies/body",
    "agreements/agreement",
]


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_admin_page_opens(admin_user_client, graph, model):
    base = f"/admin/{model}/"
    assert admin_user_client.get(base).status_code == 200
    assert admin_user_client.get(base + "add/").status_code == 200
    assert admin_user_client.get(base, {"q": "a"}).status_code == 200


@pytest.mark.django_db
def test_record_change_pages_open_with_their_inlines(admin_user_client, graph):
    for key in ("agreement", "body", "framework", "norm"):
        record = graph[key]
        url = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
        )
        response = admin_user_client.get(url)
        assert response.status_code == 200
        ct = ContentType.objects.get_for_model(record)
        assert f"/admin/r/{ct.pk}/{record.pk}/" in response.content.decode()  # "view on site"


@pytest.mark.django_db
def test_autocomplete_answers_for_every_relation(admin_user_client, graph):
    for app, model, field, term in [
        ("agreements", "participation", "country", "Country"),
        ("agreements", "participation", "body", "Body"),
        ("agreements", "normlink", "norm", "Norm"),
        ("reference", "citation", "source", "Report"),
        ("reference", "themeditem", "tag", "Cyber"),
    ]:
        response = admin_user_client.get(
            "/admin/autocomplete/",
            {"term": term, "app_label": app, "model_name": model, "field_name": field},
        )
        assert response.status_code == 200, (model, field)
        assert response.json()["results"], (model, field)


def inline_management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.django_db
def test_editor_adds_an_agreement_with_parties_themes_sources_and_norm_links(
    editor_client, reviewer, graph
):
    visitor, reviewer_client = Client(), Client()
    reviewer_client.force_login(reviewer)
    citations = "reference-citation-content_type-object_id"
    themes = "reference-themeditem-content_type-object_id"
    data = {
        "title": "Test agreement on hotlines",
        "slug": "test-hotlines",
        "summary": "Two states set up a hotline.",
        "description": "A *hotline* for incidents.",
        "status": "review",
        "kind": "bilateral",
        "reach": "bilateral",
        "legally_binding": "",
        "adopted": "2013-06-17",
        "entry_into_force": "",
        "ended": "",
        "legal_status": "non-binding",
        "status_as_of": AS_OF.isoformat(),
        "short_title": "",
        "symbol": "",
        **inline_management("participations", 1),
        "participations-0-country": graph["country"].pk,
        "participations-0-signed": "2013-06-17",
        "participations-0-as_of": AS_OF.isoformat(),
        **inline_management("norm_links", 1),
        "norm_links-0-norm": graph["norm"].pk,
        "norm_links-0-relation": "affirms",
        **inline_management("outbound_links", 0),
        **inline_management(citations, 1),
        f"{citations}-0-source": graph["source"].pk,
        f"{citations}-0-pinpoint": "para. 1",
        f"{citations}-0-position": "0",
        **inline_management(themes, 1),
        f"{themes}-0-tag": graph["theme"].pk,
    }
    response = editor_client.post(reverse("admin:agreements_agreement_add"), data)
    assert response.status_code == 302, (
        response.context["adminform"].errors if response.context else ""
    )
    agreement = Agreement.objects.get(slug="test-hotlines")
    assert agreement.participations.get().country == graph["country"]
    assert [t.pk for t in agreement.themes.all()] == [graph["theme"].pk]
    assert agreement.citations.get().source == graph["source"]
    assert visitor.get(agreement.get_absolute_url()).status_code == 404  # in review

    reviewer_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "publish", "_selected_action": [agreement.pk]},
    )

    page = visitor.get(agreement.get_absolute_url()).content.decode()
    assert graph["norm"].get_absolute_url() in page
    assert graph["country"].get_absolute_url() in page
    assert (
        agreement.get_absolute_url()
        in visitor.get(graph["theme"].get_absolute_url()).content.decode()
    )
    assert (
        agreement.get_absolute_url()
        in visitor.get(graph["norm"].get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_admin_explains_a_date_out_of_order(reviewer_client, graph):
    agreement = graph["agreement"]
    response = reviewer_client.post(
        reverse("admin:agreements_agreement_change", args=[agreement.pk]),
        {
            "title": agreement.title,
            "slug": agreement.slug,
            "summary": agreement.summary,
            "status": "published",
            "kind": agreement.kind,
            "reach": agreement.reach,
            "legally_binding": "on",
            "adopted": "2010",
            "entry_into_force": "2004-07-01",
            "legal_status": "in-force",
            "status_as_of": AS_OF.isoformat(),
            **inline_management("participations", 0),
            **inline_management("norm_links", 0),
            **inline_management("outbound_links", 0),
            **inline_management("reference-citation-content_type-object_id", 0),
            **inline_management("reference-themeditem-content_type-object_id", 0),
        },
    )
    assert response.status_code == 200
    assert "Entry into force cannot be before adopted." in response.content.decode()


@pytest.mark.django_db
def test_a_reviewer_translates_a_glossary_term_box_by_box(reviewer_client, graph):
    term = GlossaryTerm.objects.published().first()
    url = reverse("admin:glossary_glossaryterm_change", args=[term.pk])
    form = reviewer_client.get(url).content.decode()
    assert '<label for="id_translations_fr_title">Français: title</label>' in form
    assert 'name="translations_es_summary" id="id_translations_es_summary" rows="4"' in form
    data = {
        "title": term.title,
        "slug": term.slug,
        "summary": term.summary,
        "description": term.description,
        "status": term.status,
        "aliases": ", ".join(term.aliases),
        "unconfirmed": "{}",
        "translations_fr_title": "  Terme traduit ",
        "translations_es_summary": "Una definición.",
        "translations_es_title": "",
        **inline_management("reference-citation-content_type-object_id", 0),
        **inline_management("reference-themeditem-content_type-object_id", 0),
    }
    response = reviewer_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    term.refresh_from_db()
    assert term.translations == {
        "fr": {"title": "Terme traduit"},
        "es": {"summary": "Una definición."},
    }
    # Emptied boxes take the translation away.
    response = reviewer_client.post(
        url, {**data, "translations_fr_title": "", "translations_es_summary": ""}
    )
    term.refresh_from_db()
    assert term.translations == {}
