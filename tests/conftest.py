import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

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


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests create many staff users; a slow hash protects nothing here."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_shipped() -> None:
    from django.conf import settings

    from content.loader import load_content

    load_content(settings.CONTENT_DIR)


def shipped_is_loaded() -> bool:
    from reference.models import Source

    return Source.objects.exists()


@pytest.fixture(scope="session")
def shipped(django_db_setup, django_db_blocker):
    """The curated content of data/, loaded and committed once for the whole session.

    Tests that use it run after every other database test and before the
    transactional ones (see ``pytest_collection_modifyitems``), so the tests
    that build their own graph never see it.
    """
    with django_db_blocker.unblock():
        load_shipped()


def is_transactional(item) -> bool:
    fixtures = getattr(item, "fixturenames", [])
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.fixture(autouse=True)
def _transactional_tests_start_as_they_expect(request, django_db_blocker):
    """A transactional test ends with a flush, which removes the shipped content: one that
    needs it gets it back, and one that builds its own data starts from an empty database."""
    if not is_transactional(request.node):
        yield
        return
    wants = "shipped" in request.fixturenames
    with django_db_blocker.unblock():
        if wants and not shipped_is_loaded():
            load_shipped()
        elif not wants and shipped_is_loaded():
            call_command("flush", "--noinput")
    yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Order: tests without the shipped content, those with it, then transactional ones
    (those with the shipped content first, so that it is loaded once)."""

    def rank(item) -> int:
        uses_shipped = "shipped" in getattr(item, "fixturenames", [])
        if is_transactional(item):
            return 2 if uses_shipped else 3
        return 1 if uses_shipped else 0

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
