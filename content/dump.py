"""Write the database back to the data-file format: the reverse of the loader.

After the first load the database is the source of truth and ``data/`` its
reviewed release: ``dump_content`` writes every record, whatever its status, to
the layout of docs/data-format.md (one file per framework, body and agreement;
themes, countries, glossary and shared sources in their own files), so that
loading the dump gives the same database. Which keys a table holds comes from
the reader's schema, so a new model field is dumped with no change here; a value
equal to its field's default is left out, as the data files do.

A source cited from one file only is written in that file, any other in
``sources.toml``. Lists keep the order they were loaded in (their rows' ids).
"""

import datetime
from collections import defaultdict
from pathlib import Path
from typing import Any

import tomli_w
from django.contrib.contenttypes.models import ContentType
from django.db import models

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership, Promotion
from content.reader import FOLDERS, schema, translation_keys
from core.models import Status
from glossary.models import GlossaryTerm
from incidents.models import (
    Incident,
    IncidentNorm,
    IncidentTarget,
    Response,
    ResponseAgreement,
    ResponseBody,
    ResponseIncident,
    ResponseNorm,
    ResponseParty,
)
from norms.models import Norm, NormFramework, Restatement
from paths.models import LearningPath, PathStep
from positions.models import NationalPosition, PositionNorm
from profiles.models import CountryProfile
from reference.models import Citation, Country, Source, Theme, ThemedItem

SOURCES_FILE = "sources.toml"


def dump_content(root: Path) -> int:
    """Write the whole knowledge base under ``root``; return the number of files written.

    Data files under ``root`` that no longer match a record are removed, so that
    dumping into ``data/`` itself gives a reviewable diff.
    """
    files = _files()
    root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    stale = set(root.glob("*.toml")) | {p for f in FOLDERS for p in (root / f).glob("*.toml")}
    for name, doc in files.items():
        path = root / name
        path.write_text(tomli_w.dumps(doc, multiline_strings=True), encoding="utf-8")
        stale.discard(path)
    for path in stale:
        path.unlink()
    return len(files)


def _files() -> dict[str, dict]:
    """Every data file to write, by its path under the root, as TOML documents."""
    relations = _Relations()
    files: dict[str, dict] = {
        "themes.toml": {"theme": [_columns("theme", t) for t in Theme.objects.order_by("pk")]},
        "countries.toml": {
            "country": [_columns("country", c) for c in Country.objects.order_by("pk")]
        },
    }
    terms = GlossaryTerm.objects.order_by("pk")
    files["glossary.toml"] = {"term": [_term(relations.entry("term", t), t) for t in terms]}
    cited_from: dict[str, set[str]] = defaultdict(set)  # source key -> files citing it
    for term in terms:
        relations.cited(term, "glossary.toml", cited_from)

    for framework in NormFramework.objects.select_related("produced_by").order_by("pk"):
        name = f"frameworks/{framework.slug}.toml"
        norms = list(framework.norms.order_by("position", "pk"))
        data = relations.entry("framework", framework)
        _put(data, "produced_by", framework.produced_by.slug if framework.produced_by else "")
        files[name] = {
            "framework": data,
            "norm": [relations.norm(norm) for norm in norms],
        }
        for record in (framework, *norms):
            relations.cited(record, name, cited_from)

    for body in Body.objects.select_related("established_by").order_by("pk"):
        name = f"bodies/{body.slug}.toml"
        data = relations.entry("body", body)
        _put(data, "established_by", body.established_by.slug if body.established_by else "")
        _put(data, "promotes", relations.promotes[body.pk])
        _put(data, "members", relations.members[body.pk])
        if body.members_as_of:
            data["members_as_of"] = body.members_as_of.isoformat()
        files[name] = {"body": data}
        relations.cited(body, name, cited_from)

    for agreement in Agreement.objects.order_by("pk"):
        name = f"agreements/{agreement.slug}.toml"
        data = relations.entry("agreement", agreement)
        _put(data, "norms", relations.norm_links[agreement.pk])
        _put(data, "related", relations.agreement_links[agreement.pk])
        files[name] = {"agreement": data}
        _put(files[name], "party", relations.parties[agreement.pk])
        relations.cited(agreement, name, cited_from)

    for incident in Incident.objects.order_by("pk"):
        name = f"incidents/{incident.slug}.toml"
        data = relations.entry("incident", incident)
        _put(data, "target_sectors", incident.target_sectors)
        _put(data, "target_countries", relations.targets[incident.pk])
        _put(data, "norms", relations.incident_norms[incident.pk])
        files[name] = {"incident": data}
        relations.cited(incident, name, cited_from)

    for response in Response.objects.select_related("attributed_state").order_by("pk"):
        name = f"responses/{response.slug}.toml"
        data = relations.entry("response", response)
        data["incidents"] = relations.answered[response.pk]
        _put(data, "parties", relations.response_parties[response.pk])
        _put(data, "bodies", relations.response_bodies[response.pk])
        _put(data, "attributed_state", getattr(response.attributed_state, "code", ""))
        _put(data, "norms", relations.response_norms[response.pk])
        _put(data, "agreements", relations.response_agreements[response.pk])
        files[name] = {"response": data}
        relations.cited(response, name, cited_from)

    for position in NationalPosition.objects.select_related("country").order_by("pk"):
        name = f"positions/{position.slug}.toml"
        data = relations.entry("position", position)
        data["country"] = position.country.code
        _put(data, "issues", position.issues)
        _put(data, "norms", relations.position_norms[position.pk])
        files[name] = {"position": data}
        relations.cited(position, name, cited_from)

    for profile in CountryProfile.objects.select_related("country").order_by("pk"):
        name = f"profiles/{profile.slug}.toml"
        data = relations.entry("profile", profile)
        data["country"] = profile.country.code
        files[name] = {"profile": data}
        relations.cited(profile, name, cited_from)

    steps = defaultdict(list)
    for step in PathStep.objects.for_dump():
        if step.record is None:
            continue
        text = {"text": step.text} if step.text else {}
        steps[step.path_id].append({"record": step.ref, **text})
    for path in LearningPath.objects.order_by("pk"):
        name = f"paths/{path.slug}.toml"
        data = relations.entry("path", path)
        data["steps"] = steps[path.pk]
        files[name] = {"path": data}
        relations.cited(path, name, cited_from)

    for source in Source.objects.order_by("key"):
        where = cited_from.get(source.key, set())
        name = next(iter(where)) if len(where) == 1 else SOURCES_FILE
        files.setdefault(name, {}).setdefault("source", []).append(_columns("source", source))
    return files


