"""An agreement's parties as they stood on a given day (``?as_of=YYYY-MM-DD``, issue 14):
each party's furthest step by then (signed, bound, in force, withdrawn), and, where a
step's date is known only to the year or month that holds the day, that the step may
or may not have been taken yet. No query: the parties are the page's own rows."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import BadRequest

from core.dates import format_partial_date, on_or_before

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


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(
            f"as_of is a date written YYYY-MM-DD, such as 2005-01-01, not “{value[:20]}”."
        ) from None


def on(agreement, participations, day: datetime.date) -> AgreementOn:
    iso = day.isoformat()
    rows = []
    for p in participations:
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
        if state or uncertain:
            rows.append(PartyOn(p, state, uncertain))
    existed = on_or_before(agreement.adopted, iso) if agreement.adopted else None
    in_force = (
        on_or_before(agreement.entry_into_force, iso) if agreement.entry_into_force else False
    )
    return AgreementOn(day, rows, existed, in_force)
