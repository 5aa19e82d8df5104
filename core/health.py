"""Probes for a process supervisor or a load balancer.

``/healthz`` says the process answers (liveness: no database, so a database outage
does not get every app server restarted); ``/readyz`` says it can serve pages
(readiness: the database, and the shared cache when one is configured, answer).
Both reveal nothing but ``ok`` or the names of the failing checks.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Per-process caches answer by construction: only a shared cache is worth probing.
LOCAL_CACHE_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "core.localcache.BoundedLocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def check_database() -> bool:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("readiness: the database does not answer", exc_info=True)
        # Drop the broken connection so that the next request opens a new one.
        connection.close_if_unusable_or_obsolete()
        return False
    return True


def check_cache() -> bool:
    try:
        cache = caches["default"]
        cache.set("readyz", "ok", 10)
        return cache.get("readyz") == "ok"
    except Exception:  # a client library's own errors (redis.ConnectionError, ...)
        logger.warning("readiness: the cache does not answer", exc_info=True)
        return False


def readiness_checks() -> dict:
    checks = {"database": check_database}
    if settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHE_BACKENDS:
        checks["cache"] = check_cache
    return checks


def _answer(results: dict[str, bool]) -> JsonResponse:
    failing = [name for name, ok in results.items() if not ok]
    body = {"status": "failing" if failing else "ok", "checks": {}}
    body["checks"] = {name: "ok" if ok else "failing" for name, ok in results.items()}
    return JsonResponse(body, status=503 if failing else 200)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    return _answer({name: check() for name, check in readiness_checks().items()})
