"""Dates at the precision known: ``2015``, ``2015-09`` or ``2015-09-25``.

Stored as text, which sorts and compares in date order at equal precision, so
range filters and "not before" rules work in the database.
"""

import datetime
from calendar import monthrange

from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Least, Left, Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.dates import MONTHS
from django.utils.translation import pgettext

PARTIAL_DATE_RE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
validate_partial_date = RegexValidator(
    PARTIAL_DATE_RE, "Enter an ISO date at the precision known: 2015, 2015-09 or 2015-09-25."
)


class PartialDateField(models.CharField):
    """An ISO 8601 date at the precision known: ``2015``, ``2015-09`` or ``2015-09-25``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text", "ISO date at the precision known: 2015, 2015-09 or 2015-09-25."
        )
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def formfield(self, **kwargs):
        # Narrow, with the accepted forms in view and checked by the browser as typed;
        # the server checks again (validate_partial_date).
        attrs = {
            "class": "partial-date",
            "size": 10,
            "placeholder": "YYYY-MM-DD",
            "pattern": r"\d{4}(-\d{2}(-\d{2})?)?",
            "title": "A year, a year and month, or a full date: 2015, 2015-09 or 2015-09-25",
            "inputmode": "numeric",
        }
        kwargs["widget"] = forms.TextInput(attrs=attrs)
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_length", 10), ("blank", True)):
            if kwargs.get(key) == default:
                del kwargs[key]
        return name, path, args, kwargs


def partial_date_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database's own check that ``field`` holds a partial ISO date or nothing."""
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__regex": PARTIAL_DATE_RE}),
        name=name,
        violation_error_message=f"{field.replace('_', ' ').capitalize()} must be an ISO date.",
    )


def not_before_constraint(later: str, earlier: str, name: str) -> models.CheckConstraint:
    """``later`` may not come before ``earlier`` when both are known.

    Dates are compared at the precision both share: "2019-05" is not before
    "2019-05-17".
    """
    shared = Least(Length(later), Length(earlier))
    return models.CheckConstraint(
        condition=Q(**{later: ""})
        | Q(**{earlier: ""})
        | Q(GreaterThanOrEqual(Left(later, shared), Left(earlier, shared))),
        name=name,
        violation_error_message=(
            f"{later.replace('_', ' ').capitalize()} cannot be before {earlier.replace('_', ' ')}."
        ),
    )


def is_before(value: str, other: str) -> bool:
    """Whether partial ISO date ``value`` is before ``other``, at the precision both share."""
    shared = min(len(value), len(other))
    return bool(value and other) and value[:shared] < other[:shared]


def span(value: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the year, month or day that partial date ``value`` names."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return datetime.date(year, month, 1), datetime.date(year, month, monthrange(year, month)[1])
    return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)


def on_or_before(value: str, day: str) -> bool | None:
    """Whether partial ISO date ``value`` fell on or before the full ISO date ``day``:
    True, False, or None when ``day`` falls inside the year or month ``value`` names
    before its last day, so that the source cannot tell ("2004" against 2004-06-01)."""
    first, last = span(value)
    asked = datetime.date.fromisoformat(day)
    if last <= asked:
        return True
    return False if first > asked else None


def within(value: str, start: datetime.date, end: datetime.date) -> bool | None:
    """Whether partial ISO date ``value`` fell from ``start`` to ``end``, both included:
    True, False, or None when its year or month runs across either edge."""
    first, last = span(value)
    if last < start or first > end:
        return False
    return True if start <= first and last <= end else None


# --- A day or a period asked for in a query string (?as_of=, ?from=&to=) ----------------


def parse_day(value: str, name: str = "as_of") -> datetime.date:
    """The full ISO date ``value`` of parameter ``name``, or a 400 that says how to write it."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(
            f"{name} is a date written YYYY-MM-DD, such as 2005-01-01, not “{value[:20]}”."
        ) from None


def parse_period(start: str, end: str) -> tuple[datetime.date, datetime.date]:
    """The two days of ``?from=&to=``, checked: both dates, the first not after the second."""
    if not (start and end):
        raise BadRequest("What changed needs two dates, from and to, each written YYYY-MM-DD.")
    first, last = parse_day(start, "from"), parse_day(end, "to")
    if first > last:
        raise BadRequest(
            f"from ({first.isoformat()}) is after to ({last.isoformat()}): give the earlier "
            "date first."
        )
    return first, last


def asked_dates(query) -> tuple[datetime.date | None, tuple | None]:
    """(the day of ``?as_of=``, the period of ``?from=&to=``) of a request's query, each
    None when not asked for; a bad date is a 400."""
    day = query.get("as_of", "").strip()
    start, end = query.get("from", "").strip(), query.get("to", "").strip()
    return (
        parse_day(day) if day else None,
        parse_period(start, end) if start or end else None,
    )


def format_partial_date(value: str) -> str:
    """``2015-09-25`` -> ``25 September 2015``; ``2015-09`` -> ``September 2015``."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1])]
    if len(parts) == 2:
        # Translators: a month and a year, "September 2015".
        return pgettext("partial date", "%(month)s %(year)s") % {"month": month, "year": parts[0]}
    # Translators: a day, a month and a year, "25 September 2015".
    return pgettext("partial date", "%(day)s %(month)s %(year)s") % {
        "day": int(parts[2]),
        "month": month,
        "year": parts[0],
    }
