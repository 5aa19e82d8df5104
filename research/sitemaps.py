"""The sitemap: an index (/sitemap.xml) of bounded parts, one or more per section.

Each section (the site's pages, each record type, themes, countries) is cut into
parts of at most ``PART_SIZE`` URLs, /sitemap-<section>.xml?p=N, so that no
response grows with the data: at 100,000 records the index names about thirty
parts. Only published records are listed; drafts, reviews and archived records
are left out.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from core.registry import registry
from reference.models import Country, Theme

# URLs per part: far below the protocol's 50,000, so that a part stays near 1 MB.
PART_SIZE = 5000


class PagesSitemap(Sitemap):
    limit = PART_SIZE

    def items(self):
        lists = [rt.list_url for rt in registry if rt.list_url]
        return ["home", *lists, "themes:list", "countries:list", "exports-doc"]

    def location(self, item):
        return reverse(item)


class EntrySitemap(Sitemap):
    limit = PART_SIZE

    def __init__(self, record_type):
        self.model = record_type.model
        # What a record's URL needs: its slug and its parents' (a norm's framework).
        self.fields = [
            "slug" if name == "slug" else f"{name}__slug" for name in record_type.api_lookup
        ]

    def items(self):
        return self.model.objects.published().named().only(*self.fields, "updated").order_by("pk")

    def lastmod(self, item):
        return item.updated

    def get_latest_lastmod(self):
        # One query; Django's default takes the max over every item.
        return self.model.objects.published().aggregate(latest=Max("updated"))["latest"]


class ReferenceSitemap(Sitemap):
    limit = PART_SIZE

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")


def sitemaps() -> dict[str, Sitemap]:
    return {
        "pages": PagesSitemap(),
        **{rt.api_prefix: EntrySitemap(rt) for rt in registry},
        "themes": ReferenceSitemap(Theme),
        "countries": ReferenceSitemap(Country),
    }
