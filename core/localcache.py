"""Django's local-memory cache, bounded by the bytes it holds as well as by its entries.

Whole pages live in it (core/pagecache.py), and they range from a few kilobytes to a
few hundred (an API page): a bound on entries alone lets a worker grow by the size of
its largest answers times the number of entries. ``OPTIONS["MAX_BYTES"]`` caps the
pickled values; the least recently used go first, as with Django's own entry bound.
"""

from collections import OrderedDict

from django.core.cache.backends import locmem
from django.core.cache.backends.base import DEFAULT_TIMEOUT

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


class _Sized(OrderedDict):
    """Django's store for a local cache, counting the bytes of its values as they come
    and go (every way Django's backend adds or removes one), so that a write does not
    sum the whole cache again."""

    def __init__(self):
        super().__init__()
        self.bytes = 0

    def __setitem__(self, key, value):
        old = super().get(key)
        super().__setitem__(key, value)
        self.bytes += len(value) - (0 if old is None else len(old))

    def __delitem__(self, key):
        value = super().__getitem__(key)
        super().__delitem__(key)
        self.bytes -= len(value)

    def popitem(self, last=True):
        key, value = super().popitem(last)
        self.bytes -= len(value)
        return key, value

    def clear(self):
        super().clear()
        self.bytes = 0


class BoundedLocMemCache(locmem.LocMemCache):
    def __init__(self, name, params):
        # Django's backend takes the store of this name, or makes an OrderedDict: a sized
        # one is put there first.
        store = locmem._caches.get(name)
        if not isinstance(store, _Sized):
            locmem._caches[name] = sized = _Sized()
            sized.update(store or {})
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        # Called with the lock held, on a write only: a read costs nothing more.
        super()._set(key, value, timeout)
        store = self._cache
        while store.bytes > self._max_bytes and len(store) > 1:
            oldest, _pickled = store.popitem()  # the least recently used
            self._expire_info.pop(oldest, None)
