import pytest
from django.contrib.auth.models import User

from editorial.roles import setup_roles
from tests.graph import make_graph

DRAFT_TITLES = [
    "Secret draft body",
    "Secret draft framework",
    "Secret draft norm",
    "Secret draft agreement",
    "Secret draft term",
]


@pytest.fixture
def graph(db):
    """A small published knowledge graph, with a draft of every type linked into it."""
    return make_graph(scale=2)


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """The curated content of data/, loaded once for a module's tests, then removed."""
    from django.conf import settings
    from django.core.management import call_command

    from content.loader import load_content

    with django_db_blocker.unblock():
        load_content(settings.CONTENT_DIR)
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput")


@pytest.fixture
def visitor(client):
    return client


def staff_in(group: str, username: str, full_name: str) -> User:
    first, last = full_name.split(" ", 1)
    user = User.objects.create_user(
        username, f"{username}@example.org", "a-long-test-password", is_staff=True,
        first_name=first, last_name=last,
    )  # fmt: skip
    user.groups.set([setup_roles()[group]])
    return user


@pytest.fixture
def editor(db):
    """Staff in the editor group: writes drafts, submits them for review."""
    return staff_in("editor", "edith", "Edith Editor")


@pytest.fixture
def reviewer(db):
    """Staff in the reviewer group: publishes, unpublishes, archives."""
    return staff_in("reviewer", "rui", "Rui Reviewer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def admin_user_client(client, admin_user):
    client.force_login(admin_user)
    return client
