"""Norm adoption per state (issue 14): /countries/<code>/norms/ lists the norms a state
has committed to, each with the routes by which it did and their dates: as a party to an
instrument that affirms, references or implements the norm (from its consent, or its
signature where it gave no separate consent), as a member of a body that promotes it
(from the year it joined, where known), and through its own published position on
international law. General Assembly resolutions that affirm norms are listed apart: the
Assembly adopted them as a whole, and how each state voted is not recorded here.

A page of 100 norms at a time, in eight queries whatever the size of the state's record
(four round trips): the norms are chosen in SQL, and only the page's routes are read.

The other way round, /norms/<framework>/<norm>/states/ shows for one norm the states
committed to it over time: a count by year and a map, from the same three routes.
"""

from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from agreements.models import Agreement, NormLink, Participation
from bodies.models import Membership, Promotion
from core import charts, citations, compiled, worldmap
from core.dates import format_partial_date
from core.models import url_of
from core.pages import page_number, paginate
from core.worldmap import Category, MapFigure, Place
from norms.models import Norm
from positions.models import NationalPosition, PositionNorm
from reference.models import Country


@dataclass
class Route:
    kind: str  # "agreement", "body" or "position"
    record: object
    since: str  # a partial date, or ""
    how: str  # "affirms", "promotes", "addresses"...


def dated_from(route: Route, norm: Norm) -> Route:
    """No commitment to a norm before the norm was written: a state that joined the G7 in
    1975 is committed to a 2015 norm the G7 promotes from 2015."""
    if route.since and norm.framework.adopted:
        route.since = max(route.since, norm.framework.adopted)
    return route


@dataclass
class Routed:
    """A commitment and the routes it came by."""

    routes: list[Route] = field(default_factory=list)

    @property
    def since(self) -> str:
        """The earliest dated route (partial dates compare as text at their precision)."""
        dated = sorted(r.since for r in self.routes if r.since)
        return dated[0] if dated else ""


@dataclass
class Adopted(Routed):
    norm: Norm | None = None


def routes_of(country_pk: int) -> tuple:
    """The three routes' starts for a country: its parties (not withdrawn, universal
    instruments apart), its memberships and its published positions (querysets)."""
    parties = (
        Participation.objects.of_public_agreements()
        .filter(country=country_pk, withdrawn="")
        .exclude(agreement__reach=Agreement.Reach.UNIVERSAL)
    )
    members = Membership.objects.public().filter(country=country_pk)
    positions = NationalPosition.objects.published().filter(country=country_pk)
    return parties, members, positions


NORM_ORDER = ("framework__adopted", "framework__title", "position", "pk")
NORM_NAME = ("slug", "reference", "title", "framework__slug", "framework__short_title",
             "framework__symbol", "framework__title", "framework__adopted")  # fmt: skip


def committed_norms(country_pk: int):
    """The published norms a country committed to by any of the three routes, in the
    frameworks' order (a queryset: a page of it is read, however many there are)."""
    parties, members, positions = routes_of(country_pk)
    return (
        Norm.objects.published()
        .filter(
            Q(
                pk__in=NormLink.objects.filter(agreement__in=parties.values("agreement")).values(
                    "norm"
                )
            )
            | Q(pk__in=Promotion.objects.filter(body__in=members.values("body")).values("norm"))
            | Q(pk__in=PositionNorm.objects.filter(position__in=positions).values("norm"))
        )
        .select_related("framework")
        .order_by(*NORM_ORDER)
    )


def _committed_page(country_pk: int, after: int, until: int):
    """The committed norms numbered ``after`` + 1 to ``until``, each with how many there
    are in all (``total``): a page and its count in one query whose bounds are values,
    not literals, so that it is compiled once for every page."""
    return (
        committed_norms(country_pk)
        .annotate(
            # A big integer: the stand-ins the shape is compiled with are out of an
            # integer's range, and Django drops a bound that no integer can pass.
            row=Window(
                RowNumber(output_field=BigIntegerField()),
                order_by=[F(name).asc() for name in NORM_ORDER],
            ),
            total=Window(Count("*")),
        )
        .filter(row__gt=after, row__lte=until)
        # What the page shows of a norm: the rows are numbered after sorting them all,
        # thousands at scale, and whole norms would not sort in memory.
        .only(*NORM_NAME)
    )


