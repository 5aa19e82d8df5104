"""sitemap.xml: every public page; drafts, reviews and archived records are left out."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from agreements.models import Agreement
from bodies.models import Body
from cyberdiplo.models import Country, GlossaryTerm, Theme
from norms.models import Norm, NormFramework


class PagesSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "norms:index",
            "agreements:list",
            "bodies:list",
            "themes:list",
            "countries:list",
            "glossary:list",
            "exports-doc",
        ]

    def location(self, item):
        return reverse(item)


class EntrySitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        qs = self.model.objects.published().order_by("pk")
        return qs.select_related("framework") if self.model is Norm else qs

    def lastmod(self, item):
        return item.updated


class ReferenceSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap(),
    "frameworks": EntrySitemap(NormFramework),
    "norms": EntrySitemap(Norm),
    "agreements": EntrySitemap(Agreement),
    "bodies": EntrySitemap(Body),
    "glossary": EntrySitemap(GlossaryTerm),
    "themes": ReferenceSitemap(Theme),
    "countries": ReferenceSitemap(Country),
}
