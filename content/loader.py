"""Load the curated knowledge base from the TOML files under ``data/``.

The format is described in docs/data-format.md. Loading has two phases:

1. ``read_content`` parses every file and checks it without touching the
   database: known keys only, value formats, duplicate slugs, and every
   reference (theme, source, country, body, agreement, norm) resolvable.
2. ``write_content`` writes it in one transaction, saving a row only where
   something differs, so a second run changes nothing.

Any problem raises ``ContentError`` naming the file and the record, and the
transaction leaves the database as it was.

This module gathers records of every app, which is why it lives in the
project package.
"""

import datetime
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership
from core.dates import PARTIAL_DATE_RE, is_before
from core.models import Status
from glossary.models import GlossaryTerm
from norms.models import Norm, NormFramework
from reference.models import Citation, Country, Source, Theme

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ContentError(Exception):
    def __init__(self, path: Path | str, record: str, message: str):
        self.path, self.record, self.message = str(path), record, message
        super().__init__(f"{path} [{record}]: {message}" if record else f"{path}: {message}")


# Schema: key -> (kind, required). Kinds are checked by ``_check_value``.
ENTRY = {
    "slug": ("slug", True),
    "title": ("text", True),
    "summary": ("text", True),
    "description": ("str", False),
    "status": ("status", False),
    "themes": ("list", False),
    "sources": ("list", True),
}
SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "source": {
        "key": ("slug", True),
        "title": ("text", True),
        "publisher": ("text", True),
        "url": ("url", False),
        "date": ("date", False),
        "symbol": ("str", False),
    },
    "theme": {"slug": ("slug", True), "name": ("text", True), "description": ("text", True)},
    "country": {"code": ("code", True), "name": ("text", True), "region": ("text", True)},
    "term": {
        **{k: v for k, v in ENTRY.items() if k not in ("title", "summary")},
        "term": ("text", True),
        "definition": ("text", True),
        "aliases": ("list", False),
    },
    "framework": {
        **ENTRY,
        "short_title": ("str", False),
        "kind": ("text", True),
        "symbol": ("str", False),
        "adopted": ("date", False),
        "produced_by": ("str", False),
    },
    "norm": {**ENTRY, "reference": ("text", True), "quotation": ("str", False)},
    "body": {
        **ENTRY,
        "acronym": ("str", False),
        "kind": ("text", True),
        "founded": ("date", False),
        "seat": ("str", False),
        "website": ("url", False),
        "established_by": ("str", False),
        "promotes": ("list", False),
        "members": ("list", False),
        "members_as_of": ("asof", False),
    },
    "agreement": {
        **ENTRY,
        "short_title": ("str", False),
        "kind": ("text", True),
        "legally_binding": ("bool", True),
        "symbol": ("str", False),
        "adopted": ("date", False),
        "entry_into_force": ("date", False),
        "ended": ("date", False),
        "legal_status": ("text", True),
        "status_as_of": ("asof", True),
        "norms": ("list", False),
        "related": ("list", False),
    },
    "party": {
        "country": ("code", False),
        "body": ("slug", False),
        "signed": ("date", False),
        "consent_kind": ("str", False),
        "consent": ("date", False),
        "entry_into_force": ("date", False),
        "withdrawn": ("date", False),
        "as_of": ("asof", True),
        "note": ("str", False),
    },
}


@dataclass
class Record:
    kind: str
    path: Path
    data: dict[str, Any]
    children: list["Record"] = field(default_factory=list)  # norms, parties
    parent: str = ""  # the label of the framework or agreement a norm or party belongs to

    @property
    def label(self) -> str:
        data = self.data
        key = data.get("slug") or data.get("key") or data.get("code") or data.get("country")
        key = key or data.get("body") or "?"
        return f"{self.parent}, {self.kind} {key}" if self.parent else f"{self.kind} {key}"

    def error(self, message: str) -> ContentError:
        return ContentError(self.path, self.label, message)


@dataclass
class Content:
    sources: dict[str, Record] = field(default_factory=dict)
    themes: dict[str, Record] = field(default_factory=dict)
    countries: dict[str, Record] = field(default_factory=dict)
    terms: dict[str, Record] = field(default_factory=dict)
    frameworks: dict[str, Record] = field(default_factory=dict)
    bodies: dict[str, Record] = field(default_factory=dict)
    agreements: dict[str, Record] = field(default_factory=dict)

    def norm_refs(self) -> set[str]:
        return {
            f"{slug}/{norm.data['slug']}"
            for slug, fw in self.frameworks.items()
            for norm in fw.children
        }


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# --- Phase 1: read and check -------------------------------------------------