def _links(country_pk: int, norm_pks: list[int]):
    parties, _, _ = routes_of(country_pk)
    return (
        NormLink.objects.filter(norm__any=norm_pks, agreement__in=parties.values("agreement"))
        .select_related("agreement")
        .only("norm", "relation", *AGREEMENT_NAME)
        .order_by("pk")
    )


def _promotions(country_pk: int, norm_pks: list[int]):
    _, members, _ = routes_of(country_pk)
    return (
        Promotion.objects.filter(body__in=members.values("body"), norm__any=norm_pks)
        .select_related("body")
        .only("norm", *BODY_NAME)
        .order_by("pk")
    )


def _addressed(country_pk: int, norm_pks: list[int]):
    _, _, positions = routes_of(country_pk)
    return (
        PositionNorm.objects.filter(position__in=positions, norm__any=norm_pks)
        .select_related("position")
        .only("norm", *POSITION_NAME)
        .order_by("pk")
    )


def _parties(country_pk: int, agreement_pks: list[int]):
    parties, _, _ = routes_of(country_pk)
    return parties.filter(agreement__any=agreement_pks).only("agreement", "consent", "signed")


def _memberships(country_pk: int, body_pks: list[int]):
    _, members, _ = routes_of(country_pk)
    return members.filter(body__any=body_pks).only("body", "since")


def _stage(country_pk: int, pks: list[int], *builds) -> list[compiled.Query]:
    return [
        compiled.Query(("country norms", build.__name__), build, (country_pk, pks))
        for build in builds
    ]


def adoption(country_pk: int, norms: list[Norm], *also) -> tuple[list[Adopted], list]:
    """``norms`` (some of ``committed_norms``) with the routes by which a country
    committed to each, earliest first: five queries for these norms only, compiled once
    (core/compiled.py) and sent in two batches, the first with ``also`` (other queries,
    whose rows come second)."""
    found = {norm.pk: Adopted(norm=norm) for norm in norms}

    def add(norm_id, route):
        adopted = found[norm_id]
        adopted.routes.append(dated_from(route, adopted.norm))

    links, promotions, addressed, *found_also = compiled.together(
        [*_stage(country_pk, list(found), _links, _promotions, _addressed), *also]
    )
    agreements = sorted({link.agreement_id for link in links})
    bodies = sorted({promotion.body_id for promotion in promotions})
    parties, members = compiled.together(
        [*_stage(country_pk, agreements, _parties), *_stage(country_pk, bodies, _memberships)]
    )
    party_of = {p.agreement_id: p for p in parties}
    since_of = {m.body_id: m.since for m in members}
    for link in links:
        party = party_of[link.agreement_id]
        add(link.norm_id, Route("agreement", link.agreement, party.consent or party.signed,
                                link.get_relation_display().lower()))  # fmt: skip
    for promotion in promotions:
        add(promotion.norm_id,
            Route("body", promotion.body, since_of[promotion.body_id], "promotes"))  # fmt: skip
    for link in addressed:
        add(link.norm_id, Route("position", link.position, link.position.published, "addresses"))
    for item in found.values():
        item.routes.sort(key=lambda r: (r.since or "9999", r.kind))
    return list(found.values()), found_also


def _universal_resolutions():
    """The General Assembly's universal resolutions that affirm norms (their links)."""
    return (
        NormLink.objects.with_public_norm()
        .with_public_agreement()
        .filter(agreement__reach=Agreement.Reach.UNIVERSAL, relation=NormLink.Relation.AFFIRMS)
        .select_related("agreement")
        .order_by("agreement__adopted", "agreement__title")
        .distinct("agreement__adopted", "agreement__title")
    )


# Norms per page of a state's list: at 100,000 records France's was 5.8 MB in one page.
NORMS_PER_PAGE = 100


