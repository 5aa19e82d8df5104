"""Which cache the project uses.

``CACHE_URL`` names a Redis server (``redis://``, ``rediss://`` for TLS, or
``unix://`` for a socket), shared by every app server behind the proxy.
Without it, each process keeps its own local-memory cache: right for one
process, wrong for several, since what one caches the others never see.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = ("redis", "rediss", "unix")


def cache_settings(url: str) -> dict:
    """The ``CACHES["default"]`` entry for ``url``; a clear error for a URL Redis cannot use."""
    url = url.strip()
    if not url:
        return {
            # Django's local-memory cache with a bound on bytes too: whole pages live here
            # (core/pagecache.py), some of them large, and a worker must stay small.
            "BACKEND": "core.localcache.BoundedLocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000, "MAX_BYTES": 8 * 1024 * 1024},
        }
    parts = urlsplit(url)
    if parts.scheme not in REDIS_SCHEMES:
        raise ImproperlyConfigured(
            f"CACHE_URL must start with redis://, rediss:// or unix://, got {url.split(':')[0]!r}"
        )
    if parts.scheme == "unix":
        if not parts.path:
            raise ImproperlyConfigured(
                "CACHE_URL unix:// needs a socket path, e.g. unix:///run/redis.sock"
            )
    else:
        if not parts.hostname:
            raise ImproperlyConfigured("CACHE_URL needs a host, e.g. redis://127.0.0.1:6379/0")
        try:
            parts.port  # noqa: B018 -- urlsplit checks the port only when asked
        except ValueError:
            raise ImproperlyConfigured("CACHE_URL has a port that is not a number") from None
        database = parts.path.strip("/")
        if database and not database.isdigit():
            raise ImproperlyConfigured(
                f"CACHE_URL's path is the Redis database number, got {database!r}"
            )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        # Several sites may share one Redis; keys of this one start with its name.
        "KEY_PREFIX": "cyberdiplo",
        # A Redis that stops answering costs a request one second, not a hung worker.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