def _check_value(record: Record, key: str, value: Any, kind: str) -> Any:
    def fail(expected: str):
        return record.error(f"{key} must be {expected}, got {value!r}")

    if kind in ("str", "text", "slug", "status", "code", "url"):
        if not isinstance(value, str):
            raise fail("a string")
        value = value.strip() if kind != "str" else value
        if kind == "text" and not value:
            raise fail("a non-empty string")
        if kind == "slug" and not SLUG_RE.match(value):
            raise fail("a slug (lowercase letters, digits and hyphens)")
        if kind == "status" and value not in Status.values:
            raise fail(f"one of {', '.join(Status.values)}")
        if kind == "code" and not re.fullmatch(r"[A-Z]{2}", value):
            raise fail("an ISO 3166-1 alpha-2 code such as FR")
        if kind == "url" and value and not re.match(r"^https?://[^\s/]+", value):
            raise fail("an http(s) URL")
        return value
    if kind == "date":
        if not isinstance(value, str) or (value and not re.match(PARTIAL_DATE_RE, value)):
            raise fail(
                'an ISO date string at the precision known ("2015", "2015-09", "2015-09-25")'
            )
        return value
    if kind == "asof":
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise fail("a full ISO date (YYYY-MM-DD)")
    if kind == "bool":
        if not isinstance(value, bool):
            raise fail("true or false")
        return value
    if kind == "list":
        if not isinstance(value, list):
            raise fail("a list")
        return value
    raise AssertionError(kind)


def _make_record(kind: str, path: Path, data: Any, parent: str = "") -> Record:
    record = Record(kind, path, data if isinstance(data, dict) else {}, parent=parent)
    if not isinstance(data, dict):
        raise record.error(f"each {kind} must be a table")
    schema = SCHEMAS[kind]
    unknown = sorted(set(data) - set(schema))
    if unknown:
        raise record.error(f"unknown key(s) {', '.join(unknown)}; see docs/data-format.md")
    for key, (value_kind, required) in schema.items():
        if key in data:
            data[key] = _check_value(record, key, data[key], value_kind)
        elif required:
            raise record.error(f"{key} is required")
    if "sources" in schema and not data.get("sources"):
        raise record.error("every record needs at least one source")
    return record


