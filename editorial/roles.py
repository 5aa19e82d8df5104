"""The editorial roles, as Django groups with their permissions."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.registry import registry

EDITOR = "editor"
REVIEWER = "reviewer"
ADMINISTRATOR = "administrator"


def content_apps() -> list[str]:
    """The apps whose records editors write: every record type's, and the reference records."""
    return ["reference", *registry.app_labels()]


def _content(codename_regex: str):
    return Permission.objects.filter(
        content_type__app_label__in=content_apps(), codename__regex=codename_regex
    )


def setup_roles() -> dict[str, Group]:
    """Create or update the three groups; safe to run any number of times."""
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    # Editors create and edit (never delete) records and their relations, and view
    # history; publishing is not theirs.
    editor.permissions.set(_content(r"^(add|change|view)_"))

    reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
    # ``publish_<model>`` of every record type, and ``publish_source`` and ``publish_theme``:
    # only reviewers change a source or a theme once a record the public sees uses it.
    reviewer.permissions.set(_content(r"^(add|change|view|publish)_"))

    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=content_apps())
            | Q(content_type__app_label__in=["auth", "axes", "admin"])
        )
    )
    return {EDITOR: editor, REVIEWER: reviewer, ADMINISTRATOR: administrator}
