from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import PartialDateField, partial_date_constraint
from core.models import (
    CARD_DEFERRED,
    BaseModel,
    Entry,
    EntryQuerySet,
    card_deferred,
    link_groups,
    other_side,
    public_via,
    published_index,
    search_index,
    search_vector_field,
    title_index,
    title_vector_field,
    words_indexes,
)
from reference.models import validate_http_url


class BodyQuerySet(EntryQuerySet):
    def with_members(self):
        return self.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("country"))
        )

    def with_founding_instrument(self):
        """The agreement that established each body, only if the public may see it."""
        Agreement = other_side(Body, "established_by")
        return self.prefetch_related(
            Prefetch("established_by", queryset=Agreement.objects.published().defer(*CARD_DEFERRED))
        )

    def with_promoted_norms(self):
        Norm = other_side(Body, "promoted_norms")
        return self.prefetch_related(
            Prefetch(
                "promoted_norms",
                queryset=Norm.objects.published()
                .select_related("framework")
                .defer(*CARD_DEFERRED, *card_deferred("framework")),
            )
        )

    def for_export(self):
        return super().for_export().with_founding_instrument().with_members()

    def for_api(self):
        return super().for_api().with_founding_instrument().with_members().with_promoted_norms()

    def for_detail(self, user):
        Participation = other_side(Body, "participations")
        NormFramework = other_side(Body, "frameworks")
        return (
            super()
            .for_detail(user)
            .with_founding_instrument()
            .with_members()
            .with_promoted_norms()
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.of_public_agreements().defer(
                        *card_deferred("agreement")
                    ),
                ),
                Prefetch(
                    "frameworks", queryset=NormFramework.objects.published().defer(*CARD_DEFERRED)
                ),
            )
        )


class MembershipQuerySet(models.QuerySet):
    def public(self):
        """Memberships a visitor may see: of published bodies, with the body."""
        return self.filter(public_via(Membership, "body")).select_related("body")


class Body(Entry):
    """A cooperation body: an organization, agency, network or UN process."""

    url_name = "bodies:detail"
    # The names that link it where another record's text names it (core/autolink.py).
    linkable_names = ("title", "acronym")
    list_date_field, list_date_label = "founded", "Founded"
    existence = ("founded", "")

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
        "reference.Country", through="Membership", blank=True, related_name="bodies"
    )
    members_as_of = models.DateField(
        null=True, blank=True, help_text="The date the member list was checked."
    )
    search_vector = search_vector_field("title", "acronym")
    title_vector = title_vector_field("title", "acronym")

    objects = BodyQuerySet.as_manager()

    # Its own columns, in order: exports, the API, imports, data files and /data/ derive from them.
    public_fields = ("acronym", "kind", "founded", "seat", "website", "established_by")

    class Meta(Entry.Meta):
        verbose_name = _("body")
        verbose_name_plural = "bodies"
        permissions = [("publish_body", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="body_slug_unique"),
            partial_date_constraint("founded", "body_founded_iso"),
        ]
        indexes = [
            search_index("body"),
            title_index("body"),
            published_index("body"),
            *words_indexes("body", "title", "acronym", "summary"),
            # "Recently updated" on the home page: the newest published, without a sort.
            models.Index("status", models.F("updated").desc(), name="body_recent_idx"),
            # The public bodies' ids, read from the index alone: a party count's
            # ``body__in=published()`` scanned the table (9 ms at 10,000 bodies, now 1).
            models.Index("status", "id", name="body_status_idx"),
            # The list in its order (by title), however deep the page: at 10,000 bodies its
            # page of 25 was a scan and a sort of them all (11.7 ms).
            models.Index("status", "title", "id", name="body_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.acronym})" if self.acronym else self.title

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


class Membership(BaseModel):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(
        "reference.Country", on_delete=models.CASCADE, related_name="memberships"
    )
    since = PartialDateField()
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "country"], name="membership_unique"),
            partial_date_constraint("since", "membership_since_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.body}"


class Promotion(BaseModel):
    """A body's promotion of a norm (a model of its own so that its history is kept)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="promotions")
    norm = models.ForeignKey("norms.Norm", on_delete=models.CASCADE, related_name="promotions")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "promoted norm"
        constraints = [models.UniqueConstraint(fields=["body", "norm"], name="promotion_unique")]

    def __str__(self) -> str:
        return f"{self.body} promotes {self.norm}"
