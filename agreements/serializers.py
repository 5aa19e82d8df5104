from rest_framework import serializers

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from core.serializers import EntrySerializer, LinkField


class ParticipationSerializer(serializers.ModelSerializer):
    country = LinkField()
    body = LinkField()

    class Meta:
        model = Participation
        fields = Participation.public_fields


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

    relations = ("parties", "norms", "related")

    class Meta:
        model = Agreement
