from django.urls import path

from agreements import views
from agreements.models import Agreement
from core.citations import cite
from editorial.changelog import changelog

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/cite.<str:fmt>", cite, {"model": Agreement}, name="cite"),
    path("<slug:slug>/changes/", changelog, {"model": Agreement}, name="changes"),
]
