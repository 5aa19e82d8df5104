"""A record page's queries, compiled once per record type (core/compiled.py), read what
Django's own get_object_or_404 and prefetches read."""

from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.signals import post_migrate
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.test.utils import CaptureQueriesContext
from psycopg import pq

from agreements.models import Agreement, Participation
from bodies.models import Body
from core import compiled, pagecache
from core.models import ThemesOf, attach_themes
from core.pages import Sections, cards_query, detail_record
from core.registry import registry
from norms.models import Norm
from reference.models import Country, held_countries

pytestmark = pytest.mark.django_db


def columns(record) -> dict:
    return {k: v for k, v in record.__dict__.items() if not k.startswith("_")}


def read(record) -> dict:
    """Each prefetched relation of ``record``: its rows' columns, and those of the records
    each row was read with (``select_related``, or the record itself for a reverse key)."""
    relations = {}
    for name, rows in record._prefetched_objects_cache.items():
        relations[name] = [
            (
                columns(row),
                {
                    field: (type(other).__name__, other.pk if other else None)
                    for field, other in row._state.fields_cache.items()
                },
            )
            for row in rows
        ]
    return {"record": columns(record), **relations}


@pytest.fixture
def fresh_shapes():
    compiled._shapes.clear()
    yield
    compiled._shapes.clear()


CASES = [
    (Agreement, "agreement", lambda r: {"slug": r.slug}),
    (Body, "body", lambda r: {"slug": r.slug}),
    (Norm, "norm", lambda r: {"framework__slug": r.framework.slug, "slug": r.slug}),
]


@pytest.mark.parametrize(("model", "name", "lookup"), CASES)
def test_a_record_and_its_relations_are_read_as_django_reads_them(
    graph, fresh_shapes, model, name, lookup
):
    anonymous = AnonymousUser()
    records = list(model.objects.published().order_by("pk"))
    assert len(records) > 1 and graph[name] in records
    for record in records:  # the first compiles the shape, the others reuse it
        expected = get_object_or_404(model.objects.for_detail(anonymous), pk=record.pk)
        got = compiled.record(
            ("test", model), lambda: model.objects.for_detail(anonymous), **lookup(record)
        )
        assert read(got) == read(expected)
        assert len(read(got)) > 2, "the record is read with its relations"


def test_a_foreign_key_read_with_its_own_queryset_is_sent_with_the_relations(
    graph, fresh_shapes, round_trips
):
    """A body's founding instrument, shown only while published (a ``Prefetch`` of a
    foreign key): compiled and sent with the other relations, the same record or None
    as Django's prefetch gives; with no instrument at all, nothing is asked for it."""
    anonymous = AnonymousUser()
    build = lambda: Body.objects.for_detail(anonymous)  # noqa: E731
    body = graph["body"]
    instrument = body.established_by
    assert instrument is not None and instrument.status == "published"
    for founded_by in [instrument, graph["draft_agreement"], None]:
        Body.objects.filter(pk=body.pk).update(established_by=founded_by)
        expected = get_object_or_404(build(), pk=body.pk)
        round_trips.clear()
        got = compiled.record(("test", Body), build, slug=body.slug)
        assert got.established_by == expected.established_by
        assert got.established_by == (founded_by if founded_by is instrument else None)
        assert read(got) == read(expected)
        relations = len(got._prefetched_objects_cache) + (founded_by is not None)
        assert round_trips == [
            ("sent", False),
            ("read",),
            *[("sent", True)] * relations,
            *[("read",)] * relations,
        ], "one round trip for the record, one for its relations"


def test_the_second_record_of_a_type_compiles_no_query(graph, fresh_shapes):
    anonymous = AnonymousUser()
    first, second = Agreement.objects.published().order_by("pk")[:2]

    def page(record):
        return compiled.record(
            ("test", Agreement), lambda: Agreement.objects.for_detail(anonymous), slug=record.slug
        )

    page(first)
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compiling:
        entry = page(second)
    assert entry.pk == second.pk
    assert compiling.call_count == 0
    # ... and runs the same queries as the first (a record, then each relation).
    assert list(entry.participations.all()) == list(second.participations.all())


