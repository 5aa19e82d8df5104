"""Read and check the curated data files under ``data/``, without the database.

The format is described in docs/data-format.md. A record type's own keys come
from its model: the ``public_fields`` of a record type (all its own fields for
sources, themes, countries and parties), checked by field type and by the
field's validators, required where the field may not be blank. Keys the models
do not declare as their own columns (the shared entry keys and the relations)
are declared here.

``read_content`` parses every file, checks every value and every reference, and
raises ``ContentError`` naming the file and the record on the first problem.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models

from agreements.models import Participation
from core.dates import PARTIAL_DATE_RE, PartialDateField, is_before
from core.models import WIKIDATA_ITEM, Status, other_languages
from core.registry import registry
from reference.models import Country, Source, Theme

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HTTP_RE = re.compile(r"^https?://[^\s/]+")


class ContentError(Exception):
    def __init__(self, path: Path | str, record: str, message: str):
        self.path, self.record, self.message = str(path), record, message
        super().__init__(f"{path} [{record}]: {message}" if record else f"{path}: {message}")


# --- The schema of each table ------------------------------------------------


@dataclass(frozen=True)
class Key:
    """What one key of a data-file table may hold."""

    kind: str  # one of EXPECTED, or "choice"
    required: bool = False
    choices: tuple[str, ...] = ()
    column: models.Field | None = None  # the model field it fills, when derived from one


EXPECTED = {
    "str": "a string",
    "text": "a non-empty string",
    "slug": "a slug (lowercase letters, digits and hyphens)",
    "code": "an ISO 3166-1 alpha-2 code such as FR",
    "url": "an http(s) URL",
    "date": 'an ISO date string at the precision known ("2015", "2015-09", "2015-09-25")',
    "asof": "a full ISO date (YYYY-MM-DD)",
    "bool": "true or false",
    "int": "a whole number",
    "list": "a list",
    "unconfirmed": 'a table of field = "reason", e.g. {adopted = "only the month is known"}',
    "wikidata": 'a Wikidata item, Q and its number, e.g. "Q1139413"',
    "translations": "a table per language (fr, es) of the record's text keys, e.g. "
    '[term.translations.fr] with term = "..." and definition = "..."',
}
# Where a table's key for a text is not the model field's name (a glossary term's "term"
# is its title): model field -> key, for translations as for the record's own keys.
TEXT_KEYS = {"term": {"title": "term", "summary": "definition"}}
ACCEPTS = {
    "str": lambda s: True,
    "text": bool,
    "slug": SLUG_RE.match,
    "code": re.compile(r"[A-Z]{2}").fullmatch,
    "url": lambda s: not s or HTTP_RE.match(s),
    "date": lambda s: not s or re.match(PARTIAL_DATE_RE, s),
    "wikidata": re.compile(WIKIDATA_ITEM).match,
}
# Model field classes and the kind of value they take from a data file; the
# most specific class in a field's ancestry wins.
KINDS = {
    PartialDateField: "date",
    models.DateTimeField: None,  # no data file holds a time yet
    models.DateField: "asof",
    models.BooleanField: "bool",
    models.IntegerField: "int",  # PositiveSmallIntegerField and the other integers
    models.URLField: "url",
    models.SlugField: "slug",
    models.CharField: "text",
    models.TextField: "text",
}

ENTRY = {
    "slug": Key("slug", True),
    "title": Key("text", True),
    "summary": Key("text", True),
    "description": Key("str"),
    "wikidata": Key("wikidata"),
    "status": Key("choice", choices=tuple(Status.values)),
    "themes": Key("list"),
    "sources": Key("list", True),
    "unconfirmed": Key("unconfirmed"),
}
# Keys that are not a model's own columns: relations, and the glossary's names.
DECLARED = {
    "framework": {"produced_by": Key("str")},
    "norm": {"restates": Key("list")},
    "body": {
        "established_by": Key("str"),
        "promotes": Key("list"),
        "members": Key("list"),
        "members_as_of": Key("asof"),
    },
    "agreement": {"norms": Key("list"), "related": Key("list")},
    "incident": {
        "target_sectors": Key("list"),
        "target_countries": Key("list"),
        "norms": Key("list"),
    },
    "response": {
        "incidents": Key("list", True),
        "parties": Key("list"),
        "bodies": Key("list"),
        "attributed_state": Key("str"),
        "norms": Key("list"),
        "agreements": Key("list"),
    },
    "position": {"country": Key("code", True), "issues": Key("list"), "norms": Key("list")},
    "profile": {"country": Key("code", True)},
    "path": {"steps": Key("list", True)},
    "term": {"term": Key("text", True), "definition": Key("text", True), "aliases": Key("list")},
    "party": {"country": Key("code"), "body": Key("slug"), "unconfirmed": Key("unconfirmed")},
}
# Tables that are not record types, and the model whose own fields they hold.
OTHER_MODELS = {"source": Source, "theme": Theme, "country": Country, "party": Participation}


def derived_keys(model, names) -> dict[str, Key]:
    """The keys for ``model``'s columns ``names``; relations are left to DECLARED."""
    keys = {}
    for name in names:
        column = model._meta.get_field(name)
        if column.is_relation:
            continue
        kind = next((KINDS[c] for c in type(column).__mro__ if c in KINDS), None)
        if column.choices:
            kind = "choice"
        if kind is None:
            raise ImproperlyConfigured(
                f"{model.__name__}.{name} is a {type(column).__name__}, which data files cannot "
                "hold yet: declare its key in content/reader.py"
            )
        if kind == "text" and column.blank:
            kind = "str"  # optional text is kept as written
        choices = tuple(str(value) for value, _label in column.flatchoices)
        keys[name] = Key(kind, not column.blank, choices, column)
    return keys


