"""What issue 13 asks the coverage report to show: the defects and gaps of the content.

Each check returns a ``Finding``: the lines to list, sorted so that the output is
stable. Every check reads whole tables in a number of queries that does not grow
with the data (one per model or per field at most), never one query per record.

The rules, precisely:

``undated_parties``
    A party row of a treaty in ``DATED_TREATIES`` (whose treaty office publishes
    dates) is undated when it gives a consent kind without the consent date, or no
    date at all (none of signed, consent, entry into force). It is "undated,
    flagged" when the date it lacks carries an ``unconfirmed`` reason: ``consent``
    in the first case, any of ``signed``, ``consent``, ``entry_into_force`` in the
    second.

``placeholder_as_of``
    An "as of" date (a party row's ``as_of``, an agreement's ``status_as_of``, a
    body's ``members_as_of``) says when a fact was checked. It is a placeholder when

    1. it is after today: nobody checked it yet;
    2. it is 1 January of a year: a year typed as a full date;
    3. it is before a fact it vouches for, which cannot have been checked before it
       happened: for a party row, its signature or consent (an entry into force or
       withdrawal may be announced ahead); for an agreement, its adoption, and its
       entry into force or end when its status says it is in force or ended; for
       a body, its founding or a member's joining. A partial date counts as later
       only when all of it is (``2021`` is later than 2020-12-31, not than 2021-06-01);
    4. it is one value copied down every party row of an agreement (two rows or more)
       and earlier than the agreement's entry into force or a row's entry into force
       or withdrawal: the adoption date standing in for a check of the parties.

``research_phrases``
    Any of ``RESEARCH_PHRASES``, as whole words and in any case, in a text field
    visitors read (the records' own text columns, their rows' notes, the
    ``unconfirmed`` reasons, citations' pinpoints, theme descriptions), whatever the
    record's status: a
    draft's text is public once it is published.

``only_secondary``
    Records that cite sources and every one of them is ``Source.secondary``.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Cast

from agreements.models import Agreement, Participation
from bodies.models import Body, Membership
from core.dates import PartialDateField, on_or_before
from core.registry import registry
from reference.models import Citation, Theme

# Issue 13: the treaties whose treaty office publishes each party's dates.
DATED_TREATIES = (
    "budapest-convention",
    "budapest-first-protocol",
    "budapest-second-protocol",
    "un-cybercrime-convention",
    "malabo-convention",
    "arab-it-offences-convention",
    "cis-computer-information-agreement-2001",
    "cis-it-crimes-agreement-2018",
    "sco-2009-agreement",
)

# Issue 13's coverage targets: published records per record type (registry key).
COVERAGE_TARGETS = {"agreement": 130, "norm": 160, "body": 50, "position": 30}

# How we found something out is not something a visitor needs: these belong in
# notes to editors, never on a page.
RESEARCH_PHRASES = (
    "stored copy",
    "saved copy",
    "our copy",
    "we could read",
    "we could not",
    "we were unable",
    "we did not check",
    "we have not checked",
    "could not be retrieved",
    "could not be opened",
    "could not be accessed",
    "could not be read",
    "not available to us",
    "not accessible to us",
    "not checked",
    "not yet checked",
    "not verified",
    "not yet verified",
    "to be checked",
    "to be verified",
    "TODO",
    "FIXME",
)
PHRASE_RE = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in RESEARCH_PHRASES) + r")\b", re.IGNORECASE
)
# The same pattern in PostgreSQL's dialect (\m and \M are its word boundaries).
PHRASE_SQL = r"\m(" + "|".join(re.escape(p) for p in RESEARCH_PHRASES) + r")\M"


@dataclass
class Finding:
    lines: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)


def _party(row: dict) -> str:
    return row["country__code"] or f"body {row['body__slug']}"


def _later(partial: str, day: datetime.date) -> bool:
    """Whether partial ISO date ``partial`` is wholly after ``day``."""
    return bool(partial) and on_or_before(partial, day.isoformat()) is False


PARTY_COLUMNS = (
    "agreement__slug",
    "country__code",
    "body__slug",
    "signed",
    "consent_kind",
    "consent",
    "entry_into_force",
    "withdrawn",
    "as_of",
    "unconfirmed",
)


def undated_parties() -> tuple[Finding, Finding]:
    """The undated party rows of ``DATED_TREATIES``: (unflagged, flagged with a reason)."""
    undated, flagged = Finding(), Finding()
    rows = Participation.objects.filter(agreement__slug__in=DATED_TREATIES).values(*PARTY_COLUMNS)
    for row in sorted(rows, key=lambda r: (r["agreement__slug"], _party(r))):
        if row["consent_kind"] and not row["consent"]:
            lacks, why = ("consent",), f"{row['consent_kind']} without its date"
        elif not (row["signed"] or row["consent"] or row["entry_into_force"]):
            lacks, why = ("signed", "consent", "entry_into_force"), "no date"
        else:
            continue
        line = f"{row['agreement__slug']}  {_party(row)}: {why}"
        reasons = [
            f"{n}: {row['unconfirmed'][n]}" for n in lacks if (row["unconfirmed"] or {}).get(n)
        ]
        if reasons:
            flagged.lines.append(f"{line} ({'; '.join(reasons)})")
        else:
            undated.lines.append(line)
    return undated, flagged


def _suspect_day(day: datetime.date | None, today: datetime.date) -> str:
    if day is None:
        return ""
    if day > today:
        return "after today"
    if (day.month, day.day) == (1, 1):
        return "1 January, a year typed as a date"
    return ""


def placeholder_as_of(today: datetime.date) -> Finding:
    """The "as of" dates that cannot be real checks (see the module's rules 1 to 4)."""
    found = Finding()

    parties = defaultdict(list)
    for row in Participation.objects.values(*PARTY_COLUMNS, "agreement__entry_into_force"):
        parties[row["agreement__slug"]].append(row)
    for slug, rows in sorted(parties.items()):
        for row in sorted(rows, key=_party):
            as_of = row["as_of"]
            why = _suspect_day(as_of, today) or ", ".join(
                f"before its {label} {row[name]}"
                for name, label in (("signed", "signature"), ("consent", "consent"))
                if _later(row[name], as_of)
            )
            if why:
                found.lines.append(f"agreement {slug}, party {_party(row)}: as of {as_of}, {why}")
        shared = {row["as_of"] for row in rows}
        if len(rows) < 2 or len(shared) != 1:
            continue
        as_of = shared.pop()
        later = sorted(
            {
                f"{label} {value}"
                for row in rows
                for label, value in (
                    ("the agreement's entry into force", row["agreement__entry_into_force"]),
                    ("a party's entry into force", row["entry_into_force"]),
                    ("a withdrawal", row["withdrawn"]),
                )
                if _later(value, as_of)
            }
        )
        if later:
            found.lines.append(
                f"agreement {slug}: all {len(rows)} party rows as of {as_of}, before {later[0]}"
            )

    in_force = (Agreement.LegalStatus.IN_FORCE, Agreement.LegalStatus.ENDED)
    for a in Agreement.objects.order_by("slug").values(
        "slug", "adopted", "entry_into_force", "ended", "legal_status", "status_as_of"
    ):
        day = a["status_as_of"]
        facts = [("adoption", a["adopted"])]
        if a["legal_status"] in in_force:
            facts.append(("entry into force", a["entry_into_force"]))
        if a["legal_status"] == Agreement.LegalStatus.ENDED:
            facts.append(("end", a["ended"]))
        why = _suspect_day(day, today) or ", ".join(
            f"before its {label} {value}" for label, value in facts if _later(value, day)
        )
        if why:
            found.lines.append(f"agreement {a['slug']}: status as of {day}, {why}")

    joined = defaultdict(list)
    for m in Membership.objects.values("body_id", "country__code", "since"):
        joined[m["body_id"]].append(m)
    for b in (
        Body.objects.filter(members_as_of__isnull=False)
        .order_by("slug")
        .values("pk", "slug", "founded", "members_as_of")
    ):
        day = b["members_as_of"]
        facts = [("founding", b["founded"])] + [
            (f"member {m['country__code']} joining", m["since"])
            for m in sorted(joined[b["pk"]], key=lambda m: m["country__code"])
        ]
        why = _suspect_day(day, today) or ", ".join(
            f"before its {label} {value}" for label, value in facts if _later(value, day)
        )
        if why:
            found.lines.append(f"body {b['slug']}: members as of {day}, {why}")
    return found


def _text_columns(model) -> list[models.Field]:
    """The columns of ``model`` whose text a visitor reads: free text, not slugs, URLs,
    dates, choices or the HTML made from the Markdown."""
    return [
        f
        for f in model._meta.concrete_fields
        if (
            isinstance(f, (models.CharField, models.TextField))
            and not isinstance(f, (models.SlugField, models.URLField, PartialDateField))
            and not f.choices
            and f.editable
        )
        or f.name == "unconfirmed"  # its reasons show beside the values they mark
    ]


def text_models() -> list[type]:
    """Every model with public text: the record types, the rows of their relations
    (a party's note, a link's note), citations (their pinpoints) and themes."""
    found = [*registry.models()]
    for model in registry.models():
        for rel in model._meta.related_objects:
            row = rel.related_model
            if rel.one_to_many and row not in found:
                found.append(row)
    return [m for m in [*found, Citation, Theme] if _text_columns(m)]


def _where(obj: models.Model) -> str:
    """A record by its page's address, a row by what it joins, a theme by its slug,
    a citation by its source's key (the data files name it so)."""
    label = obj._meta.verbose_name
    if type(obj) in registry.models():
        return f"{label} {obj.get_absolute_url()}"
    if isinstance(obj, Citation):
        return f"{label} of source {obj.source.key}"
    return f"{label} {obj.slug}" if isinstance(obj, Theme) else f"{label} {obj}"


def research_phrases() -> Finding:
    """Each record or row whose public text holds a research-process phrase, with the
    field and the phrases: one query per model."""
    found = Finding()
    for model in text_models():
        columns = _text_columns(model)
        rows = model.objects.named() if model in registry.models() else model.objects.all()
        # What the lines name, read with the rows: a query per relation, not per row.
        for fk in (f for f in model._meta.concrete_fields if f.many_to_one):
            if fk.related_model in registry.models():
                named = fk.related_model.objects.named()
                rows = rows.prefetch_related(Prefetch(fk.name, queryset=named))
            else:
                rows = rows.select_related(fk.name)
        condition = Q()
        for column in columns:
            name = column.name
            if isinstance(column, models.JSONField):  # the reasons, searched as JSON text
                name = f"{column.name}_as_text"
                rows = rows.annotate(**{name: Cast(column.name, models.TextField())})
            condition |= Q(**{f"{name}__iregex": PHRASE_SQL})
        for obj in rows.filter(condition):
            for column in columns:
                value = getattr(obj, column.name) or ""
                texts = value.values() if isinstance(value, dict) else [value]
                phrases = {m.group(0).lower() for t in texts for m in PHRASE_RE.finditer(str(t))}
                if phrases:
                    found.lines.append(
                        f"{_where(obj)}, {column.name}: {', '.join(sorted(phrases))}"
                    )
    found.lines.sort()
    return found


def only_secondary() -> Finding:
    """Records that cite sources, all of them secondary: one query per record type."""
    found = Finding()
    types = ContentType.objects.get_for_models(*registry.models())
    for rt in registry:
        cited = Citation.objects.filter(content_type=types[rt.model], object_id=OuterRef("pk"))
        records = (
            rt.model.objects.named()
            .filter(Exists(cited))
            .exclude(Exists(cited.filter(source__secondary=False)))
        )
        found.lines += sorted(
            f"{rt.model._meta.verbose_name} {r.get_absolute_url()}: {r}" for r in records
        )
    return found


def coverage() -> list[tuple[str, int, int]]:
    """(label, published, target) for each record type issue 13 sets a target for."""
    return [
        (str(rt.model._meta.verbose_name_plural), rt.model.objects.published().count(), target)
        for key, target in COVERAGE_TARGETS.items()
        for rt in [registry.by_key(key)]
    ]
