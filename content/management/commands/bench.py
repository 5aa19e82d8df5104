"""`make bench`: time a first load of data/ and the main pages, and check the targets.

Speed and memory targets live here, not in unit tests: timings depend on the
machine. Run on the 2-core reference machine with the curated content loaded.
"""

import resource
import statistics
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content.loader import load_content
from core.registry import registry

# (path, p95 target in milliseconds)
PAGES = [
    ("/", 150),
    ("/agreements/", 200),
    ("/agreements/?theme=cybercrime&theme=international-law&year_from=2000&year_to=2020", 250),
    ("/agreements/budapest-convention/", 250),
    ("/norms/", 150),
    ("/norms/un-gge-2015/13f/", 150),
    ("/bodies/enisa/", 150),
    ("/themes/cybercrime/", 250),
    ("/countries/fr/", 150),
    ("/search/?q=critical+infrastructure", 250),
    ("/search/?q=Budapst+convention", 250),
    ("/agreements/?format=csv", 400),
    ("/api/v1/agreements/?page=1", 400),
    ("/sitemap.xml", 400),
]
PEAK_RSS_MB = 400
FIRST_LOAD_SECONDS = 6.0


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


class Command(BaseCommand):
    help = "Time the main pages (p50/p95) and report peak memory against the targets."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Requests per page.")

    def handle(self, *args, requests: int, **options):
        failures = []
        (seconds, queries), (again, again_queries) = time_loads()
        self.stdout.write(
            f"first load of data/: {seconds:.1f} s, {queries} queries "
            f"(target {FIRST_LOAD_SECONDS:.0f} s); second load: {again:.1f} s, "
            f"{again_queries} queries"
        )
        if seconds > FIRST_LOAD_SECONDS:
            failures.append("first load")

        client = Client(HTTP_HOST="127.0.0.1")
        self.stdout.write(f"{'page':<80} {'p50 ms':>7} {'p95 ms':>7} {'target':>7}")
        for path, target in PAGES:
            client.get(path)  # warm caches and connections
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(path, HTTP_ACCEPT="text/html,application/json")
                times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{path} answered {response.status_code}")
            p50 = statistics.median(times)
            p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
            flag = "" if p95 <= target else "  SLOW"
            if flag:
                failures.append(path)
            self.stdout.write(f"{path[:80]:<80} {p50:7.1f} {p95:7.1f} {target:7d}{flag}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak memory {peak_mb:.0f} MB (target {PEAK_RSS_MB} MB)")
        if peak_mb > PEAK_RSS_MB:
            failures.append("memory")
        if failures:
            raise CommandError(f"Targets missed: {', '.join(failures)}")
        self.stdout.write(self.style.SUCCESS("All targets met."))
