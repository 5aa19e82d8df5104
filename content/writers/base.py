"""What every writer shares: rows matched by natural key, written only where they differ.

A writer fetches the existing rows of all its records in one query, compares them
in Python, and writes only the difference: records one ``save()`` each (so their
history and Markdown rendering stay the models' own business), child rows in bulk
with their history. Values are validated in Python before anything is written;
the database's own constraints catch the rest, and a refused row is traced back
to its record.

After the first load the database is the source of truth. Every change the loader
makes is recorded in history with the reason "Loaded from <file>"; a record whose
latest history entry is anything else (made by a user, in the admin, or by an
import with its own reason) was changed since it was loaded, and the loader leaves
it and its relations alone and reports it, unless forced (even then its status is
the editor's).
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models.deletion import Collector
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from content.reader import Content, Record
from core.models import Status

LOADED = "Loaded from "
GONE = object()  # Writer.pk of a record deleted in the admin


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records changed in the admin since they were loaded, e.g. "agreement budapest-convention":
    skipped: list[str] = field(default_factory=list)  # left as the editors made them
    forced: list[str] = field(default_factory=list)  # overwritten by --force

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.skipped:
            text += f"; skipped {len(self.skipped)} changed in the admin: "
            text += ", ".join(self.skipped)
        if self.forced:
            text += f"; overwrote {len(self.forced)} changed in the admin (--force, "
            text += f"status kept): {', '.join(self.forced)}"
        return text


def reason(record: Record) -> str:
    """The history reason of every change the loader makes for ``record``."""
    return f"{LOADED}{record.path}"


def changed_since_loaded(user_id: int | None, change_reason: str | None) -> bool:
    """Whether a record's latest history entry was made by someone other than the loader.

    The loader's own entries carry its reason. An entry with neither a user nor a
    reason predates the reasons (an older loader) and counts as the loader's.
    """
    if change_reason and change_reason.startswith(LOADED):
        return False
    return user_id is not None or bool(change_reason)


def entry_values(record: Record, title: str = "title", summary: str = "summary") -> dict:
    """The columns every record type shares, then the type's own."""
    data = record.data
    return {
        "slug": data["slug"],
        "title": data[title],
        "summary": data[summary],
        "description": data.get("description", ""),
        "wikidata": data.get("wikidata", ""),
        "status": data.get("status", Status.PUBLISHED),
        "unconfirmed": data.get("unconfirmed", {}),
        **record.columns(),
    }


