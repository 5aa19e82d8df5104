from rest_framework import serializers

from core.serializers import EntrySerializer, LinkField, api_url
from incidents.models import (
    Incident,
    IncidentNorm,
    Response,
    ResponseAgreement,
    ResponseNorm,
)


class IncidentNormSerializer(serializers.ModelSerializer):
    norm = LinkField()
    source = serializers.SerializerMethodField()

    class Meta:
        model = IncidentNorm
        fields = ["norm", "said_by", "source", "note"]

    def get_source(self, obj) -> str:
        """The key of the source that shows who said so, or ""."""
        return obj.source.key if obj.source else ""


class IncidentSerializer(EntrySerializer):
    target_countries = serializers.SerializerMethodField()
    norms = IncidentNormSerializer(source="norm_links", many=True, read_only=True)

    relations = ("target_countries", "norms")

    class Meta:
        model = Incident

    def get_target_countries(self, obj) -> list[str]:
        """ISO 3166-1 codes of the states reported as targeted."""
        return [target.country.code for target in obj.targets.all()]


class ResponseNormSerializer(serializers.ModelSerializer):
    norm = LinkField()

    class Meta:
        model = ResponseNorm
        fields = ["norm", "note"]


class ResponseAgreementSerializer(serializers.ModelSerializer):
    agreement = LinkField()

    class Meta:
        model = ResponseAgreement
        fields = ["agreement", "relation", "note"]


class ResponseSerializer(EntrySerializer):
    incidents = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    bodies = serializers.SerializerMethodField()
    attributed_state = serializers.SerializerMethodField()
    norms = ResponseNormSerializer(source="norm_links", many=True, read_only=True)
    agreements = ResponseAgreementSerializer(source="agreement_links", many=True, read_only=True)

    relations = ("attributed_state", "incidents", "parties", "bodies", "norms", "agreements")

    class Meta:
        model = Response

    def get_incidents(self, obj) -> list[str]:
        """The API URLs of the public incidents it answers."""
        request = self.context.get("request")
        return [api_url(request, link.incident) for link in obj.incident_links.all()]

    def get_parties(self, obj) -> list[str]:
        """ISO 3166-1 codes of the states that made it."""
        return [link.country.code for link in obj.party_links.all()]

    def get_bodies(self, obj) -> list[str]:
        """The API URLs of the public bodies that made it."""
        request = self.context.get("request")
        return [api_url(request, link.body) for link in obj.body_links.all()]

    def get_attributed_state(self, obj) -> str:
        """The ISO 3166-1 code of the state an attribution names, or ""."""
        return obj.attributed_state.code if obj.attributed_state else ""
