"""National positions on how international law applies in cyberspace (issue 13).

A position is a state's own published view: a national paper, a submission to the UN,
a speech or a section of a strategy. It belongs to its country and links to the norms
and rules it addresses, each link with the words that show it. Other apps' records are
reached through "app.Model" relations only.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import PartialDateField, partial_date_constraint
from core.models import (
    BaseModel,
    Entry,
    EntryQuerySet,
    card_deferred,
    link_groups,
    public_via,
    published_index,
    search_index,
    search_vector_field,
    title_index,
    title_vector_field,
)


class Issue(models.TextChoices):
    """The questions of international law a position takes a view on."""

    SOVEREIGNTY = "sovereignty", "Sovereignty"
    NON_INTERVENTION = "non-intervention", "Non-intervention"
    USE_OF_FORCE = "use-of-force", "Use of force"
    SELF_DEFENCE = "self-defence", "Self-defence"
    HUMANITARIAN_LAW = "humanitarian-law", "International humanitarian law"
    STATE_RESPONSIBILITY = "state-responsibility", "State responsibility"
    ATTRIBUTION = "attribution", "Attribution"
    COUNTERMEASURES = "countermeasures", "Countermeasures"
    DUE_DILIGENCE = "due-diligence", "Due diligence"
    HUMAN_RIGHTS = "human-rights", "Human rights"
    PEACEFUL_SETTLEMENT = "peaceful-settlement", "Peaceful settlement of disputes"


class NationalPositionQuerySet(EntryQuerySet):
    def with_links(self):
        """Its country, and the public norms it addresses with their frameworks."""
        return self.select_related("country").prefetch_related(
            Prefetch(
                "norm_links",
                queryset=PositionNorm.objects.filter(public_via(PositionNorm, "norm"))
                .select_related("norm__framework")
                .defer(*card_deferred("norm", "norm__framework")),
            )
        )

    def for_card(self):
        return super().for_card().select_related("country")

    def for_export(self):
        return super().for_export().with_links()

    def for_api(self):
        return super().for_api().with_links()

    def for_detail(self, user):
        return super().for_detail(user).with_links()


class NationalPosition(Entry):
    """A state's published position on how international law applies in cyberspace."""

    url_name = "positions:detail"
    list_date_field, list_date_label = "published", "Published"
    existence = ("published", "")

    class Kind(models.TextChoices):
        NATIONAL_PAPER = "national-paper", "National paper"
        UN_SUBMISSION = "un-submission", "Submission to the UN"
        SPEECH = "speech", "Speech or statement"
        STRATEGY_SECTION = "strategy-section", "Section of a national strategy"

    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="positions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    published = PartialDateField(blank=False)
    forum = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where it was delivered or published, e.g. UN GGE compendium (A/76/136).",
    )
    symbol = models.CharField(max_length=60, blank=True, help_text="UN document symbol, if any.")
    issues = ArrayField(
        models.CharField(max_length=30, choices=Issue.choices),
        default=list,
        blank=True,
        help_text="The questions of international law it takes a view on.",
    )
    norms = models.ManyToManyField(
        "norms.Norm", through="PositionNorm", blank=True, related_name="positions"
    )
    search_vector = search_vector_field("title", "forum", "symbol")
    title_vector = title_vector_field("title", "forum", "symbol")

    objects = NationalPositionQuerySet.as_manager()

    # Its own columns, in order; its country is an export column (a country, not a record).
    public_fields = ("kind", "published", "forum", "symbol", "issues")

    class Meta(Entry.Meta):
        verbose_name = _("national position")
        ordering = ["country__name", "-published", "title", "pk"]
        permissions = [("publish_nationalposition", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="position_slug_unique"),
            partial_date_constraint("published", "position_published_iso"),
        ]
        indexes = [
            search_index("position"),
            title_index("position"),
            published_index("position"),
            models.Index("status", models.F("updated").desc(), name="position_recent_idx"),
            models.Index(fields=["country", "status"], name="position_country_idx"),
            GinIndex(fields=["issues"], name="position_issues_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def issue_labels(self) -> list[str]:
        return [label for _, label in self.issue_links()]

    def issue_links(self) -> list[tuple[str, str]]:
        """(value, label) of each question it addresses, in the list's order."""
        return [(value, Issue(value).label) for value in Issue.values if value in self.issues]

    def outgoing_links(self):
        return link_groups(
            (
                "Addresses (norms and rules)",
                [(link.norm, link.note) for link in self.norm_links.all()],
            ),
        )


class PositionNorm(BaseModel):
    """A norm or rule of international law that a position addresses in substance."""

    position = models.ForeignKey(
        NationalPosition, on_delete=models.CASCADE, related_name="norm_links"
    )
    norm = models.ForeignKey("norms.Norm", on_delete=models.CASCADE, related_name="position_links")
    note = models.CharField(max_length=500, blank=True, help_text="The words that show it.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "norm or rule addressed"
        verbose_name_plural = "norms and rules addressed"
        ordering = ["norm__framework", "norm__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["position", "norm"], name="positionnorm_unique")
        ]
        indexes = [models.Index(fields=["norm", "position"], name="positionnorm_norm_idx")]

    def __str__(self) -> str:
        return f"{self.position} addresses {self.norm}"
