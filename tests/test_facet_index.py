"""Every list's facets counted in memory (core/facetindex.py) are what the SQL counters
count, filter by filter, drafts left out; a change to the content shows at once."""

import random
from array import array

import pytest
from django.http import QueryDict

from agreements.filters import AgreementFilter
from agreements.models import Agreement
from bodies.filters import BodyFilter
from core import facetindex, pagecache
from core.models import Status
from incidents.filters import IncidentFilter, ResponseFilter
from norms.filters import NormFilter
from positions.filters import PositionFilter
from profiles.filters import ProfileFilter

# The lists whose facets the index counts: every faceted list.
INDEXED = [
    AgreementFilter,
    IncidentFilter,
    ResponseFilter,
    BodyFilter,
    NormFilter,
    PositionFilter,
    ProfileFilter,
]


def counts(query: str, *, in_memory: bool, monkeypatch, kind=AgreementFilter) -> tuple[dict, int]:
    """The facets' counts of a list (``kind``, its FilterSet) under ``query`` and the
    number of records it lists, from the index or (``in_memory=False``) from SQL."""
    with monkeypatch.context() as patch:
        if not in_memory:
            patch.setattr(kind, "INDEXED", {})
        filterset = kind(QueryDict(query), queryset=kind._meta.model.objects.published())
        assert filterset.is_valid(), (query, filterset.form.errors)
        cleaned = {k: v for k, v in filterset.form.cleaned_data.items() if k in filterset.filters}
        if in_memory:
            return filterset.counts_in_memory(cleaned), filterset.matching
        return filterset.counts(cleaned), filterset.qs.count()


def filters_of(whole: dict) -> list[tuple[str, str]]:
    """Every value with records of every facet, as (parameter, value)."""
    found = []
    for name, counted in whole.items():
        values = [row[0] for row in counted[0]] if isinstance(counted, tuple) else list(counted)
        found += [(name, value) for value in values]
    return found


def assert_same(query: str, monkeypatch, kind=AgreementFilter) -> None:
    memory, matching = counts(query, in_memory=True, monkeypatch=monkeypatch, kind=kind)
    sql, listed = counts(query, in_memory=False, monkeypatch=monkeypatch, kind=kind)
    for name in sql:
        assert memory[name] == sql[name], (kind.__name__, query, name)
    assert matching == listed, (kind.__name__, query)


# Beside every value of every facet alone: the year range, both theme matches, and states
# with bodies in one party filter.
BOTH_KINDS_OF_PARTY = {
    AgreementFilter: "party=FR&party=body:european-union",
    IncidentFilter: "attributed_by=GB&attributed_by=body:european-union",
    ResponseFilter: "party=GB&party=body:european-union",
}


@pytest.mark.parametrize("kind", INDEXED, ids=lambda kind: kind.__name__)
def test_on_the_shipped_content_every_filter_alone_and_in_pairs_counts_as_sql(
    shipped, db, monkeypatch, kind
):
    whole, _ = counts("", in_memory=False, monkeypatch=monkeypatch, kind=kind)
    single = filters_of(whole)
    assert len(single) > 15  # every theme, kind, region, party, norm...
    queries = [f"{name}={value}" for name, value in single]
    queries += [
        "year_from=2000",
        "year_to=2010",
        "year_from=2015&year_to=2019",
        "theme=cybercrime&theme=critical-infrastructure-protection&match=all",
        "theme=cybercrime&theme=critical-infrastructure-protection",
    ]
    if kind in BOTH_KINDS_OF_PARTY:
        queries.append(BOTH_KINDS_OF_PARTY[kind])
    if kind is AgreementFilter:
        queries.append("theme=cybercrime&binding=yes&year_from=2000")  # the bench's
    pick = random.Random(10)
    for _ in range(40):
        (a, x), (b, y) = pick.sample(single, 2)
        queries.append(f"{a}={x}&{b}={y}&year_from={pick.choice([1990, 2010, 2020])}")
    for query in queries:
        assert_same(query, monkeypatch, kind)


