from django.urls import path

from editorial.urls import record_pages
from positions import views
from positions.models import NationalPosition

app_name = "positions"
urlpatterns = [
    path("", views.position_list, name="list"),
    *record_pages(NationalPosition, "<slug:slug>/", views.position_detail),
]
