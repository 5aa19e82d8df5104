"""`manage.py generate_synthetic`: records of realistic shape, reproducible, beside the rest."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from agreements.models import Agreement, Participation
from bodies.models import Body, Membership
from content.synthetic import PREFIX, generate
from core.models import Status
from core.text import render_markdown
from norms.models import Norm, NormFramework
from reference.models import Country, Source

N = 300


def synthetic_titles() -> list[str]:
    return [
        title
        for model in (Agreement, Body, NormFramework, Norm)
        for title in model.objects.filter(slug__startswith=PREFIX)
        .order_by("title")
        .values_list("title", flat=True)
    ]


@pytest.fixture
def synthetic(db):
    generate(N, seed=7)


@pytest.mark.django_db
def test_records_come_in_the_shares_of_the_issue(synthetic):
    agreements = Agreement.objects.count()
    norms = Norm.objects.count() + NormFramework.objects.count()
    bodies = Body.objects.count()
    assert (agreements, norms, bodies) == (180, 90, 30)
    # Frameworks of about 30 norms each.
    assert NormFramework.objects.count() == 3
    # At least ~200 countries to choose parties from, 1 to 40 parties per agreement.
    assert Country.objects.count() >= 200
    parties = Agreement.objects.annotate(n=Count("participations")).values_list("n", flat=True)
    assert min(parties) >= 1 and max(parties) <= 40 and max(parties) > 10
    assert Participation.objects.count() > 5 * agreements  # multilateral ones are common
    # Every record has 1 to 4 themes and at least one source; bodies have members.
    for record in Agreement.objects.prefetch_related("themes", "citations")[:50]:
        assert 1 <= len(record.themes.all()) <= 4
        assert record.citations.all()
    assert Membership.objects.values("body").distinct().count() == bodies
    # Mostly published, with drafts to leak-test against.
    statuses = dict(
        Agreement.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    assert statuses[Status.PUBLISHED] > 0.85 * agreements
    assert statuses.get(Status.DRAFT, 0) >= 1


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_records(db):
    with transaction.atomic():
        generate(N, seed=3)
        first = synthetic_titles()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate(N, seed=3)
        again = synthetic_titles()
        transaction.set_rollback(True)
    generate(N, seed=4)
    other = synthetic_titles()
    assert len(first) == N and first == again
    assert other != first


@pytest.mark.django_db
def test_a_second_run_adds_beside_the_first(db):
    generate(40, seed=1)
    generate(40, seed=1)
    assert Agreement.objects.count() == 2 * 24
    assert Source.objects.filter(key__startswith=f"{PREFIX}2-").exists()


@pytest.mark.django_db
def test_the_stored_html_is_what_the_markdown_renders(synthetic):
    for model in (Agreement, Body, NormFramework, Norm):
        for record in model.objects.all()[:5]:
            assert record.description_html == render_markdown(record.description)


@pytest.mark.django_db
def test_synthetic_records_render_and_drafts_stay_out_of_lists(visitor, synthetic, settings):
    settings.PAGE_SIZE = 500
    html = visitor.get(reverse("agreements:list")).content.decode()
    published = Agreement.objects.filter(status=Status.PUBLISHED).first()
    draft = Agreement.objects.filter(status=Status.DRAFT).first()
    assert published.title in html
    assert draft.title not in html
    assert visitor.get(published.get_absolute_url()).status_code == 200
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    norm = Norm.objects.published().named().first()
    body = Body.objects.published().first()
    for url in (norm.get_absolute_url(), body.get_absolute_url(), reverse("norms:index")):
        assert visitor.get(url).status_code == 200, url


@pytest.mark.django_db
def test_curated_records_are_left_as_they_are(shipped):
    before = {
        model: list(model.objects.order_by("pk").values()) for model in (Agreement, Body, Norm)
    }
    generate(60, seed=1)
    for model, rows in before.items():
        assert (
            list(model.objects.filter(pk__in=[r["id"] for r in rows]).order_by("pk").values())
            == rows
        )
        new = model.objects.exclude(pk__in=[r["id"] for r in rows])
        assert new.exists()
        assert not new.exclude(slug__startswith=PREFIX).exists()
        assert not new.exclude(title__contains="(synthetic ").exists()


@pytest.mark.parametrize("records", ["0", "-5"])
def test_the_command_refuses_fewer_than_one_record(records):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_synthetic", "--records", records)


def test_the_generator_refuses_fewer_than_one_record():
    with pytest.raises(ValueError, match="at least 1"):
        generate(0)
