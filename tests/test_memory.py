"""A served worker frees a request's cyclic garbage as the request ends (cyberdiplo/memory.py)."""

import gc

from cyberdiplo import memory


def test_a_request_that_kept_many_objects_collects_them_as_it_ends(monkeypatch):
    full = []
    monkeypatch.setattr(memory.gc, "collect", lambda *args: full.append(args) or 0)
    memory._request_started()
    memory._request_finished()
    assert full == []  # a request that kept little (a cached page) pays nothing

    memory._request_started()
    kept = [[] for _ in range((memory.MIN_COLLECTIONS + 2) * 2000)]  # containers, kept
    memory._request_finished()
    assert len(kept) and full == [()]


def test_records_linked_both_ways_are_freed_at_the_end_of_the_request():
    """What prefetching leaves: cycles, freed by the collection at the request's end."""
    gc.collect()

    class Record:
        pass

    memory._request_started()
    page = []  # the page's records, reachable while it renders: they grow old
    for _ in range(20000):
        a, b = Record(), Record()
        a.other, b.other = b, a  # linked both ways
        page.append(a)
    del page, a, b  # the response sent: a cycle per pair, reachable from nothing
    before = sum(1 for o in gc.get_objects() if type(o) is Record)
    memory._request_finished()
    after = sum(1 for o in gc.get_objects() if type(o) is Record)
    assert before > 0 and after == 0


def test_an_api_page_leaves_no_cycle_through_its_records_relations(client, graph):
    """An API list's records hold their prefetched relations, and each related row its
    record: the page lets go of them once written, so that they are freed as the request
    ends, not by Python's full collection some thirty API pages later."""
    from agreements.models import Participation

    client.get("/api/v1/agreements/")  # what the first request loads for good
    gc.collect()
    gc.disable()
    try:
        response = client.get("/api/v1/agreements/")
        assert response.status_code == 200 and response.json()["count"] > 1
        del response
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Participation)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == [], f"{len(left)} parties freed only by the collector"
