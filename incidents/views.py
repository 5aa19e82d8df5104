from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.pages import filtered_list, render_entry
from incidents.filters import IncidentFilter, ResponseFilter
from incidents.models import Incident, Response


def incident_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        IncidentFilter,
        Incident.objects.published(),
        "incidents/incident_list.html",
        "cyberdiplo-incidents",
    )


def incident_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Incident.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "incidents/incident_detail.html", entry)


def response_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        ResponseFilter,
        Response.objects.published(),
        "incidents/response_list.html",
        "cyberdiplo-responses",
    )


def response_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Response.objects.for_detail(request.user), slug=slug)
    return render_entry(request, "incidents/response_detail.html", entry)
