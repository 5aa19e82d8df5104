"""sitemap.xml: every public page; drafts, reviews and archived records are left out."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from core.registry import registry
from reference.models import Country, Theme


class PagesSitemap(Sitemap):
    def items(self):
        lists = [rt.list_url for rt in registry if rt.list_url]
        return ["home", *lists, "themes:list", "countries:list", "exports-doc"]

    def location(self, item):
        return reverse(item)


class EntrySitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().named().order_by("pk")

    def lastmod(self, item):
        return item.updated


class ReferenceSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")


def sitemaps() -> dict[str, Sitemap]:
    return {
        "pages": PagesSitemap(),
        **{rt.api_prefix: EntrySitemap(rt.model) for rt in registry},
        "themes": ReferenceSitemap(Theme),
        "countries": ReferenceSitemap(Country),
    }
