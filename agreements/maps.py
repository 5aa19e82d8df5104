"""An agreement's parties on a world map, coloured by how far each has gone."""

from agreements.models import Agreement, Participation
from core.models import url_of
from core.worldmap import Category, MapFigure, Place

# In legend order, from the furthest step to none; never colour alone: patterns too.
IN_FORCE = Category("in-force", "In force for the party", "#0b4f8a")
BOUND = Category("bound", "Consent to be bound, not yet in force", "#4f8fcf")
SIGNED = Category("signed", "Signed only", "#d6e6f5", "hatch", "#3f7fbf")
PARTICIPANT = Category(
    "participant", "Participant, no dates recorded", "#8fb3d3", "dots", "#0b4f8a"
)
WITHDRAWN = Category("withdrawn", "Withdrawn", "#f3dccb", "hatch", "#a4471a")
STATES = [IN_FORCE, BOUND, SIGNED, PARTICIPANT, WITHDRAWN]


def party_state(p: Participation) -> Category:
    """Where a party stands: the furthest step recorded, a withdrawal last of all."""
    if p.withdrawn:
        return WITHDRAWN
    if p.entry_into_force:
        return IN_FORCE
    if p.consent:
        return BOUND
    if p.signed:
        return SIGNED
    return PARTICIPANT


def party_map(agreement: Agreement) -> MapFigure | None:
    """The map of its country parties (from the prefetched participations: no query),
    or None where it has none. Body parties are named in a note, not drawn. Each party's
    dates are in the page's own party table (and the agreement's export), not repeated."""
    participations = list(agreement.participations.all())
    places = [
        Place(
            code=p.country.code,
            name=p.country.name,
            url=url_of(p.country),
            category=party_state(p).key,
        )
        for p in participations
        if p.country_id
    ]
    if not places:
        return None
    others = [str(p.body) for p in participations if p.body_id]
    return MapFigure(
        title=f"Parties to the {agreement}",
        description="Each state party coloured by how far it has gone: signature, "
        "consent to be bound, entry into force for it, or withdrawal.",
        categories=STATES,
        places=places,
        slug=f"agreement-{agreement.slug}",
        notes=[f"Also parties, not states so not drawn: {', '.join(others)}."] if others else [],
    )
