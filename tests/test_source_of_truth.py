"""After the first load the database is the source of truth: loading data/ never loses
an editor's work, records every change it makes with its reason, and the database
dumps back to data files that load to the same database."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership, Promotion
from content.dump import dump_content
from content.loader import load_content, read_content
from core.exports import export_row
from core.registry import registry
from glossary.models import GlossaryTerm
from norms.models import Norm, NormFramework
from paths.models import LearningPath
from positions.models import NationalPosition
from profiles.models import CountryProfile
from reference.models import Citation, Country, Source, Theme, ThemedItem
from tests.test_workflow import agreement_form, change_url

VALID = Path(__file__).parent / "content" / "valid"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A writable copy of the small valid data set."""
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


def load(path: Path | None = None, *options: str) -> str:
    """What `make content` runs, as its output."""
    out = StringIO()
    call_command("load_content", *([path] if path else []), *options, stdout=out)
    return out.getvalue()


def archive(client, record) -> None:
    opts = record._meta
    client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "archive", "_selected_action": [record.pk]},
    )
    record.refresh_from_db()
    assert record.status == "archived", "the admin's own archive must apply"


# --- Loading leaves the editors' changes alone --------------------------------


@pytest.mark.django_db
def test_an_edit_in_the_admin_survives_load_content_and_is_reported(reviewer_client, content_dir):
    load_content(content_dir)
    treaty = Agreement.objects.get(slug="test-treaty")
    response = reviewer_client.post(
        change_url(treaty), agreement_form(treaty, summary="Corrected in the admin.")
    )
    assert response.status_code == 302

    output = load(content_dir)

    treaty.refresh_from_db()
    assert treaty.summary == "Corrected in the admin."
    assert "skipped 1 changed in the admin: agreement test-treaty" in output
    assert "0 updated" in output


@pytest.mark.django_db
def test_an_archived_record_stays_archived(reviewer_client, content_dir):
    load_content(content_dir)
    protocol = Agreement.objects.get(slug="test-protocol")
    archive(reviewer_client, protocol)

    stats = load_content(content_dir)

    protocol.refresh_from_db()
    assert protocol.status == "archived"
    assert stats.skipped == ["agreement test-protocol"]
    assert stats.updated == 0


@pytest.mark.django_db
def test_the_relations_of_a_record_changed_in_the_admin_are_left_alone(reviewer, content_dir):
    load_content(content_dir)
    treaty = Agreement.objects.get(slug="test-treaty")
    treaty._history_user = reviewer  # as the admin does for the signed-in user
    treaty.save()
    treaty.themes.clear()
    treaty.participations.filter(body__isnull=False).delete()

    stats = load_content(content_dir)

    assert list(treaty.themes.all()) == []
    assert treaty.participations.count() == 1
    assert stats.skipped == ["agreement test-treaty"]


@pytest.mark.django_db
def test_a_norm_edited_in_the_admin_survives_while_its_neighbours_load(reviewer, content_dir):
    load_content(content_dir)
    norm = Norm.objects.get(slug="13a")
    norm.title = "Retitled by an editor"
    norm._history_user = reviewer
    norm.save()
    path = content_dir / "frameworks" / "test-framework.toml"
    text = path.read_text()
    path.write_text(text.replace("The second norm used by the tests.", "Changed in the file."))

    stats = load_content(content_dir)

    assert Norm.objects.get(slug="13a").title == "Retitled by an editor"
    assert Norm.objects.get(slug="13b").summary == "Changed in the file."
    assert stats.skipped == ["norm test-framework/13a"]
    assert stats.updated == 1


@pytest.mark.django_db
def test_a_record_deleted_in_the_admin_is_not_brought_back(reviewer, content_dir):
    load_content(content_dir)
    framework = NormFramework.objects.get(slug="test-framework")
    framework._history_user = reviewer  # as the admin's delete view does
    framework.delete()  # and its norms, their links and promotions with it

    stats = load_content(content_dir)

    assert not NormFramework.objects.exists() and not Norm.objects.exists()
    assert not NormLink.objects.exists() and not Promotion.objects.exists()
    assert stats.skipped == ["framework test-framework (deleted)"]
    assert (stats.created, stats.updated) == (0, 0)
    assert load_content(content_dir, force=True).forced == ["framework test-framework (deleted)"]
    assert Norm.objects.count() == 2 and NormLink.objects.count() == 1


