from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cyberdiplo.models import (
    Entry,
    EntryQuerySet,
    PartialDateField,
    link_groups,
    partial_date_constraint,
    search_index,
    search_vector_field,
    validate_http_url,
)


class BodyQuerySet(EntryQuerySet):
    def for_export(self):
        return (
            super()
            .for_export()
            .select_related("established_by")
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("country"))
            )
        )

    def for_detail(self, user):
        from agreements.models import Agreement, Participation
        from norms.models import NormFramework

        return self.visible_to(user).prefetch_related(
            "themes",
            "citations__source",
            Prefetch("established_by", queryset=Agreement.objects.published()),
            Prefetch("promoted_norms", queryset=_published_norms().select_related("framework")),
            Prefetch("memberships", queryset=Membership.objects.select_related("country")),
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(agreement__status="published").select_related(
                    "agreement"
                ),
            ),
            Prefetch("frameworks", queryset=NormFramework.objects.published()),
        )


def _published_norms():
    from norms.models import Norm

    return Norm.objects.published()


class Body(Entry):
    """A cooperation body: an organization, agency, network or UN process."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organization"
        EU_AGENCY = "eu-agency", "EU agency or body"
        UN_ENTITY = "un-entity", "UN entity"
        UN_PROCESS = "un-process", "UN process"
        TREATY_BODY = "treaty-body", "Treaty body"
        CERT_NETWORK = "cert-network", "CERT network"
        MULTISTAKEHOLDER = "multistakeholder", "Multistakeholder initiative"
        CENTRE_OF_EXCELLENCE = "centre-of-excellence", "Centre of excellence"
        OTHER = "other", "Other"

    acronym = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    founded = PartialDateField()
    seat = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True, validators=[validate_http_url])
    established_by = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="established_bodies",
        help_text="The agreement that established it, where there is one.",
    )
    promoted_norms = models.ManyToManyField(
        "norms.Norm",
        through="Promotion",
        blank=True,
        related_name="promoting_bodies",
        verbose_name="norms it promotes",
    )
    members = models.ManyToManyField(
        "cyberdiplo.Country", through="Membership", blank=True, related_name="bodies"
    )
    members_as_of = models.DateField(
        null=True, blank=True, help_text="The date the member list was checked."
    )
    search_vector = search_vector_field("title", "acronym")

    objects = BodyQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = "body"
        verbose_name_plural = "bodies"
        permissions = [("publish_body", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="body_slug_unique"),
            partial_date_constraint("founded", "body_founded_iso"),
        ]
        indexes = [search_index("body")]

    def __str__(self) -> str:
        return f"{self.title} ({self.acronym})" if self.acronym else self.title

    def get_absolute_url(self) -> str:
        return reverse("bodies:detail", args=[self.slug])

    def export_row(self) -> dict:
        established = self.established_by
        return {
            **super().export_row(),
            "acronym": self.acronym,
            "kind": self.kind,
            "founded": self.founded,
            "seat": self.seat,
            "website": self.website,
            "established_by": established.slug if established and established.is_public else "",
            "members": [m.country.code for m in self.memberships.all()],
            "members_as_of": self.members_as_of,
        }

    def outgoing_links(self):
        return link_groups(
            ("Established by", [self.established_by] if self.established_by else []),
            ("Promotes (norms)", list(self.promoted_norms.all())),
            (
                "Party to (agreements)",
                [(p.agreement, p.summary) for p in self.participations.all()],
            ),
        )

    def backlinks(self):
        return link_groups(("Produced (norm frameworks)", list(self.frameworks.all())))


class Membership(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(
        "cyberdiplo.Country", on_delete=models.CASCADE, related_name="memberships"
    )
    since = PartialDateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "country"], name="membership_unique"),
            partial_date_constraint("since", "membership_since_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.body}"


class Promotion(models.Model):
    """A body's promotion of a norm (a model of its own so that its history is kept)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="promotions")
    norm = models.ForeignKey("norms.Norm", on_delete=models.CASCADE, related_name="promotions")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "promoted norm"
        constraints = [models.UniqueConstraint(fields=["body", "norm"], name="promotion_unique")]

    def __str__(self) -> str:
        return f"{self.body} promotes {self.norm}"