class _Relations:
    """Every relation, read in one query per kind and grouped by its record."""

    def __init__(self):
        self.themes: dict[tuple, list] = defaultdict(list)
        for item in ThemedItem.objects.select_related("tag").order_by("pk"):
            self.themes[item.content_type_id, item.object_id].append(item.tag.slug)
        self.citations: dict[tuple, list] = defaultdict(list)
        for c in Citation.objects.select_related("source").order_by("position", "pk"):
            cited = {"source": c.source.key, "pinpoint": c.pinpoint} if c.pinpoint else c.source.key
            self.citations[c.content_type_id, c.object_id].append(cited)
        self.types = {model: ContentType.objects.get_for_model(model) for model in _ENTRIES}

        self.restates = defaultdict(list)
        for r in Restatement.objects.select_related("restates__framework").order_by("pk"):
            data = {"norm": f"{r.restates.framework.slug}/{r.restates.slug}"}
            _put(data, "note", r.note)
            self.restates[r.norm_id].append(data)
        self.promotes = defaultdict(list)
        for p in Promotion.objects.select_related("norm__framework").order_by("pk"):
            self.promotes[p.body_id].append(f"{p.norm.framework.slug}/{p.norm.slug}")
        self.members = defaultdict(list)
        for m in Membership.objects.select_related("country").order_by("pk"):
            member = {"country": m.country.code, "since": m.since} if m.since else m.country.code
            self.members[m.body_id].append(member)
        self.norm_links = defaultdict(list)
        for link in NormLink.objects.select_related("norm__framework").order_by("pk"):
            ref = f"{link.norm.framework.slug}/{link.norm.slug}"
            self.norm_links[link.agreement_id].append(_link("norm", ref, link))
        self.agreement_links = defaultdict(list)
        for link in AgreementLink.objects.select_related("target").order_by("pk"):
            self.agreement_links[link.source_id].append(_link("agreement", link.target.slug, link))
        self.parties = defaultdict(list)
        for party in Participation.objects.select_related("country", "body").order_by("pk"):
            data = {"country": party.country.code} if party.country else {"body": party.body.slug}
            data = {**data, **_columns("party", party)}
            _put(data, "unconfirmed", party.unconfirmed)
            self.parties[party.agreement_id].append(data)

        self._incidents()
        self.position_norms = defaultdict(list)
        for link in PositionNorm.objects.select_related("norm__framework").order_by("pk"):
            data = {"norm": f"{link.norm.framework.slug}/{link.norm.slug}"}
            _put(data, "note", link.note)
            self.position_norms[link.position_id].append(data)

    def norm(self, norm) -> dict:
        data = self.entry("norm", norm)
        _put(data, "restates", self.restates[norm.pk])
        return data

    def _incidents(self) -> None:
        self.targets = defaultdict(list)
        for target in IncidentTarget.objects.select_related("country").order_by("pk"):
            self.targets[target.incident_id].append(target.country.code)
        self.incident_norms = defaultdict(list)
        for link in IncidentNorm.objects.select_related("norm__framework", "source").order_by("pk"):
            data = {"norm": f"{link.norm.framework.slug}/{link.norm.slug}", "said_by": link.said_by}
            _put(data, "source", link.source.key if link.source else "")
            _put(data, "note", link.note)
            self.incident_norms[link.incident_id].append(data)
        self.answered = defaultdict(list)
        for link in ResponseIncident.objects.select_related("incident").order_by("pk"):
            self.answered[link.response_id].append(link.incident.slug)
        self.response_parties = defaultdict(list)
        for link in ResponseParty.objects.select_related("country").order_by("pk"):
            self.response_parties[link.response_id].append(link.country.code)
        self.response_bodies = defaultdict(list)
        for link in ResponseBody.objects.select_related("body").order_by("pk"):
            self.response_bodies[link.response_id].append(link.body.slug)
        self.response_norms = defaultdict(list)
        for link in ResponseNorm.objects.select_related("norm__framework").order_by("pk"):
            data = {"norm": f"{link.norm.framework.slug}/{link.norm.slug}"}
            _put(data, "note", link.note)
            self.response_norms[link.response_id].append(data)
        self.response_agreements = defaultdict(list)
        for link in ResponseAgreement.objects.select_related("agreement").order_by("pk"):
            self.response_agreements[link.response_id].append(
                _link("agreement", link.agreement.slug, link)
            )

    def key(self, record: models.Model) -> tuple:
        return self.types[type(record)].pk, record.pk

    def entry(self, kind: str, record: models.Model) -> dict[str, Any]:
        """The keys every record has, in the order an editor reads them, then its own."""
        title, summary = ("term", "definition") if kind == "term" else ("title", "summary")
        data = {"slug": record.slug, title: record.title}
        data.update(_columns(kind, record))
        data[summary] = record.summary
        _put(data, "description", record.description)
        _put(data, "wikidata", record.wikidata)
        if record.status != Status.PUBLISHED:
            data["status"] = record.status
        _put(data, "themes", self.themes[self.key(record)])
        data["sources"] = self.citations[self.key(record)]
        _put(data, "unconfirmed", record.unconfirmed)
        return data

    def cited(self, record: models.Model, name: str, cited_from: dict) -> None:
        for cited in self.citations[self.key(record)]:
            cited_from[cited if isinstance(cited, str) else cited["source"]].add(name)


_ENTRIES = (
    GlossaryTerm,
    NormFramework,
    Norm,
    Body,
    Agreement,
    Incident,
    Response,
    NationalPosition,
    CountryProfile,
    LearningPath,
)


def _columns(kind: str, obj: models.Model) -> dict[str, Any]:
    """The table's own model columns (the reader's schema), defaults left out."""
    data = {}
    for name, key in schema(kind).items():
        column = key.column
        if column is None:  # a relation, or a key every record shares: written by the caller
            continue
        value = getattr(obj, column.attname)
        if not key.required and value == column.get_default():
            continue
        if key.kind == "translations":
            keys = {field: key for key, field in translation_keys(kind).items()}
            value = {lang: {keys[f]: t for f, t in texts.items()} for lang, texts in value.items()}
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


def _term(data: dict, term: GlossaryTerm) -> dict:
    _put(data, "aliases", term.aliases)
    return data


def _link(target: str, ref: str, link: models.Model) -> dict[str, str]:
    data = {target: ref, "relation": link.relation}
    _put(data, "note", link.note)
    return data


def _put(data: dict, key: str, value: Any) -> None:
    """Set ``key`` only when it holds something: an empty value is the default."""
    if value:
        data[key] = value
