"""Every page type answers, shows its links both ways, and hides drafts."""

import re

import pytest
from django.urls import reverse

from tests.conftest import DRAFT_TITLES


def page_urls(graph) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "norm index": reverse("norms:index"),
        "framework": graph["framework"].get_absolute_url(),
        "norm": graph["norm"].get_absolute_url(),
        "body list": reverse("bodies:list"),
        "body": graph["body"].get_absolute_url(),
        "agreement list": reverse("agreements:list"),
        "agreement": graph["agreement"].get_absolute_url(),
        "theme list": reverse("themes:list"),
        "theme": graph["theme"].get_absolute_url(),
        "country list": reverse("countries:list"),
        "country": graph["country"].get_absolute_url(),
        "glossary": reverse("glossary:list"),
        "glossary term": reverse("glossary:detail", args=["ratification"]),
        "incident list": reverse("incidents:list"),
        "incident": graph["incident"].get_absolute_url(),
        "response list": reverse("incidents:response-list"),
        "response": graph["response"].get_absolute_url(),
        "position list": reverse("positions:list"),
        "position": graph["position"].get_absolute_url(),
        "profile list": reverse("profiles:list"),
        "profile": graph["profile"].get_absolute_url(),
        "path list": reverse("paths:list"),
        "path": graph["path"].get_absolute_url(),
    }


def hrefs(response) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


@pytest.mark.django_db
def test_every_page_type_answers_with_one_h1(visitor, graph):
    for name, url in page_urls(graph).items():
        response = visitor.get(url)
        assert response.status_code == 200, name
        assert response.content.decode().count("<h1") == 1, name


@pytest.mark.django_db
def test_drafts_appear_on_no_public_page(visitor, graph):
    for name, url in page_urls(graph).items():
        html = visitor.get(url).content.decode()
        for title in DRAFT_TITLES:
            assert title not in html, f"{title} leaked on the {name} page"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "draft",
    [
        "draft_body",
        "draft_framework",
        "draft_norm",
        "draft_agreement",
        "draft_term",
        "draft_incident",
        "draft_response",
        "draft_position",
        "draft_profile",
        "draft_path",
    ],
)
def test_draft_answers_404_to_visitors_and_a_preview_to_staff(visitor, editor, graph, draft):
    url = graph[draft].get_absolute_url()
    assert visitor.get(url).status_code == 404
    visitor.force_login(editor)
    response = visitor.get(url)
    assert response.status_code == 200
    assert "Preview." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_norm_of_a_draft_framework_is_not_public(visitor, graph):
    norm = graph["norm"]
    norm.framework.status = "draft"
    norm.framework.save()
    assert visitor.get(norm.get_absolute_url()).status_code == 404
    assert (
        norm.title
        not in visitor.get(reverse("themes:detail", args=["cybercrime"])).content.decode()
    )


@pytest.mark.django_db
def test_archived_record_stays_reachable_with_a_notice_but_leaves_lists(visitor, graph):
    agreement = graph["agreement"]
    agreement.status = "archived"
    agreement.save()
    response = visitor.get(agreement.get_absolute_url())
    assert response.status_code == 200
    assert "Archived." in response.content.decode()
    assert agreement.get_absolute_url() not in hrefs(visitor.get(reverse("agreements:list")))


@pytest.mark.django_db
def test_agreement_page_links_out_and_back(visitor, graph):
    agreement = graph["agreement"]
    response = visitor.get(agreement.get_absolute_url())
    links = hrefs(response)
    html = response.content.decode()
    assert graph["norm"].get_absolute_url() in links  # affirms a norm
    assert graph["country"].get_absolute_url() in links  # a party
    assert graph["body"].get_absolute_url() in links  # a party, and established by it
    assert reverse("agreements:detail", args=["agreement-1"]) in links  # supplemented by
    assert (
        "Supplemented by" in html and "Established (bodies)" in html and "Affirms (norms)" in html
    )
    assert graph["theme"].get_absolute_url() in links
    assert "https://undocs.org/A/70/174" in links
    assert reverse("glossary:detail", args=["ratification"]) in links  # "ratified" in its summary


@pytest.mark.django_db
def test_norm_page_shows_agreements_and_bodies_that_link_to_it(visitor, graph):
    response = visitor.get(graph["norm"].get_absolute_url())
    links = hrefs(response)
    html = response.content.decode()
    assert graph["framework"].get_absolute_url() in links
    assert graph["agreement"].get_absolute_url() in links
    assert graph["body"].get_absolute_url() in links
    assert "Affirms it (agreements)" in html and "Promoted by (bodies)" in html


