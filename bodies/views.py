from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from bodies.models import Body
from cyberdiplo.pages import paginate, render_entry


def body_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Body.objects.published().with_card_data())
    return render(request, "bodies/body_list.html", {"page": page})


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Body.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "bodies/body_detail.html", entry)
