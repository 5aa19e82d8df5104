from rest_framework import serializers

from core.serializers import EntrySerializer, api_url
from paths.models import LearningPath, PathStep


class PathStepSerializer(serializers.ModelSerializer):
    record = serializers.SerializerMethodField()

    class Meta:
        model = PathStep
        fields = ["position", "record", "text"]

    def get_record(self, obj) -> str | None:
        """The API URL of the record this step reads."""
        return api_url(self.context.get("request"), obj.record)


class PathSerializer(EntrySerializer):
    steps = PathStepSerializer(source="public_steps", many=True, read_only=True)

    relations = ("steps",)

    class Meta:
        model = LearningPath