def test_a_draft_is_found_by_staff_only(graph, fresh_shapes):
    draft = graph["draft_agreement"]
    staff = User(is_staff=True, username="staff")
    with pytest.raises(Http404):
        compiled.record(
            ("test", Agreement, False),
            lambda: Agreement.objects.for_detail(AnonymousUser()),
            slug=draft.slug,
        )
    found = compiled.record(
        ("test", Agreement, True), lambda: Agreement.objects.for_detail(staff), slug=draft.slug
    )
    assert found.pk == draft.pk


def test_an_unknown_slug_is_a_404(graph, fresh_shapes):
    with pytest.raises(Http404):
        compiled.record(("test", Agreement), Agreement.objects.all, slug="no-such-agreement")


@pytest.fixture
def round_trips(monkeypatch):
    """What reaches PostgreSQL, in order: ("sent", inside a pipeline) for each query, and
    ("read",) for each compiled query's rows read."""
    events = []
    read = compiled._Shape.read
    monkeypatch.setattr(
        compiled._Shape, "read", lambda self, cursor: events.append(("read",)) or read(self, cursor)
    )

    def sending(execute, sql, params, many, context):
        events.append(
            ("sent", connection.connection.pgconn.pipeline_status == pq.PipelineStatus.ON)
        )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(sending):
        yield events


def test_a_records_relations_are_sent_together_then_read(graph, fresh_shapes, round_trips):
    """The relations' queries reach PostgreSQL in one pipeline, all of them before the
    first rows are read: one round trip for them all, not one each."""
    agreement = graph["agreement"]
    build = lambda: Agreement.objects.for_detail(AnonymousUser())  # noqa: E731
    compiled.record(("test", Agreement), build, slug=agreement.slug)  # compiles the shapes
    # As in a GET, where the page cache has read the content version first: what is held
    # per version (the parties' countries) is then read without a query.
    pagecache._request_started(environ={"REQUEST_METHOD": "GET"})
    try:
        pagecache.current_version()
        round_trips.clear()
        entry = compiled.record(("test", Agreement), build, slug=agreement.slug)
    finally:
        pagecache._request_finished()
    relations = len(entry._prefetched_objects_cache)
    assert relations > 2
    # The record's own query, then every relation's, sent in a pipeline, then the reads.
    assert round_trips == [
        ("sent", False),
        ("read",),
        *[("sent", True)] * relations,
        *[("read",)] * relations,
    ]


def test_queries_sent_together_read_what_each_reads_alone(graph, fresh_shapes, round_trips):
    wanted = {
        "agreement": [graph["agreement"].pk],
        "body": [graph["body"].pk],
        "norm": [],
    }
    queries = [cards_query(registry.by_key(key).model, pks) for key, pks in wanted.items()]
    alone = [query.rows() for query in queries]
    assert [[card.pk for card in cards] for cards in alone] == [
        [graph["agreement"].pk],
        [graph["body"].pk],
        [],
    ]
    round_trips.clear()
    found = compiled.together(queries)
    assert [[columns(card) for card in cards] for cards in found] == [
        [columns(card) for card in cards] for cards in alone
    ]
    assert round_trips == [("sent", True)] * 3 + [("read",)] * 3
    assert compiled.together([]) == []


def contributed_sections(entry, *also) -> list[tuple]:
    """The sections other apps add to ``entry``'s page, their queries sent with ``also``."""
    sections = Sections(entry)
    compiled.together([*also, *sections.queries])
    return sections.found


def test_a_records_themes_are_sent_with_its_sections(graph, fresh_shapes, round_trips):
    norm = graph["norm"]
    alone = contributed_sections(norm)
    themes = list(Norm.objects.get(pk=norm.pk).themes.all())
    assert alone and themes, "the graph's norm has sections and themes"
    query = ThemesOf([norm])  # outside a request, what it holds asks the content version
    round_trips.clear()
    sections = contributed_sections(norm, query)
    assert sections == alone
    assert list(norm.themes.all()) == themes  # put on the record: no query
    sent = 1 + len(registry.sections_for(Norm))
    assert round_trips == [("sent", True)] * sent + [("read",)] * (sent - 1)


