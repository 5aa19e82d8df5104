from django.db import models
from django.db.models import Prefetch
from django.urls import reverse

from cyberdiplo.models import (
    Entry,
    EntryQuerySet,
    PartialDateField,
    link_groups,
    partial_date_constraint,
    search_index,
    search_vector_field,
)


class NormFrameworkQuerySet(EntryQuerySet):
    def for_list(self):
        """Frameworks with their published norms, for the norms index."""
        return self.published().prefetch_related(
            "themes", Prefetch("norms", queryset=Norm.objects.published())
        )

    def for_export(self):
        return (
            super()
            .for_export()
            .select_related("produced_by")
            .annotate(norm_count=models.Count("norms", filter=models.Q(norms__status="published")))
        )

    def for_detail(self, user):
        from bodies.models import Body

        return self.visible_to(user).prefetch_related(
            "themes",
            "citations__source",
            Prefetch("norms", queryset=Norm.objects.published().prefetch_related("themes")),
            Prefetch("produced_by", queryset=Body.objects.published()),
        )


class NormFramework(Entry):
    """A document or process that sets out norms, e.g. the 2015 UN GGE report."""

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

    objects = NormFrameworkQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = "norm framework"
        ordering = ["-adopted", "title"]
        permissions = [("publish_normframework", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="normframework_slug_unique"),
            partial_date_constraint("adopted", "normframework_adopted_iso"),
        ]
        indexes = [search_index("normframework")]

    def get_absolute_url(self) -> str:
        return reverse("norms:framework", args=[self.slug])

    def export_row(self) -> dict:
        return {
            **super().export_row(),
            "short_title": self.short_title,
            "kind": self.kind,
            "symbol": self.symbol,
            "adopted": self.adopted,
            "produced_by": self.produced_by.slug
            if self.produced_by and self.produced_by.is_public
            else "",
            "norm_count": getattr(self, "norm_count", None),
        }

    @property
    def short_label(self) -> str:
        return self.short_title or self.symbol or self.title

    def outgoing_links(self):
        return link_groups(("Produced by", [self.produced_by] if self.produced_by else []))


class NormQuerySet(EntryQuerySet):
    def published(self):
        # A norm is public only while its framework is.
        return super().published().filter(framework__status="published")

    def reachable(self):
        return super().reachable().filter(framework__status__in=["published", "archived"])

    def with_card_data(self):
        return self.select_related("framework").prefetch_related("themes")

    def for_export(self):
        from agreements.models import NormLink

        return (
            super()
            .for_export()
            .select_related("framework")
            .prefetch_related(
                Prefetch(
                    "agreement_links",
                    queryset=NormLink.objects.filter(agreement__status="published").select_related(
                        "agreement"
                    ),
                ),
                Prefetch("promoting_bodies", queryset=_published_bodies()),
            )
        )

    def for_detail(self, user):
        from agreements.models import NormLink
        from bodies.models import Body

        return (
            self.visible_to(user)
            .select_related("framework")
            .prefetch_related(
                "themes",
                "citations__source",
                Prefetch(
                    "agreement_links",
                    queryset=NormLink.objects.filter(agreement__status="published").select_related(
                        "agreement"
                    ),
                ),
                Prefetch("promoting_bodies", queryset=Body.objects.published()),
            )
        )


class Norm(Entry):
    """A norm, rule, principle or measure, as one framework sets it out."""

    framework = models.ForeignKey(NormFramework, on_delete=models.CASCADE, related_name="norms")
    reference = models.CharField(
        max_length=100, help_text="Paragraph or rule reference, e.g. 13(f)."
    )
    quotation = models.TextField(
        blank=True, help_text="A short quotation of the official wording, exactly as published."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the framework.")
    search_vector = search_vector_field("title", "reference", "quotation")

    objects = NormQuerySet.as_manager()

    class Meta(Entry.Meta):
        ordering = ["framework", "position", "reference"]
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
        indexes = [search_index("norm")]

    def __str__(self) -> str:
        return f"{self.title} ({self.framework.short_label} {self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("norms:detail", args=[self.framework.slug, self.slug])

    def export_row(self) -> dict:
        return {
            **super().export_row(),
            "framework": self.framework.slug,
            "reference": self.reference,
            "quotation": self.quotation,
            "agreements": sorted({link.agreement.slug for link in self.agreement_links.all()}),
            "promoted_by": [body.slug for body in self.promoting_bodies.all()],
        }

    def outgoing_links(self):
        return link_groups(("Set out in", [(self.framework, self.reference)]))

    def backlinks(self):
        by_relation: dict[str, list] = {}
        for link in self.agreement_links.all():
            by_relation.setdefault(link.get_relation_display(), []).append(
                (link.agreement, link.note)
            )
        groups = [
            (f"{label} it (agreements)", items) for label, items in sorted(by_relation.items())
        ]
        groups.append(("Promoted by (bodies)", list(self.promoting_bodies.all())))
        return link_groups(*groups)


def _published_bodies():
    from bodies.models import Body

    return Body.objects.published()
