"""Incidents at /incidents/ and responses at /responses/, in one namespace (mounted at the
root: the response URL names start with "response-")."""

from django.urls import path

from editorial.urls import record_pages
from incidents import views
from incidents.models import Incident, Response

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.incident_list, name="list"),
    *record_pages(Incident, "incidents/<slug:slug>/", views.incident_detail),
    path("responses/", views.response_list, name="response-list"),
    *record_pages(Response, "responses/<slug:slug>/", views.response_detail),
]