def test_themes_read_for_cards_are_a_queryset_only_when_asked(graph, django_assert_num_queries):
    """A page of cards reads its records' themes as lists; a record's ``themes.all()`` is
    then the same themes without a query, and filtering it still filters that record's."""
    from core.models import READ_THEMES
    from core.templatetags.core import _themes_of

    records = attach_themes(Norm.objects.published().order_by("pk"))
    expected = {r.pk: list(Norm.objects.get(pk=r.pk).themes.all()) for r in records}
    assert any(expected.values()), "the graph's norms have themes"
    assert all("themes" not in r._prefetched_objects_cache for r in records)
    with django_assert_num_queries(0):
        assert {r.pk: list(_themes_of(r)) for r in records} == expected
        assert {r.pk: list(r.themes.all()) for r in records} == expected
    themed = next(r for r in records if expected[r.pk])
    first = expected[themed.pk][0]
    assert list(themed.themes.filter(slug=first.slug)) == [first]
    assert not themed.themes.exclude(pk__in=[t.pk for t in expected[themed.pk]]).exists()
    themed.refresh_from_db()  # forgets what was read, as Django forgets its prefetches
    assert READ_THEMES not in themed._prefetched_objects_cache


def test_a_record_page_reads_its_themes_and_sections_with_its_relations(
    graph, fresh_shapes, round_trips, rf
):
    """A record page's queries are two round trips: the record, then its relations, its
    themes and the sections other apps add to its page, all sent before any is read."""
    norm = graph["norm"]
    request = rf.get(norm.get_absolute_url())
    request.user = AnonymousUser()
    lookup = {"framework__slug": norm.framework.slug, "slug": norm.slug}
    build = lambda: Norm.objects.for_detail(request.user)  # noqa: E731
    # Within a GET, as in a request: the content version is read once.
    pagecache._request_started(environ={"REQUEST_METHOD": "GET"})
    try:
        compiled.record(("test", Norm), build, **lookup)  # compiles the relations' shapes
        detail_record(request, Norm, **lookup)  # and the page's
        round_trips.clear()
        compiled.record(("test", Norm), build, **lookup)
        relations = round_trips.count(("sent", True))
        round_trips.clear()
        entry = detail_record(request, Norm, **lookup)
    finally:
        pagecache._request_finished()
    assert round_trips[:2] == [("sent", False), ("read",)]  # the record
    rest = round_trips[2:]
    sent = rest.index(("read",))
    sections = len(registry.sections_for(Norm))
    assert rest[:sent] == [("sent", True)] * (relations + 1 + sections)
    assert set(rest[sent:]) == {("read",)}
    # What they read is what each reads alone.
    assert entry.page_sections.found == contributed_sections(norm) != []
    assert list(entry.themes.all()) == list(Norm.objects.get(pk=norm.pk).themes.all())


def test_a_failing_relation_query_is_a_database_error_and_the_connection_goes_on(
    graph, fresh_shapes
):
    agreement = graph["agreement"]
    build = lambda: Agreement.objects.for_detail(AnonymousUser())  # noqa: E731
    compiled.record(("test", Agreement), build, slug=agreement.slug)
    shape = compiled._shapes[("test", Agreement), "prefetch", "participations"].shape
    shape.sql = shape.sql.replace("SELECT", "SELECT 1 / 0,", 1)
    with pytest.raises(DatabaseError, match="division by zero"), transaction.atomic():
        compiled.record(("test", Agreement), build, slug=agreement.slug)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_a_queryset_that_ignores_the_value_cannot_be_compiled(fresh_shapes):
    with pytest.raises(compiled.ShapeError):
        compiled.rows("ignores", lambda value: Agreement.objects.all(), 7)


