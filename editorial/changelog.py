"""The public change log of a record: its published versions, what changed between
them and when, with the editor's display name only."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.models import Status, get_reachable

IGNORED = {"updated", "status"}
MAX_VERSIONS = 100


def display_name(user) -> str:
    if user is None:
        return "Cyberdiplo"
    return user.get_full_name() or "an editor"


def changelog(request: HttpRequest, model, **lookup) -> HttpResponse:
    entry = get_reachable(model, **lookup)
    versions = list(
        entry.history.filter(status=Status.PUBLISHED)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:MAX_VERSIONS]
    )
    rows = []
    for newer, older in zip(versions, [*versions[1:], None], strict=False):
        if older is None:
            changed = ["first published version"]
        else:
            delta = newer.diff_against(older, excluded_fields=IGNORED)
            changed = [entry._meta.get_field(c.field).verbose_name for c in delta.changes]
            if not changed:
                continue  # saved again without a visible change
        rows.append(
            {
                "date": newer.history_date,
                "by": display_name(newer.history_user),
                "changed": changed,
                "reason": newer.history_change_reason or "",
            }
        )
    return render(request, "editorial/changelog.html", {"entry": entry, "rows": rows})
