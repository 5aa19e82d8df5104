from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.pages import filtered_list, render_entry
from norms.filters import NormFilter
from norms.models import Norm, NormFramework


def index(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        NormFilter,
        Norm.objects.published(),
        "norms/index.html",
        "cyberdiplo-norms",
        results_template="norms/_grouped.html",
    )


def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(NormFramework.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "norms/framework_detail.html", entry)


def norm_detail(request: HttpRequest, framework: str, slug: str) -> HttpResponse:
    entry = get_object_or_404(
        Norm.objects.for_detail(request.user), framework__slug=framework, slug=slug
    )
    return render_entry(request, "norms/norm_detail.html", entry)