def translation_keys(kind: str) -> dict[str, str]:
    """The keys a ``[kind.translations.<language>]`` table may hold: key -> model field."""
    model = OTHER_MODELS.get(kind) or registry.by_key(kind).model
    names = TEXT_KEYS.get(kind, {})
    return {names.get(f, f): f for f in getattr(model, "translatable_fields", ())}


@cache
def schema(kind: str) -> dict[str, Key]:
    """Every key a ``[kind]`` table may hold."""
    declared = DECLARED.get(kind, {})
    model = OTHER_MODELS[kind] if kind in OTHER_MODELS else registry.by_key(kind).model
    translated = {}
    if getattr(model, "translatable_fields", ()):
        translated = {
            "translations": Key("translations", column=model._meta.get_field("translations"))
        }
    if kind in OTHER_MODELS:
        names = [
            f.name
            for f in model._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in {*declared, *translated}
        ]
        return {**declared, **derived_keys(model, names), **translated}
    entry = {k: v for k, v in ENTRY.items() if kind != "term" or k not in ("title", "summary")}
    names = [name for name in registry.by_key(kind).public_fields if name not in declared]
    return {**entry, **declared, **derived_keys(model, names), **translated}


def _check_translations(record: "Record", value: Any) -> dict[str, dict[str, str]]:
    """``[kind.translations.<language>]`` tables as the model keeps them: by field name."""
    keys = translation_keys(record.kind)
    languages = other_languages()
    if not isinstance(value, dict):
        raise record.error(f"translations must be {EXPECTED['translations']}")
    result = {}
    for language, texts in value.items():
        if language not in languages:
            raise record.error(
                f"translations: {language!r} is not a language of the site ({', '.join(languages)})"
            )
        if not isinstance(texts, dict):
            raise record.error(f"translations.{language} must be a table of text keys")
        unknown = sorted(set(texts) - set(keys))
        if unknown:
            raise record.error(
                f"translations.{language}: {', '.join(unknown)} cannot be translated; "
                f"{', '.join(keys)} can"
            )
        for key, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                raise record.error(f"translations.{language}.{key} must be a non-empty string")
        result[language] = {keys[key]: text.strip() for key, text in texts.items()}
    return result


# --- Records -----------------------------------------------------------------


