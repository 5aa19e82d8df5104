from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from bodies.filters import BodyFilter
from bodies.models import Body
from core.pages import filtered_list, render_entry


def body_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request, BodyFilter, Body.objects.published(), "bodies/body_list.html", "cyberdiplo-bodies"
    )


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Body.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "bodies/body_detail.html", entry)
