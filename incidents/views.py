from django.http import HttpRequest, HttpResponse

from core.pages import detail_record, filtered_list, render_entry
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
    entry = detail_record(request, Incident, slug=slug)
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
    entry = detail_record(request, Response, slug=slug)
    return render_entry(request, "incidents/response_detail.html", entry)
