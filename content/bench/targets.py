"""The pages `make bench` measures and the targets it holds them to (issue 10's figures).

The targets are what visitors should get, not what the code reaches today: a missed
one fails the bench and is named.
"""

import operator
from dataclasses import dataclass

from content.bench.wrk import WrkResult


@dataclass(frozen=True)
class Page:
    path: str
    kind: str  # home, list, filtered, detail, hub (theme/country), search, export, api, sitemap
    scale: bool = True  # measured at 100k records too (the synthetic set has its records)


# Driven with wrk through gunicorn, cached and uncached, and timed in process.
PAGES = [
    Page("/", "home"),
    Page("/agreements/", "list"),
    # Three filters: a theme, legal force and a year.
    Page("/agreements/?theme=cybercrime&binding=yes&year_from=2000", "filtered"),
    Page("/agreements/budapest-convention/", "detail"),
    Page("/norms/un-gge-2015/13f/", "detail"),
    Page("/bodies/enisa/", "detail"),
    Page("/themes/cybercrime/", "hub"),
    Page("/countries/fr/", "hub"),
    Page("/search/?q=critical+infrastructure", "search"),
    Page("/agreements/?format=csv", "export"),
    Page("/api/v1/agreements/", "api"),
    Page("/sitemap.xml", "sitemap"),
]
# Timed in process only: the other lists, and search for a common word, a rare one and
# a misspelling (issue 10's three searches).
IN_PROCESS_ONLY = [
    Page("/norms/", "list"),
    Page("/bodies/", "list"),
    # At the shipped size only: the synthetic set has no incidents, responses or positions
    # (their facets over norms and bodies were 15 MB at 100k records before they were long;
    # tests/test_page_weight.py holds them bounded).
    Page("/incidents/", "list", scale=False),
    Page("/responses/", "list", scale=False),
    Page("/positions/", "list", scale=False),
    # The incident and response lists under a theme and a year (their facets in memory too).
    Page("/incidents/?theme=cybercrime&year_from=2015", "filtered", scale=False),
    Page("/responses/?theme=cybercrime&kind=attribution", "filtered", scale=False),
    Page("/search/?q=cyber", "search"),
    Page("/search/?q=hydrographic", "search"),  # rare in content/synthetic.py's text
    Page("/search/?q=Budapst+convention", "search"),
    # The body with the most members (the 1.6 MB page at 100k records).
    Page("/bodies/european-union/", "detail"),
]
# The page of a record at the shipped size whose query count a synthetic one's must equal.
AGREEMENT_PAGE = "/agreements/budapest-convention/"
# The whole-set export whose first byte and worker memory are measured through gunicorn.
EXPORT_PATH = "/agreements/?format=csv"
# Concurrency of the per-page runs and of the long mixed run.
CONNECTIONS = 16
MIX_CONNECTIONS = 64

# Through gunicorn, as a share of the hello-world page's requests/s.
CACHED_RATIO = 0.70  # every page, asked again with the same URL (the page cache answers)
UNCACHED_DETAIL_RATIO = 0.10  # record pages with a parameter they ignore (no cache key repeats)
UNCACHED_RATIO_KINDS = {"detail"}
# In process at the shipped size, p50 in ms, uncached.
IN_PROCESS_P50_MS = {"home": 8, "detail": 8, "hub": 8, "list": 12, "filtered": 12, "search": 12}
# In process at 100k records, p95 in ms, uncached (strictly under).
SCALE_P95_MS = {"filtered": 50, "search": 100, "detail": 20}
WORKER_RSS_MB = 150
MIX_P99_MS = 1000
EXPORT_FIRST_BYTE_S = 1.0
FIRST_LOAD_SECONDS = 6.0

_COMPARE = {
    ">=": operator.ge,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Check:
    """One target: what was measured against what it should be."""

    name: str
    value: float
    comparison: str  # one of >=, <=, <, ==
    target: float
    unit: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return _COMPARE[self.comparison](self.value, self.target)

    def line(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        verdict = "ok  " if self.ok else "MISS"
        note = f"  ({self.note})" if self.note else ""
        return (
            f"{verdict} {self.name}: {_number(self.value)}{unit} "
            f"(target {self.comparison} {_number(self.target)}{unit}){note}"
        )


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def ratio_checks(
    page: Page, cached_rps: float | None, uncached_rps: float | None, hello_rps: float
) -> list[Check]:
    """A page's throughput against the hello-world page's: cached always, uncached for
    record pages."""
    checks = []
    if cached_rps is not None:
        checks.append(
            Check(f"cached {page.path} / hello-world", cached_rps / hello_rps, ">=", CACHED_RATIO)
        )
    if uncached_rps is not None and page.kind in UNCACHED_RATIO_KINDS:
        checks.append(
            Check(
                f"uncached {page.path} / hello-world",
                uncached_rps / hello_rps,
                ">=",
                UNCACHED_DETAIL_RATIO,
            )
        )
    return checks


def error_check(label: str, errors: int, detail: str = "") -> Check:
    return Check(f"errors, {label}", errors, "==", 0, note=detail if errors else "")


def run_errors_check(runs: list[tuple[str, WrkResult]]) -> Check:
    """Failed requests over every per-page run, naming the runs that had any; a run in
    which no request completed counts as one failure (the page is slower than the run)."""
    failed = [(label, result) for label, result in runs if result.errors or not result.requests]
    return error_check(
        f"per-page runs ({len(runs)})",
        sum(result.errors or 1 for _, result in failed),
        "; ".join(
            f"{label}: {result.describe_errors() if result.errors else 'no answer in the run'}"
            for label, result in failed
        ),
    )


def in_process_checks(page: Page, p50: float, p95: float, *, scale: bool) -> list[Check]:
    """At the shipped size a p50 for home, record, theme, country, list and search pages;
    at 100k records a p95 for the filtered list, search and record pages."""
    if scale:
        target = SCALE_P95_MS.get(page.kind)
        return [] if target is None else [Check(f"p95 {page.path}", p95, "<", target, "ms")]
    target = IN_PROCESS_P50_MS.get(page.kind)
    return [] if target is None else [Check(f"p50 {page.path}", p50, "<=", target, "ms")]


def query_count_checks(shipped: dict[str, int], scale: dict[str, int]) -> list[Check]:
    """Each page's query count at 100k records against the same page at the shipped size."""
    return [
        Check(f"queries {path} at scale", scale[path], "==", shipped[path], note="shipped size")
        if path in shipped
        else Check(f"queries {path} at scale", scale[path], "==", -1, note="no shipped count")
        for path in scale
    ]


def rss_checks(label: str, peaks_mb: dict[int, float]) -> list[Check]:
    """The peak RSS of the workers (the largest of them), under WORKER_RSS_MB."""
    if not peaks_mb:
        return []
    pid, peak = max(peaks_mb.items(), key=lambda item: item[1])
    return [
        Check(
            f"worker peak RSS, {label}",
            peak,
            "<",
            WORKER_RSS_MB,
            "MB",
            note=f"worker {pid}, {len(peaks_mb)} worker(s) seen",
        )
    ]


def failures(checks: list[Check]) -> list[Check]:
    return [check for check in checks if not check.ok]
