"""Dates at the precision known: ``2015``, ``2015-09`` or ``2015-09-25``.

Stored as text, which sorts and compares in date order at equal precision, so
range filters and "not before" rules work in the database.
"""

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Least, Left, Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.dates import MONTHS

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


def on_or_before(value: str, day: str) -> bool | None:
    """Whether partial ISO date ``value`` fell on or before the full ISO date ``day``:
    True, False, or None when ``day`` falls inside the year or month ``value`` names, so
    that the source cannot tell ("2004" against 2004-06-01)."""
    head = day[: len(value)]
    if value < head:
        return True
    if value > head:
        return False
    return True if len(value) == len(day) else None


def format_partial_date(value: str) -> str:
    """``2015-09-25`` -> ``25 September 2015``; ``2015-09`` -> ``September 2015``."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1])]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"
