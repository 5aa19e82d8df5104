"""How the site presents glossary terms: their record type, and the terms each record page uses."""

from core.registry import RecordType, registry
from glossary.models import GlossaryTerm, terms_used_on
from glossary.serializers import GlossaryTermSerializer


def register() -> None:
    registry.register(
        RecordType(
            model=GlossaryTerm,
            key="term",
            label="Glossary",
            api_prefix="glossary",
            serializer=GlossaryTermSerializer,
            list_url="glossary:list",
            on_home=False,
        )
    )
    # Every record page links the glossary terms its text uses.
    registry.detail_context.append(terms_used_on)
