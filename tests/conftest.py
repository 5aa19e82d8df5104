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


@pytest.fixture(scope="session")
def shipped(django_db_setup, django_db_blocker):
    """The curated content of data/, loaded and committed once for the whole session.

    Tests that use it run after every other database test and before the
    transactional ones (see ``pytest_collection_modifyitems``), so the tests
    that build their own graph never see it, and a flush of a transactional
    test never removes it from under a test that needs it.
    """
    from django.conf import settings

    from content.loader import load_content

    with django_db_blocker.unblock():
        load_content(settings.CONTENT_DIR)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Order: tests without the shipped content, those with it, then transactional ones.

    pytest-django has already put transactional tests after the others; this
    keeps its order and moves the tests using ``shipped`` just before them.
    """

    def rank(item) -> int:
        fixtures = getattr(item, "fixturenames", [])
        if "transactional_db" in fixtures or "live_server" in fixtures:
            return 2
        return 1 if "shipped" in fixtures else 0

    items.sort(key=rank)


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
