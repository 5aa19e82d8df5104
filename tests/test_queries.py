"""Each page runs a bounded number of queries, the same for a small and a ten-times-larger graph."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import import_string

from tests.graph import make_graph


def urls(g) -> dict[str, str]:
    return {
        # counts (5), 4 recent lists + their themes (8), themes and their counts (2)
        "home": reverse("home"),
        # frameworks count, frameworks, their themes, their norms
        "norm index": reverse("norms:index"),
        # framework, themes, citations, norms + their themes, producer, glossary
        "framework": g["framework"].get_absolute_url(),
        # norm with framework, themes, citations, agreement links, bodies, glossary
        "norm": g["norm"].get_absolute_url(),
        "body list": reverse("bodies:list"),
        # body, themes, citations, established by, norms, members, participations, frameworks
        "body": g["body"].get_absolute_url(),
        "agreement list": reverse("agreements:list"),
        # agreement, themes, citations, norm links, links out and in, parties, bodies, glossary
        "agreement": g["agreement"].get_absolute_url(),
        "theme list": reverse("themes:list"),
        # theme, then each of five types and its themes
        "theme": g["theme"].get_absolute_url(),
        "country list": reverse("countries:list"),
        "country": g["country"].get_absolute_url(),
        "glossary": reverse("glossary:list"),
        # Facets (kind, binding, status in one), the long facets, and the chosen values' labels.
        "agreement list filtered": reverse("agreements:list")
        + "?theme=cybercrime&kind=multilateral-treaty&party=AA&party=body:body-0"
        + "&norm=framework-0/13a&year_from=2000&year_to=2020&sort=parties",
        "norm list filtered": reverse("norms:index") + "?framework=framework-0&theme=cybercrime",
        "body list filtered": reverse("bodies:list") + "?member=AA&kind=intergovernmental",
        "theme, one type": g["theme"].get_absolute_url() + "?type=agreement",
        "incident list": reverse("incidents:list"),
        # incident, themes, citations, targets, norm links, responses + their parties,
        # bodies and norm links, glossary
        "incident": g["incident"].get_absolute_url(),
        "response list": reverse("incidents:response-list"),
        # response, themes, citations, incidents, parties, bodies, norms, agreements, glossary
        "response": g["response"].get_absolute_url(),
        "incident list filtered": reverse("incidents:list")
        + "?theme=cybercrime&kind=disruption&sector=health&target=AA&attributed_by=AA"
        + "&attributed_by=body:body-0&attributed_to=AA&response=sanctions"
        + "&norm=framework-0/13a&year_from=2000&year_to=2030&sort=oldest",
        # the norm, its versions (one recursive query), the norms, their restatements,
        # their endorsements
        "norm lineage": reverse("norms:lineage", args=[g["norm"].lineage_key]),
        # the parties on a day come from the page's own rows: no query more
        "agreement on a day": g["agreement"].get_absolute_url() + "?as_of=2003-06-01",
        # country, parties, norm links, memberships, promotions, norm links of positions,
        # the General Assembly's resolutions
        "country norms": reverse("visual:country-norms", args=["aa"]),
        # the norm, parties of the instruments linking it, members of the bodies promoting
        # it, positions addressing it, the General Assembly's resolutions
        "norm states": reverse(
            "visual:norm-states", args=[g["norm"].framework.slug, g["norm"].slug]
        ),
        # the country, its parties that may have a step by then, its memberships
        "country on a day": reverse("countries:detail", args=["aa"]) + "?as_of=2004-06-01",
        "country what changed": reverse("countries:detail", args=["aa"])
        + "?from=2004-01-01&to=2004-12-31",
        # the members on a day come from the page's own rows: no query more
        "body on a day": g["body"].get_absolute_url() + "?as_of=2004-06-01",
        "theme on a day": g["theme"].get_absolute_url() + "?as_of=2012-01-01",
        "incident list on a day": reverse("incidents:list") + "?as_of=2012-01-01",
        "profile list": reverse("profiles:list"),
        "profile": g["profile"].get_absolute_url(),
        "position list": reverse("positions:list"),
        # position, themes, citations, norm links, glossary
        "position": g["position"].get_absolute_url(),
        "path list": reverse("paths:list"),
        "path": g["path"].get_absolute_url(),
        "position list filtered": reverse("positions:list")
        + "?issue=sovereignty&issue=due-diligence&kind=national-paper&theme=cybercrime"
        + "&country=AA&norm=framework-0/13c&year_from=2000&sort=newest",
        "response list filtered": reverse("incidents:response-list")
        + "?kind=attribution&party=AA&attributed_to=AA&sector=health&norm=framework-0/13a"
        + "&year_from=2000",
    }


# Each page's queries, the same at any size (asserted below with ten times the records).
# Pages that read the themes or the countries' names held per content version
# (core.pagecache.held) read the version too: a query per request in a test's
# transaction, none in a production worker (its connection is notified of changes).
# A record's link graph sets its queries' generic plans and resets them after
# (core.compiled.generic_plans).
GRAPH_PLANS = 2
# A record page's glossary terms are kept in the worker (pagecache.held): no query.
BUDGETS = {
    # the records updated last (one query over the 7 types), their cards (a query per type
    # among them: 3 here), the themes of the cards shown, 8 counts in one, theme counts,
    # themes, the content version; with the page cache on, what is kept under the
    # content version is read once (research.views.home)
    "home": 13,
    # Lists count their facets in memory (core/facetindex.py, kept in the worker) and hold
    # their choices (themes, countries): none of that is a query in steady state.
    # the content version, the frameworks' labels (its long facet), the norms counted per
    # framework (a page holds whole frameworks), the page's norms
    "norm index": 4,
    # a framework page: the framework and what it shows (8 at most), and the link graph
    # (core/linkgraph.py): each relation around it, one and two steps out (13 here, 21 for
    # a norm, 19 for a body or an agreement, 12 for an incident, 18 for a response: 14
    # relations, those touching the record's type asked twice)
    "framework": 8 + 13 + GRAPH_PLANS,
    # ... and the incidents said to breach it, the responses that invoke it, the national
    # positions that address it, the norms it restates and those restating it
    "norm": 12 + 21 + GRAPH_PLANS,
    "body list": 4,  # the content version, page ids, cards, their themes
    "body": 11 + 19 + GRAPH_PLANS,  # ... and the responses it made, and the link graph
    # the content version, the long facets' shown labels (bodies, norms), page ids, cards,
    # themes
    "agreement list": 6,
    # ... the responses made under or that led to it, the link graph, and the content
    # version for the records its text names (core/autolink.py)
    "agreement": 12 + 19 + GRAPH_PLANS,
    # records per theme, themes
    "theme list": 2,
    # theme, 10 counts in one, the first cards of each of 10 types, their themes in one,
    # the content version, and the compact timeline: a query per timeline lane (5)
    "theme": 18,
    "country list": 1,
    # country, every section counted in one, the first rows of each of 7 sections (its
    # profile first), and the compact timeline: agreements, bodies, incidents, responses
    # (frameworks: no query)
    "country": 13,
    "glossary": 2,
    # the content version, the chosen parties' and norm's labels (bodies, norms) and the
    # norm's key, the long facets' shown labels (bodies, norms), page ids, cards, themes
    "agreement list filtered": 9,
    # the content version, the chosen framework checked, the frameworks' labels, the norms
    # counted per framework, the page's norms
    "norm list filtered": 5,
    "body list filtered": 4,
    # theme, count, page, themes, the content version
    "theme, one type": 5,
    # theme, 7 counts of the dated types in one, the first cards of each, their themes in
    # one (no timeline: the page shows one day)
    "theme on a day": 7,  # (cards of the 3 types with records that day here)
    # the content version, the incidents of that day, the long facets' shown labels
    # (bodies, norms), page ids, cards, themes
    "incident list on a day": 7,
    "incident list": 6,  # as the agreement list
    "incident": 11 + 12 + GRAPH_PLANS,  # ... and the link graph
    "incident list filtered": 9,  # as the agreement list filtered
    "response list": 6,  # as the agreement list
    "response": 10 + 18 + GRAPH_PLANS,  # ... and the link graph
    # as the agreement list filtered, the chosen party a state (no body's label)
    "response list filtered": 8,
    "norm lineage": 5,
    "agreement on a day": 12 + 19 + GRAPH_PLANS,
    # the country; the norms counted and a page of them; that page's routes: links and
    # parties, promotions and memberships, positions; the General Assembly's resolutions
    "country norms": 9,
    "norm states": 5,
    "country on a day": 3,
    "country what changed": 3,
    "body on a day": 11 + 19 + GRAPH_PLANS,
    "profile list": 4,  # the content version, page ids, cards, themes
    # profile and its country, themes, citations (no relation of the link graph touches
    # a profile: its queries are the generic plans' two)
    "profile": 4 + GRAPH_PLANS,
    # the content version, the norms' shown labels (its long facet), page ids, cards, themes
    "position list": 5,
    # position and its country, themes, citations, norm links, and the link graph
    "position": 13 + GRAPH_PLANS,
    "position list filtered": 7,  # ... and the chosen norm's label and key
    # learning paths, each with its public steps counted (one query)
    "path list": 1,
    # path, themes, citations, its public steps, their records (one query per record type
    # present), and the link graph around it
    "path": 10 + GRAPH_PLANS,
}


def count_queries(client, url: str) -> int:
    """The queries of a page in steady state: after a first request has filled what the
    process keeps per content version (content types, the names that link records)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def clear_records() -> None:
    from agreements.models import Agreement
    from bodies.models import Body
    from glossary.models import GlossaryTerm
    from incidents.models import Incident, Response
    from norms.models import NormFramework
    from paths.models import LearningPath
    from positions.models import NationalPosition
    from profiles.models import CountryProfile
    from reference.models import Country, Source, Theme

    models = (LearningPath, Response, Incident, NationalPosition, CountryProfile, Agreement, Body,
              NormFramework, GlossaryTerm)  # fmt: skip
    for model in (*models, Country, Theme):
        model.objects.all().delete()
    Source.objects.all().delete()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(client):
    graph = make_graph(scale=2)
    small = {name: count_queries(client, url) for name, url in urls(graph).items()}
    clear_records()
    graph = make_graph(scale=20)  # the same slugs, ten times the records and links
    # Plans from the tables' statistics as they now are: the worker's database may have
    # been analysed when they were empty, and its plans then took 5-13 s per page (the
    # test counts queries; it took 120-180 s instead of 15 in some full runs).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    large = {name: count_queries(client, url) for name, url in urls(graph).items()}
    assert graph["agreement"].inbound_links.count() == 20  # 19 supplements + a draft's
    over = {name: n for name, n in small.items() if n > BUDGETS[name]}
    assert not over, f"over budget: {over} (budgets: { {n: BUDGETS[n] for n in over} })"
    grew = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert not grew, f"grew with the data (small, large): {grew}"


