"""Norm adoption per state (issue 14): /countries/<code>/norms/ lists the norms a state
has committed to, each with the routes by which it did and their dates: as a party to an
instrument that affirms, references or implements the norm (from its consent, or its
signature where it gave no separate consent), as a member of a body that promotes it
(from the year it joined, where known), and through its own published position on
international law. General Assembly resolutions that affirm norms are listed apart: the
Assembly adopted them as a whole, and how each state voted is not recorded here.

Seven queries, whatever the size of the state's record.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from agreements.models import Agreement, NormLink, Participation
from bodies.models import Membership, Promotion
from norms.models import Norm
from positions.models import NationalPosition, PositionNorm
from reference.models import Country


@dataclass
class Route:
    kind: str  # "agreement", "body" or "position"
    record: object
    since: str  # a partial date, or ""
    how: str  # "affirms", "promotes", "addresses"...


@dataclass
class Adopted:
    norm: Norm
    routes: list[Route] = field(default_factory=list)

    @property
    def since(self) -> str:
        """The earliest dated route (partial dates compare as text at their precision)."""
        dated = sorted(r.since for r in self.routes if r.since)
        return dated[0] if dated else ""


def adoption(country: Country) -> tuple[list[Adopted], list]:
    """(the norms ``country`` committed to with their routes, in framework order;
    the General Assembly's universal resolutions that affirm norms)."""
    found: dict[int, Adopted] = {}

    def add(norm, route):
        # No commitment to a norm before the norm was written: a state that joined the G7
        # in 1975 is committed to a 2015 norm the G7 promotes from 2015.
        if route.since and norm.framework.adopted:
            route.since = max(route.since, norm.framework.adopted)
        found.setdefault(norm.pk, Adopted(norm)).routes.append(route)

    parties = {
        p.agreement_id: p
        for p in Participation.objects.of_public_agreements()
        .filter(country=country, withdrawn="")
        .exclude(agreement__reach=Agreement.Reach.UNIVERSAL)
    }
    links = (
        NormLink.objects.with_public_norm()
        .filter(agreement__in=list(parties))
        .select_related("norm__framework", "agreement")
    )
    for link in links:
        party = parties[link.agreement_id]
        add(link.norm, Route("agreement", link.agreement, party.consent or party.signed,
                             link.get_relation_display().lower()))  # fmt: skip
    members = {m.body_id: m for m in Membership.objects.public().filter(country=country)}
    promotions = Promotion.objects.filter(
        body__in=list(members), norm__in=Norm.objects.published()
    ).select_related("norm__framework", "body")
    for promotion in promotions:
        add(promotion.norm, Route("body", promotion.body, members[promotion.body_id].since,
                                  "promotes"))  # fmt: skip
    positions = NationalPosition.objects.published().filter(country=country)
    addressed = PositionNorm.objects.filter(
        position__in=positions, norm__in=Norm.objects.published()
    ).select_related("norm__framework", "position")
    for link in addressed:
        add(link.norm, Route("position", link.position, link.position.published, "addresses"))
    # In the frameworks' order (each norm came with its framework).
    adopted = sorted(
        found.values(),
        key=lambda a: (a.norm.framework.adopted, a.norm.framework.title, a.norm.position),
    )
    for item in adopted:
        item.routes.sort(key=lambda r: (r.since or "9999", r.kind))
    universal = (
        NormLink.objects.with_public_norm()
        .with_public_agreement()
        .filter(agreement__reach=Agreement.Reach.UNIVERSAL, relation=NormLink.Relation.AFFIRMS)
        .select_related("agreement")
        .order_by("agreement__adopted", "agreement__title")
        .distinct("agreement__adopted", "agreement__title")
    )
    return adopted, [link.agreement for link in universal]


def country_norms(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    adopted, universal = adoption(country)
    return render(
        request,
        "visual/adoption.html",
        {"country": country, "adopted": adopted, "universal": universal},
    )
