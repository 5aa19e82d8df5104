from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.exports import export, export_row, requested_format
from core.pages import render_entry
from glossary.models import GlossaryTerm


def glossary(request: HttpRequest) -> HttpResponse:
    terms = GlossaryTerm.objects.published().order_by("title")
    fmt = requested_format(request)
    if fmt != "html":
        rows = [export_row(t) for t in terms.for_export()]
        return export(request, rows, "cyberdiplo-glossary", fmt)
    return render(request, "glossary/glossary.html", {"terms": terms.with_card_data()})


def glossary_detail(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(GlossaryTerm.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "glossary/glossary_detail.html", term)