@pytest.mark.django_db
def test_body_page_shows_both_directions(visitor, graph):
    response = visitor.get(graph["body"].get_absolute_url())
    links = hrefs(response)
    assert graph["agreement"].get_absolute_url() in links  # established by, party to
    assert graph["norm"].get_absolute_url() in links  # promotes
    assert graph["framework"].get_absolute_url() in links  # produced
    assert graph["country"].get_absolute_url() in links  # member


@pytest.mark.django_db
def test_framework_page_lists_its_norms_and_producer(visitor, graph):
    links = hrefs(visitor.get(graph["framework"].get_absolute_url()))
    assert graph["norm"].get_absolute_url() in links
    assert graph["body"].get_absolute_url() in links


@pytest.mark.django_db
def test_country_page_shows_participation_and_membership(visitor, graph):
    response = visitor.get(graph["country"].get_absolute_url())
    html = response.content.decode()
    assert graph["agreement"].get_absolute_url() in hrefs(response)
    assert graph["body"].get_absolute_url() in hrefs(response)
    assert "Ratification" in html and "23 November 2001" in html


@pytest.mark.django_db
def test_theme_page_gathers_every_type(visitor, graph):
    links = hrefs(visitor.get(graph["theme"].get_absolute_url()))
    for key in ("framework", "norm", "body", "agreement"):
        assert graph[key].get_absolute_url() in links, key


@pytest.mark.django_db
def test_unknown_records_answer_404(visitor, graph):
    for url in (
        "/agreements/nope/",
        "/norms/nope/",
        "/norms/framework-0/nope/",
        "/bodies/nope/",
        "/themes/nope/",
        "/countries/zz/",
        "/glossary/nope/",
    ):
        assert visitor.get(url).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page,status", [("abc", 400), ("0", 400), ("-1", 400), ("99999", 404), ("9" * 5000, 400)]
)
def test_bad_page_numbers_get_a_clear_4xx(visitor, graph, page, status):
    response = visitor.get(reverse("agreements:list"), {"page": page})
    assert response.status_code == status
    assert "page" in response.content.decode().lower()


@pytest.mark.django_db
def test_lists_paginate(visitor, graph, settings):
    settings.PAGE_SIZE = 1  # the graph has two published agreements (and a draft)
    first = visitor.get(reverse("agreements:list"))
    assert "Page 1 of 2" in first.content.decode()
    second = visitor.get(reverse("agreements:list"), {"page": 2})
    assert second.status_code == 200
    # Same adoption date, so by title: page 2 holds the second.
    assert [a.title for a in second.context["page"]] == ["Agreement 1"]


@pytest.mark.django_db
def test_description_markdown_is_sanitized(visitor, graph):
    agreement = graph["agreement"]
    agreement.description = (
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> '
        "[click](javascript:alert(3)) **bold**"
    )
    agreement.save()
    html = visitor.get(agreement.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<strong>bold</strong>" in html


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(visitor, graph):
    policy = visitor.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_server_error_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html and html.count("<h1") == 1


@pytest.mark.django_db
def test_a_record_page_links_a_glossary_term_that_shares_its_id(client, graph):
    from core.models import Status
    from glossary.models import GlossaryTerm

    agreement = graph["agreement"]  # its summary says its parties ratify it
    GlossaryTerm.objects.filter(pk=agreement.pk).delete()
    term = GlossaryTerm.objects.create(
        pk=agreement.pk, title="Party", slug="party", summary="A state bound by a treaty.",
        aliases=["parties"], status=Status.PUBLISHED,
    )  # fmt: skip
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert f'href="{term.get_absolute_url()}"' in page


@pytest.mark.django_db
def test_every_record_page_describes_its_record_as_linked_data(visitor, graph):
    import json

    from core.registry import registry

    expected = {"agreement": "Legislation", "body": "GovernmentOrganization",
                "framework": "DefinedTermSet", "norm": "DefinedTerm", "incident": "Event",
                "response": "CreativeWork", "position": "CreativeWork",
                "profile": "CreativeWork", "path": "CreativeWork"}  # fmt: skip
    assert set(expected) | {"term"} == {rt.key for rt in registry}
    for key, schema_type in expected.items():
        record = graph[key]
        html = visitor.get(record.get_absolute_url()).content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, key
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org" and data["@type"] == schema_type, key
        assert data["url"] == "http://testserver" + record.get_absolute_url()
        assert data["name"] == record.title and data["about"], key
    agreement = json.loads(
        re.search(
            r'ld\+json">(.*?)</script>',
            visitor.get(graph["agreement"].get_absolute_url()).content.decode(),
            re.S,
        ).group(1)
    )
    assert agreement["legislationDate"] == "2001-11-23"
    assert agreement["legislationLegalForce"] == "https://schema.org/InForce"
    country = visitor.get(graph["country"].get_absolute_url()).content.decode()
    assert '"@type": "Country"' in country and '"identifier": "AA"' in country


@pytest.mark.django_db
def test_a_records_wikidata_item_is_its_linked_datas_sameas_and_in_its_exports(visitor, graph):
    import json

    from django.core.exceptions import ValidationError

    body, agreement = graph["body"], graph["agreement"]

    def linked_data(record) -> dict:
        html = visitor.get(record.get_absolute_url()).content.decode()
        return json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))

    assert "sameAs" not in linked_data(agreement)  # none recorded, none guessed
    type(agreement).objects.filter(pk=agreement.pk).update(wikidata="Q1139413")
    assert linked_data(agreement)["sameAs"] == ["https://www.wikidata.org/entity/Q1139413"]
    type(body).objects.filter(pk=body.pk).update(wikidata="Q1335811", website="https://e.eu/")
    assert linked_data(body)["sameAs"] == [
        "https://www.wikidata.org/entity/Q1335811",
        "https://e.eu/",
    ]
    rows = json.loads(b"".join(visitor.get("/agreements/?format=json").streaming_content))
    assert {r["slug"]: r["wikidata"] for r in rows["results"]}[agreement.slug] == "Q1139413"
    api = visitor.get(f"/api/v1/agreements/{agreement.slug}/").json()
    assert api["wikidata"] == "Q1139413"
    agreement.refresh_from_db()
    for wrong in ("Q0", "1139413", "Q12a", "P31"):
        agreement.wikidata = wrong
        with pytest.raises(ValidationError, match="Wikidata item is Q and its number"):
            agreement.full_clean()


