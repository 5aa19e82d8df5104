"""Whole public pages from the shared cache, valid until the content changes.

A visitor without a session gets every page, export, feed, sitemap and API
answer from the cache once one visitor has asked for it. The cache key holds
the site-wide content version (``core.models.ContentVersion``): PostgreSQL
triggers on every table of public content bump it in the transaction that
changes the content, so a request after the commit finds a new version and
renders afresh, on every app server. Nothing has to know which pages show
which record.

A worker learns the version without a query on each request: its connection
listens for the notification every change to the version sends (``Watch``), so
a cached page costs no database round trip. The worker that commits a change
sees it on its next request; the others as soon as PostgreSQL has delivered the
notification, which it does as the commit completes (under load, a request
that arrives in the same millisecond may still get the page before). With
``CONN_MAX_AGE=0`` (a new connection per request, as behind PgBouncer in
transaction mode, which passes no notifications on) the version is read on
every request instead.

The key also holds the code's release (templates and code change what a page
shows), the UTC date (citations say when a page was read), the scheme, host,
path, query string and ``Accept`` (the API negotiates on it).

Never cached: anything but GET, requests that carry a session cookie or an
``Authorization`` header (staff, previews, the admin), the paths in
``PAGE_CACHE_SKIP``, answers other than 200, answers that set a cookie or use
the CSRF token, that say ``private`` or ``no-store``, or vary on more than
``Accept`` and ``Cookie``. Stored answers carry an ``ETag`` and a
``Last-Modified`` and answer conditional requests with 304.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from asgiref.local import Local
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from core.registry import registry

# Apps whose tables hold what the public sees, beside the record apps of the registry.
REFERENCE_APPS = ("reference", "taggit")
# The headers a stored answer may vary on: the key holds Accept, and a request with a
# session cookie never reads the cache.
KEYED_VARY = {"accept", "cookie"}
# Headers that belong to one connection, or that the replay sets itself.
NOT_REPLAYED = {"content-length", "connection", "set-cookie", "date"}
FRESHNESS = "public, max-age=0, must-revalidate"
LIST_DELIMITER = re.compile(r"\s*,\s*")


def content_tables() -> list[str]:
    """Every table of public content: the record apps', the reference data's, the tags'."""
    labels = [*REFERENCE_APPS, *registry.app_labels()]
    return sorted(
        {
            model._meta.db_table
            for label in labels
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.managed
        }
    )


def install_triggers(using: str = "default", **kwargs) -> None:
    """Bump the content version on every write to a content table (``post_migrate``)."""
    if connections[using].vendor != "postgresql":
        return
    events = dict.fromkeys(content_tables(), "INSERT OR UPDATE OR DELETE OR TRUNCATE")
    # Change logs name the editor: a new name shows; a login (last_login) changes nothing.
    events[get_user_model()._meta.db_table] = "UPDATE OF first_name, last_name OR DELETE"
    with connections[using].cursor() as cursor:
        for table, event in events.items():
            cursor.execute(
                f'CREATE OR REPLACE TRIGGER core_content_version AFTER {event} ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION core_bump_content_version()"
            )


VERSION_SQL = "SELECT number, changed_at FROM core_contentversion WHERE id = 1"
# What every change to the version's row notifies (core/migrations/0002).
CHANNEL = "cyberdiplo_content"


# Within a GET or HEAD (which write nothing), the version is read once: the page cache,
# the link graph and the names that link records all ask for it.
_reading = Local()


def _request_started(environ=None, scope=None, **kwargs) -> None:
    method = (environ or {}).get("REQUEST_METHOD") or (scope or {}).get("method")
    _reading.version = None
    _reading.active = method in ("GET", "HEAD")


def _request_finished(**kwargs) -> None:
    _reading.active, _reading.version = False, None


request_started.connect(_request_started)
request_finished.connect(_request_finished)


def current_version() -> tuple[int, datetime] | None:
    """The content version's number and time, or None when the row is not there."""
    reading = getattr(_reading, "active", False)
    if reading and _reading.version is not None:
        return _reading.version
    version = _watched_version()
    if version is None:
        version = _read_version()
    if reading:
        _reading.version = version
    return version


@dataclass
class Watch:
    """A connection that listens on ``CHANNEL``, and the version it last read."""

    raw: object  # the psycopg connection
    version: tuple[int, datetime] | None = None
    stale: bool = True

    def notified(self, notification=None) -> None:
        self.stale = True


