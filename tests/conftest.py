import copy

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from editorial.roles import setup_roles
from reference.models import Source
from tests.graph import make_graph
from tests.snapshot import Snapshot

DRAFT_TITLES = [
    "Secret draft body",
    "Secret draft framework",
    "Secret draft norm",
    "Secret draft agreement",
    "Secret draft term",
    "Secret draft incident",
    "Secret draft response",
    "Secret draft position",
    "Secret draft profile",
    "Secret draft path",
    "Secret draft step text",
]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests create many staff users; a slow hash protects nothing here."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _static_files_found_when_asked():
    """Every test client loads the middleware anew, and WhiteNoise would list the ~1,000
    static files each time (35 ms a client); tests ask for a handful. Found when asked,
    as under runserver; served the same (gunicorn's tests run it as deployed)."""
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True


class Committed:
    """What the test database holds outside the tests' own transactions.

    Tests run in a transaction that is rolled back, so data committed before one
    (the shared graph, or the shipped content) is seen by every test and changed by none.
    One kind at a time: ``pytest_collection_modifyitems`` groups the tests by what they
    need, so each kind is committed once per run.
    """

    NOTHING, GRAPH, SHIPPED = "nothing", "graph", "shipped"
    holds = NOTHING
    graph: dict | None = None
    # The shipped content as first loaded, put back after a flush instead of loading it again.
    shipped: Snapshot | None = None
    # A transactional test empties the database when it ends (Django's flush).
    flushed_by_a_transactional_test = False

    @classmethod
    def ensure(cls, wanted: str) -> None:
        """Commit ``wanted`` (emptying the database first when it holds something else).
        Call it outside any transaction, with database access unblocked."""
        if cls.flushed_by_a_transactional_test:
            # Its flush can fail (then the test reports an error): check rather than assume.
            emptied = not Source.objects.exists()  # both the graph and data/ have sources
            cls.holds = cls.NOTHING if emptied else "unknown"
            cls.graph, cls.flushed_by_a_transactional_test = None, False
        if cls.holds == wanted:
            return
        if cls.holds != cls.NOTHING:
            call_command("flush", "--noinput")
            cls.holds, cls.graph = cls.NOTHING, None
        if wanted == cls.GRAPH:
            with transaction.atomic():
                cls.graph = make_graph(scale=2)
        elif wanted == cls.SHIPPED and cls.shipped is not None:
            cls.shipped.restore()
        elif wanted == cls.SHIPPED:
            from content.loader import load_content

            load_content(settings.CONTENT_DIR)
            cls.shipped = Snapshot()
        cls.holds = wanted


def wanted_data(item) -> str:
    fixtures = getattr(item, "fixturenames", [])
    if "shipped" in fixtures:
        return Committed.SHIPPED
    if "graph" in fixtures:
        return Committed.GRAPH
    return Committed.NOTHING


def uses_database(item) -> bool:
    fixtures = getattr(item, "fixturenames", [])
    return bool(
        item.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server", "django_db_reset_sequences"} & set(fixtures)
    )


@pytest.fixture(scope="session")
def shipped(django_db_setup, django_db_blocker):
    """The curated content of data/, committed: loaded once for all the tests that use it.

    Session-scoped so that it is set up before the test's transaction opens. Tests that
    use it run after every other database test and before the transactional ones (see
    ``pytest_collection_modifyitems``), so the tests that build their own graph never see it.
    """
    with django_db_blocker.unblock():
        Committed.ensure(Committed.SHIPPED)


@pytest.fixture(scope="session")
def _committed_graph(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        Committed.ensure(Committed.GRAPH)
    return Committed.graph


@pytest.fixture
def graph(_committed_graph, db) -> dict:
    """A small published knowledge graph, with a draft of every type linked into it.

    Built and committed once (``make_graph(scale=2)``); each test changes it only inside
    its own rolled-back transaction, and gets its own copy of the records' instances
    (as Django's ``setUpTestData`` does).
    """
    return copy.deepcopy(_committed_graph)


def is_transactional(item) -> bool:
    fixtures = getattr(item, "fixturenames", [])
    marker = item.get_closest_marker("django_db")
    return bool(
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or "django_db_reset_sequences" in fixtures
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A request leaves its language active in the thread (LocaleMiddleware activates the
    next request's own): the test code around the requests reads URLs in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _database_holds_what_the_test_expects(request, django_db_blocker):
    """A transactional test commits what it needs itself (shipped content, or nothing) and
    ends with a flush; any other database test checks that what is committed is what it
    expects, so that a change in the order of the tests cannot pass unnoticed."""
    item = request.node
    if not uses_database(item):
        yield
        return
    wanted = wanted_data(item)
    if is_transactional(item):
        with django_db_blocker.unblock():
            Committed.ensure(wanted)
        Committed.flushed_by_a_transactional_test = True
    else:
        assert Committed.holds == wanted and not Committed.flushed_by_a_transactional_test, (
            f"{item.nodeid} expects {wanted} committed, the database holds {Committed.holds}: "
            "see pytest_collection_modifyitems"
        )
    yield


def rank(item) -> int:
    """Tests without committed data, with the shared graph, with the shipped content, then
    the transactional ones (those with the shipped content first, so it is loaded once)."""
    wanted = wanted_data(item)
    if is_transactional(item):
        return 3 if wanted == Committed.SHIPPED else 4
    return {Committed.NOTHING: 0, Committed.GRAPH: 1, Committed.SHIPPED: 2}[wanted]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Within a rank, the long tests first: the workers share the others out while one
    # runs a long test, instead of all but one waiting for it at the end.
    items.sort(key=lambda item: (rank(item), item.get_closest_marker("long") is None))


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
