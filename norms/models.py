from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import PartialDateField, partial_date_constraint
from core.models import (
    CARD_DEFERRED,
    BaseModel,
    Entry,
    EntryQuerySet,
    Status,
    card_deferred,
    link_groups,
    other_side,
    published_index,
    search_index,
    search_vector_field,
    title_index,
    title_vector_field,
    words_indexes,
)


class NormFrameworkQuerySet(EntryQuerySet):
    def with_producer(self):
        """The producing body, only if the public may see it."""
        Body = other_side(NormFramework, "produced_by")
        return self.prefetch_related(
            Prefetch("produced_by", queryset=Body.objects.published().defer(*CARD_DEFERRED))
        )

    def for_export(self):
        counted = (
            super()
            .for_export()
            .with_producer()
            .annotate(
                norm_count=models.Count(
                    "norms", filter=models.Q(norms__in=Norm.objects.published())
                )
            )
        )
        # A GROUP BY query leaves out the model's default order (Django): asked for here,
        # the rows come in one order whatever plan PostgreSQL picks (a theme's export
        # listed frameworks alike in date in either order).
        if counted.query.order_by:
            return counted
        return counted.order_by(*self.model._meta.ordering)

    def for_api(self):
        return (
            super()
            .for_api()
            .with_producer()
            .prefetch_related(Prefetch("norms", queryset=Norm.objects.published()))
        )

    def for_detail(self, user):
        return (
            super()
            .for_detail(user)
            .with_producer()
            .prefetch_related(
                Prefetch(
                    "norms",
                    queryset=Norm.objects.published()
                    .defer(*CARD_DEFERRED)
                    .prefetch_related("themes"),
                )
            )
        )


class NormFramework(Entry):
    """A document or process that sets out norms, e.g. the 2015 UN GGE report."""

    url_name = "norms:framework"
    # The names that link it where another record's text names it (core/autolink.py).
    linkable_names = ("title", "short_title", "symbol")
    list_date_field, list_date_label = "adopted", "Adopted"
    translatable_fields = ("title", "short_title", "summary", "description")
    existence = ("adopted", "")

    class Kind(models.TextChoices):
        UN_REPORT = "un-report", "UN consensus report"
        MULTISTAKEHOLDER = "multistakeholder", "Multistakeholder call"
        EXPERT_COMMISSION = "expert-commission", "Expert commission"
        REGIONAL_CBM = "regional-cbm", "Regional confidence-building measures"
        EXPERT_MANUAL = "expert-manual", "Expert manual"
        POLITICAL_DECLARATION = "political-declaration", "Political declaration"

    short_title = models.CharField(max_length=60, blank=True, help_text="e.g. UN GGE 2015")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    symbol = models.CharField(
        max_length=100, blank=True, help_text="Document symbol, e.g. A/70/174."
    )
    adopted = PartialDateField()
    produced_by = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="frameworks",
        help_text="The body or process that produced it, e.g. the UN GGE.",
    )
    search_vector = search_vector_field("title", "short_title", "symbol")
    title_vector = title_vector_field("title", "short_title", "symbol")

    objects = NormFrameworkQuerySet.as_manager()

    # Its own columns, in order: exports, the API, imports, data files and /data/ derive from them.
    public_fields = ("short_title", "kind", "symbol", "adopted", "produced_by")

    class Meta(Entry.Meta):
        verbose_name = _("norm framework")
        ordering = ["-adopted", "title", "pk"]
        permissions = [("publish_normframework", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="normframework_slug_unique"),
            partial_date_constraint("adopted", "normframework_adopted_iso"),
        ]
        indexes = [
            search_index("normframework"),
            title_index("normframework"),
            published_index("normframework"),
            # "Recently updated" on the home page: the newest published, without a sort.
            models.Index("status", models.F("updated").desc(), name="normframework_recent_idx"),
        ]

    @property
    def short_label(self) -> str:
        return self.short_title or self.symbol or self.title

    def outgoing_links(self):
        return link_groups(("Produced by", [self.produced_by] if self.produced_by else []))


