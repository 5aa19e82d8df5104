"""Querysets whose SQL is compiled once per shape and run again with other values.

A record page runs the same few queries for every record of a type, differing in the
record's slug or key. Building such a queryset and compiling it to SQL costs Django
about a millisecond of Python, more than PostgreSQL takes to run it. ``rows`` builds the
queryset once with stand-ins for the values, keeps its SQL and the compiler that knows
how to read its rows, and from then on only puts the values in the stand-ins' places:
the rows are read into model instances by Django's own iterable, with what the queryset
selects (``select_related``, annotations) and then prefetches. ``record`` does this for
a record page's record and each of its prefetched relations. The SQL being the same each
time, PostgreSQL keeps its plan too (``prepared_cursor``). A page's queries that need
nothing of each other (a record's relations, its themes and its sections; a theme's cards
of each type; search hits of each type) are sent together (``together``, ``pipelined``):
a round trip, not one each.

Only for querysets that depend on nothing but the values: not on the request, the user,
the language or the date. The caller names the shape with a key that says so. The shapes
are forgotten after a migrate or a flush (``forget``): content types, whose ids a shape
holds, may then be numbered anew.
"""

import copy
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

import psycopg
from django.core.exceptions import MultipleObjectsReturned
from django.db import connections
from django.db.models import (
    IntegerField,
    Lookup,
    Model,
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ReverseManyToOneDescriptor,
    _filter_prefetch_queryset,
)
from django.http import Http404


def _stand_in(kind: type, position: int) -> int | str:
    """A value that no key or slug has, one per position of a shape's values."""
    if kind is int:
        return -7_308_264_115_590_113 - position
    if kind is str:
        return f"stand-in-{position}-for-a-value-7f3a9c"
    if kind is list:  # of keys
        return [-7_308_264_115_590_113 - position]
    raise TypeError(f"no stand-in for a {kind.__name__}")


class AnyOf(Lookup):
    """``field__any=[ids]``: ``field = ANY(%s)``, the ids one array parameter, so that a
    shape holds whatever number of them (``__in`` writes a placeholder per value), and
    still an index condition (an ``IN`` over ``unnest`` is not one when two are OR-ed).
    Registered on every field and relation by ``core.apps``."""

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s::bigint[]", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


_shapes: dict[Hashable, tuple] = {}


def forget(**kwargs) -> None:
    """Compile every shape again: what a shape holds besides its values (a record type's
    content type id, in a generic relation) may have changed."""
    _shapes.clear()


class ShapeError(Exception):
    """A value is not a parameter of the queryset's SQL: it could not be run again."""