@dataclass
class Record:
    kind: str
    path: Path
    data: dict[str, Any]
    children: list["Record"] = field(default_factory=list)  # norms, parties
    parent: str = ""  # the label of the framework or agreement a norm or party belongs to
    ref: str = ""  # how other records name it: a slug, a source key, "<framework>/<norm>"

    @property
    def label(self) -> str:
        data = self.data
        key = data.get("slug") or data.get("key") or data.get("code") or data.get("country")
        key = key or data.get("body") or "?"
        return f"{self.parent}, {self.kind} {key}" if self.parent else f"{self.kind} {key}"

    def error(self, message: str) -> ContentError:
        return ContentError(self.path, self.label, message)

    def columns(self) -> dict[str, Any]:
        """The model columns derived from the schema, with the model's default where absent."""
        return {
            name: self.data[name] if name in self.data else key.column.get_default()
            for name, key in schema(self.kind).items()
            if key.column is not None
        }

    def citations(self) -> list[tuple[str, str]]:
        """``sources`` as (source key, pinpoint) pairs."""
        return [
            (item, "") if isinstance(item, str) else (item["source"], item.get("pinpoint", ""))
            for item in self.data.get("sources", [])
        ]


@dataclass
class Content:
    sources: dict[str, Record] = field(default_factory=dict)
    themes: dict[str, Record] = field(default_factory=dict)
    countries: dict[str, Record] = field(default_factory=dict)
    terms: dict[str, Record] = field(default_factory=dict)
    frameworks: dict[str, Record] = field(default_factory=dict)
    bodies: dict[str, Record] = field(default_factory=dict)
    agreements: dict[str, Record] = field(default_factory=dict)
    incidents: dict[str, Record] = field(default_factory=dict)
    responses: dict[str, Record] = field(default_factory=dict)
    positions: dict[str, Record] = field(default_factory=dict)
    profiles: dict[str, Record] = field(default_factory=dict)
    paths: dict[str, Record] = field(default_factory=dict)

    @property
    def norms(self) -> dict[str, Record]:
        return {n.ref: n for fw in self.frameworks.values() for n in fw.children}

    def entries(self) -> list[Record]:
        """Every record with themes and sources."""
        return [
            *self.terms.values(),
            *self.frameworks.values(),
            *self.norms.values(),
            *self.bodies.values(),
            *self.agreements.values(),
            *self.incidents.values(),
            *self.responses.values(),
            *self.positions.values(),
            *self.profiles.values(),
            *self.paths.values(),
        ]


# --- Phase 1: read and check -------------------------------------------------


