"""Timing pages in process: Django's test client under the settings in force (production
for `make bench`), each request made unique by a parameter the pages ignore, so that no
page cache answers it."""

import itertools
import math
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

_unique = itertools.count(1)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of a non-empty list."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def uncached(path: str, nonce: str) -> str:
    """`path` with `_=<nonce>-<n>` added: a new cache key that the page itself ignores."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}_={nonce}-{next(_unique)}"


@dataclass(frozen=True)
class Timing:
    path: str
    requests: int
    p50: float  # ms
    p95: float  # ms
    queries: int  # of one request after a warm-up (of the warm-up when it is the only one)


class PageError(Exception):
    """A page did not answer 200."""


def _fetch(client: Client, path: str) -> tuple[int, int]:
    """Status and body size, reading a streamed answer to its end; a page that fails
    (an exception, a query over the statement timeout, an answer other than 200) is a
    PageError naming it."""
    try:
        response = client.get(path, HTTP_ACCEPT="text/html,application/json;q=0.9,*/*;q=0.8")
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
    except Exception as error:  # a server error for a visitor: named, and the bench goes on
        first_line = (str(error).strip().splitlines() or [""])[0]
        raise PageError(f"{path} failed: {type(error).__name__}: {first_line}") from None
    if response.status_code != 200:
        raise PageError(f"{path} answered {response.status_code}")
    return response.status_code, size


def _counted(client: Client, path: str, nonce: str) -> tuple[int, float]:
    """Queries and milliseconds of one uncached request."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        _fetch(client, uncached(path, nonce))
        elapsed = (time.perf_counter() - start) * 1000
    # Read now: the next request's request_started signal empties the query log.
    return len(queries), elapsed


def time_page(
    client: Client, path: str, *, nonce: str, requests: int, budget_seconds: float
) -> Timing:
    """p50/p95 over up to `requests` uncached requests (fewer when `budget_seconds` runs
    out), and the query count of one request.

    The first request warms connections and template caches; when it alone takes longer
    than the budget, it is the only figure (a page that slow needs no more samples).
    """
    warm_queries, warm_ms = _counted(client, path, nonce)
    if warm_ms > budget_seconds * 1000:
        return Timing(path, 1, warm_ms, warm_ms, warm_queries)
    queries, _ = _counted(client, path, nonce)
    times: list[float] = []
    deadline = time.monotonic() + budget_seconds
    while len(times) < requests and (not times or time.monotonic() < deadline):
        start = time.perf_counter()
        _fetch(client, uncached(path, nonce))
        times.append((time.perf_counter() - start) * 1000)
    return Timing(path, len(times), percentile(times, 50), percentile(times, 95), queries)


def query_count(client: Client, path: str, *, nonce: str) -> int:
    """Queries of one uncached request, after a warm-up request."""
    _fetch(client, uncached(path, nonce))
    return _counted(client, path, nonce)[0]
