"""URLs of the reference pages, one namespace each: themes, countries."""

from django.urls import path, re_path

from reference import views

themes = (
    [
        path("", views.theme_list, name="list"),
        path("<slug:slug>/", views.theme_detail, name="detail"),
    ],
    "themes",
)
countries = (
    [
        path("", views.country_list, name="list"),
        re_path(r"^(?P<code>[A-Za-z]{2})/$", views.country_detail, name="detail"),
    ],
    "countries",
)
