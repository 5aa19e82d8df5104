from core.serializers import EntrySerializer
from glossary.models import GlossaryTerm


class GlossaryTermSerializer(EntrySerializer):
    class Meta:
        model = GlossaryTerm
