"""An agreement's parties as they stood on a given day (``?as_of=YYYY-MM-DD``, issue 14):
each party's furthest step by then (signed, bound, in force, withdrawn), and, where a
step's date is known only to the year or month that holds the day, that the step may
or may not have been taken yet. And what changed between two days
(``?from=YYYY-MM-DD&to=YYYY-MM-DD``): every step taken from the first to the second, both
included, a step whose date straddles either edge listed as perhaps in the period. No query: the
parties are the page's own rows."""

import datetime
from dataclasses import dataclass

from core.dates import format_partial_date, on_or_before, within

# Furthest first: the first step taken by the day is where the party stood.
STEPS = (
    ("withdrawn", "Withdrawn", "withdrew"),
    ("entry_into_force", "In force", "entered into force for it"),
    ("consent", "Bound, not yet in force", "consented to be bound"),
    ("signed", "Signed only", "signed"),
)


@dataclass
class PartyOn:
    participation: object
    state: str  # one of the STEPS labels, or "" when no step was surely taken
    uncertain: str  # a later step that may have been taken by the day, said plainly


@dataclass
class AgreementOn:
    day: datetime.date
    rows: list[PartyOn]
    existed: bool | None  # adopted by the day (None: the day is inside its adoption period)
    in_force: bool | None

    def counts(self) -> list[tuple[str, int]]:
        labels = [label for _, label, _ in STEPS]
        found = [(label, sum(1 for r in self.rows if r.state == label)) for label in labels]
        unsure = sum(1 for r in self.rows if not r.state)
        return [(label, n) for label, n in found if n] + (
            [("A step perhaps taken, date uncertain", unsure)] if unsure else []
        )


# What the count of each step in a period is called.
COUNTED = {
    "signed": "signatures",
    "consented to be bound": "consents to be bound",
    "entered into force for it": "entries into force",
    "withdrew": "withdrawals",
}


@dataclass
class Step:
    participation: object
    date: str  # partial ISO date
    label: str  # "Signed", "Bound"...
    verb: str
    uncertain: bool  # known only to a year or month that straddles the period's edge


@dataclass
class Changes:
    start: datetime.date
    end: datetime.date
    steps: list[Step]

    def counts(self) -> list[tuple[str, int]]:
        found = {}
        for step in self.steps:
            if not step.uncertain:
                found[step.verb] = found.get(step.verb, 0) + 1
        return [(COUNTED[verb], found[verb]) for _, _, verb in reversed(STEPS) if verb in found]

    @property
    def uncertain(self) -> int:
        return sum(1 for s in self.steps if s.uncertain)


def between(participations, start: datetime.date, end: datetime.date) -> Changes:
    """Every step taken from ``start`` to ``end``, both days included, in date order."""
    steps = []
    for p in participations:
        for field, label, verb in reversed(STEPS):
            value = getattr(p, field)
            inside = within(value, start, end) if value else False
            if inside is not False:
                steps.append(Step(p, value, label, verb, uncertain=inside is None))
    steps.sort(key=lambda s: (s.date, str(s.participation.party)))
    return Changes(start, end, steps)


def party_on(p, day: datetime.date) -> PartyOn | None:
    """Where participation ``p`` stood on ``day``; None if it had surely taken no step."""
    iso = day.isoformat()
    state, uncertain = "", ""
    for field, label, verb in STEPS:
        value = getattr(p, field)
        if not value:
            continue
        taken = on_or_before(value, iso)
        if taken:
            state = label
            break
        if taken is None and not uncertain:
            uncertain = f"{verb} in {format_partial_date(value)}, perhaps after this day"
    return PartyOn(p, state, uncertain) if state or uncertain else None


def on(agreement, participations, day: datetime.date) -> AgreementOn:
    iso = day.isoformat()
    rows = [row for p in participations if (row := party_on(p, day))]
    existed = on_or_before(agreement.adopted, iso) if agreement.adopted else None
    in_force = (
        on_or_before(agreement.entry_into_force, iso) if agreement.entry_into_force else False
    )
    return AgreementOn(day, rows, existed, in_force)
