from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core import facetindex, pagecache
from core.models import CARD_DEFERRED, card_deferred
from core.pages import GroupedPaginator, detail_record, filtered_list, paginate, render_entry
from norms import lineage
from norms.filters import NormFilter
from norms.models import Norm, NormFramework


def index(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        NormFilter,
        Norm.objects.published(),
        "norms/index.html",
        "cyberdiplo-norms",
        page_of=page_of_frameworks,
        results_template="norms/_grouped.html",
    )


def page_of_frameworks(request: HttpRequest, norms, count: int | None = None):
    """A page of whole frameworks, each with its norms in paragraph order: a framework
    never runs over two pages. Two queries: each framework's count (``count``, the
    whole's, is not needed), then the norms. The counts are kept under the content
    version for the norms listed (every page of a list reads the same; counting 30,000
    norms took 77 ms)."""

    def count_per_framework() -> list[tuple[int, int]]:
        counted = norms.values_list("framework").annotate(n=Count("pk"))
        return list(counted.order_by(*NormFilter.FRAMEWORK_ORDER))

    sizes = pagecache.remembered(
        f"framework-sizes:{facetindex.records_key(norms)}", count_per_framework
    )
    page = paginate(request, None, paginator=GroupedPaginator(sizes, settings.PAGE_SIZE))
    shown = (
        norms.filter(framework__in=page.object_list)
        .select_related("framework")
        # Names and references (norms/_grouped.html): none of the long text.
        .defer(*CARD_DEFERRED, "quotation", *card_deferred("framework"))
    )
    page.object_list = list(shown)
    return page


def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = detail_record(request, NormFramework, slug=slug)
    return render_entry(request, "norms/framework_detail.html", entry)


def norm_detail(request: HttpRequest, framework: str, slug: str) -> HttpResponse:
    entry = detail_record(request, Norm, framework__slug=framework, slug=slug)
    return render_entry(request, "norms/norm_detail.html", entry)


def norm_lineage(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version of a norm's commitment, oldest first, each worded against the one it
    restates (``slug``: the norm's framework and norm slugs, e.g. un-gge-2015-13f)."""
    norm = lineage.find(slug)
    if norm is None:
        raise Http404("No published norm has this lineage address.")
    return render(
        request, "norms/lineage.html", {"norm": norm, "versions": lineage.versions_of(norm)}
    )
