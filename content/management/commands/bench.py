"""`make bench` and `make bench-scale`: what visitors feel, against issue 10's targets.

Run under production settings (the Makefile sets them as `make serve` does). In one run:

1. a first load of data/ (shipped size only), timed;
2. each page in process (Django's test client, uncached: a parameter the page ignores
   makes every request a new cache key): p50, p95 and query count;
3. the site and a hello-world page (content/bench/hello.py: same gunicorn config, same
   settings and middleware), each under gunicorn with 2 workers on a free loopback port;
   wrk at 16 connections per page, cached (the same URL again and again) and uncached
   (`?_=<unique>` on each request): requests/s as a ratio to a hello-world run made just
   before the page's, p50/p95/p99, errors; then a mix of every page at 64 connections
   with the cache warm;
4. the whole-set CSV export's first byte, and every worker's peak RSS (VmHWM).

`--scale N` (`make bench-scale`) runs against a database holding N synthetic records
(generated when missing) and applies the 100k targets, comparing each page's query
count with the same page's at the shipped size (`--shipped-pgdata`, read only).
Targets live in content/bench/targets.py; the command exits non-zero naming each one
missed. Speed is measured here, never in unit tests: it depends on the machine.
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content.bench import inprocess, servers, targets, wrk
from content.bench.targets import Check, Page
from content.loader import load_content
from content.synthetic import analyze, generate
from core.registry import registry


def time_loads() -> tuple[tuple[float, int], tuple[float, int]]:
    """(seconds, queries) of a first load of data/ and of a second one.

    The first load goes into emptied tables inside a transaction that is then
    rolled back, so the loaded content stays as it was. The tables are locked
    meanwhile: a server using the same database waits for a few seconds.
    """

    def timed() -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            load_content(settings.CONTENT_DIR)
            return time.perf_counter() - start, len(queries)

    labels = ["reference", *registry.app_labels()]
    tables = [m._meta.db_table for label in labels for m in apps.get_app_config(label).get_models()]
    with transaction.atomic():
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                cursor.execute(sql)
        first = timed()
        second = timed()
        transaction.set_rollback(True)
    return first, second


def record_count() -> int:
    """Records of every registered type, whatever their status."""
    return sum(model._default_manager.count() for model in registry.models())


class Command(BaseCommand):
    help = (
        "Measure the site as visitors feel it (gunicorn + wrk against a hello-world page, "
        "in-process timings and query counts, worker memory) and check issue 10's targets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick", action="store_true", help="Short runs, for trying the bench out."
        )
        parser.add_argument("--seconds", type=int, default=5, help="wrk seconds per run (5).")
        parser.add_argument(
            "--mix-seconds", type=int, default=60, help="Seconds of the 64-connection mix (60)."
        )
        parser.add_argument(
            "--requests", type=int, default=50, help="In-process requests per page (50)."
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="gunicorn workers per server (2)."
        )
        parser.add_argument(
            "--skip-first-load", action="store_true", help="Do not time a first load of data/."
        )
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="Check the 100k targets against a database of N synthetic records, "
            "generating them (generate_synthetic --records N --seed 1) when missing.",
        )
        parser.add_argument(
            "--shipped-pgdata",
            metavar="PATH",
            help="With --scale: the embedded cluster holding the shipped content, whose "
            "query counts the scaled ones must equal (read only).",
        )
        parser.add_argument(
            "--counts-json",
            metavar="PATH",
            help="Only write each page's query count to PATH (JSON) and stop.",
        )

    def handle(self, *args, **options):
        if options["counts_json"]:
            self.write_counts(Path(options["counts_json"]))
            return
        if not settings.PRODUCTION:
            raise CommandError(
                "The bench measures production settings: run it as `make bench` "
                "(CYBERDIPLO_ENV=production, as `make serve` sets it)."
            )
        quick = options["quick"]
        self.seconds = 1 if quick else options["seconds"]
        self.mix_seconds = 5 if quick else options["mix_seconds"]
        self.requests = 5 if quick else options["requests"]
        self.workers = options["workers"]
        self.scale = options["scale"]
        self.shipped_pgdata = options["shipped_pgdata"]
        self.nonce = secrets.token_hex(4)
        self.checks: list[Check] = []
        self.notes: list[str] = []
        self.scale_pages: list[Page] = []

        if self.scale:
            self.limit_statements()
        started = time.monotonic()
        try:
            self.header()
            if self.scale:
                self.ensure_scale_data(self.scale)
                self.scale_pages = self.largest_synthetic_agreement()
            elif not options["skip_first_load"]:
                self.first_load()
            counts = self.in_process()
            if self.scale:
                self.compare_counts(counts, options["shipped_pgdata"])
        except DatabaseError as error:
            raise CommandError(f"The database failed the bench itself: {error}") from None
        self.through_gunicorn()
        self.report(time.monotonic() - started)

    # --- the parts -------------------------------------------------------------------

    def limit_statements(self) -> None:
        """At scale, no query may run past gunicorn's worker timeout (30 s): a page that
        slow fails either way, and a query left running by a killed worker would weigh on
        every later figure. For this process and the servers it starts (libpq reads
        PGOPTIONS); PostgreSQL also drops a query whose client has gone."""
        limits = "-c statement_timeout=30s -c client_connection_check_interval=1s"
        os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} {limits}".strip()
        connection.close()
        self.notes.append(f"At scale every database session runs with {limits}.")

    def header(self) -> None:
        cache = "on" if getattr(settings, "PAGE_CACHE", False) else "off"
        self.stdout.write(
            f"bench {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
            f"{os.cpu_count()} cores, {self.workers} gunicorn workers per server, "
            f"page cache {cache}, records {record_count()}"
            + (f" (scale: {self.scale})" if self.scale else "")
        )
        if cache == "off":
            self.notes.append(
                "The page cache is off (PAGE_CACHE): cached figures are uncached ones and "
                "miss their targets until it is on."
            )

    def ensure_scale_data(self, records: int) -> None:
        # The curated content as data/ has it now, beside the synthetic records: the
        # scale cluster then holds every record the shipped one does, so each page runs
        # the same queries at both sizes. A load writes only what data/ changed since,
        # and never what an editor changed.
        self.stdout.write("Loading data/ into the scale database ...")
        stats = load_content(settings.CONTENT_DIR)
        if stats.created or stats.updated:
            analyze()  # fresh planner statistics, as after a generation
        have = record_count()
        if have >= records:
            self.stdout.write(f"The database holds {have} records: no generation needed.")
            return
        # Under production settings, where generate_synthetic refuses to run.
        if not in_a_scale_cluster(self.shipped_pgdata):
            raise CommandError(
                f"The database holds {have} records, fewer than {records}, and synthetic "
                "ones are added only to an embedded cluster of the bench's own: run "
                "`make bench-scale` (EMBEDDED_PGDATA=.data/postgres-scale and "
                "--shipped-pgdata naming the content's cluster, no DATABASE_URL)."
            )
        self.stdout.write(f"Generating {records} synthetic records (it holds {have}) ...")
        start = time.perf_counter()
        generate(records, 1)
        self.stdout.write(f"  generated in {time.perf_counter() - start:.0f} s")

    def first_load(self) -> None:
        (seconds, queries), (again, again_queries) = time_loads()
        self.stdout.write(
            f"\nfirst load of data/: {seconds:.1f} s, {queries} queries; "
            f"second load: {again:.1f} s, {again_queries} queries"
        )
        self.checks.append(
            Check("first load of data/", seconds, "<=", targets.FIRST_LOAD_SECONDS, "s")
        )

    def at_this_size(self, pages: list[Page]) -> list[Page]:
        """At scale the whole-set export is too large for the page cache and is measured
        once, through gunicorn (first byte, worker memory), not under load; pages of types
        the synthetic set lacks are left out."""
        if not self.scale:
            return pages
        return [page for page in pages if page.kind != "export" and page.scale]

    def in_process_pages(self) -> list[Page]:
        return self.at_this_size([*targets.PAGES, *targets.IN_PROCESS_ONLY, *self.scale_pages])

    def largest_synthetic_agreement(self) -> list[Page]:
        """At scale, also the page of the published synthetic agreement with most parties."""
        agreement = (
            apps.get_model("agreements", "Agreement")
            .objects.published()
            .filter(slug__startswith="synthetic-")
            .annotate(parties=Count("participations"))
            .order_by("-parties")
            .first()
        )
        return [] if agreement is None else [Page(agreement.get_absolute_url(), "detail")]

    def in_process(self) -> dict[str, int]:
        self.stdout.write(
            "\nIn process (test client, production settings, uncached), "
            f"up to {self.requests} requests per page"
        )
        self.stdout.write(f"{'page':<62} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        client = Client(HTTP_HOST="127.0.0.1")
        budget = 8 if self.requests <= 5 else 20
        counts = {}
        for page in self.in_process_pages():
            try:
                timing = inprocess.time_page(
                    client,
                    page.path,
                    nonce=self.nonce,
                    requests=self.requests,
                    budget_seconds=budget,
                )
            except inprocess.PageError as error:
                self.stdout.write(f"{page.path[:62]:<62} {error}")
                self.checks.append(Check(f"{page.path} answers", 0, "==", 200, note=str(error)))
                continue
            counts[page.path] = timing.queries
            self.stdout.write(
                f"{page.path[:62]:<62} {timing.requests:4d} {timing.p50:8.1f} "
                f"{timing.p95:8.1f} {timing.queries:8d}"
            )
            self.checks += targets.in_process_checks(
                page, timing.p50, timing.p95, scale=bool(self.scale)
            )
        return counts

    def write_counts(self, path: Path) -> None:
        """Each page's query count, for a scaled run to compare with (the export aside)."""
        nonce = secrets.token_hex(4)
        client = Client(HTTP_HOST="127.0.0.1")
        counts = {}
        for page in [*targets.PAGES, *targets.IN_PROCESS_ONLY]:
            if page.kind == "export":
                continue
            try:
                counts[page.path] = inprocess.query_count(client, page.path, nonce=nonce)
            except inprocess.PageError as error:
                self.stderr.write(str(error))
        path.write_text(json.dumps(counts, indent=1))

    def compare_counts(self, counts: dict[str, int], shipped_pgdata: str | None) -> None:
        """Query counts here against the same pages on the shipped content's cluster."""
        if not shipped_pgdata:
            self.checks.append(
                Check(
                    "query counts compared with the shipped size",
                    0,
                    "==",
                    1,
                    note="no --shipped-pgdata",
                )
            )
            return
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            env = {**os.environ, "EMBEDDED_PGDATA": shipped_pgdata}
            done = subprocess.run(
                [sys.executable, "manage.py", "bench", "--counts-json", out.name],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                self.checks.append(
                    Check(
                        "query counts at the shipped size",
                        0,
                        "==",
                        1,
                        note=f"could not be read: {done.stderr.strip().splitlines()[-1:]}",
                    )
                )
                return
            shipped = json.loads(Path(out.name).read_text())
        for line in done.stderr.strip().splitlines():
            self.stdout.write(f"  at the shipped size: {line}")
        # The largest synthetic agreement's page should cost what any agreement's page does.
        for page in self.scale_pages:
            if targets.AGREEMENT_PAGE in shipped:
                shipped[page.path] = shipped[targets.AGREEMENT_PAGE]
        self.stdout.write("\nQuery counts, shipped size -> scale")
        for path, count in counts.items():
            self.stdout.write(f"  {path[:62]:<62} {shipped.get(path, '?'):>4} -> {count}")
        self.checks += targets.query_count_checks(shipped, counts)

    def through_gunicorn(self) -> None:
        with (
            servers.Gunicorn(servers.HELLO_APP, workers=self.workers) as hello,
            servers.Gunicorn(servers.SITE_APP, workers=self.workers) as site,
        ):
            self.stdout.write(
                f"\nThrough gunicorn (deploy/gunicorn.conf.py), wrk {targets.CONNECTIONS} "
                f"connections, {self.seconds} s per run; site {site.base_url}, "
                f"hello-world {hello.base_url}"
            )
            self.stdout.write(
                f"{'page':<52} {'mode':<8} {'req/s':>8} {'x hello':>8} {'p50 ms':>8} "
                f"{'p95 ms':>8} {'p99 ms':>8}  errors"
            )
            # The machine's load drifts (other work shares its cores): each page is
            # compared with a hello-world run made just before its own.
            runs = []
            for page in self.at_this_size(targets.PAGES):
                if not self.answers(site, page.path):
                    continue
                site.warm(page.path)  # every worker's cache holds it from now on
                log_at = site.log_size()
                ceiling = self.load(hello, ["/"], unique=False)
                cached = self.load(site, [page.path], unique=False)
                site.settle()
                uncached = self.load(site, [page.path], unique=True)
                site.settle()
                runs.append((page, cached, uncached))
                self.row("hello-world /", "cached", ceiling, None)
                self.row(page.path, "cached", cached, ceiling.rps)
                self.row("", "uncached", uncached, ceiling.rps)
                self.checks += targets.ratio_checks(page, cached.rps, uncached.rps, ceiling.rps)
                if failed := site.failed_requests(log_at):
                    self.notes.append(f"{page.path} failed: {servers.describe_failed(failed)}")
            self.checks.append(
                targets.run_errors_check(
                    [
                        (f"{mode} {page.path}", result)
                        for page, *results in runs
                        for mode, result in zip(("cached", "uncached"), results, strict=True)
                    ]
                )
            )
            self.mix(site, [page.path for page, _, _ in runs])
            self.export(site)
            self.memory(site, hello)

    def answers(self, site: servers.Gunicorn, path: str) -> bool:
        status, _ = site.get(path)
        unique_status, _ = site.get(inprocess.uncached(path, self.nonce))
        if status == unique_status == 200:
            return True
        self.stdout.write(
            f"{path[:52]:<52} answers {status} ({unique_status} uncached): not loaded"
        )
        self.checks.append(
            Check(f"{path} answers through gunicorn", min(status, unique_status), "==", 200)
        )
        return False

    def load(
        self,
        server: servers.Gunicorn,
        paths: list[str],
        *,
        unique: bool,
        seconds: int | None = None,
        connections: int = targets.CONNECTIONS,
    ) -> wrk.WrkResult:
        try:
            return wrk.run(
                server.base_url,
                paths,
                unique=unique,
                seconds=seconds or self.seconds,
                connections=connections,
                nonce=self.nonce,
            )
        except wrk.WrkError as error:
            raise CommandError(f"{error}\nServer log:\n{server.log_tail()}") from None

    def row(self, label: str, mode: str, result: wrk.WrkResult, hello_rps: float | None) -> None:
        ratio = f"{result.rps / hello_rps:8.3f}" if hello_rps else f"{'':>8}"
        self.stdout.write(
            f"{label[:52]:<52} {mode:<8} {result.rps:8.1f} {ratio} {result.p50:8.1f} "
            f"{result.p95:8.1f} {result.p99:8.1f}  {result.describe_errors()}"
        )

    def mix(self, site: servers.Gunicorn, paths: list[str]) -> None:
        for path in paths:
            site.warm(path)  # the cache is warm
        log_at = site.log_size()
        result = self.load(
            site,
            paths,
            unique=False,
            seconds=self.mix_seconds,
            connections=targets.MIX_CONNECTIONS,
        )
        site.settle()
        self.stdout.write(
            f"\nMix of {len(paths)} pages, {targets.MIX_CONNECTIONS} connections, "
            f"{self.mix_seconds} s, cache warm: {result.requests} requests, {result.rps:.1f} "
            f"req/s, p50 {result.p50:.1f} ms, p95 {result.p95:.1f} ms, p99 {result.p99:.1f} ms, "
            f"max {result.max:.1f} ms, errors: {result.describe_errors()}"
        )
        failed = site.failed_requests(log_at)
        if failed:
            self.stdout.write(
                f"  failed answers in the access log: {servers.describe_failed(failed)}"
            )
        self.checks.append(targets.error_check("mix", result.errors, result.describe_errors()))
        self.checks.append(Check("p99 of the mix", result.p99, "<", targets.MIX_P99_MS, "ms"))

    def export(self, site: servers.Gunicorn) -> None:
        got = site.download(inprocess.uncached(targets.EXPORT_PATH, self.nonce))
        self.stdout.write(
            f"\nWhole-set export {targets.EXPORT_PATH} (uncached): status {got.status}, first "
            f"byte {got.first_byte_s * 1000:.0f} ms, last {got.total_s:.2f} s, "
            f"{got.size / 1024:.0f} KB, {'whole' if got.whole else 'CUT SHORT'}"
        )
        self.checks += [
            Check(f"{targets.EXPORT_PATH} answers", got.status, "==", 200),
            Check(f"{targets.EXPORT_PATH} arrives whole", int(got.whole), "==", 1),
            Check(
                f"first byte of {targets.EXPORT_PATH}",
                got.first_byte_s,
                "<",
                targets.EXPORT_FIRST_BYTE_S,
                "s",
            ),
        ]

    def memory(self, site: servers.Gunicorn, hello: servers.Gunicorn) -> None:
        site_peaks = site.peak_rss_mb()
        hello_peaks = hello.peak_rss_mb()
        self.stdout.write(
            "\nWorker peak RSS (VmHWM), MB: site "
            + ", ".join(f"{mb:.0f}" for mb in sorted(site_peaks.values(), reverse=True))
            + f" ({len(site_peaks)} workers over the run, recycled ones included); "
            + "hello-world "
            + ", ".join(f"{mb:.0f}" for mb in sorted(hello_peaks.values(), reverse=True))
        )
        self.checks += targets.rss_checks("site", site_peaks)

    def report(self, seconds: float) -> None:
        self.stdout.write(f"\nTargets ({seconds:.0f} s):")
        for check in self.checks:
            self.stdout.write("  " + check.line())
        for note in self.notes:
            self.stdout.write(f"Note: {note}")
        missed = targets.failures(self.checks)
        if missed:
            raise CommandError(
                f"{len(missed)} of {len(self.checks)} targets missed: "
                + "; ".join(check.name for check in missed)
            )
        self.stdout.write(self.style.SUCCESS(f"All {len(self.checks)} targets met."))


def in_a_scale_cluster(shipped_pgdata: str | None) -> bool:
    """Whether the database is an embedded cluster of the bench's own (`make bench-scale`'s
    EMBEDDED_PGDATA, another than the shipped content's, ``--shipped-pgdata``): the only
    place synthetic records go, never the content's cluster or a DATABASE_URL's database."""
    pgdata = os.environ.get("EMBEDDED_PGDATA", "").strip()
    return bool(
        shipped_pgdata
        and pgdata
        and not os.environ.get("DATABASE_URL", "").strip()
        and Path(pgdata).resolve() != Path(shipped_pgdata).resolve()
    )