def country_norms(request: HttpRequest, code: str) -> HttpResponse:
    country = compiled.record("country", Country.objects.all, code=code.upper())
    after = (page_number(request) - 1) * NORMS_PER_PAGE
    # Alone, on a cursor that binds on the client: its best plan depends on the state, and
    # PostgreSQL plans a bound statement no better (at 100,000 records, 90 ms for France's
    # first page, against 230 prepared and 260 in a pipeline).
    norms = compiled.rows(
        ("country norms", "page"),
        _committed_page,
        country.pk,
        after,
        after + NORMS_PER_PAGE,
        prepare=False,
    )
    # Past the last page nothing is read, and the count is asked for the page's 404.
    total = norms[0].total if norms else committed_norms(country.pk).count() if after else 0
    page = paginate(request, range(total), per_page=NORMS_PER_PAGE)
    universal = compiled.Query(("country norms", "universal"), _universal_resolutions, ())
    page.object_list, (universal,) = adoption(country.pk, norms, universal)
    return render(
        request,
        "visual/adoption.html",
        {
            "country": country,
            "page": page,
            "universal": [link.agreement for link in universal],
        },
    )


# --- One norm, every state ---------------------------------------------------------------

# A state's colour on the map: its strongest route, whatever came first.
THROUGH_AGREEMENT = Category("agreement", "Party to an instrument that links it", "#0b4f8a")
THROUGH_POSITION = Category("position", "Its own position addresses it", "#4f8fcf")
THROUGH_BODY = Category("body", "Member of a body that promotes it", "#d6e6f5", "hatch", "#3f7fbf")
ROUTE_CATEGORIES = [THROUGH_AGREEMENT, THROUGH_POSITION, THROUGH_BODY]
ROUTE_WORDS = {
    "agreement": "party to {record}",
    "body": "member of {record}",
    "position": "its position “{record.title}”",
}


@dataclass
class Committed(Routed):
    country: Country | None = None

    @property
    def strongest(self) -> Category:
        kinds = {r.kind for r in self.routes}
        return next(c for c in ROUTE_CATEGORIES if c.key in kinds)

    def detail(self) -> str:
        parts = []
        for r in self.routes:
            words = ROUTE_WORDS[r.kind].format(record=r.record)
            parts.append(f"{words} ({format_partial_date(r.since)})" if r.since else words)
        return "; ".join(parts)


# What a route names: the columns of the record and the country it shows (a name and a link),
# not their texts, for the hundreds of routes a page may list.
AGREEMENT_NAME = ("agreement", "agreement__slug", "agreement__title", "agreement__short_title")
BODY_NAME = ("body", "body__slug", "body__title", "body__acronym")
POSITION_NAME = ("position", "position__slug", "position__title", "position__published")
COUNTRY_NAME = ("country", "country__code", "country__name")


def _committing_parties(norm_pk: int):
    linking = NormLink.objects.with_public_agreement().filter(norm=norm_pk).values("agreement")
    return (
        Participation.objects.of_public_agreements()
        .filter(agreement__in=linking, country__isnull=False, withdrawn="")
        .exclude(agreement__reach=Agreement.Reach.UNIVERSAL)
        .select_related("country")
        .only("consent", "signed", *AGREEMENT_NAME, *COUNTRY_NAME)
    )


def _committing_members(norm_pk: int):
    promoting = Promotion.objects.filter(norm=norm_pk).values("body")
    return (
        Membership.objects.public()
        .filter(body__in=promoting, country__isnull=False)
        .select_related("country", "body")
        .only("since", *BODY_NAME, *COUNTRY_NAME)
    )


def _committing_positions(norm_pk: int):
    return (
        PositionNorm.objects.filter(norm=norm_pk, position__in=NationalPosition.objects.published())
        .select_related("position__country")
        .only(*POSITION_NAME, "position__country__code", "position__country__name")
    )


