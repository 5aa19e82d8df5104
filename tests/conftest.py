import pytest
from django.contrib.auth.models import Permission, User

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


@pytest.fixture
def visitor(client):
    return client


@pytest.fixture
def editor(db):
    """Staff who may add and change every record type in the admin."""
    user = User.objects.create_user(
        "edith", "edith@example.org", "a-long-test-password", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["cyberdiplo", "norms", "bodies", "agreements"],
            codename__regex=r"^(add|change|view)_",
        )
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def admin_user_client(client, admin_user):
    client.force_login(admin_user)
    return client
