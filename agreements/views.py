from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from agreements.filters import AgreementFilter
from agreements.models import Agreement
from core.pages import filtered_list, render_entry


def agreement_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        AgreementFilter,
        Agreement.objects.published(),
        "agreements/agreement_list.html",
        "cyberdiplo-agreements",
    )


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Agreement.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "agreements/agreement_detail.html", entry)
