"""Django's local-memory cache, bounded by the bytes it holds as well as by its entries.

Whole pages live in it (core/pagecache.py), and they range from a few kilobytes to a
few hundred (an API page): a bound on entries alone lets a worker grow by the size of
its largest answers times the number of entries. ``OPTIONS["MAX_BYTES"]`` caps the
pickled values; the least recently used go first, as with Django's own entry bound.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


class BoundedLocMemCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        # Called with the lock held, on a write only: a read costs nothing more.
        super()._set(key, value, timeout)
        size = sum(map(len, self._cache.values()))
        while size > self._max_bytes and len(self._cache) > 1:
            oldest, pickled = self._cache.popitem()  # the least recently used
            self._expire_info.pop(oldest, None)
            size -= len(pickled)