@pytest.mark.django_db
def test_linked_data_cannot_close_its_script_element(visitor, graph):
    agreement = graph["agreement"]
    agreement.summary = "</script><script>alert(1)</script> & more"
    agreement.save()
    html = visitor.get(agreement.get_absolute_url()).content.decode()
    block = re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and "\\u003C/script\\u003E" in block


@pytest.mark.django_db
def test_a_source_is_cited_with_its_link_symbol_publisher_date_and_pinpoint(client, graph):
    from reference.models import Citation, Source

    html = client.get(graph["agreement"].get_absolute_url()).content.decode()
    sources = html[html.index('id="sources-heading"') :]
    assert (
        '<li><cite><a href="https://undocs.org/A/70/174" rel="noopener noreferrer">Report of '
        'the Group of Governmental Experts</a></cite>, <span class="symbol">A/70/174</span>. '
        'United Nations General Assembly, <time datetime="2015-07-22">22 July 2015</time>. '
        "para. 13.</li>"
    ) in sources
    # What an editor types is text, never markup; a print-only source has no link.
    typed = Source.objects.create(key="typed", title="<b>Bold</b> & co", publisher="P<i>")
    Citation.objects.create(record=graph["agreement"], source=typed, pinpoint="<script>x")
    html = client.get(graph["agreement"].get_absolute_url()).content.decode()
    assert "<li><cite>&lt;b&gt;Bold&lt;/b&gt; &amp; co</cite>. P&lt;i&gt;." in html
    assert "&lt;script&gt;x.</li>" in html


@pytest.mark.django_db
def test_the_home_page_cards_the_records_updated_last_at_most_six_of_a_type(visitor, graph):
    import datetime

    from django.utils import timezone

    from agreements.models import Agreement
    from bodies.models import Body
    from core.models import Status
    from core.registry import registry

    # Seven agreements updated last, then a body, then every other record long before.
    start = timezone.now() - datetime.timedelta(days=400)
    for record_type in registry:
        record_type.model.objects.update(updated=start)
    body = Body.objects.filter(status=Status.PUBLISHED).first()
    Body.objects.filter(pk=body.pk).update(updated=start + datetime.timedelta(days=1))
    base = Agreement.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    agreements = []
    for day in range(7):
        copy = Agreement.objects.get(pk=base.pk)
        copy.pk, copy.title, copy.slug = None, f"Recent instrument {day}", f"recent-{day}"
        copy.save()
        Agreement.objects.filter(pk=copy.pk).update(
            updated=start + datetime.timedelta(days=10 + day)
        )
        agreements.append(copy)
    draft = graph["draft_agreement"]
    Agreement.objects.filter(pk=draft.pk).update(updated=timezone.now())

    html = visitor.get(reverse("home")).content.decode()
    recent = html[html.index('id="recent-heading"') :]
    titles = re.findall(r'<article class="card"><h3><a href="[^"]+"[^>]*>([^<]+)</a>', recent)
    # The six most recent agreements, newest first (not the seventh-newest: six of a type
    # at most), then the body; no draft however recent.
    assert titles[:7] == [f"Recent instrument {day}" for day in range(6, 0, -1)] + [str(body)]
    assert "Recent instrument 0" not in titles and draft.title not in titles
    assert len(titles) == 8
