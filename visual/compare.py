"""/compare/: two to four countries side by side (agreements, bodies, the norms those
agreements commit them to); /compare/norms/: the wording of two or more norms side by
side, with the differences marked word by word. Both download as CSV and JSON.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from agreements.models import Agreement, NormLink, Participation
from bodies.models import Body, Membership
from core import citations
from core.exports import FORMATS, export
from core.facets import norm_query
from core.templatetags.core import options
from core.text import word_diff
from norms.models import Norm
from reference.models import Country

MIN_COUNTRIES, MAX_COUNTRIES = 2, 4
MIN_NORMS, MAX_NORMS = 2, 6


class Refused(ValueError):
    """A choice the comparison cannot make, said in plain words (answered with a 400)."""


def requested_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        raise Refused(f"format must be one of {', '.join(FORMATS)}, not “{fmt[:20]}”.")
    return fmt


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


# ---------------------------------------------------------------------------------------
# Countries


@dataclass
class Row:
    """One agreement, body or norm, and what each country compared has of it."""

    title: str
    url: str
    cells: dict[str, str] = field(default_factory=dict)  # country code -> what it has
    note: str = ""  # e.g. the framework of a norm

    def present(self, codes: list[str]) -> list[bool]:
        return [code in self.cells for code in codes]

    def shared_by(self, codes: list[str]) -> int:
        return sum(self.present(codes))

    def in_all(self, codes: list[str]) -> bool:
        return all(self.present(codes))


def chosen_countries(request: HttpRequest) -> list[Country]:
    """The countries asked for by ``?country=FR&country=DE``, in that order; a wrong
    number of them, or an unknown code, is refused naming what is wrong."""
    codes = _distinct([c.strip().upper()[:10] for c in request.GET.getlist("country")])
    if not codes:
        return []
    if len(codes) > MAX_COUNTRIES:
        raise Refused(f"Pick at most {MAX_COUNTRIES} countries; this asks for {len(codes)}.")
    found = {c.code: c for c in Country.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise Refused(
            f"There is no country with the code {', '.join(unknown)}: use ISO 3166-1 "
            "two-letter codes such as FR or DE, or pick from the list."
        )
    if len(codes) < MIN_COUNTRIES:
        raise Refused(
            f"Pick at least {MIN_COUNTRIES} different countries to compare; "
            f"this names only {found[codes[0]].name}."
        )
    return [found[code] for code in codes]


@dataclass
class Section:
    """One section of a comparison: its rows shown, and counts over all of its rows."""

    rows: list[Row]
    count: int  # rows in all
    in_all: int  # rows every country has
    per_country: dict[str, int]  # country code -> rows it has


# Rows per section on the page; the downloads hold them all. At 100,000 records France
# and Germany shared 40,000 agreements: 12 MB, 3 s and 200 MB of a worker.
COMPARE_ROWS = 200


def _counts(pairs, key: str, codes: dict[int, str]) -> tuple[int, int, dict[str, int]]:
    """(rows, rows every country has, rows per country) of ``pairs``, participations or
    memberships of the countries compared, counted by ``key`` (what a row is) in SQL."""
    by_row = pairs.order_by().values(key).annotate(n=Count("country", distinct=True))
    counted = by_row.aggregate(rows=Count(key), shared=Count(key, filter=Q(n=len(codes))))
    per_country = pairs.order_by().values_list("country").annotate(n=Count(key, distinct=True))
    return counted["rows"], counted["shared"], {codes[country]: n for country, n in per_country}


def country_rows(countries: list[Country], limit: int | None = None) -> dict[str, Section]:
    """Agreements (with each party's dates), bodies (with the year each joined) and norms
    (with the agreements that commit each country to them), the first ``limit`` rows of
    each (all with None) and each section's counts over all of its rows."""
    codes = {c.pk: c.code for c in countries}
    parties = Participation.objects.of_public_agreements().filter(country__in=countries)
    shown = Agreement.objects.filter(pk__in=parties.values("agreement"))
    shown = list(shown.order_by("-adopted", "title", "pk").values_list("pk", flat=True)[:limit])
    agreements = {pk: None for pk in shown}
    for party in parties.filter(agreement__in=shown).order_by("pk"):
        agreement = party.agreement
        if agreements[agreement.pk] is None:
            agreements[agreement.pk] = Row(
                agreement.title, agreement.get_absolute_url(), note=agreement.adopted
            )
        cell = party.summary or "party (no dates recorded)"
        agreements[agreement.pk].cells[codes[party.country_id]] = cell

    memberships = Membership.objects.public().filter(country__in=countries)
    bodies: dict[int, Row] = {}
    listed = Body.objects.filter(pk__in=memberships.values("body"))
    listed = listed.order_by(Lower("title"), Lower("acronym"), "pk")[:limit]
    for membership in memberships.filter(body__in=listed.values("pk")):
        body = membership.body
        row = bodies.setdefault(body.pk, Row(str(body), body.get_absolute_url()))
        row.cells[codes[membership.country_id]] = (
            f"member since {membership.since}" if membership.since else "member"
        )

    # A norm is committed to through the agreements a country has not withdrawn from.
    committed = parties.filter(withdrawn="")
    through = committed.filter(agreement__norm_links__norm__in=Norm.objects.published())
    norms = list(
        Norm.objects.filter(pk__in=through.values("agreement__norm_links__norm"))
        .select_related("framework")
        # Only what a row shows: at 100,000 records the whole rows of the 29,000 norms
        # were sorted on disk before the first 200 France's or Germany's were found.
        .only(
            "title",
            "slug",
            "reference",
            "position",
            "framework__slug",
            "framework__title",
            "framework__short_title",
            "framework__symbol",
            "framework__adopted",
        )
        .order_by("framework__adopted", "framework__title", "position", "pk")[:limit]
    )
    rows = {
        norm.pk: Row(norm.title, norm.get_absolute_url(),
                     note=f"{norm.framework.short_label} {norm.reference}")
        for norm in norms
    }  # fmt: skip
    links = list(
        NormLink.objects.filter(norm__in=norms, agreement__in=committed.values("agreement"))
        .select_related("agreement")
        .order_by("pk")
    )
    parties_of: dict[int, list[str]] = {}
    for party in committed.filter(agreement__in={link.agreement_id for link in links}):
        parties_of.setdefault(party.agreement_id, []).append(codes[party.country_id])
    for link in links:
        row, via = rows[link.norm_id], str(link.agreement)
        for code in parties_of[link.agreement_id]:
            text = row.cells.get(code, "")
            if via not in text:
                row.cells[code] = f"{text}, {via}" if text else f"{link.relation} by {via}"
    return {
        "Agreements": Section(list(agreements.values()), *_counts(parties, "agreement", codes)),
        "Bodies": Section(
            sorted(bodies.values(), key=lambda r: r.title.casefold()),
            *_counts(memberships, "body", codes),
        ),
        "Norms": Section(
            list(rows.values()), *_counts(through, "agreement__norm_links__norm", codes)
        ),
    }


SINGULAR = {"Agreements": "Agreement", "Bodies": "Body", "Norms": "Norm"}
SECTION_NOTES = {
    "Agreements": "Each party's signature, consent to be bound, entry into force and "
    "withdrawal, as recorded.",
    "Bodies": "Membership, with the date each joined where it is known.",
    "Norms": "Norms that the agreements each country is party to (and has not withdrawn "
    "from) affirm, reference or implement, and through which agreements.",
}


def pickers(codes: list[str]) -> list[str]:
    """The country chosen in each of the form's menus ("" for none)."""
    return [*codes[:MAX_COUNTRIES], *[""] * (MAX_COUNTRIES - len(codes))]


def countries(request: HttpRequest) -> HttpResponse:
    context = {
        "country_choices": list(Country.objects.order_by("name").values_list("code", "name")),
        "max": MAX_COUNTRIES,
        "prefill": request.GET.get("with", "").upper()[:2],
    }
    try:
        fmt = requested_format(request)
        chosen = chosen_countries(request)
    except Refused as refusal:
        context["error"] = str(refusal)
        context["pickers"] = pickers(request.GET.getlist("country"))
        return render(request, "visual/compare.html", context, status=400)
    context["pickers"] = pickers([c.code for c in chosen] or [context["prefill"]])
    if not chosen:
        return render(request, "visual/compare.html", context)
    codes = [c.code for c in chosen]
    sections = country_rows(chosen, None if fmt != "html" else COMPARE_ROWS)
    title = "Comparison of " + ", ".join(c.name for c in chosen)
    if fmt != "html":
        rows = [
            {
                "section": name.lower(),
                "title": row.title,
                "url": row.url,
                "in_all": row.in_all(codes),
                **{code: row.cells.get(code, "") for code in codes},
                "citation": citations.picture_here(request, title),
            }
            for name, section in sections.items()
            for row in section.rows
        ]
        columns = ["section", "title", "url", "in_all", *codes, "citation"]
        return export(request, rows, "cyberdiplo-compare-" + "-".join(codes).lower(), fmt, columns)
    query = request.GET.copy()
    query.pop("format", None)
    context.update(
        chosen=chosen,
        codes=codes,
        title=title,
        sections=[
            (
                name,
                SINGULAR[name],
                SECTION_NOTES[name],
                [
                    {
                        "row": r,
                        "cells": [r.cells.get(code) for code in codes],
                        "shared": r.shared_by(codes),
                        "in_all": r.in_all(codes),
                    }
                    for r in section.rows
                ],
                section.count,
                section.count - section.in_all,
            )
            for name, section in sections.items()
        ],
        totals=[
            (c, [section.per_country.get(c.code, 0) for section in sections.values()])
            for c in chosen
        ],
        query=query.urlencode(),
        citation=citations.picture_here(request, title),
    )
    return render(request, "visual/compare.html", context)


# ---------------------------------------------------------------------------------------
# Norms


def chosen_norms(request: HttpRequest) -> list[Norm]:
    """The norms named ``framework/norm`` by ``?norm=``, in that order."""
    refs = _distinct([r.strip().strip("/")[:200] for r in request.GET.getlist("norm")])
    if not refs:
        return []
    if len(refs) > MAX_NORMS:
        raise Refused(f"Pick at most {MAX_NORMS} norms; this asks for {len(refs)}.")
    wanted, pairs = Q(), []
    for ref in refs:
        framework, _, slug = ref.partition("/")
        if not framework or not slug or "/" in slug:
            raise Refused(f"Name a norm as framework/norm, e.g. un-gge-2015/13f, not “{ref[:60]}”.")
        pairs.append((framework, slug))
        wanted |= Q(framework__slug=framework, slug=slug)
    found = {
        (n.framework.slug, n.slug): n
        for n in Norm.objects.published().select_related("framework").filter(wanted)
    }
    unknown = [f"{f}/{s}" for f, s in pairs if (f, s) not in found]
    if unknown:
        raise Refused(f"There is no published norm {', '.join(unknown)}.")
    if len(refs) < MIN_NORMS:
        raise Refused(f"Pick at least {MIN_NORMS} different norms to compare their wording.")
    return [found[pair] for pair in pairs]


def wording(norm: Norm) -> tuple[str, bool]:
    """The official wording, or (when none is recorded) our summary, and which it is."""
    return (norm.quotation, True) if norm.quotation.strip() else (norm.summary, False)


# Norms each choice lists, the most recent frameworks' first; the others are named in
# the address (every norm's page links here with it). At 100,000 records the page listed
# 30,000 norms in each of its four choices: 28 MB.
PICKER_SIZE = 200


def picker(refs: list[str]) -> tuple[dict[str, list[Norm]], bool]:
    """The norms to choose from, by framework: ``PICKER_SIZE`` of them and those of
    ``refs`` (framework/norm) that exist; and whether some are left out."""
    norms = Norm.objects.published().for_picker().only(
        "slug", "reference", "title", "framework__slug", "framework__title",
        "framework__short_title", "framework__symbol",
    )  # fmt: skip
    listed = list(norms[: PICKER_SIZE + 1])
    more = len(listed) > PICKER_SIZE
    listed = listed[:PICKER_SIZE]
    shown = {f"{n.framework.slug}/{n.slug}" for n in listed}
    named = {ref.strip().strip("/") for ref in refs} - shown
    if named := [ref for ref in named if "/" in ref]:
        listed += list(norms.filter(norm_query("", named))[:MAX_NORMS])
    by_framework: dict[str, list[Norm]] = {}
    for norm in listed:
        by_framework.setdefault(norm.framework.short_label, []).append(norm)
    return by_framework, more


def selects(choices: dict[str, list[Norm]], chosen: list[str]) -> list[SafeString]:
    """The options of each of the form's menus (at least four; one per norm chosen), the
    norm chosen in that place selected."""
    groups = [
        (
            framework,
            [
                (f"{n.framework.slug}/{n.slug}", f"{n.reference} {Truncator(n.title).chars(60)}")
                for n in norms
            ],
        )
        for framework, norms in choices.items()
    ]
    return [
        options(groups, chosen[slot] if slot < len(chosen) else "")
        for slot in range(max(4, len(chosen)))
    ]


def norms(request: HttpRequest) -> HttpResponse:
    prefill = request.GET.get("with", "")[:200]
    choices, more = picker([prefill, *request.GET.getlist("norm")[:MAX_NORMS]])
    context = {"more_norms": more, "prefill": prefill}
    try:
        fmt = requested_format(request)
        chosen = chosen_norms(request)
    except Refused as refusal:
        refs = request.GET.getlist("norm")[:MAX_NORMS]
        context.update(error=str(refusal), menus=selects(choices, refs))
        return render(request, "visual/compare_norms.html", context, status=400)
    refs = [f"{n.framework.slug}/{n.slug}" for n in chosen] or [context["prefill"]]
    context["menus"] = selects(choices, refs)
    if not chosen:
        return render(request, "visual/compare_norms.html", context)
    base_text, _ = wording(chosen[0])
    columns = []
    for i, norm in enumerate(chosen):
        text, official = wording(norm)
        parts = [("equal", text)] if i == 0 else word_diff(base_text, text)
        columns.append(
            {
                "norm": norm,
                "ref": f"{norm.framework.slug}/{norm.slug}",
                "official": official,
                "text": text,
                "parts": parts,
                "added": sum(len(t.split()) for op, t in parts if op == "insert"),
                "removed": sum(len(t.split()) for op, t in parts if op == "delete"),
            }
        )
    title = "Wording of " + ", ".join(f"{n.framework.short_label} {n.reference}" for n in chosen)
    if fmt != "html":
        rows = [
            {
                "norm": col["ref"],
                "title": col["norm"].title,
                "framework": col["norm"].framework.short_label,
                "reference": col["norm"].reference,
                "url": col["norm"].get_absolute_url(),
                "wording": col["text"],
                "official_wording": col["official"],
                "words_added": col["added"],
                "words_removed": col["removed"],
                "differences": " ".join(
                    f"[-{t}-]" if op == "delete" else f"{{+{t}+}}"
                    for op, t in col["parts"]
                    if op != "equal"
                ),
                "citation": citations.picture_here(request, title),
            }
            for col in columns
        ]
        return export(request, rows, "cyberdiplo-compare-norms", fmt, list(rows[0]))
    query = request.GET.copy()
    query.pop("format", None)
    context.update(
        columns=columns,
        title=title,
        query=query.urlencode(),
        citation=citations.picture_here(request, title),
    )
    return render(request, "visual/compare_norms.html", context)
