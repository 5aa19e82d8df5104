"""What every writer shares: rows matched by natural key, written only where they differ.

A writer fetches the existing rows of all its records in one query, compares them
in Python, and writes only the difference: records one ``save()`` each (so their
history and Markdown rendering stay the models' own business), child rows in bulk
with their history. Values are validated in Python before anything is written;
the database's own constraints catch the rest, and a refused row is traced back
to its record.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from content.reader import Content, Record
from core.models import Status


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def entry_values(record: Record, title: str = "title", summary: str = "summary") -> dict:
    """The columns every record type shares, then the type's own."""
    data = record.data
    return {
        "slug": data["slug"],
        "title": data[title],
        "summary": data[summary],
        "description": data.get("description", ""),
        "status": data.get("status", Status.PUBLISHED),
        **record.columns(),
    }


class Writer:
    """The write phase: each record's row and outcome (created, updated or unchanged)."""

    def __init__(self, content: Content):
        self.content = content
        self.rows: dict[tuple[str, str], models.Model] = {}  # (kind, ref) -> its row
        self.outcome: dict[int, str] = {}  # id(record) -> outcome

    def stats(self) -> Stats:
        counts = Counter(self.outcome.values())
        return Stats(counts["created"], counts["updated"], counts["unchanged"])

    def row(self, record: Record) -> models.Model:
        return self.rows[record.kind, record.ref]

    def pk(self, kind: str, ref: str | None) -> int | None:
        """The primary key of the record ``ref`` of ``kind``, e.g. ("norm", "un-gge-2015/13a")."""
        return self.rows[kind, ref].pk if ref else None

    def touched(self, record: Record) -> None:
        """A relation of ``record`` changed: an unchanged record counts as updated."""
        if self.outcome.get(id(record)) == "unchanged":
            self.outcome[id(record)] = "updated"

    def upsert(
        self,
        model: type[models.Model],
        records: Iterable[Record],
        values: Callable[[Record], dict[str, Any]],
        natural: tuple[str, ...] = ("slug",),
        *,
        bulk: bool = False,
    ) -> None:
        """Create or update one row per record, writing only rows where a value differs.

        ``natural`` names the columns (among ``values``) that identify a record's row.
        ``bulk`` writes in a few statements, for models without history or ``save()``.
        """
        wanted = [(record, values(record)) for record in records]
        if not wanted:
            return
        first = natural[0]
        existing = {
            tuple(getattr(obj, name) for name in natural): obj
            for obj in model.objects.filter(**{f"{first}__in": {v[first] for _, v in wanted}})
        }
        created, updated, changed = [], [], set()
        for record, row in wanted:
            obj = existing.get(tuple(row[name] for name in natural))
            if obj is None:
                obj = model(**row)
                created.append((obj, record))
                self.outcome[id(record)] = "created"
            elif differing := assign(obj, row):
                updated.append((obj, record))
                changed.update(differing)
                self.outcome[id(record)] = "updated"
            else:
                self.outcome[id(record)] = "unchanged"
            self.rows[record.kind, record.ref] = obj
        for obj, record in created + updated:
            validate(obj, record)
        if bulk:
            self.guarded(created, model.objects.bulk_create)
            self.guarded(updated, lambda objs: model.objects.bulk_update(objs, sorted(changed)))
            return
        for obj, record in created + updated:
            try:
                obj.save()
            except DatabaseError as exc:
                raise record.error(refusal(obj, exc)) from None

    def sync(
        self,
        model: type[models.Model],
        owners: dict[tuple, Record],
        owner: tuple[str, ...],
        identity: tuple[str, ...],
        wanted: list[tuple[Record, dict[str, Any]]],
    ) -> None:
        """Make the child rows of ``owners`` exactly ``wanted``, in bulk.

        ``owners`` maps the values of the ``owner`` columns (those pointing at the
        record's row) to the record; ``identity`` names a row among its owner's, and
        the other columns of a wanted row are updated in place where they differ.
        Each ``wanted`` row comes with the record to name if it is refused.
        """
        if not owners:
            return
        # One query; for a pair of owner columns (content type and object id) it
        # also fetches rows of other types with the same ids, dropped here.
        columns, n = owner + identity, len(owner)
        rows = model.objects.filter(**{f"{owner[-1]}__in": {key[-1] for key in owners}})
        current = {}
        for obj in rows:
            key = tuple(getattr(obj, name) for name in columns)
            if key[:n] in owners:
                current[key] = obj
        created, updated, changed = [], [], set()
        for record, row in wanted:
            key = tuple(row[name] for name in columns)
            obj = current.pop(key, None)
            if obj is None:
                obj = model(**row)
                created.append((obj, record))
            elif differing := assign(obj, row):
                updated.append((obj, record))
                changed.update(differing)
            else:
                continue
            validate(obj, record)
            self.touched(owners[key[:n]])
        for key in current:
            self.touched(owners[key[:n]])
        if current:
            model.objects.filter(pk__in=[obj.pk for obj in current.values()]).delete()
        self.guarded(updated, lambda objs: bulk_update_with_history(objs, model, sorted(changed)))
        self.guarded(created, lambda objs: bulk_create_with_history(objs, model))

    def guarded(self, pairs: list[tuple[models.Model, Record]], write: Callable) -> None:
        """Run ``write`` on all the rows of ``pairs`` at once; if the database refuses,
        write them one by one to find the refused row and name its record."""
        if not pairs:
            return
        try:
            with transaction.atomic():
                write([obj for obj, _record in pairs])
            return
        except DatabaseError:
            pass
        for obj, record in pairs:
            try:
                with transaction.atomic():
                    write([obj])
            except DatabaseError as exc:
                raise record.error(refusal(obj, exc)) from None


def assign(obj: models.Model, row: dict[str, Any]) -> list[str]:
    """Set the values of ``row`` on ``obj``; return the names of those that differed."""
    differing = [name for name, value in row.items() if getattr(obj, name) != value]
    for name in differing:
        setattr(obj, name, row[name])
    return differing


def validate(obj: models.Model, record: Record) -> None:
    """The model's own checks that need no query: field values and ``clean()``.

    Foreign keys point at rows this load made; uniqueness and the other
    constraints are left to the database (see ``refusal``).
    """
    relations = [field.name for field in obj._meta.fields if field.is_relation]
    try:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise record.error(flatten(exc)) from None


def refusal(obj: models.Model, exc: DatabaseError) -> str:
    """The database's refusal in the model's words: its violated constraint's message."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    for constraint in obj._meta.constraints:
        if constraint.name == name:
            return constraint.get_violation_error_message()
    return f"the database refused it: {str(exc).strip().splitlines()[0]}"


def flatten(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