class Writer:
    """The write phase: each record's row and outcome.

    An outcome is created, updated or unchanged; or, for a record changed in the
    admin since it was loaded (and not forced), held while its file agrees with
    the database and skipped once something in it differs.
    """

    def __init__(self, content: Content, *, force: bool = False):
        self.content = content
        self.force = force
        self.rows: dict[tuple[str, str], models.Model] = {}  # (kind, ref) -> its row
        self.outcome: dict[int, str] = {}  # id(record) -> outcome
        self.labels: dict[int, str] = {}  # id(record) -> "agreement budapest-convention"
        self.forced: list[str] = []
        self.gone: set[tuple[str, str]] = set()  # (kind, ref) of records deleted in the admin

    def stats(self) -> Stats:
        counts = Counter(self.outcome.values())
        skipped = [
            self.labels[key] for key, outcome in self.outcome.items() if outcome == "skipped"
        ]
        unchanged = counts["unchanged"] + counts["held"]
        return Stats(counts["created"], counts["updated"], unchanged, skipped, self.forced)

    def row(self, record: Record) -> models.Model:
        return self.rows[record.kind, record.ref]

    def pk(self, kind: str, ref: str | None) -> int | None:
        """The primary key of the record ``ref`` of ``kind``, e.g. ("norm", "un-gge-2015/13a"),
        or GONE if it was deleted in the admin."""
        if not ref:
            return None
        return GONE if (kind, ref) in self.gone else self.rows[kind, ref].pk

    def present(self, records: Iterable[Record]) -> list[Record]:
        """``records`` less those deleted in the admin."""
        return [record for record in records if (record.kind, record.ref) not in self.gone]

    def touched(self, record: Record) -> None:
        """A relation of ``record`` changed: an unchanged record counts as updated."""
        if self.outcome.get(id(record)) == "unchanged":
            self.outcome[id(record)] = "updated"

    def is_held(self, record: Record) -> bool:
        """Whether ``record`` and its relations are the editors' (changed in the admin)."""
        return self.outcome.get(id(record)) in ("held", "skipped")

    def disagrees(self, record: Record) -> None:
        """The file of a held record differs from the database: report it as skipped."""
        self.outcome[id(record)] = "skipped"

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
        ``bulk`` writes in a few statements, for models without ``save()`` logic (with
        their history if they keep one).
        A record whose row was changed in the admin since it was loaded is held
        (left as it is), or with ``force`` overwritten but for its status.
        """
        # A relation to a record deleted in the admin is empty (as the deletion left it).
        wanted = [
            (
                record,
                {name: None if value is GONE else value for name, value in values(record).items()},
            )
            for record in records
        ]
        if not wanted:
            return
        first = natural[0]
        existing = {
            tuple(getattr(obj, name) for name in natural): obj
            for obj in model.objects.filter(**{f"{first}__in": {v[first] for _, v in wanted}})
        }
        edited, deleted = set(), set()
        historical = hasattr(model, "history")
        if historical:
            wanted_keys = {row[first] for _, row in wanted}
            pks = {obj.pk for obj in existing.values()}
            edited, deleted = self.changed_in_admin(model, natural, wanted_keys, pks)
        created, updated, changed = [], [], set()
        for record, row in wanted:
            key = tuple(row[name] for name in natural)
            obj = existing.get(key)
            if obj is None and key in deleted:
                label = f"{record.kind} {record.ref} (deleted)"
                if self.force:
                    self.forced.append(label)
                else:
                    self.gone.add((record.kind, record.ref))
                    self.labels[id(record)] = label
                    self.outcome[id(record)] = "skipped"
                    continue
            if obj is not None and obj.pk in edited:
                self.rows[record.kind, record.ref] = obj
                self.labels[id(record)] = label = f"{record.kind} {record.ref}"
                if not self.force:
                    differs = any(getattr(obj, name) != value for name, value in row.items())
                    self.outcome[id(record)] = "skipped" if differs else "held"
                    continue
                # On purpose: the file's values but the editors' status, and a history
                # entry even if nothing differs, so that the loader owns it again;
                # unless the status differs from the file's, which stays the editors'.
                wants = row.pop("status", None)
                changed.update(assign(obj, row))
                obj._change_reason = f"{reason(record)} (--force)"
                if wants is not None and wants != obj.status:
                    # Not the loader's reason: the record stays the editors'.
                    obj._change_reason = (
                        f"Status {obj.status} kept, the rest loaded from {record.path} (--force)"
                    )
                updated.append((obj, record))
                self.outcome[id(record)] = "updated"
                self.forced.append(label)
                continue
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
            if not hasattr(obj, "_change_reason"):
                obj._change_reason = reason(record)
        if bulk and historical:
            self.guarded(created, lambda objs: bulk_create_with_history(objs, model))
            fields = sorted(changed)
            if fields:
                self.guarded(updated, lambda objs: bulk_update_with_history(objs, model, fields))
            elif updated:  # forced, the same values: only the history entry
                model.history.bulk_history_create([obj for obj, _ in updated], update=True)
        if bulk and not historical:
            self.guarded(created, model.objects.bulk_create)
            self.guarded(updated, lambda objs: model.objects.bulk_update(objs, sorted(changed)))
        if bulk:
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
        Each ``wanted`` row comes with the record to name if it is refused. The
        rows of a held record are only compared: a difference makes it skipped.
        """
        # Rows naming a record deleted in the admin went with it.
        wanted = [(r, row) for r, row in wanted if not any(v is GONE for v in row.values())]
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
            holder = owners[key[:n]]
            if self.is_held(holder):
                if obj is None or any(getattr(obj, k) != v for k, v in row.items()):
                    self.disagrees(holder)
                continue
            if obj is None:
                obj = model(**row)
                created.append((obj, record))
            elif differing := assign(obj, row):
                updated.append((obj, record))
                changed.update(differing)
            else:
                continue
            obj._change_reason = reason(record)
            validate(obj, record)
            self.touched(holder)
        removed = []
        for key, obj in current.items():
            holder = owners[key[:n]]
            if self.is_held(holder):
                self.disagrees(holder)
                continue
            obj._change_reason = reason(holder)
            removed.append(obj)
            self.touched(holder)
        if removed:
            # Deleted through these very instances, so that their history keeps the reason.
            collector = Collector(using=router.db_for_write(model))
            collector.collect(removed)
            collector.delete()
        self.guarded(updated, lambda objs: bulk_update_with_history(objs, model, sorted(changed)))
        self.guarded(created, lambda objs: bulk_create_with_history(objs, model))

    def changed_in_admin(
        self, model: type[models.Model], natural: tuple[str, ...], wanted: set, existing: set
    ) -> tuple[set, set]:
        """Which rows someone other than the loader touched last, by their history.

        ``wanted`` holds the values of the first ``natural`` column of the records
        to write, ``existing`` the primary keys of their rows. Returns the primary
        keys of the existing rows changed in the admin, and the natural keys of the
        rows deleted there. One query: each row's latest entry (DISTINCT ON).
        """
        latest = (
            model.history.filter(**{f"{natural[0]}__in": wanted})
            .order_by("id", "-history_date", "-history_id")
            .distinct("id")
            .values_list("id", "history_type", "history_user_id", "history_change_reason", *natural)
        )
        edited, deleted = set(), set()
        for pk, history_type, user_id, why, *key in latest:
            if not changed_since_loaded(user_id, why):
                continue
            if pk in existing:
                edited.add(pk)
            elif history_type == "-":
                deleted.add(tuple(key))
        return edited, deleted

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
