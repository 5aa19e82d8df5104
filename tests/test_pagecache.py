"""The whole-page cache: what a visitor gets from it, and that it is never stale or private."""

import difflib
import re
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, urldefrag, urljoin, urlparse

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from core import pagecache, worldmap
from core.models import Status
from core.pagecache import cache_key, content_tables, current_version
from reference.models import Source, Theme
from tests.test_site import choices

# Answers that no link leads to, but that visitors and machines fetch.
MACHINE_PATHS = [
    "/sitemap.xml",
    "/sitemap-agreements.xml",  # a part of the sitemap index (research.sitemaps)
    "/feeds/updates.atom",
    "/themes/confidence-building-measures/feed.atom",
    "/agreements/?format=csv",
    "/agreements/?format=json",
    "/norms/?format=csv",
    "/api/v1/",
    "/api/v1/agreements/",
    "/api/v1/norms/",
    "/api/v1/bodies/",
    "/api/v1/themes/",
    "/api/v1/countries/",
    "/search/?q=draft",
    "/search/?q=agreement",
]


VARIANT = re.compile(r"/(cite\.\w+|changes/)$")


def variant(url: str) -> bool:
    """Whether ``url`` is one of the files made from a record or a list, one view per
    kind: citation files and change logs, the link graph around a record, a sorted or
    filtered list's exports."""
    parsed = urlparse(url)
    keys = [key for key, _ in parse_qsl(parsed.query, keep_blank_values=True)]
    return bool(
        VARIANT.search(parsed.path)
        or (parsed.path.startswith("/graph/") and "focus" in keys)
        or ("format" in keys and len(keys) > 1)
    )


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    # Kept in the worker by content version: the committed graph's, from another test.
    pagecache._held.clear()
    return caches[settings.PAGE_CACHE_ALIAS]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def crawl(client) -> dict[str, bytes]:
    """Every page reachable by links from the home page, and the machine answers; of a
    page's variants by query string, those making a choice not yet made on that page
    (each its own cache entry: every sort, filter, view and page number, not every
    combination of them, as the site crawl does)."""
    pages: dict[str, bytes] = {}
    queue = deque(["/", *MACHINE_PATHS])
    seen = set(queue)
    made: set[tuple[str, str, str]] = set()
    while queue:
        path = queue.popleft()
        if (chosen := choices(path)) and chosen <= made:
            continue
        made |= chosen
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        pages[path] = body(response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in re.findall(r'href="([^"]+)"', pages[path].decode()):
            url = urljoin(path, urldefrag(href)[0].replace("&amp;", "&"))
            parsed = urlparse(url)
            if parsed.netloc or parsed.scheme or url.startswith(("/admin/", "/static/")):
                continue
            # The French and Spanish pages are the English ones' frame around the same
            # records: their home pages and glossaries stand for them.
            if url.startswith(("/fr/", "/es/")) and url not in ("/fr/", "/es/glossary/"):
                continue
            # Such files of agreements stand for those of the other types and lists.
            if variant(url) and "/agreements/" not in url:
                continue
            if url not in seen:
                seen.add(url)
                queue.append(url)
    return pages


def first_difference(served: bytes, expected: bytes) -> str:
    """The lines around where a served page first differs from the page rendered afresh."""
    diff = difflib.unified_diff(
        expected.decode().splitlines(),
        served.decode().splitlines(),
        "fresh",
        "served",
        n=2,
        lineterm="",
    )
    return "\n".join(list(diff)[:40])


def fresh(client, settings, paths) -> dict[str, bytes]:
    settings.PAGE_CACHE = False
    try:
        return {path: body(client.get(path)) for path in paths}
    finally:
        settings.PAGE_CACHE = True


def test_a_second_visitor_gets_the_page_from_the_cache_with_one_query(
    client, graph, page_cache, django_assert_num_queries
):
    path = graph["agreement"].get_absolute_url()
    first = client.get(path)
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first["ETag"] and first["Last-Modified"]
    with django_assert_num_queries(1):  # the content version
        again = client.get(path)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "Vary"):
        assert again[header] == first[header]


