from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from cyberdiplo import views
from cyberdiplo.changelog import changelog
from cyberdiplo.citations import cite
from cyberdiplo.feeds import ThemeFeed, UpdatesFeed
from cyberdiplo.models import GlossaryTerm
from cyberdiplo.sitemaps import SITEMAPS

themes = (
    [
        path("", views.theme_list, name="list"),
        path("<slug:slug>/", views.theme_detail, name="detail"),
        path("<slug:slug>/feed.atom", ThemeFeed(), name="feed"),
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
glossary = (
    [
        path("", views.glossary, name="list"),
        path("<slug:slug>/", views.glossary_detail, name="detail"),
        path("<slug:slug>/cite.<str:fmt>", cite, {"model": GlossaryTerm}, name="cite"),
        path("<slug:slug>/changes/", changelog, {"model": GlossaryTerm}, name="changes"),
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
    path("feeds/updates.atom", UpdatesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "data/", TemplateView.as_view(template_name="cyberdiplo/exports.html"), name="exports-doc"
    ),
    path("api/v1/", include("cyberdiplo.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "cyberdiplo.views.bad_request"
handler404 = "cyberdiplo.views.not_found"
