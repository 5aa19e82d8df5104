from django.contrib.sitemaps.views import sitemap
from django.urls import path

from research import views
from research.feeds import UpdatesFeed
from research.sitemaps import sitemaps

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("feeds/updates.atom", UpdatesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("data/", views.columns, name="exports-doc"),
]
