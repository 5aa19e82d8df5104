from django.urls import path

from agreements import views
from agreements.models import Agreement
from editorial.urls import record_pages

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    *record_pages(Agreement, "<slug:slug>/", views.agreement_detail),
]
