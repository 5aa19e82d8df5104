from django.urls import path

from bodies import views
from bodies.models import Body
from core.citations import cite
from editorial.changelog import changelog

app_name = "bodies"
urlpatterns = [
    path("", views.body_list, name="list"),
    path("<slug:slug>/", views.body_detail, name="detail"),
    path("<slug:slug>/cite.<str:fmt>", cite, {"model": Body}, name="cite"),
    path("<slug:slug>/changes/", changelog, {"model": Body}, name="changes"),
]