class _Shape:
    """A queryset compiled with stand-ins: its SQL, its parameters and where the values go."""

    def __init__(self, queryset: QuerySet, stand_ins: tuple, prepare: bool = True):
        self.prepare = prepare
        self.queryset = queryset._chain()
        self.compiler = self.queryset.query.get_compiler(self.queryset.db)
        self.sql, params = self.compiler.as_sql()
        # How each selected column is read into Python (a JSON field decoded, a date made
        # aware...): what Django works out again for every run, the same for the shape.
        compiler = self.compiler
        selected = [column for column, *_ in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(selected)
        self.params = list(params)
        self.at = []
        for stand_in in stand_ins:
            at = [i for i, param in enumerate(self.params) if param == stand_in]
            if not at:
                raise ShapeError(f"{stand_in!r} is not a parameter of {self.sql}")
            self.at.append(at)

    def send(self, values: tuple):
        """Run the SQL with ``values`` in the stand-ins' places; the rows are read by
        ``read``. In a pipeline (``pipelined``) the query is only sent."""
        params = list(self.params)
        for at, value in zip(self.at, values, strict=True):
            for i in at:
                params[i] = value
        connection = connections[self.queryset.db]
        cursor = prepared_cursor(connection) if self.prepare else connection.cursor()
        try:
            cursor.execute(self.sql, params)
        except BaseException:
            cursor.close()
            raise
        return cursor

    def read(self, cursor) -> list:
        """The rows of a query ``send`` ran, read into model instances."""
        compiler = self.compiler
        # A copy of the compiler for this run: Django's iterable reads the selected columns,
        # the related objects to fill and the converters from it, as from any compiler,
        # and the rows from this run's cursor.
        replay = copy.copy(compiler)
        replay.connection = connections[self.queryset.db]
        replay.get_converters = lambda expressions: self.converters

        def execute_sql(*args, **kwargs):
            with cursor:
                found = cursor.fetchall()
            # Columns selected only to order by are not the iterable's (as in execute_sql).
            if compiler.has_extra_select:
                found = [row[: compiler.col_count] for row in found]
            return [found]

        replay.execute_sql = execute_sql
        run = self.queryset._chain()
        run.query.get_compiler = lambda *args, **kwargs: replay
        return list(run)

    def run(self, values: tuple) -> list:
        return self.read(self.send(values))


@contextmanager
def pipelined(using: str = "default") -> Iterator[None]:
    """The queries sent inside go to PostgreSQL at once and run back to back (psycopg's
    pipeline mode); their rows are read after the block."""
    connection = connections[using]
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def prepared_cursor(connection):
    """A cursor on which PostgreSQL keeps each shape's plan: the query is prepared on the
    connection the first time (psycopg), then only bound and run. Planning these joins
    costs the database more than running them (0.2-0.7 ms against 0.2-0.5 ms); a record
    page's queries take half the time prepared.

    Django's own cursors bind parameters on the client and prepare nothing (Django turns
    psycopg's preparing off, for connection poolers). Here the connection is kept between
    requests (``CONN_MAX_AGE`` not 0), so what is prepared is used again; with a
    connection per request, as behind PgBouncer in transaction mode, nothing is prepared.
    Wrapped as Django wraps its cursors: query logging and execute wrappers see it.
    """
    if connection.settings_dict["CONN_MAX_AGE"] == 0:
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # psycopg prepares nothing without a threshold, even when asked; this one is
        # never reached by Django's cursors (they bind on the client).
        raw.prepare_threshold = 1_000_000
    return connection._prepare_cursor(_PreparingCursor(raw))


@contextmanager
def generic_plans(using: str = "default") -> Iterator[None]:
    """The prepared shapes run inside use their generic plan from their first run.

    PostgreSQL plans a prepared statement anew for its first five runs on a connection,
    and for every run while it judges a plan made for the values cheaper than its
    generic one, which it often does with array parameters. For the link graph's joins
    that planning costs 3-4 ms against 0.3-0.6 ms of running, and the generic plans are
    as good. The graphs are drawn after a publish, on connections a minute old at most
    (``CONN_MAX_AGE``): on a new connection, 20 records' graphs took 182 ms against 295
    (median of 12 samples); a record drawn again and again, Budapest's page spent 12 ms in
    the database against 24 (21 -> 13 at 100k records). On a connection that has drawn
    hundreds, no faster. Not for every shape: list cards at 100k records were no faster.
    Two statements around the block; nothing where nothing is prepared."""
    connection = connections[using]
    if connection.settings_dict["CONN_MAX_AGE"] == 0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
    try:
        yield
    finally:
        # In a transaction that failed, its rollback undoes the SET.
        if connection.connection is not None and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("RESET plan_cache_mode")


class _PreparingCursor(psycopg.Cursor):
    """Binds on the server and prepares every query it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def rows(
    key: Hashable, build: Callable[..., QuerySet], *values: int | str | list, prepare=True
) -> list:
    """The rows of ``build(*values)``: ``build`` runs once per ``key``, with stand-ins for
    the values, and its SQL is run from then on with the values in their places.

    ``prepare=False`` for a query whose best plan depends on the value (a theme with
    thousands of records or a handful): a prepared statement may come to run one plan for
    every value (PostgreSQL's generic plan), where planning it for each value is cheaper.
    """
    return _shape(key, build, values, prepare).run(values)


def _shape(key: Hashable, build: Callable[..., QuerySet], values: tuple, prepare: bool) -> _Shape:
    shape = _shapes.get(key)
    if shape is None:
        stand_ins = tuple(_stand_in(type(v), i) for i, v in enumerate(values))
        shape = _shapes[key] = _Shape(build(*stand_ins), stand_ins, prepare)
    return shape


class Query(NamedTuple):
    """What ``rows`` takes, for ``together``."""

    key: Hashable
    build: Callable[..., QuerySet]
    values: tuple
    prepare: bool = True

    def rows(self) -> list:
        return _shape(*self).run(self.values)

    def send(self):
        return _shape(*self).send(self.values)

    def read(self, cursor) -> list:
        return _shape(*self).read(cursor)


class _Bound(NamedTuple):
    """A compiled shape with its values, for ``together``."""

    shape: _Shape
    values: tuple

    def send(self):
        return self.shape.send(self.values)

    def read(self, cursor) -> list:
        return self.shape.read(cursor)


class Kept:
    """A ``Query`` for ``together`` whose rows stay on it once read (``rows``): for queries
    sent with others by code that reads none of the results itself (``record``'s
    ``also``). Compiled when made, before anything is sent."""

    def __init__(self, query: Query):
        self.query, self.rows = query, None
        _shape(*query)

    def send(self):
        return self.query.send()

    def read(self, cursor) -> list:
        self.rows = self.query.read(cursor)
        return self.rows


def together(queries: Iterable, using: str = "default") -> list:
    """What each query gives (a ``Query`` its rows; anything else with ``send()``, which
    runs it on a cursor, and ``read(cursor)``), the queries sent at once (``pipelined``)
    and read after: a round trip for them all, not one each."""
    queries = list(queries)
    if not queries:
        return []
    for query in queries:
        if isinstance(query, Query):
            _shape(*query)  # compiled before anything is sent
    with pipelined(using):
        sent = [query.send() for query in queries]
    return [query.read(cursor) for query, cursor in zip(queries, sent, strict=True)]


def record(
    key: Hashable,
    build: Callable[[], QuerySet],
    also: Callable[[Model], list] | None = None,
    **lookup: str,
) -> Model:
    """``get_object_or_404(build(), **lookup)`` with its prefetches, each of the queries
    compiled once per ``key`` (``build()`` must give the same queryset every time), the
    prefetches' sent at once (``pipelined``), with the queries ``also(record)`` gives
    (each with ``send()`` and a ``read(cursor)`` that keeps what it reads: ``Kept``)."""
    names = tuple(lookup)
    shape_key = key, names
    shape = _shapes.get(shape_key)
    if shape is None:
        queryset = build()
        found = queryset.prefetch_related(None)
        stand_ins = tuple(_stand_in(str, i) for i in range(len(names)))
        found = found.filter(**dict(zip(names, stand_ins, strict=True)))[:2]
        shape = _shapes[shape_key] = _Shape(found, stand_ins), queryset._prefetch_related_lookups
    found, lookups = shape
    records = found.run(tuple(lookup.values()))
    if not records:
        raise Http404(f"No {found.queryset.model._meta.object_name} matches the given query.")
    if len(records) > 1:
        raise MultipleObjectsReturned(f"{lookup} names more than one record")
    entry = records[0]
    # The relations' queries are sent together, not a round trip each (about 0.2 ms a
    # query: Budapest's page, six relations, 14.4 -> 13.0 ms). A foreign key the record
    # leaves empty asks for nothing, as with Django.
    shaped = []
    for prefetch in lookups:
        relation = _prefetch_shape(key, entry, prefetch)
        value = getattr(entry, relation.attname) if relation is not None else None
        shaped.append((prefetch, relation, value))
    bound = [
        _Bound(relation.shape, (value,))
        for _, relation, value in shaped
        if relation is not None and value is not None
    ]
    extra = also(entry) if also else []
    found_rows = iter(together([*bound, *extra], using=found.queryset.db))
    for prefetch, relation, value in shaped:
        if relation is None:
            prefetch_related_objects([entry], prefetch)
        else:
            _attach(entry, prefetch, relation, next(found_rows) if value is not None else [])
    return entry


def _reverse_key(manager) -> bool:
    """Whether ``manager`` holds the rows whose foreign key points to its record."""
    field = getattr(manager, "field", None)
    return bool(field is not None and field.many_to_one)


class _Relation(NamedTuple):
    """A relation of a record page's record, its query compiled (``_prefetch_shape``)."""

    shape: _Shape
    cache_name: str  # where Django keeps its rows (to many) or its record (a foreign key)
    attname: str  # the record's attribute whose value the query takes
    field: object = None  # for a foreign key from the record: the field (one row or none)


def _prefetch_shape(key: Hashable, entry: Model, prefetch: str | Prefetch) -> _Relation | None:
    """For a relation from the record to many (a reverse foreign key, a many-to-many or
    generic relation), or a foreign key from it with a queryset of its own (a record
    shown only when published): its query compiled once. None for anything else (a
    relation through another, kept under another name, or read with the record), which
    is left to Django's ``prefetch_related_objects``."""
    name = prefetch.prefetch_through if isinstance(prefetch, Prefetch) else prefetch
    descriptor = getattr(type(entry), name, None)
    if isinstance(prefetch, Prefetch) and prefetch.to_attr:
        return None
    if isinstance(descriptor, ForwardManyToOneDescriptor):
        field = descriptor.field
        if len(field.foreign_related_fields) != 1 or field.is_cached(entry):
            return None
    elif not isinstance(descriptor, ReverseManyToOneDescriptor):
        return None
    queryset = prefetch.queryset if isinstance(prefetch, Prefetch) else None
    shape_key = key, "prefetch", name
    relation = _shapes.get(shape_key)
    if relation is None:
        if isinstance(descriptor, ForwardManyToOneDescriptor):
            target = field.foreign_related_fields[0]
            stand_in = _stand_in(int if isinstance(target, IntegerField) else str, 0)
            related = queryset._chain() if queryset is not None else descriptor.get_queryset()
            related = related.filter(**{target.name: stand_in})
            relation = _Relation(
                _Shape(related, (stand_in,)), field.cache_name, field.attname, field
            )
        else:
            stand_in = _stand_in(type(entry.pk), 0)
            manager = getattr(type(entry)(pk=stand_in), name)
            related = queryset._chain() if queryset is not None else manager.get_queryset()
            if _reverse_key(manager):
                # Its get_prefetch_querysets would run the query to point the rows back.
                field = manager.field
                related = related.using(related._db or manager._db)
                related = _filter_prefetch_queryset(related, field.name, [manager.instance])
                cache_name = field.remote_field.cache_name
            else:
                related, *_, cache_name, _ = manager.get_prefetch_querysets(
                    [manager.instance], [related]
                )
            relation = _Relation(_Shape(related, (stand_in,)), cache_name, "pk")
        _shapes[shape_key] = relation
    return relation


def _attach(entry: Model, prefetch: str | Prefetch, relation: _Relation, found: list) -> None:
    """Keep ``found`` as the record's prefetched rows of the relation, as Django does."""
    if relation.field is not None:
        # A foreign key: its record, or None when the queryset leaves it out.
        field = relation.field
        related = found[0] if found else None
        field.set_cached_value(entry, related)
        if related is not None and not field.remote_field.multiple:
            field.remote_field.set_cached_value(related, entry)
        return
    name = prefetch.prefetch_through if isinstance(prefetch, Prefetch) else prefetch
    queryset = prefetch.queryset if isinstance(prefetch, Prefetch) else None
    manager = getattr(entry, name)
    # A reverse foreign key's rows point back to the record without a query, as
    # Django's prefetch leaves them.
    if _reverse_key(manager):
        field = manager.field
        for row in found:
            if not field.is_cached(row):
                field.set_cached_value(row, entry)
    if queryset is not None:
        result = manager._apply_rel_filters(queryset._chain())
    else:
        result = manager.get_queryset()
    result._result_cache, result._prefetch_done = found, True
    entry.__dict__.setdefault("_prefetched_objects_cache", {})[relation.cache_name] = result
