from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from cyberdiplo import views

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
        path("<str:code>/", views.country_detail, name="detail"),
    ],
    "countries",
)
glossary = (
    [
        path("", views.glossary, name="list"),
        path("<slug:slug>/", views.glossary_detail, name="detail"),
    ],
    "glossary",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("norms/", include("norms.urls")),
    path("bodies/", include("bodies.urls")),
    path("agreements/", include("agreements.urls")),
    path("themes/", include(themes)),
    path("countries/", include(countries)),
    path("glossary/", include(glossary)),
    path("search/", views.search_page, name="search"),
    path(
        "data/", TemplateView.as_view(template_name="cyberdiplo/exports.html"), name="exports-doc"
    ),
    path("admin/", admin.site.urls),
]

handler400 = "cyberdiplo.views.bad_request"
handler404 = "cyberdiplo.views.not_found"
