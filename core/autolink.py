"""Records named in a record's text, linked: "resolution 70/237", "the Budapest
Convention", "ENISA" lead to their pages.

Which names link a record is the model's ``linkable_names`` (its title, short title,
symbol or acronym). Only public records are linked, so a page never points at a draft;
a name shared by two records links neither; each record is linked once, where it is
first named, never from its own page, and never inside a link, a heading or code.

The names are read once per content version (one query per record type that has
them) and kept in the process until the version changes.
"""

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from html import escape

from django.conf import settings
from django.db import DatabaseError
from django.utils import translation

from core import pagecache
from core.models import Entry, cached_reverse, url_of, url_template
from core.registry import registry

# Elements whose text is never linked: a link cannot hold a link, and a heading or code
# names things on purpose.
SKIPPED = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
# A name shorter than this links only when it is an acronym ("ENISA", "GFCE", "OAS").
MIN_LENGTH = 6
ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{2,}$")


# A name this long matches whatever its case ("G20 Antalya communiqué"); a shorter one
# only as written, so that "ENISA" never matches an ordinary word.
ANY_CASE_LENGTH = 12


# The bytes of the filter that rules out most slices before a search (a power of two).
FILTER_BYTES = 1 << 18

WORD = re.compile(r"\w+")
# After a name: not a word character, a slash or a hyphen ("ENISA" is not in "ENISA-2").
NAME_END = re.compile(r"[^\w/-]")
# Before a name: not a word character, a slash, a dot or a hyphen.
NOT_BEFORE = re.compile(r"[\w/.-]")


class Names:
    """The names that link records, found longest first.

    Each text position where a word starts is looked up by that word: only names that
    begin with it are tried, as slices of the text ending where a name may end, longest
    first. The work grows with the text, not with the number of names (a single pattern
    of every name took seconds per page at 100,000 records).

    Kept compact, since every worker holds it: each name as its hash in a sorted array
    beside the number of its record, and the records' URLs in one buffer. At 100,000
    records that is a tenth of the memory of dictionaries of names and URLs.
    """

    def __init__(self, records: Iterable[tuple[str, Iterable[str]]]):
        """``records``: (URL, names) of each record. A name given for two records (in
        any case) links neither.

        Built in arrays, not in a dictionary of names: what the build allocates stays
        in the worker's memory after it (Python keeps the freed blocks for reuse), so
        its peak is the index's real cost. At 100,000 records a worker grew by 47 MB with a
        dictionary, by 17 MB with arrays. Sorted a bucket at a time (``_order``), with the
        URLs kept in the buffer they are written to, the build's peak is 21 MB above the
        worker's memory before it, against 29 MB (in process, 2026-12-02).
        """
        # The URLs as UTF-8 in one buffer, kept as it is: a string made of it, or read
        # from a StringIO, is a copy, twice the memory for a moment.
        self.urls = bytearray()
        self.starts = array("l", [0])  # where each record's URL starts in ``urls``
        # Per name given: its casefolded hash, its key's hash, the number of its record.
        folded, keys, owners = array("q"), array("q"), array("l")
        # A name's first word -> the lengths of the names it begins, as the bits of an int.
        self.lengths: dict[str, int] = {}
        for url, names in records:
            owner = None
            for name in names:
                first = WORD.match(name)
                if first is None:
                    continue  # a name starting with punctuation is never linked
                if owner is None:
                    owner = len(self.starts) - 1
                    self.urls += url.encode()
                    self.starts.append(len(self.urls))
                folded.append(hash(name.casefold()))
                keys.append(hash(_key(name)))
                owners.append(owner)
                word = first.group().casefold()
                self.lengths[word] = self.lengths.get(word, 0) | 1 << len(name)
        # The names in casefolded order, each as first given (the sort is stable): a
        # name given for records of two URLs is dropped, given twice for one it is kept.
        order = _order(folded)
        kept_keys, kept_owners = array("q"), array("l")
        at = 0
        while at < len(order):
            first = order[at]
            url = self._record_url(owners[first])
            shared, at = False, at + 1
            while at < len(order) and folded[order[at]] == folded[first]:
                shared = shared or self._record_url(owners[order[at]]) != url
                at += 1
            if not shared:
                kept_keys.append(keys[first])
                kept_owners.append(owners[first])
        del order, folded, keys, owners
        order = _order(kept_keys)
        self.keys = array("q", (kept_keys[i] for i in order))
        self.records = array("l", (kept_owners[i] for i in order))
        del order, kept_keys, kept_owners
        # One bit per key's hash, looked at first: most slices tried name nothing.
        self.bits = bytearray(FILTER_BYTES)
        for key in self.keys:
            self.bits[(key >> 3) & (FILTER_BYTES - 1)] |= 1 << (key & 7)

    def _record_url(self, record: int) -> str:
        return self.urls[self.starts[record] : self.starts[record + 1]].decode()

    def _url(self, key: int) -> str | None:
        """The URL of the record whose name has the hash ``key``, or None."""
        at = bisect_left(self.keys, key)
        if at == len(self.keys) or self.keys[at] != key:
            return None
        return self._record_url(self.records[at])

    def _named(self, text: str, start: int, ends: list[int]) -> tuple[int, str] | None:
        """The longest name at ``start``: (its end, its URL), or None."""
        lengths = self.lengths.get(WORD.match(text, start).group().casefold())
        if lengths is None:
            return None
        reach = lengths.bit_length() - 1
        bits, mask, folded_from, hashed = self.bits, FILTER_BYTES - 1, ANY_CASE_LENGTH, hash
        for end in reversed(ends[bisect_right(ends, start) : bisect_right(ends, start + reach)]):
            if not lengths >> (end - start) & 1:
                continue  # no name this long begins with this word
            found = text[start:end]  # looked up as _key() says, written out: the hot path
            key = hashed(found if end - start < folded_from else found.casefold())
            if bits[(key >> 3) & mask] >> (key & 7) & 1 and (url := self._url(key)):
                return end, url
        return None

    def _link_text(self, text: str, linked: set[str], home: tuple[str, str]) -> str:
        ends = [m.start() for m in NAME_END.finditer(text)] + [len(text)]
        hits, done = [], 0
        for word in WORD.finditer(text):
            start = word.start()
            if start < done or (start and NOT_BEFORE.match(text, start - 1)):
                continue
            hit = self._named(text, start, ends)
            if hit is None:
                continue
            end, url = hit
            done = end  # a name already linked stays text, and is not searched inside
            if url not in linked:
                linked.add(url)
                hits.append((start, end, url))
        if not hits:
            return text
        pieces, last = [], 0
        for start, end, url in hits:
            href = home[1] + url.removeprefix(home[0])
            link = f'<a href="{href}" class="named">{text[start:end]}</a>'
            pieces += [text[last:start], link]
            last = end
        return "".join(pieces) + text[last:]

    def link(self, html: str, own_url: str = "", home: tuple[str, str] = ("/", "/")) -> str:
        """``html`` (sanitized) with the first mention of each other record linked. The
        names' URLs are the default language's: ``home``, the home page's path in it and
        in the page's language ("/", "/fr/"), turns them into the page's."""
        if not self.lengths or not html:
            return html
        linked = {home[0] + own_url.removeprefix(home[1])}
        depth = 0
        parts = TAG.split(html)
        for i, part in enumerate(parts):
            if i % 2:  # a tag
                found = TAG_NAME.match(part)
                if found and found.group(2).lower() in SKIPPED and not part.endswith("/>"):
                    depth += -1 if found.group(1) else 1
                continue
            if depth > 0 or not part.strip():
                continue
            parts[i] = self._link_text(part, linked, home)
        return "".join(parts)


