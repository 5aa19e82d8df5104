from django.urls import path

from bodies import views
from bodies.models import Body
from editorial.urls import record_pages

app_name = "bodies"
urlpatterns = [
    path("", views.body_list, name="list"),
    *record_pages(Body, "<slug:slug>/", views.body_detail),
]
