"""Editors write, reviewers publish; history, revert, change log, dashboard, bulk import."""

import io
import subprocess
import sys

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def inline_management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


NO_INLINES = {
    **inline_management("participations"),
    **inline_management("norm_links"),
    **inline_management("outbound_links"),
    **inline_management("reference-citation-content_type-object_id"),
    **inline_management("reference-themeditem-content_type-object_id"),
}


def agreement_form(agreement, **changes) -> dict:
    data = {
        "title": agreement.title,
        "slug": agreement.slug,
        "summary": agreement.summary,
        "description": agreement.description,
        "status": agreement.status,
        "kind": agreement.kind,
        "reach": agreement.reach,
        "legally_binding": "on" if agreement.legally_binding else "",
        "adopted": agreement.adopted,
        "entry_into_force": agreement.entry_into_force,
        "ended": agreement.ended,
        "legal_status": agreement.legal_status,
        "status_as_of": agreement.status_as_of.isoformat(),
        "short_title": agreement.short_title,
        "symbol": agreement.symbol,
        **NO_INLINES,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_editor_cannot_publish_by_form_or_action(editor_client, graph):
    draft = graph["draft_agreement"]
    response = editor_client.post(change_url(draft), agreement_form(draft, status="published"))
    assert response.status_code == 200  # the form is shown again with the error
    assert "Select a valid choice" in response.content.decode()
    response = editor_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_an_editor_cannot_change_or_unpublish_a_public_record(editor_client, graph):
    agreement = graph["agreement"]
    response = editor_client.post(
        change_url(agreement), agreement_form(agreement, status="draft", summary="Changed.")
    )
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == "published" and agreement.summary != "Changed."


@pytest.mark.django_db
def test_an_editor_submits_a_draft_for_review(editor_client, graph):
    draft = graph["draft_agreement"]
    editor_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "submit_for_review", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "review"


@pytest.mark.django_db
def test_publishing_needs_a_source_a_summary_and_a_theme(reviewer_client, graph):
    draft = graph["draft_agreement"]
    draft.citations.all().delete()
    draft.themes.clear()
    response = reviewer_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "needs at least one source and at least one theme" in html
    draft.refresh_from_db()
    assert draft.status == "draft"

    response = reviewer_client.post(
        change_url(draft), agreement_form(draft, status="published"), follow=True
    )
    assert "not published: it needs at least one source and at least one theme" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == "review"


@pytest.mark.django_db
def test_a_reviewer_publishes_unpublishes_and_archives(reviewer_client, graph):
    url = reverse("admin:agreements_agreement_changelist")
    draft = graph["draft_agreement"]
    for action, status in [
        ("publish", "published"),
        ("archive", "archived"),
        ("unpublish", "draft"),
    ]:
        reviewer_client.post(url, {"action": action, "_selected_action": [draft.pk]})
        draft.refresh_from_db()
        assert draft.status == status


@pytest.mark.django_db
def test_every_change_to_records_and_relations_is_recorded(reviewer_client, reviewer, graph):
    agreement = graph["agreement"]
    before = agreement.history.count()
    reviewer_client.post(change_url(agreement), agreement_form(agreement, summary="New summary."))
    assert agreement.history.count() == before + 1
    latest = agreement.history.first()
    assert latest.history_user == reviewer and latest.summary == "New summary."
    participation = agreement.participations.first()
    participation.note = "Checked again."
    participation.save()
    assert participation.history.first().note == "Checked again."


@pytest.mark.django_db
def test_history_shows_a_diff_and_a_reviewer_can_revert(reviewer_client, graph):
    visitor = Client()
    agreement = graph["agreement"]
    old_summary = agreement.summary
    reviewer_client.post(change_url(agreement), agreement_form(agreement, summary="A rewrite."))
    assert "A rewrite." in visitor.get(agreement.get_absolute_url()).content.decode()

    history = reviewer_client.get(change_url(agreement).replace("/change/", "/history/"))
    assert history.status_code == 200
    assert "Summary" in history.content.decode()  # the changed field is named

    first = agreement.history.order_by("history_date").first()
    revert_url = change_url(agreement).replace("/change/", f"/history/{first.history_id}/")
    form = reviewer_client.get(revert_url)
    assert form.status_code == 200
    reviewer_client.post(revert_url, agreement_form(agreement, summary=first.summary))
    page = visitor.get(agreement.get_absolute_url()).content.decode()
    assert old_summary in page and "A rewrite." not in page


@pytest.mark.django_db
def test_public_change_log_lists_published_versions_with_display_names_only(
    reviewer_client, reviewer, graph
):
    agreement = graph["agreement"]
    reviewer_client.post(change_url(agreement), agreement_form(agreement, summary="Version two."))
    log = Client().get(agreement.get_absolute_url() + "changes/")
    html = log.content.decode()
    assert log.status_code == 200
    assert "Rui Reviewer" in html and "summary" in html
    assert reviewer.username not in html and reviewer.email not in html
    assert Client().get(graph["draft_agreement"].get_absolute_url() + "changes/").status_code == 404


@pytest.mark.django_db
def test_dashboard_shows_what_needs_attention(reviewer_client, graph):
    review = graph["draft_norm"]  # in review
    html = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "Awaiting review (1)" in html
    assert change_url(review) in html
    assert "Without a source" in html and "Drafts untouched for 30 days" in html


@pytest.mark.django_db
def test_a_title_close_to_an_existing_one_gets_a_warning(reviewer_client, graph):
    data = agreement_form(graph["agreement"], title="Agreement 0.", slug="agreement-dup")
    response = reviewer_client.post(reverse("admin:agreements_agreement_add"), data, follow=True)
    assert "Check for a duplicate: “Agreement 0” has a similar title." in response.content.decode()


@pytest.mark.django_db
def test_roles_command_is_idempotent():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("setup_roles")
    call_command("setup_roles")
    assert set(Group.objects.values_list("name", flat=True)) == {
        "editor",
        "reviewer",
        "administrator",
    }
    reviewer = Group.objects.get(name="reviewer")
    assert reviewer.permissions.filter(codename="publish_agreement").exists()
    assert (
        not Group.objects.get(name="editor")
        .permissions.filter(codename__startswith="publish")
        .exists()
    )
    assert (
        not Group.objects.get(name="editor")
        .permissions.filter(codename__startswith="delete")
        .exists()
    )


CSV_HEADER = (
    "slug,title,short_title,kind,reach,legally_binding,symbol,adopted,entry_into_force,ended,"
    "legal_status,status_as_of,summary,description,status\n"
)


def import_csv(client, text: str):
    """Upload a CSV to the admin's import page (the dry run) and return the response."""
    upload = io.BytesIO(text.encode())
    upload.name = "agreements.csv"
    return client.post(
        reverse("admin:agreements_agreement_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


@pytest.mark.django_db
def test_a_bad_bulk_import_changes_nothing_and_lists_every_bad_row(editor_client, graph):
    before = Agreement.objects.count()
    text = CSV_HEADER + (
        "good-one,A good one,,bilateral,bilateral,0,,2015,,,non-binding,2026-11-01,Fine.,,draft\n"
        "bad-date,Bad date,,bilateral,bilateral,0,,23/11/2001,,,"
        "non-binding,2026-11-01,Bad.,,draft\n"
        "bad-kind,Bad kind,,treaty-ish,bilateral,0,,2015,,,non-binding,2026-11-01,Bad.,,draft\n"
        "too-public,Too public,,bilateral,bilateral,0,,2015,,,"
        "non-binding,2026-11-01,Bad.,,published\n"
    )
    response = import_csv(editor_client, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ISO date at the precision known" in html
    assert "treaty-ish" in html
    assert "needs a reviewer" in html
    assert 'name="import_file_name"' not in html  # no confirm form while a row is bad
    assert Agreement.objects.count() == before


@pytest.mark.django_db
def test_a_good_bulk_import_shows_each_row_then_imports_as_one_change(editor_client, graph):
    text = CSV_HEADER + (
        "import-one,Imported one,,bilateral,bilateral,0,,2015,,,"
        "non-binding,2026-11-01,One.,,draft\n"
        "import-two,Imported two,,bilateral,bilateral,0,,2016,,,"
        "non-binding,2026-11-01,Two.,,review\n"
    )
    response = import_csv(editor_client, text)
    html = response.content.decode()
    assert "Imported one" in html and "Imported two" in html and "New" in html
    assert not Agreement.objects.filter(slug__startswith="import-").exists()  # dry run only
    confirm = {
        key: response.context["confirm_form"][key].value()
        for key in ("import_file_name", "original_file_name", "format", "resource")
    }
    logs_before = LogEntry.objects.count()
    editor_client.post(reverse("admin:agreements_agreement_process_import"), confirm)
    imported = Agreement.objects.filter(slug__startswith="import-")
    assert imported.count() == 2
    assert LogEntry.objects.count() == logs_before + 1
    reasons = {record.history.first().history_change_reason for record in imported}
    assert reasons == {"Bulk import of agreements.csv"}


def export_from_admin(client, file_format: str):
    """The admin's export of every agreement, every field ticked as the form starts."""
    url = reverse("admin:agreements_agreement_export")
    form = client.get(url).context["form"]
    fields = {name: "on" for name in form.fields if name.startswith("agreementresource_")}
    response = client.post(url, {"format": format_index(file_format), "resource": "0", **fields})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return response


@pytest.mark.django_db
def test_export_from_the_admin(editor_client, graph):
    response = export_from_admin(editor_client, "csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("slug,title,")
    assert len(lines) == 1 + Agreement.objects.count()


def format_index(title: str) -> str:
    """The admin's form value for a file format (its place in the offered list)."""
    from import_export.formats.base_formats import DEFAULT_FORMATS

    return str([f().get_title() for f in DEFAULT_FORMATS].index(title))


@pytest.mark.django_db
def test_a_spreadsheet_exported_from_the_admin_imports_back(reviewer_client, graph):
    """XLSX both ways, through tablib's format loaded on first use (editorial.formats)."""
    import openpyxl

    response = export_from_admin(reviewer_client, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.values)
    slugs = [row[rows[0].index("slug")] for row in rows[1:]]
    assert set(slugs) == set(Agreement.objects.values_list("slug", flat=True))
    upload = io.BytesIO(response.content)
    upload.name = "agreements.xlsx"
    dry_run = reviewer_client.post(
        reverse("admin:agreements_agreement_import"),
        {"import_file": upload, "format": format_index("xlsx"), "resource": "0"},
    )
    assert dry_run.status_code == 200
    assert 'name="import_file_name"' in dry_run.content.decode()  # every row valid


def test_a_web_worker_starts_without_the_spreadsheet_libraries():
    """openpyxl (and Pillow with it) load when a spreadsheet is read or written, not in
    every worker that serves pages: 7 MB of each worker's memory."""
    code = (
        "import sys, django; django.setup(); from django.urls import resolve; "
        "resolve('/admin/agreements/agreement/import/'); "
        "from import_export.formats.base_formats import DEFAULT_FORMATS; "
        "print(sorted(m for m in ('openpyxl', 'PIL') if m in sys.modules), "
        "[f().get_title() for f in DEFAULT_FORMATS])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[] ['csv', 'xlsx', 'tsv', 'json', 'yaml', 'html']"


@pytest.mark.django_db
def test_submit_return_with_a_note_and_publish_are_buttons_of_the_form(editor, reviewer, graph):
    editor_client, reviewer_client = Client(), Client()  # two sessions, side by side
    editor_client.force_login(editor)
    reviewer_client.force_login(reviewer)
    draft = graph["draft_agreement"]
    page = editor_client.get(change_url(draft)).content.decode()
    assert 'name="_submit_for_review"' in page and 'name="_publish"' not in page
    editor_client.post(
        change_url(draft),
        {**agreement_form(draft), "workflow_note": "New record: please check the dates.",
         "_submit_for_review": "Save and submit for review"},
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == "review"
    assert draft.history.first().history_change_reason == (
        "Submitted for review: New record: please check the dates."
    )
    page = reviewer_client.get(change_url(draft)).content.decode()
    assert "Submitted for review</strong> by" in page
    assert "“New record: please check the dates.”" in page
    assert "Not yet published: everything on this form will be new" in page
    assert 'name="_publish"' in page and 'name="_return_to_editor"' in page
    # Returning needs a note; the refused form keeps what the reviewer typed.
    response = reviewer_client.post(
        change_url(draft),
        {**agreement_form(draft, title="Typed by the reviewer"), "_return_to_editor": "Return"},
    )
    assert response.status_code == 200
    assert "Say what the editor should change." in response.content.decode()
    assert 'value="Typed by the reviewer"' in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.title) == ("review", "Secret draft agreement")
    reviewer_client.post(
        change_url(draft),
        {**agreement_form(draft), "workflow_note": "Source the date of adoption.",
         "_return_to_editor": "Return"},
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == "draft"
    page = editor_client.get(change_url(draft)).content.decode()
    assert "Returned to the editor</strong> by" in page
    assert "“Source the date of adoption.”" in page
    reviewer_client.post(change_url(draft), {**agreement_form(draft), "_publish": "Publish"})
    draft.refresh_from_db()
    assert draft.status == "published"


@pytest.mark.django_db
def test_the_reviewer_reads_what_publishing_would_change(reviewer_client, graph):
    agreement = graph["agreement"]
    agreement.history.all().delete()
    agreement._change_reason = "Published"
    agreement.save()  # the published version, in history
    old = agreement.summary
    reviewer_client.post(
        change_url(agreement),
        agreement_form(agreement, status="review", summary=old + " Its parties meet yearly.",
                       symbol="ETS No. 999"),
    )  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.status == "review"
    page = reviewer_client.get(change_url(agreement)).content.decode()
    table = page[page.index('<table class="workflow-changes">') :]
    table = table[: table.index("</table>")]
    assert "<ins>Its parties meet yearly.</ins>" in table and "<del>" not in table
    assert '<th scope="row">Summary</th>' in table
    assert "ETS No. 999" in table and '<th scope="row">Status</th>' not in table
