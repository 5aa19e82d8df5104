from rest_framework import serializers

from bodies.models import Body, Membership
from core.serializers import EntrySerializer, LinkField, LinkListField


class MembershipSerializer(serializers.ModelSerializer):
    country = LinkField()

    class Meta:
        model = Membership
        fields = ["country", "since"]


class BodySerializer(EntrySerializer):
    promotes = LinkListField(source="promoted_norms")
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    relations = ("promotes", "members", "members_as_of")

    class Meta:
        model = Body