def _affirming_resolutions(norm_pk: int):
    return (
        NormLink.objects.with_public_agreement()
        .filter(norm=norm_pk, agreement__reach=Agreement.Reach.UNIVERSAL)
        .select_related("agreement")
        .order_by("agreement__adopted", "agreement__title")
    )


def committed_states(norm: Norm) -> tuple[list[Committed], list[Agreement]]:
    """The states committed to ``norm`` by the three routes of ``adoption``, by name, each
    route dated no earlier than the norm's framework; and the General Assembly's
    resolutions that affirm or reference it. Four queries, compiled once and sent together
    (core/compiled.py)."""
    found: dict[int, Committed] = {}

    def add(country, route):
        found.setdefault(country.pk, Committed(country=country)).routes.append(
            dated_from(route, norm)
        )

    queries = [
        compiled.Query(("norm states", build.__name__), build, (norm.pk,))
        for build in (
            _committing_parties,
            _committing_members,
            _committing_positions,
            _affirming_resolutions,
        )
    ]
    parties, members, addressed, universal = compiled.together(queries)
    for p in parties:
        add(p.country, Route("agreement", p.agreement, p.consent or p.signed, "links"))
    for m in members:
        add(m.country, Route("body", m.body, m.since, "promotes"))
    for link in addressed:
        add(link.position.country,
            Route("position", link.position, link.position.published, "addresses"))  # fmt: skip
    states = sorted(found.values(), key=lambda c: c.country.name)
    for state in states:
        state.routes.sort(key=lambda r: (r.since or "9999", r.kind))
    return states, [link.agreement for link in universal]


def states_chart(norm: Norm, states: list[Committed]) -> charts.AccessionChart | None:
    """States committed so far, by year (each counted from its earliest dated route)."""
    return charts.accession_chart(
        f"States committed to {norm.framework.short_label} {norm.reference}, by year",
        [(s.since, s.since, "") for s in states],
        adopted=norm.framework.adopted,
        series=charts.STATES_SERIES,
        noun="states committed",
    )


def states_map(norm: Norm, states: list[Committed]) -> MapFigure | None:
    if not states:
        return None
    return MapFigure(
        title=f"States committed to {norm.framework.short_label} {norm.reference}",
        description="Each state coloured by its strongest route: party to an instrument "
        "that links the norm, its own published position, or membership of a body that "
        "promotes it.",
        categories=ROUTE_CATEGORIES,
        places=[
            Place(
                code=s.country.code,
                name=s.country.name,
                url=url_of(s.country),
                category=s.strongest.key,
                detail=s.detail(),
            )
            for s in states
        ],  # fmt: skip
        slug=f"norm-{norm.framework.slug}-{norm.slug}-states",
    )


def norm_states(request: HttpRequest, framework: str, slug: str) -> HttpResponse:
    norm = compiled.record(
        ("norm", "states"),
        lambda: Norm.objects.published().select_related("framework"),
        framework__slug=framework,
        slug=slug,
    )
    states, universal = committed_states(norm)
    figure = states_map(norm, states)
    chart = states_chart(norm, states)
    if "map" in request.GET:
        if figure is None:
            raise Http404("No state is recorded as committed to this norm: there is no map.")
        return worldmap.download(request, figure, request.GET["map"])
    page = request.build_absolute_uri(request.path)
    if "chart" in request.GET:
        if chart is None:
            raise Http404("Too few dated commitments for a chart.")
        cite = citations.picture(chart.title, page)
        return charts.download(
            request, charts.picture_format(request, "chart"),
            f"cyberdiplo-{figure.slug}", rows=chart.rows(), columns=charts.STATES_COLUMNS,
            svg=charts.draw_accession(chart, standalone=True, cite=cite), cite=cite,
        )  # fmt: skip
    return render(
        request,
        "visual/norm_states.html",
        {
            "norm": norm,
            "states": states,
            "world_map": figure,
            "chart": chart,
            "chart_svg": charts.draw_accession(chart, ident="states") if chart else "",
            "chart_citation": citations.picture(chart.title, page) if chart else "",
            "undated": sum(1 for s in states if not s.since),
            "universal": universal,
        },
    )