def _watched_version() -> tuple[int, datetime] | None:
    """The version, known without a query: none has changed since this connection read it.

    Outside a transaction, the connection that reads the version listens on
    ``CHANNEL`` first, and every change to the version's row notifies it
    (core/migrations/0002). PostgreSQL sends a notification to every listening
    session as the change commits; psycopg hands over those that came with a query's
    answer, and those waiting on the socket are read here without a round trip. So a
    cached page costs no query, and a change shows as soon as its notification is
    here. Inside a transaction (a test's) notifications wait for its end, and a new
    connection per request never gets any: the version is read each time. None: not
    known this way, read it.
    """
    watch: Watch | None = getattr(connection, "content_watch", None)
    raw = connection.connection
    if watch is None or raw is None or watch.raw is not raw or not _watching():
        return None
    try:
        raw.pgconn.consume_input()
        while raw.pgconn.notifies() is not None:
            watch.stale = True
    except connection.Database.Error:  # the connection is gone: a new one reads it
        connection.close()
        return None
    return None if watch.stale else watch.version


def _watching() -> bool:
    """Whether this connection may learn the version by listening: outside a transaction
    (where notifications wait for its end), and kept between requests."""
    return not connection.in_atomic_block and connection.settings_dict["CONN_MAX_AGE"] != 0


def _read_version() -> tuple[int, datetime] | None:
    """The version read from the database; outside a transaction, on a connection that
    listens from then on (it starts to before reading, so that no change is missed)."""
    watching = _watching()
    row = _version_as_health_check(watching)
    if row is None:
        with connection.cursor() as cursor:
            row = _read(cursor, watching)
    version = (row[0], row[1]) if row else None
    if watching:
        connection.content_watch.version = version
    return version


def _read(cursor, watching: bool) -> tuple:
    """The version's row (empty when it is not there), listening first if ``watching``."""
    if watching:
        _listen(cursor)
    cursor.execute(VERSION_SQL)
    return cursor.fetchone() or ()


def _listen(cursor) -> None:
    """Make sure this connection listens, and take the version it reads next as fresh."""
    raw = connection.connection
    watch: Watch | None = getattr(connection, "content_watch", None)
    if watch is None or watch.raw is not raw:
        cursor.execute(f"LISTEN {CHANNEL}")
        watch = connection.content_watch = Watch(raw)
        raw.add_notify_handler(watch.notified)
    watch.stale = False  # before the read: a change after it notifies again


def _version_as_health_check(watching: bool) -> tuple | None:
    """On a kept connection not yet checked in this request, the version query is the check.

    With ``CONN_HEALTH_CHECKS`` Django checks a reused connection with a query of its
    own before the first one of a request: a cached page would cost two round trips
    instead of one. This query, sent as Django's check sends its own, proves the
    connection just as well; when it fails, the connection is closed as Django's check
    would close it and a new one answers. None: no such connection, do the usual.
    """
    if (
        connection.connection is None
        or not connection.health_check_enabled
        or connection.health_check_done
        or connection.in_atomic_block
    ):
        return None
    try:
        with connection.connection.cursor() as cursor:
            row = _read(cursor, watching)
    except connection.Database.Error:  # what Django's is_usable() takes for unusable
        connection.close()
        return None
    connection.health_check_done = True
    return row


