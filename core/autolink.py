"""Records named in a record's text, linked: "resolution 70/237", "the Budapest
Convention", "ENISA" lead to their pages.

Which names link a record is the model's ``linkable_names`` (its title, short title,
symbol or acronym). Only public records are linked, so a page never points at a draft;
a name shared by two records links neither; each record is linked once, where it is
first named, never from its own page, and never inside a link, a heading or code.

The names are read once per content version (one query per record type that has
them) and kept in the process: a page costs one query for the version.
"""

import re
from html import escape

from django.db import DatabaseError

from core import pagecache
from core.models import url_of
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


class Names:
    """The names that link records, matched longest first."""

    def __init__(self, names: dict[str, str]):
        self.urls = {name.casefold(): url for name, url in names.items()}
        ordered = sorted(names, key=len, reverse=True)
        alternatives = [
            f"(?i:{re.escape(n)})" if len(n) >= ANY_CASE_LENGTH else re.escape(n) for n in ordered
        ]
        self.pattern = (
            re.compile(r"(?<![\w/.-])(" + "|".join(alternatives) + r")(?![\w/-])")
            if ordered
            else None
        )

    def link(self, html: str, own_url: str = "") -> str:
        """``html`` (sanitized) with the first mention of each other record linked."""
        if self.pattern is None or not html:
            return html
        linked = {own_url}
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

            def replace(match: re.Match) -> str:
                url = self.urls[match.group(1).casefold()]
                if url in linked:
                    return match.group(0)
                linked.add(url)
                return f'<a href="{url}" class="named">{match.group(1)}</a>'

            parts[i] = self.pattern.sub(replace, part)
        return "".join(parts)


def linkable(name: str) -> bool:
    name = name.strip()
    return len(name) >= MIN_LENGTH or bool(ACRONYM.match(name))


def read_names() -> Names:
    """Every public record's linking names; a name two records share is dropped."""
    found: dict[str, tuple[str, set[str]]] = {}  # casefolded: as first written, its URLs
    for record_type in registry:
        fields = getattr(record_type.model, "linkable_names", ())
        if not fields:
            continue
        records = record_type.model.objects.published().only("slug", *fields).order_by("pk")
        for record in records:
            url = url_of(record)
            for field in fields:
                for name in variants((getattr(record, field) or "").strip()):
                    if linkable(name):
                        name = escape(name, quote=False)
                        found.setdefault(name.casefold(), (name, set()))[1].add(url)
    return Names({name: urls.pop() for name, urls in found.values() if len(urls) == 1})


def variants(name: str) -> list[str]:
    """A name, and how texts also write it: General Assembly resolution A/RES/70/237 is
    "resolution 70/237"."""
    if name.startswith("A/RES/"):
        return [name, f"resolution {name.removeprefix('A/RES/')}"]
    return [name] if name else []


_names: dict[tuple, Names] = {}


def names() -> Names:
    """The names of the content as it is now (read again after any change)."""
    try:
        version = pagecache.current_version()
    except DatabaseError:
        version = None
    key = (version[0], version[1]) if version else None
    if key is None or key not in _names:
        built = read_names()
        if key is None:
            return built
        _names.clear()  # one version at a time
        _names[key] = built
    return _names[key]
