"""The bench's own logic: reading wrk, the wrk script, the target checks, the hello-world
page. Speed itself is measured by `make bench`, never here."""

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from content.bench import inprocess, targets, wrk
from content.bench.servers import (
    arrived_whole,
    describe_failed,
    failed_in_access_log,
    parse_vm_hwm,
)
from content.bench.targets import Check, Page
from content.management.commands.bench import in_a_scale_cluster

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:40001
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    1.20ms  40.00ms   90.00%
  28500 requests in 5.00s, 10.00MB read
RESULT requests=28500 seconds=5.002 rps=5697.7 p50=2.81 p95=5.02 p99=9.70 max=40.00 \
connect=0 read=1 write=0 status=3 timeout=2
"""


def result(**values) -> wrk.WrkResult:
    fields = dict.fromkeys(wrk.FIELDS, 0) | {"seconds": 1.0} | values
    return wrk.WrkResult(**fields)


# --- reading wrk --------------------------------------------------------------------


def test_result_line_is_read_with_errors_by_kind():
    got = wrk.parse_result(WRK_OUTPUT)
    assert got.requests == 28500
    assert got.rps == pytest.approx(5697.7)
    assert (got.p50, got.p95, got.p99, got.max) == (2.81, 5.02, 9.70, 40.0)
    assert got.socket_errors == 3  # one read error, two timeouts
    assert got.errors == 6  # and three answers outside 2xx/3xx
    assert got.describe_errors() == "3 non-2xx/3xx, 1 read, 2 timeout"


def test_a_clean_run_describes_no_errors():
    assert result(requests=10).describe_errors() == "none"


def test_output_without_a_result_line_is_an_error_quoting_wrk():
    with pytest.raises(wrk.WrkError, match="unable to connect"):
        wrk.parse_result("unable to connect to 127.0.0.1:9 Connection refused\n")


@pytest.mark.parametrize(
    "line",
    [
        "RESULT requests=10 seconds=1.0 rps=10.0",  # fields missing
        WRK_OUTPUT.splitlines()[-1].replace("p95=5.02", "p95=fast"),
    ],
)
def test_a_malformed_result_line_is_an_error(line):
    with pytest.raises(wrk.WrkError, match="result line"):
        wrk.parse_result(line)


# --- the wrk script, against a tiny server that records what it is asked -----------


class Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self):
        self.paths.append(self.path)
        status = 404 if self.path.startswith("/missing") else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        # wrk closes its connections when its time is up, answers in flight or not.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed: apt-get install wrk (make bench-tools)")
    # A list of this server's own: a request of an earlier test's run that its server is
    # still answering (its handler threads outlive it) is not recorded as this test's.
    paths: list[str] = []
    handler = type("Recording", (Recorder,), {"paths": paths})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", paths
    server.shutdown()
    server.server_close()


def test_uncached_mode_makes_every_request_a_new_url_the_page_can_ignore(recorder):
    base, paths = recorder
    got = wrk.run(base, ["/a/", "/b/?x=1"], unique=True, seconds=1, connections=4, nonce="n0nce")
    assert got.requests > 0 and got.errors == 0
    asked = list(paths)
    assert len(asked) >= got.requests
    assert len(set(asked)) == len(asked)  # no URL twice, across both threads
    assert {path.split("_=")[0] for path in asked} == {"/a/?", "/b/?x=1&"}
    assert all(path.split("_=")[1].startswith("n0nce-") for path in asked)


def test_cached_mode_repeats_the_same_urls(recorder):
    base, paths = recorder
    got = wrk.run(base, ["/a/", "/b/?x=1"], unique=False, seconds=1, connections=4, nonce="n")
    assert got.requests > 0
    assert set(paths) == {"/a/", "/b/?x=1"}


def test_answers_outside_2xx_are_counted_as_errors(recorder):
    base, _ = recorder
    got = wrk.run(base, ["/missing"], unique=False, seconds=1, connections=2, nonce="n")
    assert got.status == got.requests > 0
    assert got.errors >= got.requests


def test_no_server_is_an_error_naming_the_refused_connection():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(wrk.WrkError, match="unable to connect"):
            wrk.run(
                f"http://127.0.0.1:{port}", ["/"], unique=False, seconds=1, connections=2, nonce="n"
            )


# --- in-process helpers and worker memory ----------------------------------------------


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert inprocess.percentile(values, 50) == 50
    assert inprocess.percentile(values, 95) == 95
    assert inprocess.percentile([3.0, 1.0, 2.0], 95) == 3
    assert inprocess.percentile([7.0], 50) == 7
    with pytest.raises(ValueError):
        inprocess.percentile([], 50)


def test_uncached_urls_are_all_different_and_keep_the_query():
    first = inprocess.uncached("/search/?q=cyber", "abc")
    second = inprocess.uncached("/search/?q=cyber", "abc")
    assert first.startswith("/search/?q=cyber&_=abc-")
    assert first != second
    assert inprocess.uncached("/", "abc").startswith("/?_=abc-")


def test_timed_page_reports_the_queries_of_one_request(graph, django_assert_num_queries):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    counted = inprocess.query_count(client, "/norms/", nonce="t")
    timing = inprocess.time_page(client, "/norms/", nonce="t", requests=3, budget_seconds=60)
    assert counted > 0
    # The count survives the timed requests after it (each one empties the query log).
    assert timing.queries == counted
    assert timing.requests == 3
    with django_assert_num_queries(counted):
        client.get(inprocess.uncached("/norms/", "t"))


def test_peak_rss_is_read_from_proc_status():
    status = "Name:\tgunicorn\nVmPeak:\t  300000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n"
    assert parse_vm_hwm(status) == 123456
    assert parse_vm_hwm("Name:\tzombie\n") is None


def test_failed_answers_are_read_from_the_access_log_without_the_bench_parameter():
    log = (
        '127.0.0.1 "GET / HTTP/1.1" 200 13002 12ms "-"\n'
        '127.0.0.1 "GET /agreements/?format=csv HTTP/1.1" 500 0 1ms "-"\n'
        "[2026-11-29 09:14:12 +0000] [8521] [ERROR] Error handling request GET /x\n"
        '127.0.0.1 "GET /agreements/?format=csv&_=ab12-1-7 HTTP/1.1" 500 0 1ms "-"\n'
        '127.0.0.1 "GET /?_=ab12-2-9 HTTP/1.1" 503 20 30001ms "wrk"\n'
        '127.0.0.1 "GET /norms/?page=2 HTTP/1.1" 304 0 2ms "-"\n'
    )
    failed = failed_in_access_log(log)
    assert failed == {(500, "/agreements/?format=csv"): 2, (503, "/"): 1}
    assert describe_failed(failed) == "500 x 2 /agreements/?format=csv; 503 x 1 /"


@pytest.mark.parametrize(
    ("head", "tail", "size", "whole"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 77", b"", 77, True),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 77", b"", 70, False),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked", b"0\r\n\r\n", 9000, True),
        # A worker killed mid-stream: the last chunk never comes.
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked", b"1,2\r\n", 9000, False),
        (b"HTTP/1.1 200 OK\r\nConnection: close", b"", 10, True),
    ],
)
def test_a_streamed_export_cut_short_is_told_from_a_whole_one(head, tail, size, whole):
    assert arrived_whole(head, tail, size) is whole


# --- targets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "ok"),
    [
        (Check("ratio", 0.70, ">=", 0.70), True),
        (Check("ratio", 0.69, ">=", 0.70), False),
        (Check("p95", 49.9, "<", 50, "ms"), True),
        (Check("p95", 50.0, "<", 50, "ms"), False),  # "under 50 ms" is strict
        (Check("p50", 8.0, "<=", 8, "ms"), True),
        (Check("queries", 14, "==", 14), True),
        (Check("queries", 15, "==", 14), False),
    ],
)
def test_a_check_holds_exactly_at_its_comparison(check, ok):
    assert check.ok is ok
    assert check.line().startswith("ok" if ok else "MISS")


def test_a_missed_check_names_value_and_target():
    line = Check("p95 /search/?q=cyber", 130.0, "<", 100, "ms", note="at scale").line()
    assert line == "MISS p95 /search/?q=cyber: 130 ms (target < 100 ms)  (at scale)"


def test_every_cached_page_is_held_to_the_ratio_and_record_pages_uncached_too():
    detail = Page("/agreements/budapest-convention/", "detail")
    checks = targets.ratio_checks(detail, cached_rps=4000, uncached_rps=500, hello_rps=5000)
    assert [(c.value, c.target, c.ok) for c in checks] == [(0.8, 0.70, True), (0.1, 0.10, True)]
    listing = Page("/agreements/", "list")
    checks = targets.ratio_checks(listing, cached_rps=3000, uncached_rps=10, hello_rps=5000)
    assert [(c.name, c.ok) for c in checks] == [("cached /agreements/ / hello-world", False)]


def test_in_process_targets_by_kind_and_size():
    def targets_for(kind, scale):
        page = Page("/p/", kind)
        return [
            (c.comparison, c.target) for c in targets.in_process_checks(page, 1, 2, scale=scale)
        ]

    assert targets_for("home", False) == [("<=", 8)]
    assert targets_for("hub", False) == [("<=", 8)]
    assert targets_for("filtered", False) == [("<=", 12)]
    assert targets_for("search", False) == [("<=", 12)]
    assert targets_for("export", False) == []
    assert targets_for("filtered", True) == [("<", 50)]
    assert targets_for("search", True) == [("<", 100)]
    assert targets_for("detail", True) == [("<", 20)]
    assert targets_for("home", True) == []
    # p50 is judged at the shipped size, p95 at scale.
    (shipped,) = targets.in_process_checks(Page("/", "home"), 7, 30, scale=False)
    assert shipped.value == 7 and shipped.ok
    (scaled,) = targets.in_process_checks(Page("/x/", "detail"), 7, 30, scale=True)
    assert scaled.value == 30 and not scaled.ok


def test_query_counts_at_scale_must_equal_the_shipped_ones():
    checks = targets.query_count_checks(
        shipped={"/": 5, "/agreements/": 9}, scale={"/": 5, "/agreements/": 12, "/new/": 3}
    )
    assert [(c.name, c.ok) for c in checks] == [
        ("queries / at scale", True),
        ("queries /agreements/ at scale", False),
        ("queries /new/ at scale", False),  # a page that failed at the shipped size
    ]
    assert checks[2].note == "no shipped count"


def test_worker_memory_is_judged_by_the_largest_worker():
    (check,) = targets.rss_checks("site", {101: 90.0, 102: 151.5, 103: 80.0})
    assert not check.ok
    assert check.value == 151.5 and "worker 102" in check.note and "3 worker" in check.note
    assert targets.rss_checks("site", {}) == []


def test_failed_requests_over_the_runs_are_summed_and_named():
    check = targets.run_errors_check(
        [
            ("cached /", result(requests=100)),
            ("uncached /agreements/", result(requests=10, timeout=4, status=1)),
        ]
    )
    assert check.value == 5 and not check.ok
    assert check.note == "uncached /agreements/: 1 non-2xx/3xx, 4 timeout"
    assert targets.run_errors_check([("cached /", result(requests=5))]).ok


def test_a_run_in_which_nothing_completed_is_a_failure():
    check = targets.run_errors_check([("uncached /sitemap.xml", result(requests=0))])
    assert check.value == 1 and not check.ok
    assert check.note == "uncached /sitemap.xml: no answer in the run"


def test_failures_lists_only_the_missed_checks():
    ok, missed = Check("a", 1, "==", 1), Check("b", 2, "==", 1)
    assert targets.failures([ok, missed]) == [missed]


# --- the hello-world page --------------------------------------------------------------


def test_hello_world_page_runs_through_the_sites_middleware():
    # In a process of its own: the module swaps the settings' URLconf for its one view.
    script = (
        "import content.bench.hello\n"
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='127.0.0.1').get('/')\n"
        "print(r.status_code, r.content.decode().strip(), "
        "'Content-Security-Policy' in r.headers, 'Permissions-Policy' in r.headers, "
        "'ETag' in r.headers)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PAGE_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    # The site's headers, but no page cache (no ETag): the ceiling is no lookup at all.
    assert done.stdout.split() == ["200", "Hello,", "world", "True", "True", "False"]


def test_synthetic_records_go_only_into_a_cluster_of_the_benchs_own(monkeypatch, tmp_path):
    """`make bench-scale` generates under production settings, in its own cluster; never
    into the shipped content's cluster or a DATABASE_URL's database."""
    shipped, scale = str(tmp_path / "postgres"), str(tmp_path / "postgres-scale")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("EMBEDDED_PGDATA", scale)
    assert in_a_scale_cluster(shipped)
    assert not in_a_scale_cluster(None)  # the content's cluster is not named
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example/site")
    assert not in_a_scale_cluster(shipped)
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("EMBEDDED_PGDATA", str(tmp_path / "." / "postgres"))
    assert not in_a_scale_cluster(shipped)
    monkeypatch.delenv("EMBEDDED_PGDATA")
    assert not in_a_scale_cluster(shipped)
