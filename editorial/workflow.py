"""The editorial workflow: draft -> in review -> published -> archived.

Editors write drafts and submit them for review; only reviewers (who hold the
model's ``publish_<model>`` permission) publish, unpublish and archive. The
rules are enforced here, on the server, whatever the admin shows.
"""

from django.core.exceptions import PermissionDenied

from core.models import Status

PUBLIC = (Status.PUBLISHED, Status.ARCHIVED)


def can_publish(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def check_transition(user, record, old_status: str | None) -> None:
    """Refuse any change that publishes, unpublishes or archives without permission,
    or that edits a record the public can already see."""
    if can_publish(user, type(record)):
        return
    if record.status in PUBLIC:
        raise PermissionDenied(
            f"Only reviewers can set a record to “{Status(record.status).label}”. "
            "Submit it for review instead."
        )
    if old_status in PUBLIC:
        raise PermissionDenied("This record is public: only reviewers can change or unpublish it.")
