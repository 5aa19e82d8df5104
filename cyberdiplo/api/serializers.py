"""Read-only JSON representations. Related records are given by their API URL."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse as api_reverse

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership
from cyberdiplo.models import Country, GlossaryTerm, Theme
from norms.models import Norm, NormFramework


def api_url(request, record) -> str | None:
    """The API URL of any record, or None for a record the public cannot see."""
    if record is None:
        return None
    if getattr(record, "status", "published") != "published":
        return None
    if isinstance(record, Norm):
        args = [record.framework.slug, record.slug]
    elif isinstance(record, Country):
        args = [record.code.lower()]
    else:
        args = [record.slug]
    name = {
        Agreement: "agreement",
        Body: "body",
        Norm: "norm",
        NormFramework: "framework",
        GlossaryTerm: "term",
        Theme: "theme",
        Country: "country",
    }[type(record)]
    return api_reverse(f"api:{name}-detail", args=args, request=request)


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


class EntrySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField(help_text="The record's page on the site.")
    themes = LinkListField()
    sources = serializers.SerializerMethodField()

    ENTRY_FIELDS = ["url", "page_url", "slug", "title", "summary", "description", "themes"]
    ENTRY_FIELDS_END = ["sources", "status", "updated"]

    def get_url(self, obj) -> str:
        return api_url(self.context.get("request"), obj)

    def get_page_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())

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
                "pinpoint": c.pinpoint,
            }
            for c in obj.citations.all()
        ]


class ThemeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Theme
        fields = ["url", "page_url", "slug", "name", "description"]

    def get_url(self, obj) -> str:
        return api_url(self.context.get("request"), obj)

    def get_page_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class CountrySerializer(ThemeSerializer):
    class Meta:
        model = Country
        fields = ["url", "page_url", "code", "name", "region"]


class GlossaryTermSerializer(EntrySerializer):
    class Meta:
        model = GlossaryTerm
        fields = [*EntrySerializer.ENTRY_FIELDS, "aliases", *EntrySerializer.ENTRY_FIELDS_END]


class NormSerializer(EntrySerializer):
    framework = LinkField()
    agreements = serializers.SerializerMethodField()
    promoted_by = LinkListField(source="promoting_bodies")

    class Meta:
        model = Norm
        fields = [
            *EntrySerializer.ENTRY_FIELDS,
            "framework",
            "reference",
            "quotation",
            "agreements",
            "promoted_by",
            *EntrySerializer.ENTRY_FIELDS_END,
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "agreement": {"type": "string", "format": "uri"},
                    "relation": {"type": "string", "enum": NormLink.Relation.values},
                    "note": {"type": "string"},
                },
            },
        }
    )
    def get_agreements(self, obj) -> list[dict]:
        request = self.context.get("request")
        return [
            {
                "agreement": api_url(request, link.agreement),
                "relation": link.relation,
                "note": link.note,
            }
            for link in obj.agreement_links.all()
            if link.agreement.status == "published"
        ]


class NormFrameworkSerializer(EntrySerializer):
    produced_by = LinkField()
    norms = LinkListField()

    class Meta:
        model = NormFramework
        fields = [
            *EntrySerializer.ENTRY_FIELDS,
            "short_title",
            "kind",
            "symbol",
            "adopted",
            "produced_by",
            "norms",
            *EntrySerializer.ENTRY_FIELDS_END,
        ]


class MembershipSerializer(serializers.ModelSerializer):
    country = LinkField()

    class Meta:
        model = Membership
        fields = ["country", "since"]


class BodySerializer(EntrySerializer):
    established_by = LinkField()
    promotes = LinkListField(source="promoted_norms")
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Body
        fields = [
            *EntrySerializer.ENTRY_FIELDS,
            "acronym",
            "kind",
            "founded",
            "seat",
            "website",
            "established_by",
            "promotes",
            "members",
            "members_as_of",
            *EntrySerializer.ENTRY_FIELDS_END,
        ]


class ParticipationSerializer(serializers.ModelSerializer):
    country = LinkField()
    body = LinkField()

    class Meta:
        model = Participation
        fields = [
            "country",
            "body",
            "signed",
            "consent_kind",
            "consent",
            "entry_into_force",
            "withdrawn",
            "as_of",
            "note",
        ]


class NormLinkSerializer(serializers.ModelSerializer):
    norm = LinkField()

    class Meta:
        model = NormLink
        fields = ["norm", "relation", "note"]


class AgreementLinkSerializer(serializers.ModelSerializer):
    agreement = LinkField(source="target")

    class Meta:
        model = AgreementLink
        fields = ["agreement", "relation", "note"]


class AgreementSerializer(EntrySerializer):
    parties = ParticipationSerializer(source="participations", many=True, read_only=True)
    norms = NormLinkSerializer(source="norm_links", many=True, read_only=True)
    related = AgreementLinkSerializer(source="outbound_links", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            *EntrySerializer.ENTRY_FIELDS,
            "short_title",
            "kind",
            "legally_binding",
            "symbol",
            "adopted",
            "entry_into_force",
            "ended",
            "legal_status",
            "status_as_of",
            "parties",
            "norms",
            "related",
            *EntrySerializer.ENTRY_FIELDS_END,
        ]