@pytest.mark.django_db
def test_a_source_corrected_in_the_admin_survives(reviewer, content_dir):
    load_content(content_dir)
    source = Source.objects.get(key="test-source")
    source.url = "https://example.org/corrected"
    source._history_user = reviewer
    source.save()

    stats = load_content(content_dir)

    assert Source.objects.get(key="test-source").url == "https://example.org/corrected"
    assert stats.skipped == ["source test-source"]
    theme = Theme.history.get(slug="cybercrime")
    assert theme.history_change_reason == "Loaded from data/themes.toml"


@pytest.mark.django_db
def test_load_content_on_the_shipped_data_keeps_an_admin_edit(reviewer_client, shipped):
    budapest = Agreement.objects.get(slug="budapest-convention")
    reviewer_client.post(
        change_url(budapest), agreement_form(budapest, title="Convention on Cybercrime (edited)")
    )
    archive(reviewer_client, Agreement.objects.get(slug="christchurch-call"))

    output = load()

    assert Agreement.objects.get(slug="budapest-convention").title.endswith("(edited)")
    assert Agreement.objects.get(slug="christchurch-call").status == "archived"
    assert "0 created, 0 updated" in output
    assert (
        "skipped 2 changed in the admin: agreement budapest-convention, "
        "agreement christchurch-call" in output
    )


@pytest.mark.django_db
def test_force_overwrites_an_admin_change_and_the_loader_owns_the_record_again(
    reviewer_client, content_dir
):
    load_content(content_dir)
    treaty = Agreement.objects.get(slug="test-treaty")
    reviewer_client.post(change_url(treaty), agreement_form(treaty, summary="Edited."))

    output = load(content_dir, "--force")

    treaty.refresh_from_db()
    assert treaty.summary.startswith("A treaty used by the tests.")
    assert "overwrote 1 changed in the admin (--force, status kept): agreement test-treaty" in (
        output
    )
    latest = treaty.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason == "Loaded from data/agreements/test-treaty.toml (--force)"
    again = load_content(content_dir)
    assert (again.updated, again.skipped, again.forced) == (0, [], [])


@pytest.mark.django_db
def test_force_never_changes_a_status_an_editor_set(reviewer_client, content_dir):
    load_content(content_dir)
    treaty = Agreement.objects.get(slug="test-treaty")
    reviewer_client.post(change_url(treaty), agreement_form(treaty, summary="Edited."))
    archive(reviewer_client, treaty)

    stats = load_content(content_dir, force=True)

    treaty.refresh_from_db()
    assert treaty.summary.startswith("A treaty used by the tests.")
    assert treaty.status == "archived"
    assert stats.forced == ["agreement test-treaty"]
    assert treaty.history.first().history_change_reason == (
        "Status archived kept, the rest loaded from data/agreements/test-treaty.toml (--force)"
    )
    # Still the editors' status: an ordinary load leaves it and says the file disagrees.
    again = load_content(content_dir)
    treaty.refresh_from_db()
    assert treaty.status == "archived"
    assert (again.updated, again.skipped) == (0, ["agreement test-treaty"])


# --- History: every change the loader makes, with its reason and no user ------


@pytest.mark.django_db
def test_history_shows_the_loaders_reason_and_no_user(content_dir):
    load_content(content_dir)
    path = content_dir / "agreements" / "test-treaty.toml"
    text = path.read_text().replace("A treaty used by the tests.", "A changed treaty.")
    # One party fewer: its deletion is recorded too.
    path.write_text(text.split('[[party]]\nbody = "test-body"')[0])

    load_content(content_dir)

    treaty = Agreement.objects.get(slug="test-treaty")
    reason = "Loaded from data/agreements/test-treaty.toml"
    assert [(h.history_type, h.history_change_reason) for h in treaty.history.all()] == [
        ("~", reason),
        ("+", reason),
    ]
    assert all(h.history_user is None for h in treaty.history.all())
    party_history = Participation.history.filter(agreement_id=treaty.pk)
    assert {(h.history_type, h.history_change_reason) for h in party_history} == {
        ("+", reason),
        ("-", reason),
    }
    theme = ThemedItem.history.get(object_id=treaty.pk, content_type__model="agreement")
    assert theme.history_change_reason == reason


