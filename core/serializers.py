"""The API's representation of any record, which each record type's serializer extends.

Related records are given by their API URL; a record the public cannot see is
left out (or null). A type's own columns come from its ``public_fields``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse as api_reverse

from core.models import Status
from core.registry import registry


def api_url(request, record) -> str | None:
    """The API URL of any record, or None for a record the public cannot see."""
    if record is None:
        return None
    if getattr(record, "status", Status.PUBLISHED) != Status.PUBLISHED:
        return None
    key = registry.api_keys[type(record)]
    return api_reverse(f"api:{key}-detail", args=record.url_args(), request=request)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class LinkField(serializers.Field):
    """A related record as its API URL."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return api_url(self.context.get("request"), value)


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
class LinkListField(serializers.Field):
    """Several related records as API URLs (drafts left out)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        urls = (api_url(request, record) for record in value.all())
        return [url for url in urls if url]


class PageLinkSerializer(serializers.ModelSerializer):
    """``url`` (the API's) and ``page_url`` (the site's) of any record."""

    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField(help_text="The record's page on the site.")

    def get_url(self, obj) -> str:
        return api_url(self.context.get("request"), obj)

    def get_page_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class EntrySerializer(PageLinkSerializer):
    """A record: the shared columns, the type's ``public_fields``, then ``relations``.

    A subclass names its model and lists in ``relations`` the related-record
    fields it declares; related records (foreign keys) among the public fields
    are given as links.
    """

    themes = LinkListField()
    sources = serializers.SerializerMethodField()

    relations: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = getattr(cls, "Meta", None)
        model = getattr(meta, "model", None)
        if model is None or hasattr(meta, "fields"):
            return
        own = list(model.public_fields)
        for name in own:
            if model._meta.get_field(name).is_relation and name not in cls._declared_fields:
                cls._declared_fields[name] = LinkField()
        meta.fields = [
            *("url", "page_url", "slug", "title", "summary", "description", "wikidata"),
            "themes",
            *own,
            *cls.relations,
            *("sources", "status", "updated", "unconfirmed"),
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "publisher": {"type": "string"},
                    "url": {"type": "string"},
                    "date": {"type": "string"},
                    "symbol": {"type": "string"},
                    "secondary": {"type": "boolean"},
                    "pinpoint": {"type": "string"},
                },
            },
        }
    )
    def get_sources(self, obj) -> list[dict]:
        return [
            {
                "title": c.source.title,
                "publisher": c.source.publisher,
                "url": c.source.url,
                "date": c.source.date,
                "symbol": c.source.symbol,
                "secondary": c.source.secondary,
                "pinpoint": c.pinpoint,
            }
            for c in obj.citations.all()
        ]