def _order(values: array) -> array:
    """The positions of ``values`` (64-bit hashes) in ascending order of their values,
    equal values in the order given: sorted bucket by bucket (256 buckets by the top
    byte), so that the integers a sort makes exist for one bucket at a time: sorting
    every position at once made two lists of 130,000 integers at 100,000 records, some
    10 MB at the top of the build's memory."""
    starts = [0] * 257
    for value in values:
        starts[(value >> 56) + 129] += 1
    for bucket in range(256):
        starts[bucket + 1] += starts[bucket]
    order = array("l", [0]) * len(values)
    free = starts[:256]
    for at, value in enumerate(values):
        bucket = (value >> 56) + 128
        order[free[bucket]] = at
        free[bucket] += 1
    for bucket in range(256):
        start, end = starts[bucket], starts[bucket + 1]
        if end - start > 1:
            order[start:end] = array("l", sorted(order[start:end], key=values.__getitem__))
    return order


def _key(name: str) -> str:
    """What a name is looked up by: a short name as written, so that "ENISA" never
    matches an ordinary word; a long one casefolded, matching in any case."""
    return name if len(name) < ANY_CASE_LENGTH else name.casefold()


def linkable(name: str) -> bool:
    name = name.strip()
    return len(name) >= MIN_LENGTH or bool(ACRONYM.match(name))


def read_names() -> Names:
    """Every public record's linking names; a name two records share is dropped."""

    def named():
        for record_type in registry:
            model = record_type.model
            fields = getattr(model, "linkable_names", ())
            if not fields:
                continue
            for url, *values in _named_records(model, fields):
                yield (
                    url,
                    [
                        escape(name, quote=False)
                        for value in values
                        for name in variants((value or "").strip())
                        if linkable(name)
                    ],
                )

    return Names(named())


def _named_records(model, fields):
    """(URL, *names) of each public record of ``model``, as plain rows: at 100,000
    records, model instances and a URL reversed for each cost seconds."""
    published = model.objects.published().order_by("pk")
    if model.url_args is not Entry.url_args:  # named by more than its slug (a norm)
        for record in published.only("slug", *fields).iterator(chunk_size=2000):
            yield url_of(record), *(getattr(record, field) for field in fields)
        return
    template = url_template(model.url_name, 1)  # a slug is plain: it always fits
    for slug, *names in published.values_list("slug", *fields).iterator(chunk_size=2000):
        yield template.format(slug), *names


def variants(name: str) -> list[str]:
    """A name, and how texts also write it: General Assembly resolution A/RES/70/237 is
    "resolution 70/237"."""
    if name.startswith("A/RES/"):
        return [name, f"resolution {name.removeprefix('A/RES/')}"]
    return [name] if name else []


_names: dict[tuple, Names] = {}


def names() -> Names:
    """The names of the content as it is now (read again after any change), with the
    default language's URLs: one index for every language."""
    try:
        version = pagecache.current_version()
    except DatabaseError:
        version = None
    if version is None or version not in _names:
        _names.clear()  # one version at a time: the old one gone before the new is built
        with translation.override(settings.LANGUAGE_CODE):
            built = read_names()
        if version is None:
            return built
        _names[version] = built
    return _names[version]


def link(html: str, own_url: str) -> str:
    """``html`` with the records it names linked, to their pages in the page's language
    (the default's paths under the language's prefix, as ``i18n_patterns`` makes them)."""
    with translation.override(settings.LANGUAGE_CODE):
        default_home = cached_reverse("home", [])
    return names().link(html, own_url, (default_home, cached_reverse("home", [])))
