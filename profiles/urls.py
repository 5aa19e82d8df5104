from django.urls import path

from editorial.urls import record_pages
from profiles import views
from profiles.models import CountryProfile

app_name = "profiles"
urlpatterns = [
    path("", views.profile_list, name="list"),
    *record_pages(CountryProfile, "<slug:slug>/", views.profile_detail),
]
