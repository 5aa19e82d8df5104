"""How the site presents learning paths: their record type. Their steps are shown on
the path's own page; the link graph leaves them out, as a path is a reading order, not
a relation between records."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete

from core.registry import Column, RecordType, registry
from paths.models import LearningPath, PathStep, step_models
from paths.serializers import PathSerializer


def step_refs(path) -> list[str]:
    return path.step_refs()


def forget_steps(sender, instance, **kwargs) -> None:
    """A deleted record leaves no step behind (a generic relation does not cascade)."""
    PathStep.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    ).delete()


def register() -> None:
    registry.register(
        RecordType(
            model=LearningPath,
            key="path",
            label="Learning paths",
            api_prefix="paths",
            serializer=PathSerializer,
            list_url="paths:list",
            columns=(
                Column("steps", "the records it walks through, in order, as type:slug",
                       step_refs),
            ),
            # Listed on the home page under "Learn", not among the recently updated records.
            on_home=False,
        )
    )  # fmt: skip


def connect() -> None:
    """Once every app has registered its record types (``PathsConfig.ready``)."""
    for model in step_models():
        post_delete.connect(forget_steps, sender=model, dispatch_uid=f"paths-{model._meta.label}")
