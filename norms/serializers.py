from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import EntrySerializer, LinkListField, api_url
from norms.models import Norm, NormFramework


class NormFrameworkSerializer(EntrySerializer):
    norms = LinkListField()

    relations = ("norms",)

    class Meta:
        model = NormFramework


class NormSerializer(EntrySerializer):
    agreements = serializers.SerializerMethodField()
    promoted_by = LinkListField(source="promoting_bodies")

    relations = ("agreements", "promoted_by")

    class Meta:
        model = Norm

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "agreement": {"type": "string", "format": "uri"},
                    "relation": {
                        "type": "string",
                        "enum": ["affirms", "references", "implements"],
                    },
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
        ]