@cache
def release() -> str:
    """What the code and templates are: ``CYBERDIPLO_RELEASE``, or a digest of the files.

    Every app server running the same code finds the same digest, so they share
    a cache; a deploy that changes a template starts from an empty one.
    """
    if settings.PAGE_CACHE_RELEASE:
        return settings.PAGE_CACHE_RELEASE
    digest = hashlib.sha256()
    roots = [Path(app.path) for app in apps.get_app_configs()]
    roots += [Path(d) for d in settings.STATICFILES_DIRS]
    roots += [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    for root in sorted(set(roots)):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".txt", ".xml", ".css", ".js", ".svg"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def remembered(name: str, compute: Callable[[], object]):
    """``compute()``, kept in the shared cache under the content version and the release.

    For what many pages show and no request changes (counts over the whole content, a
    record's link graph): a page rendered afresh (a staff visitor, a new query string)
    reads it instead of counting again, and any change to the content computes it anew.
    """
    version = current_version() if settings.PAGE_CACHE else None
    if version is None:
        return compute()
    # Per language too: what is kept may hold links (/fr/... on a French page) or text.
    key = (
        f"remembered:{release()}:{version[0]}.{version[1].timestamp():.6f}:{get_language()}:{name}"
    )
    store = caches[settings.PAGE_CACHE_ALIAS]
    found = store.get(key)
    if found is None:
        found = compute()
        store.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


def chosen(
    name: str,
    first: Callable[[], dict[str, list]],
    by_keys: Callable[[dict[str, list]], dict[str, list]],
) -> dict[str, list]:
    """Rows in groups (a page's sections), those chosen kept under the content version
    by their keys (``remembered``), the rows read by their keys afterwards.

    For a page whose rows are the first few of thousands (a theme's cards, a country's
    parties): choosing them sorts them all, reading them by key does not. ``first()``
    gives {group: rows}, ``by_keys({group: keys})`` each group's rows of those keys in any
    order; a query per group either way, so a page's query count does not depend on the
    cache.
    """
    read: dict[str, list] = {}

    def choose() -> dict[str, list]:
        read.update(first())
        return {group: [row.pk for row in rows] for group, rows in read.items()}

    keys = remembered(name, choose)
    if not read:
        for group, rows in by_keys(keys).items():
            found = {row.pk: row for row in rows}
            read[group] = [found[pk] for pk in keys[group] if pk in found]
    return read


# What this worker holds under one content version (``held``), and that version.
_held: dict[str, object] = {}
_held_version: list = [None]


def held(name: str, compute: Callable[[], object]):
    """``compute()``, kept in this worker's memory until the content changes.

    For the small tables that most pages read (the themes, the countries' names): a
    dictionary lookup instead of a query and its rows decoded again. Only what does not
    depend on the request or its language; what the version does not cover (no version
    row, a database error) is computed each time.
    """
    try:
        version = current_version()
    except DatabaseError:
        version = None
    if version is None:
        return compute()
    if _held_version[0] != version:
        _held.clear()  # the old version's values go before the new are computed
        _held_version[0] = version
    if name not in _held:
        _held[name] = compute()
    return _held[name]


def has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def reads_cache(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and not has_session(request)
        and not request.path.startswith(tuple(settings.PAGE_CACHE_SKIP))
    )


def cache_key(request: HttpRequest, version: tuple[int, datetime]) -> str:
    number, changed_at = version
    where = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
        ]
    )
    stamp = f"{number}.{changed_at.timestamp():.6f}"
    today = datetime.now(UTC).date().isoformat()
    url = hashlib.sha256(where.encode()).hexdigest()
    return f"page:{release()}:{stamp}:{today}:{url}"


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.cookies:
        return False
    # The page holds this visitor's CSRF token.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    control = {
        part.split("=")[0].strip().lower()
        for part in LIST_DELIMITER.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-store", "no-cache"}:
        return False
    vary = {h.strip().lower() for h in LIST_DELIMITER.split(response.get("Vary", "")) if h.strip()}
    return vary <= KEYED_VARY


def etag_of(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


class PageCacheMiddleware:
    """Answer anonymous GETs from the cache; store the answers that may be shared."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not reads_cache(request):
            response = self.get_response(request)
            if has_session(request) and not response.has_header("Cache-Control"):
                # What a signed-in editor sees (drafts, previews) stays in their browser.
                response["Cache-Control"] = "private, no-cache"
            return response
        try:
            version = current_version()
        except DatabaseError:
            return self.get_response(request)  # the views answer the outage (503)
        if version is None:
            return self.get_response(request)
        try:
            key = cache_key(request, version)
        except DisallowedHost:
            return self.get_response(request)  # answered 400 below, with the site's headers
        store = caches[settings.PAGE_CACHE_ALIAS]
        entry = store.get(key)
        if entry is not None:
            return self.replay(request, entry)
        response = self.get_response(request)
        if not storable(request, response):
            return response
        changed_at = version[1]
        patch_vary_headers(response, ["Cookie"])
        response["Cache-Control"] = FRESHNESS
        response["Last-Modified"] = http_date(changed_at.timestamp())
        if response.streaming:
            response.streaming_content = self.tee(response.streaming_content, response, key, store)
            return response
        body = response.content
        if len(body) > settings.PAGE_CACHE_MAX_BYTES:
            return response
        stored = self.entry(response, body)
        store.set(key, stored, settings.PAGE_CACHE_SECONDS)
        response["ETag"] = dict(stored[0])["ETag"]
        return get_conditional_response(
            request, response["ETag"], int(changed_at.timestamp()), response
        )

    @staticmethod
    def entry(response: HttpResponseBase, body: bytes) -> tuple:
        """What is stored: the headers a replay sets, the body's ETag among them, and the body."""
        headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_REPLAYED]
        return ([*headers, ("ETag", etag_of(body))], body)

    def tee(
        self, source: Iterable[bytes], response: StreamingHttpResponse, key: str, store
    ) -> Iterator[bytes]:
        """Stream the answer on, keeping a copy to store if it is whole and small enough."""
        chunks: list[bytes] | None = []
        size = 0
        for chunk in source:
            if chunks is not None:
                size += len(chunk)
                if size > settings.PAGE_CACHE_MAX_BYTES:
                    chunks = None
                else:
                    chunks.append(chunk)
            yield chunk
        if chunks is not None:
            store.set(key, self.entry(response, b"".join(chunks)), settings.PAGE_CACHE_SECONDS)

    @staticmethod
    def replay(request: HttpRequest, entry: tuple) -> HttpResponse:
        headers, body = entry
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(request, response.get("ETag"), last_modified, response)
