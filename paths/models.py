"""Learning paths (issue 14): curated, ordered walks through published records for
students, with a short connecting text before each step.

A step points at a record of any registered type (a generic relation, limited to the
registry's types), so this app imports no other record app: the registry says which
models a step may name and how each decides what the public sees.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    BaseModel,
    Entry,
    EntryQuerySet,
    published_index,
    search_index,
    search_vector_field,
    title_index,
    title_vector_field,
)
from core.registry import registry
from core.text import render_markdown


def step_models() -> list[type]:
    """The record types a step may name: every registered type but paths themselves."""
    return [model for model in registry.models() if model is not LearningPath]


def public_steps() -> Q:
    """Steps whose record the public may see: for each record type, whether the step's
    record is among its published ones (``EXISTS`` by key, each type's own
    ``published()`` deciding: a norm is public while its framework is). An ``IN``
    (published ids) made PostgreSQL gather every published record of every type first:
    at 100,000 records 49 ms for a path's few steps."""
    wanted = Q(pk__in=[])
    for model in step_models():
        # The content type by its name (a join), not by a cached id: building the query
        # never runs one of its own.
        published = model.objects.published().filter(pk=OuterRef("object_id"))
        wanted |= Q(
            Exists(published),
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
    return wanted


def record_content_types() -> Q:
    """The admin's choice of record types for a step."""
    return Q(pk__in=[ContentType.objects.get_for_model(m).pk for m in step_models()])


class PathStepQuerySet(models.QuerySet):
    def for_dump(self):
        """Every step of every path, drafts' included, in order, with its record named."""
        records = [model.objects.named() for model in step_models()]
        return self.order_by("path", "position", "pk").prefetch_related(
            GenericPrefetch("record", records)
        )

    def public(self):
        """Steps whose record is published, in order, each with its record loaded: a query
        for the steps and one per record type present, whatever the number of steps."""
        records = [model.objects.published().for_card() for model in step_models()]
        return (
            self.filter(public_steps())
            .order_by("position", "pk")
            .prefetch_related(GenericPrefetch("record", records))
        )


class LearningPathQuerySet(EntryQuerySet):
    def with_step_counts(self):
        """Each path's number of public steps as ``step_count``, in the same query."""
        return self.annotate(
            step_count=Count("steps", filter=Q(steps__in=PathStep.objects.filter(public_steps())))
        )

    def with_steps(self):
        """Each path's public steps, in order, as ``public_steps``: a query for the steps
        and one per record type they name, however many paths and steps."""
        return self.prefetch_related(
            Prefetch("steps", queryset=PathStep.objects.public(), to_attr="public_steps")
        )

    def for_export(self):
        return super().for_export().with_steps()

    def for_api(self):
        return super().for_api().with_steps()

    def for_list(self):
        """The /paths/ page: published paths with their step counts, shortest first."""
        return self.published().for_card().with_step_counts().order_by("minutes", "title", "pk")

    def for_detail(self, user):
        """A path page: the path, its themes and sources, and its public steps in order."""
        return super().for_detail(user).with_steps()


class LearningPath(Entry):
    """An ordered walk through records, with a connecting text before each step."""

    url_name = "paths:detail"

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", "Introductory"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="Estimated time to read it through, in minutes.",
    )
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.INTRODUCTORY)
    search_vector = search_vector_field("title")
    title_vector = title_vector_field("title")

    objects = LearningPathQuerySet.as_manager()

    # Its own columns, in order; its steps are an export column.
    public_fields = ("minutes", "level")

    class Meta(Entry.Meta):
        verbose_name = _("learning path")
        ordering = ["title", "pk"]
        permissions = [("publish_learningpath", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="learningpath_slug_unique"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=600), name="learningpath_minutes"
            ),
        ]
        indexes = [
            search_index("learningpath"),
            title_index("learningpath"),
            published_index("learningpath"),
            # The home page's and the feed's "recently updated".
            models.Index("status", models.F("updated").desc(), name="learningpath_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def step_refs(self) -> list[str]:
        """Its public steps' records as ``type:slug`` (a norm ``norm:framework/norm``), the
        names the data files use; needs ``with_steps()``."""
        return [step.ref for step in self.public_steps]


class PathStep(BaseModel):
    """One step of a path: a record, and the short text that leads to it."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(help_text="Steps are read in this order.")
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        limit_choices_to=record_content_types,
        verbose_name="record type",
    )
    object_id = models.PositiveIntegerField(verbose_name="record id")
    record = GenericForeignKey("content_type", "object_id")
    text = models.TextField(
        blank=True,
        help_text="One to three sentences that lead to this step. Markdown, sanitized.",
    )
    text_html = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["text_html"])

    objects = PathStepQuerySet.as_manager()

    class Meta:
        verbose_name = "step"
        ordering = ["path", "position", "pk"]
        constraints = [
            # Deferred, so that steps can swap places in one save (the admin, the loader).
            models.UniqueConstraint(
                fields=["path", "position"],
                name="pathstep_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(
                fields=["path", "content_type", "object_id"], name="pathstep_record_unique"
            ),
        ]
        indexes = [
            # The paths that include a record (its content type and id).
            models.Index(fields=["content_type", "object_id"], name="pathstep_record_idx"),
        ]

    def __str__(self) -> str:
        return f"Step {self.position} of {self.path}"

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        """Its record as ``type:slug``, as data files and exports name it."""
        record = self.record
        return f"{registry.get(record).key}:{'/'.join(record.url_args())}"

    def clean(self):
        # No query (the loader validates every step): content types are cached, and the
        # admin's form finds the record itself from its page's address.
        super().clean()
        if self.content_type_id is None:
            return
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        if model not in step_models():
            raise ValidationError({"content_type": "A step names a record of the site."})
