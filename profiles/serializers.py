from rest_framework import serializers

from core.serializers import EntrySerializer
from profiles.models import CountryProfile


class ProfileSerializer(EntrySerializer):
    country = serializers.SerializerMethodField()

    relations = ("country",)

    class Meta:
        model = CountryProfile

    def get_country(self, obj) -> str:
        """The ISO 3166-1 code of the state it describes."""
        return obj.country.code