def _read_file(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ContentError(path, "", f"cannot be read: {exc}") from None


def _add(registry: dict[str, Record], key: str, record: Record) -> None:
    if key in registry:
        other = registry[key]
        raise record.error(f"duplicate: {record.label} is also defined in {other.path}")
    registry[key] = record


def read_content(root: Path) -> Content:
    """Parse and check every file under ``root``; raise ContentError on the first problem."""
    if not root.is_dir():
        raise ContentError(root, "", "is not a folder")
    content = Content()
    allowed_tables = {
        "themes.toml": {"theme", "source"},
        "countries.toml": {"country", "source"},
        "glossary.toml": {"term", "source"},
        "sources.toml": {"source"},
    }
    folders = {
        "frameworks": {"framework", "norm", "source"},
        "bodies": {"body", "source"},
        "agreements": {"agreement", "party", "source"},
    }
    files = sorted(root.glob("*.toml")) + sorted(
        p for folder in folders for p in (root / folder).glob("*.toml")
    )
    for path in files:
        doc = _read_file(path)
        shown = path.relative_to(root.parent) if path.is_relative_to(root.parent) else path
        allowed = folders.get(path.parent.name) if path.parent != root else None
        allowed = allowed or allowed_tables.get(path.name)
        if allowed is None:
            raise ContentError(shown, "", "unexpected file; see docs/data-format.md for the layout")
        unexpected = sorted(set(doc) - allowed)
        if unexpected:
            raise ContentError(shown, "", f"unexpected table(s) {', '.join(unexpected)}")

        for data in doc.get("source", []):
            record = _make_record("source", shown, data)
            previous = content.sources.get(data["key"])
            if previous and previous.data != data:
                raise record.error(
                    f"source {data['key']} is defined differently in {previous.path}"
                )
            content.sources.setdefault(data["key"], record)
        for data in doc.get("theme", []):
            record = _make_record("theme", shown, data)
            _add(content.themes, data["slug"], record)
        for data in doc.get("country", []):
            record = _make_record("country", shown, data)
            _add(content.countries, data["code"], record)
        for data in doc.get("term", []):
            record = _make_record("term", shown, data)
            _add(content.terms, data["slug"], record)

        top = {"frameworks": "framework", "bodies": "body", "agreements": "agreement"}.get(
            path.parent.name if path.parent != root else ""
        )
        if top:
            if not isinstance(doc.get(top), dict):
                raise ContentError(shown, "", f"needs one [{top}] table")
            record = _make_record(top, shown, doc[top])
            if top == "framework":
                record.children = [
                    _make_record("norm", shown, n, record.label) for n in doc.get("norm", [])
                ]
                _unique_within(record, "slug")
                _unique_within(record, "reference")
                _add(content.frameworks, record.data["slug"], record)
            elif top == "body":
                _add(content.bodies, record.data["slug"], record)
            else:
                record.children = [
                    _make_record("party", shown, p, record.label) for p in doc.get("party", [])
                ]
                _add(content.agreements, record.data["slug"], record)
    _check_references(content)
    return content


def _unique_within(framework: Record, key: str) -> None:
    seen: set[str] = {"changes"}  # /norms/<framework>/changes/ is the framework's change log
    for norm in framework.children:
        if norm.data[key] in seen:
            raise norm.error(f"duplicate {key} {norm.data[key]!r} in this framework")
        seen.add(norm.data[key])


def _source_refs(record: Record) -> list[tuple[str, str]]:
    refs = []
    for item in record.data.get("sources", []):
        if isinstance(item, str):
            refs.append((item, ""))
        elif isinstance(item, dict) and set(item) <= {"source", "pinpoint"} and "source" in item:
            refs.append((item["source"], item.get("pinpoint", "")))
        else:
            raise record.error(f"a source must be a key or {{source, pinpoint}}, got {item!r}")
    return refs


def _check_references(content: Content) -> None:
    norm_refs = content.norm_refs()

    def check(record: Record, key: str, value: str, registry, what: str) -> None:
        if value not in registry:
            raise record.error(f"{key} names {what} {value!r}, which is not defined in data/")

    entries = [
        *content.terms.values(),
        *content.frameworks.values(),
        *(n for fw in content.frameworks.values() for n in fw.children),
        *content.bodies.values(),
        *content.agreements.values(),
    ]
    for record in entries:
        for key, _pinpoint in _source_refs(record):
            check(record, "sources", key, content.sources, "source")
        for slug in record.data.get("themes", []):
            check(record, "themes", slug, content.themes, "theme")
    for fw in content.frameworks.values():
        if fw.data.get("produced_by"):
            check(fw, "produced_by", fw.data["produced_by"], content.bodies, "body")
    for body in content.bodies.values():
        if body.data.get("established_by"):
            check(
                body, "established_by", body.data["established_by"], content.agreements, "agreement"
            )
        for ref in body.data.get("promotes", []):
            check(body, "promotes", ref, norm_refs, "norm")
        if body.data.get("members") and not body.data.get("members_as_of"):
            raise body.error("members_as_of is required when members are listed")
        for member in body.data.get("members", []):
            code = member if isinstance(member, str) else member.get("country", "")
            check(body, "members", code, content.countries, "country")
    for agreement in content.agreements.values():
        for link in agreement.data.get("norms", []):
            if not isinstance(link, dict) or "norm" not in link or "relation" not in link:
                raise agreement.error(f"a norm link needs norm and relation, got {link!r}")
            check(agreement, "norms", link["norm"], norm_refs, "norm")
        for link in agreement.data.get("related", []):
            if not isinstance(link, dict) or "agreement" not in link or "relation" not in link:
                raise agreement.error(f"a related link needs agreement and relation, got {link!r}")
            check(agreement, "related", link["agreement"], content.agreements, "agreement")
            if link["agreement"] == agreement.data["slug"]:
                raise agreement.error("an agreement cannot be related to itself")
        for party in agreement.children:
            if bool(party.data.get("country")) == bool(party.data.get("body")):
                raise agreement.error(f"a party needs exactly one of country or body: {party.data}")
            if party.data.get("country"):
                check(agreement, "party", party.data["country"], content.countries, "country")
            else:
                check(agreement, "party", party.data["body"], content.bodies, "body")
            ends = [party.data.get(k, "") for k in ("consent", "entry_into_force", "withdrawn")]
            if any(is_before(e, party.data.get("signed", "")) for e in ends):
                raise agreement.error(
                    f"party {party.data.get('country') or party.data.get('body')}: "
                    "a date comes before its signature"
                )
        for later in ("entry_into_force", "ended"):
            adopted, value = agreement.data.get("adopted", ""), agreement.data.get(later, "")
            if is_before(value, adopted):
                raise agreement.error(f"{later} ({value}) is before adopted ({adopted})")


# --- Phase 2: write ----------------------------------------------------------


class Writer:
    def __init__(self, content: Content):
        self.content = content
        # Each record's outcome, by identity: created, updated or unchanged.
        self.outcome: dict[int, str] = {}
        self.sources: dict[str, Source] = {}
        self.themes: dict[str, Theme] = {}
        self.countries: dict[str, Country] = {}
        self.norms: dict[str, Any] = {}
        self.bodies: dict[str, Any] = {}
        self.agreements: dict[str, Any] = {}

    def upsert(self, record: Record, model, lookup: dict, values: dict):
        """Create or update one row, saving only when a value differs."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self.outcome[id(record)] = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
            if not changed:
                self.outcome[id(record)] = "unchanged"
                return obj
            for key, value in changed.items():
                setattr(obj, key, value)
            self.outcome[id(record)] = "updated"
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise record.error(_flatten(exc)) from None
        obj.save()
        return obj

    def touched(self, record: Record) -> None:
        """A relation of ``record`` changed: an unchanged record counts as updated."""
        if self.outcome.get(id(record)) == "unchanged":
            self.outcome[id(record)] = "updated"

    @property
    def stats(self) -> Stats:
        counts = Counter(self.outcome.values())
        return Stats(counts["created"], counts["updated"], counts["unchanged"])

    def entry_values(self, record: Record, title_key="title", summary_key="summary") -> dict:
        data = record.data
        return {
            "title": data[title_key],
            "summary": data[summary_key],
            "description": data.get("description", ""),
            "status": data.get("status", Status.PUBLISHED),
        }

    def entry_relations(self, record: Record, obj) -> None:
        wanted_themes = set(record.data.get("themes", []))
        current_themes = {t.slug for t in obj.themes.all()}
        changed = wanted_themes != current_themes
        if changed:
            obj.themes.set([self.themes[slug] for slug in sorted(wanted_themes)])
        wanted = [(self.sources[key].pk, pinpoint) for key, pinpoint in _source_refs(record)]
        if len(set(wanted)) != len(wanted):
            raise record.error("the same source and pinpoint are cited twice")
        current = list(
            obj.citations.order_by("position", "id").values_list("source_id", "pinpoint")
        )
        if wanted != current:
            changed = True
            obj.citations.all().delete()
            content_type = ContentType.objects.get_for_model(obj)
            Citation.objects.bulk_create(
                Citation(
                    content_type=content_type,
                    object_id=obj.pk,
                    source_id=source_id,
                    pinpoint=pinpoint,
                    position=i,
                )
                for i, (source_id, pinpoint) in enumerate(wanted)
            )
        if changed:
            self.touched(record)

    def replace_rows(
        self, record: Record, manager, wanted: list[dict], fields: list[str], model, **fixed
    ):
        """Make a reverse relation hold exactly ``wanted`` (a list of field dicts)."""
        key = lambda row: tuple(row[f] for f in fields)  # noqa: E731
        current = Counter(key(row) for row in manager.values(*fields))
        if current == Counter(key(row) for row in wanted):
            return
        manager.all().delete()
        for row in wanted:
            obj = model(**fixed, **row)
            try:
                obj.full_clean()
            except ValidationError as exc:
                raise record.error(_flatten(exc)) from None
            obj.save()
        self.touched(record)

    def write(self) -> Stats:
        c = self.content
        for key, r in c.sources.items():
            values = {k: r.data.get(k, "") for k in ("title", "publisher", "url", "date", "symbol")}
            self.sources[key] = self.upsert(r, Source, {"key": key}, values)
        for slug, r in c.themes.items():
            values = {"name": r.data["name"], "description": r.data["description"]}
            self.themes[slug] = self.upsert(r, Theme, {"slug": slug}, values)
        for code, r in c.countries.items():
            values = {"name": r.data["name"], "region": r.data["region"]}
            self.countries[code] = self.upsert(r, Country, {"code": code}, values)
        for slug, r in c.terms.items():
            values = self.entry_values(r, "term", "definition")
            values["aliases"] = [str(a).strip() for a in r.data.get("aliases", [])]
            obj = self.upsert(r, GlossaryTerm, {"slug": slug}, values)
            self.entry_relations(r, obj)

        # Entries first, then the links between them, which may point either way.
        for slug, r in c.bodies.items():
            values = self.entry_values(r)
            values.update(
                {k: r.data.get(k, "") for k in ("acronym", "kind", "founded", "seat", "website")}
            )
            values["members_as_of"] = r.data.get("members_as_of")
            self.bodies[slug] = self.upsert(r, Body, {"slug": slug}, values)
        for slug, r in c.frameworks.items():
            values = self.entry_values(r)
            values.update(
                {k: r.data.get(k, "") for k in ("short_title", "kind", "symbol", "adopted")}
            )
            produced_by = r.data.get("produced_by")
            values["produced_by_id"] = self.bodies[produced_by].pk if produced_by else None
            framework = self.upsert(r, NormFramework, {"slug": slug}, values)
            self.entry_relations(r, framework)
            for position, n in enumerate(r.children, start=1):
                values = self.entry_values(n)
                values.update(
                    reference=n.data["reference"],
                    quotation=n.data.get("quotation", ""),
                    position=position,
                )
                norm = self.upsert(
                    n, Norm, {"framework_id": framework.pk, "slug": n.data["slug"]}, values
                )
                self.entry_relations(n, norm)
                norm.framework = framework
                self.norms[f"{slug}/{n.data['slug']}"] = norm
        for slug, r in c.agreements.items():
            values = self.entry_values(r)
            values.update(
                {
                    k: r.data.get(k, "")
                    for k in (
                        "short_title",
                        "kind",
                        "symbol",
                        "adopted",
                        "entry_into_force",
                        "ended",
                    )
                }
            )
            values.update(
                legally_binding=r.data["legally_binding"],
                legal_status=r.data["legal_status"],
                status_as_of=r.data["status_as_of"],
            )
            self.agreements[slug] = self.upsert(r, Agreement, {"slug": slug}, values)

        for slug, r in c.bodies.items():
            body = self.bodies[slug]
            self.entry_relations(r, body)
            established = r.data.get("established_by")
            established_id = self.agreements[established].pk if established else None
            if body.established_by_id != established_id:
                body.established_by_id = established_id
                body.save(update_fields=["established_by", "updated"])
                self.touched(r)
            wanted = {self.norms[ref].pk for ref in r.data.get("promotes", [])}
            if wanted != set(body.promoted_norms.values_list("pk", flat=True)):
                body.promoted_norms.set(wanted)
                self.touched(r)
            members = []
            for m in r.data.get("members", []):
                m = {"country": m} if isinstance(m, str) else m
                if set(m) - {"country", "since"}:
                    raise r.error(f"a member is a code or {{country, since}}, got {m!r}")
                members.append(
                    {"country_id": self.countries[m["country"]].pk, "since": m.get("since", "")}
                )
            self.replace_rows(
                r,
                body.memberships,
                members,
                ["country_id", "since"],
                Membership,
                body=body,
            )
        for slug, r in c.agreements.items():
            agreement = self.agreements[slug]
            self.entry_relations(r, agreement)
            self.replace_rows(
                r,
                agreement.norm_links,
                _typed_links(r.data.get("norms", []), "norm", self.norms, "norm_id"),
                ["norm_id", "relation", "note"],
                NormLink,
                agreement=agreement,
            )
            self.replace_rows(
                r,
                agreement.outbound_links,
                _typed_links(r.data.get("related", []), "agreement", self.agreements, "target_id"),
                ["target_id", "relation", "note"],
                AgreementLink,
                source=agreement,
            )
            parties = [
                {
                    "country_id": self.countries[p.data["country"]].pk
                    if p.data.get("country")
                    else None,
                    "body_id": self.bodies[p.data["body"]].pk if p.data.get("body") else None,
                    **{k: p.data.get(k, "") for k in PARTY_FIELDS},
                    "as_of": p.data["as_of"],
                }
                for p in r.children
            ]
            self.replace_rows(
                r,
                agreement.participations,
                parties,
                ["country_id", "body_id", *PARTY_FIELDS, "as_of"],
                Participation,
                agreement=agreement,
            )
        return self.stats


PARTY_FIELDS = ("signed", "consent_kind", "consent", "entry_into_force", "withdrawn", "note")


def _typed_links(items: list[dict], key: str, registry: dict, id_field: str) -> list[dict]:
    """``[{norm: ref, relation, note}]`` from a data file as rows of a link model."""
    return [
        {
            id_field: registry[item[key]].pk,
            "relation": item["relation"],
            "note": item.get("note", ""),
        }
        for item in items
    ]


def _flatten(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def load_content(root: Path, *, dry_run: bool = False) -> Stats:
    """Check and load everything under ``root`` in one transaction."""
    content = read_content(root)
    with transaction.atomic():
        stats = Writer(content).write()
        if dry_run:
            transaction.set_rollback(True)
    return stats
