"""What a reviewer reads before publishing, and the notes that pass between editor and
reviewer: the changes since the published version, field by field (long text word by
word), and the last note of the workflow, kept in the record's history."""

from dataclasses import dataclass

from core.models import Status
from core.text import word_diff

SUBMITTED, RETURNED = "Submitted for review", "Returned to the editor"
# Columns a reviewer does not need to read: derived, or kept by the system.
UNREAD = ("created", "updated", "description_html", "search_vector", "title_vector", "status")


@dataclass
class Change:
    label: str
    before: str
    after: str
    words: list[tuple[str, str]] | None = None  # word by word, for long text


@dataclass
class Note:
    kind: str  # SUBMITTED or RETURNED
    text: str
    by: str
    at: object


def last_published(obj):
    """The record's most recent published version in its history, or None."""
    return obj.history.filter(status=Status.PUBLISHED).order_by("-history_date").first()


def changes_since_published(obj) -> list[Change] | None:
    """The fields whose saved value differs from the published version; None when the
    record was never published (everything in it is new to the public)."""
    published = last_published(obj)
    if published is None:
        return None
    current = obj.history.order_by("-history_date").first()
    delta = current.diff_against(published, excluded_fields=UNREAD)
    changes = []
    for change in delta.changes:
        field = obj._meta.get_field(change.field)
        before, after = _text(change.old), _text(change.new)
        long = field.get_internal_type() == "TextField" or max(len(before), len(after)) > 80
        changes.append(
            Change(
                str(field.verbose_name).capitalize(),
                before,
                after,
                word_diff(before, after) if long else None,
            )
        )
    return changes


def last_note(obj) -> Note | None:
    """The note of the last submission or return, while it still applies: a submission's
    while the record is in review, a return's while it is a draft again."""
    applies = {Status.REVIEW: SUBMITTED, Status.DRAFT: RETURNED}.get(obj.status)
    if applies is None:
        return None
    latest = (
        obj.history.filter(history_change_reason__regex=f"^({SUBMITTED}|{RETURNED})")
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if latest is None or not latest.history_change_reason.startswith(applies):
        return None
    text = latest.history_change_reason.removeprefix(applies).removeprefix(":").strip()
    user = latest.history_user
    by = (user.get_full_name() or user.get_username()) if user else "someone"
    return Note(applies, text, by, latest.history_date)


def _text(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