class NormQuerySet(EntryQuerySet):
    def published(self):
        # A norm is public only while its framework is.
        return super().published().filter(framework__status=Status.PUBLISHED)

    def reachable(self):
        return super().reachable().filter(framework__status__in=[Status.PUBLISHED, Status.ARCHIVED])

    def named(self):
        return self.select_related("framework")

    def for_card(self):
        # Its framework names it, and a card shows none of the framework's long text.
        return super().for_card().defer(*card_deferred("framework"))

    def with_links(self):
        """The agreements that link to each norm and the bodies promoting it, public ones only."""
        NormLink = other_side(Norm, "agreement_links")
        Body = other_side(Norm, "promoting_bodies")
        return self.prefetch_related(
            Prefetch(
                "agreement_links",
                queryset=NormLink.objects.with_public_agreement()
                .select_related("agreement")
                .defer(*card_deferred("agreement")),
            ),
            Prefetch("promoting_bodies", queryset=Body.objects.published().defer(*CARD_DEFERRED)),
        )

    def for_export(self):
        return super().for_export().select_related("framework").with_links()

    def for_api(self):
        # Its framework as a link: no more of it than a card reads.
        return (
            super()
            .for_api()
            .select_related("framework")
            .defer(*card_deferred("framework"))
            .with_links()
        )

    def for_detail(self, user):
        """... and the norms it restates and that restate it (its page's lineage links)."""
        return (
            super()
            .for_detail(user)
            .select_related("framework")
            .with_links()
            .prefetch_related(
                Prefetch(
                    "restatements",
                    queryset=Restatement.objects.filter(restates__in=Norm.objects.published())
                    .select_related("restates__framework")
                    .defer(*card_deferred("restates", "restates__framework"))
                    .order_by("restates__framework__adopted", "restates__position", "pk"),
                ),
                Prefetch(
                    "restated_in",
                    queryset=Restatement.objects.filter(norm__in=Norm.objects.published())
                    .select_related("norm__framework")
                    .defer(*card_deferred("norm", "norm__framework"))
                    .order_by("norm__framework__adopted", "norm__position", "pk"),
                ),
            )
        )

    def for_picker(self):
        """Norms as an editor picks them: with their framework, in the frameworks' order."""
        return self.select_related("framework").order_by(
            "-framework__adopted", "framework__title", "position", "reference"
        )


class Norm(Entry):
    """A norm, rule, principle or measure, as one framework sets it out."""

    url_name = "norms:detail"
    # The quotation only from an official text in that language (a UN language version).
    translatable_fields = ("title", "summary", "description", "quotation")
    # A norm exists from its framework's adoption.
    existence = ("framework__adopted", "")

    framework = models.ForeignKey(NormFramework, on_delete=models.CASCADE, related_name="norms")
    reference = models.CharField(
        max_length=100, help_text="Paragraph or rule reference, e.g. 13(f)."
    )
    quotation = models.TextField(
        blank=True, help_text="A short quotation of the official wording, exactly as published."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the framework.")
    search_vector = search_vector_field("title", "reference", "quotation")
    title_vector = title_vector_field("title")

    objects = NormQuerySet.as_manager()

    public_fields = ("framework", "reference", "quotation")

    class Meta(Entry.Meta):
        verbose_name = _("norm")
        ordering = ["framework", "position", "reference", "pk"]
        permissions = [("publish_norm", "Can publish, unpublish and archive")]
        constraints = [
            # URLs are /norms/<framework>/<norm>/.
            models.UniqueConstraint(
                fields=["framework", "slug"], name="norm_slug_unique_in_framework"
            ),
            models.UniqueConstraint(
                fields=["framework", "reference"], name="norm_reference_unique_in_framework"
            ),
        ]
        indexes = [
            search_index("norm"),
            title_index("norm"),
            published_index("norm"),
            *words_indexes("norm", "title", "summary", "quotation"),
            # "Recently updated" on the home page: the newest published, without a sort.
            models.Index("status", models.F("updated").desc(), name="norm_recent_idx"),
            # The published norms with their framework (a norm is public while its framework
            # is) and last change: the sitemap's count and date of the norms read this index
            # alone (at 30,000 norms, a scan of their wide rows took 27-44 ms each).
            models.Index(
                fields=["framework"],
                include=["updated"],
                condition=Q(status=Status.PUBLISHED),
                name="norm_public_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.framework.short_label} {self.reference})"

    def url_args(self) -> list[str]:
        return [self.framework.slug, self.slug]

    @property
    def lineage_key(self) -> str:
        """Its lineage page's slug: its framework's slug and its own (norms/lineage.py)."""
        return f"{self.framework.slug}-{self.slug}"

    def outgoing_links(self):
        return link_groups(
            ("Set out in", [(self.framework, self.reference)]),
            ("Restates", [(r.restates, r.note) for r in self.restatements.all()]),
        )

    def backlinks(self):
        by_relation: dict[str, list] = {}
        for link in self.agreement_links.all():
            by_relation.setdefault(link.get_relation_display(), []).append(
                (link.agreement, link.note)
            )
        return link_groups(
            ("Restated by", [(r.norm, r.note) for r in self.restated_in.all()]),
            *[(f"{label} it (agreements)", items) for label, items in sorted(by_relation.items())],
            ("Promoted by (bodies)", list(self.promoting_bodies.all())),
        )


class Restatement(BaseModel):
    """A later framework's norm that restates an earlier one: the same commitment, worded
    again (GGE 2021 13(f) restates GGE 2015 13(f)). The steps of a norm's lineage."""

    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="restatements")
    restates = models.ForeignKey(
        Norm,
        on_delete=models.CASCADE,
        related_name="restated_in",
        help_text="The earlier norm this one states again.",
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="How it restates it, e.g. 'word for word'."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["norm", "restates", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["norm", "restates"], name="restatement_unique"),
            models.CheckConstraint(condition=~Q(norm=F("restates")), name="restatement_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.norm} restates {self.restates}"
