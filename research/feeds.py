"""Atom feeds of new and updated published records, overall and per theme."""

from itertools import chain

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from core.registry import registry
from reference.models import Theme

FEED_SIZE = 50


class PlainTextAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are declared as text.

    A record's summary is plain text (markup in it is meant literally), but
    Django declares every Atom summary ``type="html"``, so a feed reader would
    render whatever markup an editor typed.
    """

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def latest(theme: str | None = None) -> list:
    """The most recently updated published records of every type, newest first."""
    querysets = []
    for record_type in registry:
        qs = record_type.model.objects.published().named()
        if theme:
            qs = qs.with_theme(theme)
        querysets.append(qs.order_by("-updated")[:FEED_SIZE])
    records = sorted(chain.from_iterable(querysets), key=lambda r: r.updated, reverse=True)
    return records[:FEED_SIZE]


class UpdatesFeed(Feed):
    feed_type = PlainTextAtom1Feed
    title = "Cyberdiplo: new and updated records"
    subtitle = "Norms, agreements, bodies and glossary terms of cyber diplomacy, as they change."

    def link(self):
        return reverse("home")

    def items(self):
        return latest()

    def item_title(self, item) -> str:
        return f"{item.type_label}: {item}"

    def item_description(self, item) -> str:
        return item.summary

    def item_updateddate(self, item):
        return item.updated

    def item_pubdate(self, item):
        return item.created


class ThemeFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Theme, slug=slug)

    def title(self, theme) -> str:
        return f"Cyberdiplo: {theme.name}"

    def subtitle(self, theme) -> str:
        return theme.description

    def link(self, theme) -> str:
        return theme.get_absolute_url()

    def items(self, theme):
        return latest(theme.slug)
