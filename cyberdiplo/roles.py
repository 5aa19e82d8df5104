"""The editorial roles, as Django groups with their permissions."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CONTENT_APPS = ["cyberdiplo", "norms", "bodies", "agreements"]
# Reference data editors may add to while they write records.
REFERENCE_MODELS = ["theme", "country", "source", "citation", "themeditem"]

EDITOR = "editor"
REVIEWER = "reviewer"
ADMINISTRATOR = "administrator"


def _content(codename_regex: str):
    return Permission.objects.filter(
        content_type__app_label__in=CONTENT_APPS, codename__regex=codename_regex
    )


def setup_roles() -> dict[str, Group]:
    """Create or update the three groups; safe to run any number of times."""
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    # Editors create and edit (never delete) records and their relations, and view
    # history; publishing is not theirs.
    editor.permissions.set(_content(r"^(add|change|view)_"))

    reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
    reviewer.permissions.set(_content(r"^(add|change|view|publish)_"))

    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=CONTENT_APPS)
            | Q(content_type__app_label__in=["auth", "axes", "admin"])
        )
    )
    return {EDITOR: editor, REVIEWER: reviewer, ADMINISTRATOR: administrator}
