"""A list's facets counted in memory, from one bit set per value.

In SQL a filtered list's facets cost more as the data grows, whatever the indexes: each
facet finds the filtered records again under the other filters, then joins them to their
parties or norms (the agreements list under three filters at 100,000 records: 8 queries,
300 ms). Here a list's records are numbered in its default order, 0 to n - 1, and for
each value of a facet the index keeps the numbers of the records that have it:

- a short facet (a theme, a legal form, a state, a year): the value's records as one
  Python int used as a bit set. A filter is an OR or an AND of such ints, and a count
  ``(records & chosen).bit_count()``: microseconds per value.
- a long facet (norms, bodies: thousands of values at scale): each value's records in
  one array and each record's values in another, counted by walking the records chosen.

The index is built from SQL once per content version in each worker, kept until the
content changes, and counts what the SQL counters count (tests/test_facet_index.py
compares the two on the shipped content, filter by filter).
"""

import hashlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from core import pagecache

# The set bits of each byte value, low first.
_BITS = [tuple(k for k in range(8) if byte >> k & 1) for byte in range(256)]


def bitmap(positions: Iterable[int], size: int) -> int:
    """The positions as a bit set."""
    bits = bytearray((size + 7) // 8)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


def members(bits: int) -> Iterator[int]:
    """The positions in a bit set, in order."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for i, byte in enumerate(data):
        if byte:
            start = i << 3
            for k in _BITS[byte]:
                yield start + k


@dataclass(frozen=True)
class Short:
    """A facet of a few hundred values at most. ``pairs(records)`` is a queryset of
    (value, record pk) rows for the records listed."""

    pairs: Callable[[QuerySet], QuerySet]


@dataclass(frozen=True)
class Long:
    """A facet whose values grow with the data (norms, bodies), its ``pairs`` as
    ``Short``'s; values are compared as they come from the database (ids or text)."""

    pairs: Callable[[QuerySet], QuerySet]


class LongValues:
    """A long facet: ``keys`` sorted; value ``keys[c]``'s records are
    ``records[starts[c]:starts[c + 1]]`` (``totals[c]`` of them), record p's value codes
    ``codes[offsets[p]:offsets[p + 1]]``."""

    def __init__(self, found: dict, size: int):
        self.size = size
        self.keys = sorted(found)
        self.starts, self.records, self.totals = array("I", [0]), array("I"), array("I")
        per_record = array("I", bytes(4 * (size + 1)))
        for key in self.keys:
            positions = found[key]
            self.records.extend(positions)
            self.starts.append(len(self.records))
            self.totals.append(len(positions))
            for position in positions:
                per_record[position + 1] += 1
        # Each record's codes, filled from the values' lists.
        for p in range(size):
            per_record[p + 1] += per_record[p]
        self.offsets = per_record
        fill = array("I", per_record)
        self.codes = array("I", bytes(4 * len(self.records)))
        for code in range(len(self.keys)):
            for position in self.records[self.starts[code] : self.starts[code + 1]]:
                self.codes[fill[position]] = code
                fill[position] += 1

    def code(self, key) -> int | None:
        at = bisect_left(self.keys, key)
        return at if at < len(self.keys) and self.keys[at] == key else None

    def records_of(self, keys: Iterable, size: int) -> int:
        """The records with any of ``keys``, as a bit set."""
        positions = []
        for key in keys:
            if (code := self.code(key)) is not None:
                positions += self.records[self.starts[code] : self.starts[code + 1]]
        return bitmap(positions, size)

    def count(self, within: int) -> dict:
        """Records of ``within`` per value, values without any left out. Whichever is
        fewer is walked: each value's records (a few thousand pairs), the records of
        ``within``, or those outside it (a walk of a record costs about four pairs')."""
        chosen = within.bit_count()
        if len(self.records) <= 4 * min(chosen, self.size - chosen):
            return self._by_value(within)
        if chosen * 2 <= self.size:
            return {self.keys[code]: n for code, n in self._walk(within).items()}
        outside = self._walk(((1 << self.size) - 1) & ~within)
        return {
            key: n
            for code, (key, total) in enumerate(zip(self.keys, self.totals, strict=True))
            if (n := total - outside.get(code, 0))
        }

    def _by_value(self, within: int) -> dict:
        data = within.to_bytes((self.size + 7) // 8, "little")
        found, records, starts = {}, self.records, self.starts
        for code, key in enumerate(self.keys):
            n = 0
            for p in records[starts[code] : starts[code + 1]]:
                n += data[p >> 3] >> (p & 7) & 1
            if n:
                found[key] = n
        return found

    def _walk(self, records: int) -> Counter:
        offsets, codes = self.offsets, self.codes
        picked = array("I")
        for p in members(records):
            picked.extend(codes[offsets[p] : offsets[p + 1]])
        return Counter(picked)


class FacetIndex:
    """Records numbered in a list's default order; each facet value's records."""

    def __init__(
        self, size: int, number: array, short: dict[str, dict], long: dict[str, LongValues]
    ):
        self.size = size
        self.every = (1 << size) - 1
        self.number = number  # a record's number + 1 by its primary key; 0: not listed
        self.short = short
        self.long = long

    def of_keys(self, keys: Iterable[int]) -> int:
        """The records of these primary keys (of any filter SQL applies), as a bit set."""
        number, end = self.number, len(self.number)
        return bitmap((n - 1 for key in keys if key < end and (n := number[key])), self.size)

    def any_of(self, name: str, values: Iterable) -> int:
        """The records with any of ``values`` of facet ``name``."""
        if name in self.long:
            return self.long[name].records_of(values, self.size)
        found = 0
        for value in values:
            found |= self.short[name].get(value, 0)
        return found

    def all_of(self, name: str, values: Iterable) -> int:
        found = self.every
        for value in values:
            found &= self.short[name].get(value, 0)
        return found

    def where(self, name: str, test: Callable[[object], bool]) -> int:
        """The records with a value of short facet ``name`` that passes ``test``."""
        found = 0
        for value, records in self.short[name].items():
            if test(value):
                found |= records
        return found

    def count(self, name: str, within: int) -> dict:
        """The records of ``within`` per value of facet ``name``, values without any
        left out."""
        if name in self.long:
            return self.long[name].count(within)
        counts = {}
        for value, records in self.short[name].items():
            if n := (records & within).bit_count():
                counts[value] = n
        return counts


def build(records: QuerySet, facets: dict) -> FacetIndex:
    """The index of ``records``, numbered in primary key order, and of ``facets``
    (``{name: Short(...) | Long(...)}``): one query for the records, one per facet.

    A facet's rows come one value at a time, its records' keys in one array: no more
    than one value's records are Python objects at once (a state party to most of
    60,000 agreements: 2 MB).
    """
    keys = array("q", records.order_by("pk").values_list("pk", flat=True))
    size = len(keys)
    # Each record's number by its key, in one array (4 bytes a key up to the largest).
    number = array("I", bytes(4 * (keys[-1] + 1 if keys else 1)))
    for n, key in enumerate(keys, start=1):
        number[key] = n  # 0: not one of the records
    del keys
    short, long = {}, {}
    with connection.cursor() as cursor:
        for name, facet in facets.items():
            sql, params = facet.pairs(records).order_by().query.sql_with_params()
            # A long facet's positions are counted, so each record once per value; a
            # bit set takes a record twice as once, and PostgreSQL then aggregates without
            # sorting every pair (the agreements' parties at 100,000 records: 680,000
            # pairs, 706 -> 258 ms).
            records_of = "DISTINCT pairs.record" if isinstance(facet, Long) else "pairs.record"
            cursor.execute(
                f"SELECT pairs.value, array_agg({records_of}) "
                f"FROM ({sql}) AS pairs(value, record) "
                "WHERE pairs.value IS NOT NULL GROUP BY 1",
                params,
            )
            found, end = {}, len(number)
            for value, record_keys in cursor:
                positions = [n - 1 for key in record_keys if key < end and (n := number[key])]
                if isinstance(facet, Long):
                    found[value] = array("I", positions)
                elif positions:
                    found[value] = bitmap(positions, size)
            if isinstance(facet, Long):
                long[name] = LongValues(found, size)
            else:
                short[name] = found
    return FacetIndex(size, number, short, long)


def records_key(records: QuerySet) -> str:
    """Which records ``records`` holds, as a short digest of the query that selects them
    (their keys alone: compiling that costs less than the whole rows' query)."""
    selecting = records.order_by().values("pk").query
    return hashlib.sha256(str(selecting).encode()).hexdigest()[:16]


def index(records: QuerySet, facets: dict) -> FacetIndex:
    """The index of ``records`` as the content is now: built once per content version
    (in each worker, ``pagecache.held``) and list (its query)."""
    return pagecache.held(f"facet-index:{records_key(records)}", lambda: build(records, facets))
