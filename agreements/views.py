from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from agreements.models import Agreement
from cyberdiplo.pages import paginate, render_entry


def agreement_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Agreement.objects.published().with_card_data())
    return render(request, "agreements/agreement_list.html", {"page": page})


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Agreement.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "agreements/agreement_detail.html", entry)
