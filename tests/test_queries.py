"""Each page runs a bounded number of queries, the same for a small and a ten-times-larger graph."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
    }


BUDGET = 20  # the largest page (home) needs 15; every page stays well under this


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def clear_records() -> None:
    from agreements.models import Agreement
    from bodies.models import Body
    from glossary.models import GlossaryTerm
    from norms.models import NormFramework
    from reference.models import Country, Source, Theme

    for model in (Agreement, Body, NormFramework, GlossaryTerm, Country, Theme):
        model.objects.all().delete()
    Source.objects.all().delete()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(client):
    graph = make_graph(scale=2)
    small = {name: count_queries(client, url) for name, url in urls(graph).items()}
    clear_records()
    graph = make_graph(scale=20)  # the same slugs, ten times the records and links
    large = {name: count_queries(client, url) for name, url in urls(graph).items()}
    assert graph["agreement"].inbound_links.count() == 20  # 19 supplements + a draft's
    for name in small:
        assert small[name] <= BUDGET, (name, small[name])
        assert large[name] == small[name], (name, small, large)