def _check_value(record: Record, name: str, value: Any, key: Key) -> Any:
    """``value`` as the model takes it, or a ContentError saying what ``name`` must be."""
    kind = key.kind
    if kind == "list" and isinstance(value, list) or kind == "bool" and isinstance(value, bool):
        return value
    if (
        kind == "unconfirmed"
        and isinstance(value, dict)
        and all(isinstance(v, str) and v.strip() and len(v) <= 300 for v in value.values())
    ):
        return value
    if kind == "translations":
        return _check_translations(record, value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        try:
            key.column.run_validators(value)
        except ValidationError as exc:
            raise record.error(f"{name}: {' '.join(exc.messages)} Got {value!r}.") from None
        return value
    if kind == "asof":
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
    elif kind == "choice":
        value = value.strip() if isinstance(value, str) else value
        blank = value == "" and key.column is not None and key.column.blank
        if value in key.choices or blank:
            return value
        raise record.error(f"{name} must be one of {', '.join(key.choices)}, got {value!r}")
    elif kind in ACCEPTS and isinstance(value, str):
        text = value if kind == "str" else value.strip()
        if ACCEPTS[kind](text):
            if key.column is not None and text:
                try:
                    key.column.run_validators(text)
                except ValidationError as exc:
                    got = f" Got {text!r}." if len(text) <= 80 else ""
                    raise record.error(f"{name}: {' '.join(exc.messages)}{got}") from None
            return text
    raise record.error(f"{name} must be {EXPECTED[kind]}, got {value!r}")


def _make_record(kind: str, path: Path, data: Any, parent: str = "") -> Record:
    record = Record(kind, path, data if isinstance(data, dict) else {}, parent=parent)
    if not isinstance(data, dict):
        raise record.error(f"each {kind} must be a table")
    keys = schema(kind)
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise record.error(f"unknown key(s) {', '.join(unknown)}; see docs/data-format.md")
    for name, key in keys.items():
        if name in data:
            data[name] = _check_value(record, name, data[name], key)
        elif key.required:
            raise record.error(f"{name} is required")
    # What can be marked not confirmed: the record's own values (and its title).
    markable = sorted(n for n, k in keys.items() if k.column is not None or n == "title")
    unknown = sorted(set(data.get("unconfirmed", {})) - set(markable))
    if unknown:
        raise record.error(
            f"unconfirmed names {', '.join(unknown)}, which it cannot mark; "
            f"it can mark {', '.join(markable)}"
        )
    if "sources" in keys and not data.get("sources"):
        raise record.error("every record needs at least one source")
    record.ref = data.get("slug") or data.get("key") or data.get("code") or ""
    return record


def _read_file(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ContentError(path, "", f"cannot be read: {exc}") from None


def _add(records: dict[str, Record], record: Record) -> None:
    if record.ref in records:
        other = records[record.ref]
        raise record.error(f"duplicate: {record.label} is also defined in {other.path}")
    records[record.ref] = record


# The record tables of each file; any file may also define sources.
FILES = {"themes.toml": "theme", "countries.toml": "country", "glossary.toml": "term"}
FOLDERS = {
    "frameworks": "framework",
    "bodies": "body",
    "agreements": "agreement",
    "incidents": "incident",
    "responses": "response",
    "positions": "position",
    "profiles": "profile",
    "paths": "path",
}
CHILDREN = {"framework": "norm", "agreement": "party"}


def read_content(root: Path) -> Content:
    """Parse and check every file under ``root``; raise ContentError on the first problem."""
    if not root.is_dir():
        raise ContentError(root, "", "is not a folder")
    content = Content()
    records = {
        "theme": content.themes,
        "country": content.countries,
        "term": content.terms,
        "framework": content.frameworks,
        "body": content.bodies,
        "agreement": content.agreements,
        "incident": content.incidents,
        "response": content.responses,
        "position": content.positions,
        "profile": content.profiles,
        "path": content.paths,
    }
    files = sorted(root.glob("*.toml")) + sorted(
        p for folder in FOLDERS for p in (root / folder).glob("*.toml")
    )
    for path in files:
        doc = _read_file(path)
        shown = path.relative_to(root.parent) if path.is_relative_to(root.parent) else path
        if path.parent != root:
            kind = FOLDERS[path.parent.name]
        elif path.name in FILES or path.name == "sources.toml":
            kind = FILES.get(path.name, "source")
        else:
            raise ContentError(shown, "", "unexpected file; see docs/data-format.md for the layout")
        unexpected = sorted(set(doc) - {kind, CHILDREN.get(kind), "source"})
        if unexpected:
            raise ContentError(shown, "", f"unexpected table(s) {', '.join(unexpected)}")

        for data in doc.get("source", []):
            record = _make_record("source", shown, data)
            previous = content.sources.setdefault(record.ref, record)
            if previous.data != data:
                raise record.error(f"source {record.ref} is defined differently in {previous.path}")
        if kind in FILES.values():
            for data in doc.get(kind, []):
                _add(records[kind], _make_record(kind, shown, data))
        elif kind in FOLDERS.values():
            if not isinstance(doc.get(kind), dict):
                raise ContentError(shown, "", f"needs one [{kind}] table")
            record = _make_record(kind, shown, doc[kind])
            if kind in CHILDREN:
                child = CHILDREN[kind]
                record.children = [
                    _make_record(child, shown, data, record.label) for data in doc.get(child, [])
                ]
            _add(records[kind], record)
    for framework in content.frameworks.values():
        if framework.ref == "lineage":  # /norms/lineage/ is the norms' lineage pages
            raise framework.error("the slug lineage is taken by /norms/lineage/")
        for norm in framework.children:
            norm.ref = f"{framework.ref}/{norm.ref}"
        _unique_within(framework, "slug")
        _unique_within(framework, "reference")
    _check_source_urls(content)
    _check_references(content)
    return content


def same_page(url: str) -> str:
    """A URL as the page it opens: http and https, ``www.``, the host's case and a
    trailing slash make no difference."""
    address = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE)
    host, _, rest = address.partition("/")
    return f"{host.lower().removeprefix('www.')}/{rest.rstrip('/')}"


def _check_source_urls(content: Content) -> None:
    """One source per page: two keys for one URL cite the same thing twice."""
    seen: dict[str, Record] = {}
    for record in content.sources.values():
        url = record.data.get("url", "")
        if not url:
            continue
        try:
            _ = urlsplit(url).port  # URLValidator's pattern lets a port past 65535 through
        except ValueError as exc:
            raise record.error(f"url is not a well-formed URL ({exc}): {url!r}") from None
        other = seen.setdefault(same_page(url), record)
        if other is not record:
            raise record.error(
                f"url is also the url of source {other.ref} ({other.path}); cite that key"
            )


def _check_wikidata(record: Record, sources: list[Record]) -> None:
    """A Wikidata item is sourced like any fact: one of the record's sources is the item's
    own page (wikidata.org/wiki/Q... or /entity/Q...), so it was read, not guessed."""
    item = record.data.get("wikidata", "")
    pages = {f"wikidata.org/{kind}/{item}" for kind in ("wiki", "entity")}
    if item and not any(same_page(s.data.get("url", "")) in pages for s in sources):
        raise record.error(
            f"wikidata {item} needs a source whose url is its page, "
            f"https://www.wikidata.org/wiki/{item}"
        )


def _unique_within(framework: Record, key: str) -> None:
    seen: set[str] = {"changes"}  # /norms/<framework>/changes/ is the framework's change log
    for norm in framework.children:
        if norm.data[key] in seen:
            raise norm.error(f"duplicate {key} {norm.data[key]!r} in this framework")
        seen.add(norm.data[key])


def _is_table(item: Any, required: set[str], optional: set[str]) -> bool:
    """Whether ``item`` is an inline table of strings with the keys given."""
    return (
        isinstance(item, dict)
        and required <= set(item) <= required | optional
        and all(isinstance(value, str) for value in item.values())
    )


def _once_each(record: Record, key: str, items: list) -> None:
    seen = set()
    for item in items:
        if item in seen:
            raise record.error(f"{key} lists {item!r} twice")
        seen.add(item)


def _check_references(content: Content) -> None:
    norms = content.norms

    def refer(record: Record, key: str, values: list, records, what: str, distinct=None) -> None:
        """Each value names a record defined in data/, and ``distinct`` (by default the
        values) holds nothing twice."""
        for value in values:
            if not isinstance(value, str) or value not in records:
                raise record.error(f"{key} names {what} {value!r}, which is not defined in data/")
        _once_each(record, key, values if distinct is None else distinct)

    for record in content.entries():
        for item in record.data.get("sources", []):
            if not (isinstance(item, str) or _is_table(item, {"source"}, {"pinpoint"})):
                raise record.error(f"a source must be a key or {{source, pinpoint}}, got {item!r}")
        citations = record.citations()
        refer(
            record, "sources", [key for key, _ in citations], content.sources, "source", citations
        )
        refer(record, "themes", record.data.get("themes", []), content.themes, "theme")
        _check_wikidata(record, [content.sources[key] for key, _ in citations])
    for framework in content.frameworks.values():
        producer = framework.data.get("produced_by")
        refer(framework, "produced_by", [producer] if producer else [], content.bodies, "body")
    for norm in norms.values():
        links = norm.data.get("restates", [])
        for link in links:
            if not _is_table(link, {"norm"}, {"note"}):
                raise norm.error(f"a restates link is {{norm, note}}, got {link!r}")
        refer(norm, "restates", [link["norm"] for link in links], norms, "norm")
        if any(link["norm"] == norm.ref for link in links):
            raise norm.error("a norm cannot restate itself")
    for body in content.bodies.values():
        founder = body.data.get("established_by")
        refer(body, "established_by", [founder] if founder else [], content.agreements, "agreement")
        refer(body, "promotes", body.data.get("promotes", []), norms, "norm")
        members = [
            m if isinstance(m, dict) else {"country": m} for m in body.data.get("members", [])
        ]
        for member in members:
            if not _is_table(member, {"country"}, {"since"}):
                raise body.error(f"a member is a code or {{country, since}}, got {member!r}")
        refer(body, "members", [m["country"] for m in members], content.countries, "country")
        if members and not body.data.get("members_as_of"):
            raise body.error("members_as_of is required when members are listed")
    for agreement in content.agreements.values():
        for key, target, records in (
            ("norms", "norm", norms),
            ("related", "agreement", content.agreements),
        ):
            links = agreement.data.get(key, [])
            for link in links:
                if not _is_table(link, {target, "relation"}, {"note"}):
                    raise agreement.error(
                        f"a {key} link is {{{target}, relation, note}}, got {link!r}"
                    )
            targets = [link[target] for link in links]
            pairs = [(link[target], link["relation"]) for link in links]
            refer(agreement, key, targets, records, target, pairs)
        if any(link["agreement"] == agreement.ref for link in agreement.data.get("related", [])):
            raise agreement.error("an agreement cannot be related to itself")
        for party in agreement.children:
            country, body = party.data.get("country"), party.data.get("body")
            if bool(country) == bool(body):
                raise party.error("a party needs exactly one of country or body")
            if country:
                refer(party, "country", [country], content.countries, "country")
            else:
                refer(party, "body", [body], content.bodies, "body")
            ends = [party.data.get(k, "") for k in ("consent", "entry_into_force", "withdrawn")]
            if any(is_before(e, party.data.get("signed", "")) for e in ends):
                raise party.error("a date comes before its signature")
        named = [party.data.get("country") or party.data["body"] for party in agreement.children]
        _once_each(agreement, "party", named)
        for later in ("entry_into_force", "ended"):
            adopted, value = agreement.data.get("adopted", ""), agreement.data.get(later, "")
            if is_before(value, adopted):
                raise agreement.error(f"{later} ({value}) is before adopted ({adopted})")
    _check_incidents(content, refer)
    _check_positions(content, refer)
    described: dict[str, Record] = {}
    for profile in content.profiles.values():
        code = profile.data["country"]
        refer(profile, "country", [code], content.countries, "country")
        if code in described:
            raise profile.error(f"{code} already has a profile: {described[code].path}")
        described[code] = profile
    _check_paths(content)


def step_records(content: Content) -> dict[str, dict[str, Record]]:
    """What a learning path's step may name, by registry key: ``agreement:<slug>``,
    ``norm:<framework>/<norm>``, ``term:<slug>``..."""
    return {
        "agreement": content.agreements,
        "body": content.bodies,
        "framework": content.frameworks,
        "norm": content.norms,
        "incident": content.incidents,
        "response": content.responses,
        "position": content.positions,
        "profile": content.profiles,
        "term": content.terms,
    }


def _check_paths(content: Content) -> None:
    """Learning paths (docs/data-format-paths.md): each step names a record defined in
    data/, once, with an optional connecting text."""
    records = step_records(content)
    for path in content.paths.values():
        steps = path.data["steps"]
        if not steps:
            raise path.error("steps must name at least one record")
        for step in steps:
            if not _is_table(step, {"record"}, {"text"}):
                raise path.error(f"a step is {{record, text}}, got {step!r}")
            key, _, ref = step["record"].partition(":")
            if key not in records:
                raise path.error(
                    f"steps: {step['record']!r} must be <type>:<slug>, the type one of "
                    f"{', '.join(records)}"
                )
            if ref not in records[key]:
                raise path.error(f"steps names {key} {ref!r}, which is not defined in data/")
        _once_each(path, "steps", [step["record"] for step in steps])


def _check_positions(content: Content, refer) -> None:
    """National positions: their country, the questions they address, the norms they link."""
    issues = [value for value, _label in _issue_choices()]
    for position in content.positions.values():
        data = position.data
        refer(position, "country", [data["country"]], content.countries, "country")
        for issue in data.get("issues", []):
            if issue not in issues:
                raise position.error(f"issues: {issue!r} is not one of {', '.join(issues)}")
        _once_each(position, "issues", data.get("issues", []))
        links = data.get("norms", [])
        for link in links:
            if not _is_table(link, {"norm"}, {"note"}):
                raise position.error(f"a norms link is {{norm, note}}, got {link!r}")
        refer(position, "norms", [link["norm"] for link in links], content.norms, "norm")


def _issue_choices():
    field = registry.by_key("position").model._meta.get_field("issues")
    return field.base_field.choices


def _check_incidents(content: Content, refer) -> None:
    """Incidents and responses (docs/data-format-incidents.md): vocabularies and references."""
    norms = content.norms
    sector_values = [value for value, _label in _sector_choices()]
    for incident in content.incidents.values():
        for sector in incident.data.get("target_sectors", []):
            if sector not in sector_values:
                raise incident.error(
                    f"target_sectors: {sector!r} is not one of {', '.join(sector_values)}"
                )
        _once_each(incident, "target_sectors", incident.data.get("target_sectors", []))
        targets = incident.data.get("target_countries", [])
        refer(incident, "target_countries", targets, content.countries, "country")
        links = incident.data.get("norms", [])
        for link in links:
            if not _is_table(link, {"norm", "said_by"}, {"source", "note"}):
                raise incident.error(
                    f"a norms link is {{norm, said_by, source, note}}, got {link!r}"
                )
            if link.get("source") and link["source"] not in content.sources:
                raise incident.error(
                    f"norms names source {link['source']!r}, which is not defined in data/"
                )
        pairs = [(link["norm"], link["said_by"]) for link in links]
        refer(incident, "norms", [link["norm"] for link in links], norms, "norm", pairs)
        began, ended = incident.data.get("began", ""), incident.data.get("ended", "")
        if is_before(ended, began):
            raise incident.error(f"ended ({ended}) is before began ({began})")
    relations = [value for value, _label in _agreement_relations()]
    for response in content.responses.values():
        data = response.data
        if not data.get("incidents"):
            raise response.error("incidents must name at least one incident")
        refer(response, "incidents", data["incidents"], content.incidents, "incident")
        refer(response, "parties", data.get("parties", []), content.countries, "country")
        refer(response, "bodies", data.get("bodies", []), content.bodies, "body")
        state = data.get("attributed_state", "")
        refer(response, "attributed_state", [state] if state else [], content.countries, "country")
        links = data.get("norms", [])
        for link in links:
            if not _is_table(link, {"norm"}, {"note"}):
                raise response.error(f"a norms link is {{norm, note}}, got {link!r}")
        refer(response, "norms", [link["norm"] for link in links], norms, "norm")
        links = data.get("agreements", [])
        for link in links:
            if not _is_table(link, {"agreement", "relation"}, {"note"}):
                raise response.error(
                    f"an agreements link is {{agreement, relation, note}}, got {link!r}"
                )
            if link["relation"] not in relations:
                raise response.error(
                    f"an agreements relation is one of {', '.join(relations)}, "
                    f"got {link['relation']!r}"
                )
        targets = [link["agreement"] for link in links]
        pairs = [(link["agreement"], link["relation"]) for link in links]
        refer(response, "agreements", targets, content.agreements, "agreement", pairs)


def _sector_choices():
    field = registry.by_key("incident").model._meta.get_field("target_sectors")
    return field.base_field.choices


def _agreement_relations():
    link = registry.by_key("response").model._meta.get_field("agreement_links").related_model
    return link._meta.get_field("relation").choices