@pytest.mark.parametrize("kind", INDEXED, ids=lambda kind: kind.__name__)
def test_drafts_are_not_counted_in_memory_either(graph, monkeypatch, kind):
    """The graph links a draft of every type into it: a draft record, body (as a party)
    and norm, and a draft response to a public incident, are counted by neither."""
    whole, _ = counts("", in_memory=False, monkeypatch=monkeypatch, kind=kind)
    assert_same("", monkeypatch, kind)
    for name, value in filters_of(whole):
        assert_same(f"{name}={value}", monkeypatch, kind)
    memory, matching = counts("", in_memory=True, monkeypatch=monkeypatch, kind=kind)
    assert matching == kind._meta.model.objects.published().count() > 0
    if kind.PARTIES:
        party = next(iter(kind.PARTIES))
        assert f"body:{graph['draft_body'].slug}" not in {row[0] for row in memory[party][0]}
    if kind.NORMS_THROUGH:
        draft_norm = graph["draft_norm"]
        norms = {row[0] for row in memory["norm"][0]}
        assert norms and f"{draft_norm.framework.slug}/{draft_norm.slug}" not in norms


def test_words_and_a_day_are_read_in_sql_and_counted_with_the_rest(shipped, db, monkeypatch):
    """What the index does not hold is applied alone in SQL, then counted as the others."""
    for query in (
        "q=cyber",
        "q=convention&theme=cybercrime",
        "as_of=2010-01-01",
        "as_of=2016-06-30&binding=yes&party=FR",
        "q=zzzz-nothing",
    ):
        assert_same(query, monkeypatch)


def test_a_change_to_the_content_is_counted_at_once(graph, monkeypatch):
    pagecache._held.clear()
    agreement = graph["agreement"]
    before, _ = counts("binding=yes", in_memory=True, monkeypatch=monkeypatch)
    kind = "eu-policy" if agreement.kind != "eu-policy" else "bilateral"
    Agreement.objects.filter(pk=agreement.pk).update(kind=kind)
    after, _ = counts("binding=yes", in_memory=True, monkeypatch=monkeypatch)
    change = 1 if agreement.legally_binding else 0
    assert after["kind"].get(kind, 0) == before["kind"].get(kind, 0) + change
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.DRAFT)
    gone, _ = counts("", in_memory=True, monkeypatch=monkeypatch)
    assert sum(gone["binding"].values()) == sum(after["binding"].values()) - 1
    indexes = [name for name in pagecache._held if name.startswith("facet-index:")]
    assert len(indexes) == 1  # the old versions' indexes are gone


@pytest.mark.parametrize("size", [0, 1, 7, 8, 9, 200])
def test_bit_sets_hold_exactly_their_positions(size):
    positions = sorted(random.Random(size).sample(range(max(size, 1) * 3), size))
    bits = facetindex.bitmap(positions, max(size, 1) * 3)
    assert list(facetindex.members(bits)) == positions
    assert bits.bit_count() == size


@pytest.mark.parametrize("chosen_share", [0.0, 0.01, 0.3, 0.7, 1.0])
def test_a_long_facet_counts_the_same_whichever_records_it_walks(chosen_share):
    """Each value's records, the records chosen or those outside them: the same counts."""
    pick = random.Random(int(chosen_share * 100))
    size = 200  # 300 values of up to 40 records each: more pairs than records, walked
    found = {key: array("I", pick.sample(range(size), pick.randint(1, 40))) for key in range(300)}
    values = facetindex.LongValues(found, size)
    within = facetindex.bitmap([p for p in range(size) if pick.random() < chosen_share], size)
    expected = {}
    for key, positions in found.items():
        if n := sum(1 for p in positions if within >> p & 1):
            expected[key] = n
    assert values._by_value(within) == expected
    assert dict(values._walk(within)) == {values.code(key): n for key, n in expected.items()}
    assert values.count(within) == expected