@pytest.mark.django_db
def test_a_learning_path_runs_the_same_queries_for_3_steps_and_for_30(client):
    from django.contrib.contenttypes.models import ContentType

    from agreements.models import Agreement
    from bodies.models import Body
    from core.models import Status
    from norms.models import Norm
    from paths.models import LearningPath, PathStep

    graph = make_graph(scale=20)

    def path_of(slug: str, records) -> LearningPath:
        path = LearningPath.objects.create(
            title=slug, slug=slug, summary="A walk.", minutes=10, status=Status.PUBLISHED
        )
        for position, record in enumerate([*records, graph["draft_agreement"]], start=1):
            PathStep.objects.create(
                path=path, position=position, text=f"Step {position}.", object_id=record.pk,
                content_type=ContentType.objects.get_for_model(record),
            )  # fmt: skip
        return path

    short = path_of("short", [graph["agreement"], graph["norm"], graph["body"]])
    list_with_one = count_queries(client, reverse("paths:list"))
    published = [
        list(model.objects.published().order_by("pk")[:10]) for model in (Agreement, Norm, Body)
    ]
    mixed = [record for records in zip(*published, strict=True) for record in records]
    long = path_of("long", mixed)
    assert len(long.steps.all()) == 31  # 30 published records and a draft
    small, large = (count_queries(client, p.get_absolute_url()) for p in (short, long))
    assert small == large <= BUDGETS["path"], (small, large)
    assert count_queries(client, reverse("paths:list")) == list_with_one <= BUDGETS["path list"]


