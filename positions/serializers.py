from rest_framework import serializers

from core.serializers import EntrySerializer, LinkField
from positions.models import NationalPosition, PositionNorm


class PositionNormSerializer(serializers.ModelSerializer):
    norm = LinkField()

    class Meta:
        model = PositionNorm
        fields = ["norm", "note"]


class PositionSerializer(EntrySerializer):
    country = serializers.SerializerMethodField()
    norms = PositionNormSerializer(source="norm_links", many=True, read_only=True)

    relations = ("country", "norms")

    class Meta:
        model = NationalPosition

    def get_country(self, obj) -> str:
        """The ISO 3166-1 code of the state whose position it is."""
        return obj.country.code
