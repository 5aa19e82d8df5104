from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from research import views
from research.feeds import UpdatesFeed
from research.sitemaps import sitemaps

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("feeds/updates.atom", UpdatesFeed(), name="feed"),
    # An index of bounded parts (research.sitemaps): /sitemap-agreements.xml?p=2.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps(), "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps()},
        name="sitemap-section",
    ),
    path("data/", views.columns, name="exports-doc"),
    path("data/releases/", views.releases, name="releases"),
    path("data/releases/<str:version>/", views.release, name="release"),
    path("data/releases/<str:version>/<str:name>", views.release_file, name="release-file"),
    path("about/", views.about, name="about"),
]