def test_the_sections_other_apps_add_to_a_norm_page_are_their_rows(graph, fresh_shapes):
    norm = graph["norm"]
    for _ in range(2):  # compiled, then run again
        sections = contributed_sections(norm)
        assert sections, "the graph links incidents, responses and positions to its norm"
        for section, rows, more in sections:
            assert rows == list(section.rows(norm)) and not more


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(("kept_for", "prepared"), [(60, True), (0, False)])
def test_a_kept_connection_keeps_each_shapes_plan(
    graph, fresh_shapes, monkeypatch, kept_for, prepared
):
    """Kept between requests, the connection prepares a shape's query once and runs it
    prepared; a connection per request (as behind PgBouncer) prepares nothing."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", kept_for)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection.connection._prepared.clear()  # psycopg's note of what it prepared
    agreement = graph["agreement"]
    for _ in range(2):
        compiled.record(("test", Agreement, kept_for), Agreement.objects.all, slug=agreement.slug)
    statements = [s for s in prepared_statements() if '"agreements_agreement"."slug"' in s]
    assert bool(statements) == prepared, statements


def test_a_migrate_or_a_flush_forgets_the_shapes(graph, fresh_shapes):
    """Content types may be numbered anew then, and a shape holds their ids (a record's
    citations are a generic relation)."""
    agreement = graph["agreement"]
    compiled.record(
        ("test", Agreement),
        lambda: Agreement.objects.for_detail(AnonymousUser()),
        slug=agreement.slug,
    )
    assert compiled._shapes
    post_migrate.send(sender=apps.get_app_config("core"), app_config=apps.get_app_config("core"))
    assert not compiled._shapes


def test_the_link_graph_reads_with_id_arrays_what_in_lists_read(graph, fresh_shapes):
    """The link graph's steps out (core.linkgraph.touching) read the rows the relation's
    queryset filtered with ``__in`` reads, one id or all, one end empty or none; and the
    graphs of the records compile nothing drawn again: the ids are array parameters (``__any``)."""
    from agreements.linkgraph import _norm_links
    from core.linkgraph import ego, touching

    norms = set(Norm.objects.published().values_list("pk", flat=True))
    agreements = set(Agreement.objects.published().values_list("pk", flat=True))
    cases = [
        {"agreement": {min(agreements)}, "norm": set()},
        {"agreement": set(), "norm": {min(norms), max(norms)}},
        {"agreement": agreements, "norm": norms},
    ]
    for ends in cases:
        condition = Q(agreement__in=list(ends["agreement"])) | Q(norm__in=list(ends["norm"]))
        expected = list(_norm_links().filter(condition)[:400])
        assert touching("test: norm links", _norm_links, ends) == expected
    assert expected
    # Every norm's graph drawn once; then again, compiling nothing.
    records = attach_themes(Norm.objects.published())
    for record in records:
        ego(record)
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compiling:
        for record in records:
            ego(record)
    assert compiling.call_count == 0


def plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_link_graph_runs_its_generic_plans_and_leaves_the_setting_as_it_was(graph):
    """While a record's graph is gathered its prepared shapes run their generic plans;
    after it, even when the block fails, PostgreSQL chooses again as it does by default.
    Without persistent connections nothing is prepared, and nothing is set."""
    from core import linkgraph

    seen = []
    collect = linkgraph.collect

    def gathering(*args, **kwargs):
        seen.append(plan_cache_mode())
        return collect(*args, **kwargs)

    with mock.patch.object(linkgraph, "collect", gathering):
        linkgraph.ego(graph["norm"])
    assert seen == ["force_generic_plan"] * 2 and plan_cache_mode() == "auto"
    with pytest.raises(ValueError), compiled.generic_plans():
        raise ValueError("a step out failed")
    assert plan_cache_mode() == "auto"
    unkept = mock.patch.dict(connection.settings_dict, {"CONN_MAX_AGE": 0})
    with unkept, compiled.generic_plans():
        assert plan_cache_mode() == "auto"


def test_parties_take_their_countries_as_they_are_now_without_reading_them_again(client, graph):
    """An agreement's parties take their countries from the table each worker holds per
    content version (``reference.models.held_countries``): their rows select no column of
    a country, and a country renamed shows on the agreement's page at once."""
    agreement, country = graph["agreement"], graph["country"]
    with CaptureQueriesContext(connection) as queries:
        parties = list(Participation.objects.public().filter(agreement=agreement))
    assert [p.country.name for p in parties if p.country_id] == [country.name]
    [parties_sql] = [q["sql"] for q in queries if "agreements_participation" in q["sql"]]
    assert "reference_country" not in parties_sql.split(" FROM ")[0]  # joined to sort only

    # The held countries are shared by every page the worker serves: none writes on them.
    held = held_countries()[country.pk]
    before = {name: value for name, value in vars(held).items() if name != "_state"}
    url = agreement.get_absolute_url()
    assert f">{country.name}</a>" in client.get(url).content.decode()
    for path in ("/agreements/?format=csv", "/agreements/?format=json", "/api/v1/agreements/"):
        response = client.get(path)
        assert response.status_code == 200
        # Read to its end: an export makes its rows as it streams.
        assert b"".join(response.streaming_content) if response.streaming else response.content
    assert {name: value for name, value in vars(held).items() if name != "_state"} == before
    Country.objects.filter(pk=country.pk).update(name="Renamed Land")
    page = client.get(url).content.decode()
    assert ">Renamed Land</a>" in page
    assert f">{country.name}</a>" not in page