def test_conditional_requests_answer_304(client, graph, page_cache):
    path = graph["norm"].get_absolute_url()
    first = client.get(path)
    by_etag = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"something else"').status_code == 200


def test_a_query_string_makes_its_own_entry(client, graph, page_cache, django_assert_num_queries):
    path = graph["agreement"].get_absolute_url()
    client.get(path)
    response = client.get(path + "?utm_source=x")
    assert response.status_code == 200
    with django_assert_num_queries(1):
        client.get(path + "?utm_source=x")


def test_the_whole_lists_facet_counts_are_counted_once_per_content_version(
    client, graph, page_cache, django_assert_max_num_queries
):
    """Nothing chosen, every visitor and every page of a list shows the same counts: a
    page rendered afresh (another sort) reads them; a change counts them again."""

    def kinds(path: str) -> dict[str, int]:
        facets = client.get(path).context["facets"]
        return {o.value: o.count for f in facets if f.name == "kind" for o in f.options}

    with CaptureQueriesContext(connection) as first:
        counted = kinds("/agreements/")
    with django_assert_max_num_queries(len(first) - 5):
        assert kinds("/agreements/?sort=title") == counted
    agreement = graph["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(kind="bilateral")
    again = kinds("/agreements/?sort=oldest")
    assert again["bilateral"] == counted["bilateral"] + (agreement.kind != "bilateral")
    # A filter chosen, the counts are the filtered list's, not the whole list's.
    assert sum(kinds("/agreements/?binding=no").values()) < sum(again.values())


def test_the_glossary_terms_a_record_page_looks_for_are_read_once_per_content_version(
    client, graph, page_cache
):
    from glossary.models import GlossaryTerm

    agreement = graph["agreement"]
    path = agreement.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        client.get(path + "?a=1")
    with CaptureQueriesContext(connection) as again:
        client.get(path + "?a=2")  # rendered afresh: a new query string
    glossary = [q for q in first if "glossary_glossaryterm" in q["sql"]]
    assert glossary and not [q for q in again if "glossary_glossaryterm" in q["sql"]]
    word = agreement.summary.split()[-1].strip(".,;")
    term = GlossaryTerm.objects.create(
        title=word, slug="a-word", summary="A word of the summary.", status=Status.PUBLISHED
    )
    html = client.get(path + "?a=3").content.decode()
    terms = html[html.index('id="glossary-heading"') :]
    assert f'href="{term.get_absolute_url()}"' in terms[: terms.index("</section>")]


@contextmanager
def calls_to(owner, name: str) -> Iterator[list]:
    """The calls made to ``owner.name`` inside the block, one item each, as they come."""
    calls: list = []
    original = getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(owner, name, counting)
        yield calls


def test_a_record_pages_world_map_is_drawn_once_per_content_version(client, graph, page_cache):
    """An agreement's map of its parties, and its table, are kept under the content
    version: rendered afresh (a new query string), the page draws no map; a new party
    shows on it at once."""
    from agreements.models import Participation
    from reference.models import Country

    agreement = graph["agreement"]
    path = agreement.get_absolute_url()
    with calls_to(worldmap, "draw") as drawn:
        first = client.get(path + "?a=1").content.decode()
        again = client.get(path + "?a=2").content.decode()
        assert len(drawn) == 1 and first.count("<tr>") == again.count("<tr>")
        newcomer = Country.objects.create(code="ZZ", name="Newcomer Land", region="europe")
        Participation.objects.create(agreement=agreement, country=newcomer, as_of="2026-11-01")
        html = client.get(path + "?a=3").content.decode()
    assert len(drawn) == 2
    table = html[html.index('class="worldmap') :]
    assert ">Newcomer Land</a></th>" in table


def test_a_description_is_linked_once_per_content_version(client, graph, page_cache):
    """The records a description names are found once per content version; one published
    since is linked at once."""
    from core import autolink

    agreement, draft = graph["agreement"], graph["draft_agreement"]
    agreement.description = f"It builds on the {draft.title}."
    agreement.save()
    path = agreement.get_absolute_url()
    with calls_to(autolink, "link") as calls:
        first = client.get(path + "?a=1").content.decode()
        again = client.get(path + "?a=2").content.decode()
        assert len(calls) == 1 and draft.get_absolute_url() not in first + again
        draft.status = Status.PUBLISHED
        draft.save()
        linked = client.get(path + "?a=3").content.decode()
    assert len(calls) == 2
    assert f'href="{draft.get_absolute_url()}"' in linked[linked.index('id="about') :]


def test_theme_and_country_pages_read_the_rows_they_chose_by_key(client, graph, page_cache):
    """Which cards a theme page and which rows a country page show first are chosen once
    per content version (``pagecache.chosen``); rendered afresh, the page reads those rows
    by key: the same page, and a change shows at once."""
    theme = graph["agreement"].themes.first()
    country = graph["agreement"].participations.exclude(country=None).first().country
    for path in (theme.get_absolute_url(), country.get_absolute_url()):
        chosen = client.get(path + "?a=1")
        by_key = client.get(path + "?a=2")  # rendered afresh: a new query string
        assert by_key.content.replace(b"a=2", b"a=1") == chosen.content
        sections = by_key.context["sections"]
        if path == theme.get_absolute_url():
            shown = [r for section in sections for r in section.records]
        else:
            shown = [r for _section, rows, _total in sections for r in rows]
        assert shown
    # A change (a bulk update, which no signal sees) shows on the next request.
    card = next(r for s in client.get(theme.get_absolute_url()).context["sections"]
                for r in s.records if isinstance(r, Agreement))  # fmt: skip
    Agreement.objects.filter(pk=card.pk).update(title="A retitled agreement")
    assert b"A retitled agreement" in client.get(theme.get_absolute_url() + "?a=3").content


def test_the_themes_a_list_shows_are_read_once_per_content_version(client, graph, page_cache):
    with CaptureQueriesContext(connection) as first:
        client.get("/agreements/?a=1")
    with CaptureQueriesContext(connection) as again:
        client.get("/agreements/?a=2")  # rendered afresh: a new query string

    def theme_table(queries) -> list[str]:
        return [q["sql"] for q in queries if 'FROM "reference_theme"' in q["sql"]]

    assert theme_table(first) and not theme_table(again)
    # A change (here a bulk update, which no signal sees) shows on the next request.
    theme = graph["agreement"].themes.first()
    Theme.objects.filter(pk=theme.pk).update(name="A renamed theme")
    html = client.get("/agreements/?a=3").content.decode()
    assert ">A renamed theme</a>" in html and f">{theme.name}</a>" not in html


@pytest.mark.long  # about forty seconds: every page of the graph, twice
def test_a_change_shows_on_every_page_at_once(client, settings, graph, page_cache):
    """After a publish, and after an edit to a linked record made with a bulk update,
    every page, export, feed, sitemap and API answer served with the cache on is
    exactly what the site renders without it."""
    before = crawl(client)
    draft = graph["draft_agreement"]
    assert not any(draft.title.encode() in page for page in before.values())

    def check(change: str) -> dict[str, bytes]:
        cached = crawl(client)  # from the cache wherever it still holds the page
        expected = fresh(client, settings, cached)
        stale = [path for path in cached if cached[path] != expected[path]]
        assert not stale, f"served stale after {change}: {stale}\n" + first_difference(
            cached[stale[0]], expected[stale[0]]
        )
        return cached

    draft.status = Status.PUBLISHED
    draft.save()
    published = check("a publish")
    naming = {path for path, page in published.items() if draft.title.encode() in page}
    for path in ["/", "/agreements/", draft.get_absolute_url(), "/api/v1/agreements/"]:
        assert path in naming, f"{path} does not name the published record"
    assert {"/agreements/?format=csv", "/feeds/updates.atom", "/search/?q=draft"} <= naming
    assert draft.get_absolute_url().encode() in published["/sitemap-agreements.xml"]

    Source.objects.filter(pk=graph["source"].pk).update(title="A retitled report")
    retitled = check("a linked source's bulk update")
    assert any(b"A retitled report" in page for page in retitled.values())


def test_a_session_neither_reads_nor_fills_the_cache(client, graph, page_cache):
    editor = User.objects.create_user("editor", password="pw", is_staff=True, is_superuser=True)
    draft_path = graph["draft_agreement"].get_absolute_url()
    list_path = "/agreements/"
    anonymous = client.get(list_path)
    assert b"Secret draft agreement" not in anonymous.content

    client.force_login(editor)
    preview = client.get(draft_path)
    assert preview.status_code == 200  # staff preview the draft
    assert "private" in preview["Cache-Control"]
    staff_list = client.get(list_path)
    assert "private" in staff_list["Cache-Control"]
    request = RequestFactory().get(draft_path)
    assert page_cache.get(cache_key(request, current_version())) is None

    client.logout()
    assert client.get(draft_path).status_code == 404
    admin = client.get("/admin/login/")
    assert "public" not in admin.get("Cache-Control", "")
    request = RequestFactory().get("/admin/login/")
    assert page_cache.get(cache_key(request, current_version())) is None


def test_an_authorization_header_or_a_post_bypasses_the_cache(client, graph, page_cache):
    path = "/agreements/"
    client.get(path)
    response = client.get(path, HTTP_AUTHORIZATION="Bearer x")
    assert "public" not in response.get("Cache-Control", "")
    posted = client.post(path)
    assert posted.status_code == 405 and posted["Allow"] == "GET, HEAD, OPTIONS"
    assert "public" not in posted.get("Cache-Control", "")
    assert "read only" in posted.content.decode()
    assert client.post("/api/v1/agreements/").status_code == 405  # the API's own answer
    assert client.post("/admin/login/").status_code == 200  # the admin still takes forms


def test_probes_never_touch_the_database_or_the_cache(
    client, db, page_cache, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


def test_answers_not_worth_sharing_are_not_stored(client, graph, page_cache):
    missing = "/agreements/no-such-agreement/"
    assert client.get(missing).status_code == 404
    assert page_cache.get(cache_key(RequestFactory().get(missing), current_version())) is None
    bad = "/agreements/?year_from=abc"
    assert client.get(bad).status_code == 400
    assert page_cache.get(cache_key(RequestFactory().get(bad), current_version())) is None


def test_every_write_to_public_content_bumps_the_version(graph):
    first = current_version()
    Agreement.objects.filter(pk=graph["agreement"].pk).update(summary="Changed.")
    second = current_version()
    assert second[0] > first[0]
    Theme.objects.bulk_create([Theme(name="New theme", slug="new-theme")])
    third = current_version()
    assert third[0] > second[0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reference_source SET title = title || '.'")
    fourth = current_version()
    assert fourth[0] > third[0]
    # Change logs name editors: a new name counts, a login does not.
    editor = User.objects.create_user("ed", first_name="Ed")
    User.objects.filter(pk=editor.pk).update(last_login="2026-01-01T00:00Z")
    assert current_version() == fourth
    User.objects.filter(pk=editor.pk).update(first_name="Edith")
    assert current_version()[0] > fourth[0]


def test_every_content_table_has_the_trigger(db):
    tables = content_tables()
    for model in (Agreement, Theme, Source, Agreement.themes.through):
        assert model._meta.db_table in tables
    assert "auth_user" not in tables and "django_session" not in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'core_content_version'"
        )
        triggered = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= triggered


def spy(function, calls: list):
    """``function``, noting each call in ``calls``."""

    def called(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return called


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_cached_page_costs_no_query_and_a_commit_shows_at_once(
    client, settings, django_assert_num_queries, monkeypatch
):
    """Between requests a worker's connection listens for changes to the content version
    (core.pagecache.Watch): a page from the cache makes no query; a change committed on
    this connection shows on the next request, one on another (another worker's) as soon
    as it is delivered; a lost connection reads the version again."""
    settings.PAGE_CACHE = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    agreement = Agreement.objects.create(
        title="A kept agreement",
        slug="kept",
        kind="bilateral",
        legally_binding=False,
        legal_status="non-binding",
        status_as_of="2026-11-01",
        summary="Kept.",
        status=Status.PUBLISHED,
    )
    first = client.get("/agreements/")
    assert b"A kept agreement" in first.content
    with django_assert_num_queries(0):
        again = client.get("/agreements/")
    assert again["ETag"] == first["ETag"]
    Agreement.objects.filter(pk=agreement.pk).update(title="A renamed agreement")
    assert b"A renamed agreement" in client.get("/agreements/").content
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "UPDATE agreements_agreement SET title = %s WHERE id = %s",
                ["Renamed by another worker", agreement.pk],
            )
    finally:
        other.close()
    # Another worker's commit shows once PostgreSQL has delivered its notification, as
    # the commit completes: on a loaded machine a request in the same instant may not
    # have it yet (core/pagecache.py says so).
    deadline = time.monotonic() + 5
    while b"Renamed by another worker" not in client.get("/agreements/").content:
        assert time.monotonic() < deadline, "another connection's commit never showed"
        time.sleep(0.001)
    with django_assert_num_queries(0):
        client.get("/agreements/")
    # A connection per request (CONN_MAX_AGE=0, as behind PgBouncer): no listening, the
    # version read each time (here by the connection's health check, on its own cursor).
    reads = []
    monkeypatch.setattr(pagecache, "_read_version", spy(pagecache._read_version, reads))
    client.get("/agreements/")
    assert reads == []
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    client.get("/agreements/")
    client.get("/agreements/")
    assert len(reads) == 2
    monkeypatch.undo()
    connection.close()  # a connection lost between requests: the next one opens a new one
    Agreement.objects.filter(pk=agreement.pk).update(title="Renamed while away")
    connection.close()
    assert b"Renamed while away" in client.get("/agreements/").content


def test_the_local_cache_holds_a_bounded_number_of_bytes():
    from core.localcache import BoundedLocMemCache

    local = BoundedLocMemCache(
        "bounded-test", {"OPTIONS": {"MAX_ENTRIES": 1000, "MAX_BYTES": 300_000}}
    )
    local.clear()
    for n in range(10):
        local.set(f"page-{n}", b"x" * 100_000)
        local.get("page-0")  # kept in use
    held = [n for n in range(10) if local.get(f"page-{n}") is not None]
    assert held == [0, 9]  # the most recent and the one in use; the rest went first
    local.set("small", b"y")
    assert local.get("small") == b"y"


def test_the_local_cache_counts_its_bytes_however_an_entry_goes():
    """The bound reads a running count: each way Django's backend adds, replaces or
    removes an entry (set, add, incr, delete, expiry, culling, clear) keeps it equal to
    the sum of what is held."""
    from core.localcache import BoundedLocMemCache

    local = BoundedLocMemCache("counted-test", {"OPTIONS": {"MAX_ENTRIES": 4}})
    local.clear()

    def agrees():
        store = local._cache
        return store.bytes == sum(len(value) for value in store.values())

    local.set("a", b"x" * 500)
    local.set("a", b"x" * 50)  # replaced
    local.add("b", "text")
    local.set("n", 1)
    local.incr("n", 41)
    assert agrees() and local.get("n") == 42
    local.delete("b")
    local.set("gone", b"z" * 100, timeout=-1)  # expired: removed when read
    assert local.get("gone") is None and agrees()
    for n in range(6):  # past MAX_ENTRIES: Django culls a share of them
        local.set(f"more-{n}", b"m" * 10)
    assert len(local._cache) <= 4 and agrees()
    local.clear()
    assert local._cache.bytes == 0


def test_a_page_is_the_same_whatever_plan_postgresql_picks(client, settings, graph):
    """Records alike in every sort key come in one order, so a page does not change (and
    its ETag with it, or a comparison with the cached copy) when PostgreSQL's statistics
    lead it to another join or scan. Turning a plan type off makes it pick another."""
    settings.PAGE_CACHE = False
    usual = crawl(client)
    for plan in ["enable_nestloop", "enable_indexscan"]:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {plan} = off")
        other = fresh(client, settings, usual)
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {plan}")
        changed = [path for path in usual if usual[path] != other[path]]
        assert not changed, f"{changed} change with {plan} off\n" + first_difference(
            other[changed[0]], usual[changed[0]]
        )
