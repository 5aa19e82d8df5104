"""How the site presents agreements: their record type and their part of country pages."""

from django.db.models import Count, Q

from agreements import asof, linkgraph, timeline
from agreements.filters import AgreementFilter
from agreements.models import Agreement, Participation
from agreements.serializers import AgreementSerializer
from core.registry import Column, CountrySection, RecordType, registry


def party_count(agreement) -> int:
    return len(agreement.participations.all())


def party_names(agreement) -> list[str]:
    return [str(p.party) for p in agreement.participations.all()]


def norm_refs(agreement) -> list[str]:
    return [f"{link.norm.framework.slug}/{link.norm.slug}" for link in agreement.norm_links.all()]


def parties_of(country):
    return (
        Participation.objects.of_public_agreements()
        .filter(country=country)
        .order_by("agreement__title")
    )


# Rows a country page shows on a day or for a period, by agreement title.
DATED_ROWS = 200
STEP_FIELDS = ("signed", "consent", "entry_into_force", "withdrawn")


def parties_dated(country, day, period) -> dict:
    """The country's party rows on ``day`` (each with where it stood) or its steps in
    ``period``: the rows that may have a step by then (or in it) are found in the database,
    at most ``DATED_ROWS``; the partial dates are judged here (agreements/asof.py)."""
    maybe = Q()
    for field in STEP_FIELDS:
        if day:
            maybe |= ~Q(**{field: ""}) & Q(**{f"{field}__lte": day.isoformat()})
        else:
            start, end = period
            maybe |= Q(**{f"{field}__gte": str(start.year), f"{field}__lte": end.isoformat()})
    rows = list(parties_of(country).filter(maybe).select_related("country")[: DATED_ROWS + 1])
    capped = len(rows) > DATED_ROWS
    rows = rows[:DATED_ROWS]
    if day:
        return {"on": [r for p in rows if (r := asof.party_on(p, day))], "capped": capped}
    return {"changes": asof.between(rows, *period), "capped": capped, "capped_rows": DATED_ROWS}


def agreement_count():
    # On the agreement's id, not the participation's: the published agreements' ids are
    # a small set to hash; the public participations' ids (700,000 at scale) were not,
    # and the count ran for more than ten minutes.
    published = Agreement.objects.published().values("pk")
    return Count("participations", filter=Q(participations__agreement__in=published))


def register() -> None:
    registry.register(
        RecordType(
            model=Agreement,
            key="agreement",
            label="Agreements",
            api_prefix="agreements",
            serializer=AgreementSerializer,
            filterset=AgreementFilter,
            list_url="agreements:list",
            columns=(
                Column("party_count", "how many parties are recorded", party_count),
                Column("parties", "the parties' names", party_names),
                Column("norms", "the norms it affirms, references or implements, as framework/norm",
                       norm_refs),
            ),
        )
    )  # fmt: skip
    registry.country_sections.append(
        CountrySection(
            label="Agreements",
            template="agreements/_country_parties.html",
            rows=parties_of,
            count_name="agreement_count",
            count=agreement_count,
            dated=parties_dated,
            dated_template="agreements/_country_parties_dated.html",
        )
    )
    registry.link_edges.append(linkgraph.link_edges)
    registry.timeline_lanes.append(timeline.LANE)