@pytest.mark.django_db
def test_a_second_load_of_the_shipped_data_still_writes_nothing(shipped):
    with CaptureQueriesContext(connection) as queries:
        stats = load_content(settings.CONTENT_DIR)
    assert (stats.created, stats.updated, stats.skipped) == (0, 0, [])
    assert [q for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []


# --- Dumping: the database back to data files ---------------------------------

MODELS = (
    Source, Theme, Country, GlossaryTerm, NormFramework, Norm, Body, Agreement, Citation,
    ThemedItem, Participation, NormLink, AgreementLink, Membership, Promotion,
)  # fmt: skip


def database() -> dict:
    """Every row count, and every record as the public exports show it (less its timestamp)."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    rows = []
    for record_type in registry:
        for record in record_type.model.objects.for_export():
            row = export_row(record)
            row.pop("updated")
            rows.append(row)
    return {"counts": counts, "exports": sorted(rows, key=lambda row: row["url"])}


def empty_the_database() -> None:
    for model in (
        Citation,
        ThemedItem,
        Participation,
        LearningPath,
        NationalPosition,
        CountryProfile,
        NormFramework,
        Body,
        Agreement,
    ):
        model.objects.all().delete()
    for model in (GlossaryTerm, Source, Theme, Country):
        model.objects.all().delete()
    assert not any(model.objects.exists() for model in MODELS)


def semantic(root: Path) -> dict:
    """What the data files under ``root`` say, whatever their layout and formatting."""
    content = read_content(root)

    def meaning(record) -> dict:
        data = {k: v for k, v in record.data.items() if v not in ("", [], None)}
        if data.get("status") == "published":  # the default
            del data["status"]
        if "sources" in data:
            data["sources"] = record.citations()
        if "members" in data:
            data["members"] = [
                m if isinstance(m, dict) else {"country": m} for m in data["members"]
            ]
        data.update(record.columns())
        return {**data, "children": [meaning(child) for child in record.children]}

    return {
        kind: {ref: meaning(record) for ref, record in getattr(content, kind).items()}
        for kind in (
            "sources",
            "themes",
            "countries",
            "terms",
            "frameworks",
            "bodies",
            "agreements",
        )
    }


@pytest.mark.django_db
def test_load_dump_load_changes_nothing_on_the_small_data_set(
    reviewer_client, content_dir, tmp_path
):
    load_content(content_dir)
    treaty = Agreement.objects.get(slug="test-treaty")
    reviewer_client.post(change_url(treaty), agreement_form(treaty, summary="Edited."))
    archive(reviewer_client, Agreement.objects.get(slug="test-protocol"))
    before = database()

    out = StringIO()
    call_command("dump_content", tmp_path / "dump", stdout=out)
    assert f"Wrote {len(list(VALID.rglob('*.toml')))} files" in out.getvalue()
    stats = load_content(tmp_path / "dump")

    assert (stats.created, stats.updated, stats.skipped) == (0, 0, [])
    assert database() == before
    assert 'summary = "Edited."' in (tmp_path / "dump/agreements/test-treaty.toml").read_text()
    assert 'status = "archived"' in (tmp_path / "dump/agreements/test-protocol.toml").read_text()


@pytest.mark.django_db
def test_the_dump_of_the_shipped_data_loads_to_the_same_database(shipped, tmp_path):
    before = database()
    dump_content(tmp_path / "dump")

    again = load_content(tmp_path / "dump")
    assert (again.created, again.updated, again.skipped) == (0, 0, [])
    empty_the_database()
    load_content(tmp_path / "dump")

    assert database() == before


@pytest.mark.django_db
def test_dumping_the_shipped_data_reproduces_data_semantically(shipped, tmp_path):
    dump_content(tmp_path / "dump")
    assert semantic(tmp_path / "dump") == semantic(settings.CONTENT_DIR)
