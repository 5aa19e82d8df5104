"""A body's members on a day (``?as_of=YYYY-MM-DD``) and those who joined in a period
(``?from=&to=``), from the joining dates recorded (issue 14), on the body's page and, for
one state, on the state's page. A member whose joining date is known only to the year or
month that holds the day, or that runs across the period's edge, is listed as perhaps;
one whose date is not recorded is listed apart. Memberships that ended are not recorded,
so a past day may lack a state that has since left. No query: the rows are given."""

import datetime
from dataclasses import dataclass

from core.dates import format_partial_date, on_or_before, within


@dataclass
class MembersOn:
    day: datetime.date
    members: list  # surely members by the day
    perhaps: list  # (membership, why)
    undated: list  # joining date not recorded

    def __bool__(self) -> bool:
        return bool(self.members or self.perhaps or self.undated)


@dataclass
class Joined:
    start: datetime.date
    end: datetime.date
    joined: list  # surely joined in the period, by date
    perhaps: list  # (membership, why)

    def __bool__(self) -> bool:
        return bool(self.joined or self.perhaps)


def on(memberships, day: datetime.date) -> MembersOn:
    members, perhaps, undated = [], [], []
    for m in memberships:
        if not m.since:
            undated.append(m)
            continue
        taken = on_or_before(m.since, day.isoformat())
        if taken:
            members.append(m)
        elif taken is None:
            perhaps.append((m, f"joined in {format_partial_date(m.since)}, perhaps after this day"))
    return MembersOn(day, members, perhaps, undated)


def joined_between(memberships, start: datetime.date, end: datetime.date) -> Joined:
    joined, perhaps = [], []
    for m in memberships:
        inside = within(m.since, start, end) if m.since else False
        if inside:
            joined.append(m)
        elif inside is None:
            perhaps.append(
                (m, f"joined in {format_partial_date(m.since)}, perhaps outside this period")
            )
    joined.sort(key=lambda m: m.since)
    return Joined(start, end, joined, perhaps)