@pytest.mark.django_db
def test_a_record_page_reads_the_long_text_of_its_own_record_only(client, graph):
    """The records a page links (its parties' bodies, linked agreements, promoting bodies,
    restatements, the incidents, responses and positions of its sections) are read as a
    card reads them: without their descriptions and search vectors."""
    for record in (
        graph["norm"],
        graph["agreement"],
        graph["body"],
        graph["incident"],
        graph["response"],
        graph["position"],
        graph["framework"],
    ):
        client.get(record.get_absolute_url())  # what is kept per content version
        with CaptureQueriesContext(connection) as queries:
            assert client.get(record.get_absolute_url()).status_code == 200
        own = record._meta.db_table
        for query in queries.captured_queries:
            selected = query["sql"].split(" FROM ")[0]
            if f'FROM "{own}"' in query["sql"] and f'"{own}"."slug" = ' in query["sql"]:
                continue  # the record itself
            if '"reference_theme"' in selected:
                continue  # a framework's norms' themes: a few short tags, read whole
            assert "description_html" not in selected, (record, query["sql"][:300])
            assert "search_vector" not in selected, (record, query["sql"][:300])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters, fields",
    [
        ("agreements.filters.AgreementFilter", ["title", "short_title", "summary", "symbol"]),
        ("norms.filters.NormFilter", ["title", "summary", "quotation"]),
        ("bodies.filters.BodyFilter", ["title", "acronym", "summary"]),
    ],
)
def test_a_lists_words_filter_can_read_its_matches_from_the_trigram_indexes(filters, fields):
    """The words filter compares each field as its trigram index holds it
    (``core.models.words_indexes``): were the lookup to change, the index would silently
    stop serving it and every search of a list would read every record again."""
    filterset = import_string(filters)
    model = filterset._meta.model
    # The words alone, in no order: no other index can serve this condition.
    records = filterset({"q": "hydrographic"}, queryset=model.objects.all()).qs.order_by()
    sql, params = records.query.sql_with_params()
    with connection.cursor() as cursor:
        # A few rows: PostgreSQL would rather read them all, whatever the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    name = model._meta.model_name
    for field in fields:
        assert f"{name}_{field}_trgm" in plan, plan
