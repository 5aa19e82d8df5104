"""Cyber incidents and the diplomatic or legal responses to them (issue 15).

Who did an incident is never a field of the incident: it is what each attributing
party said, recorded on its responses of kind "attribution". Other apps' records
are reached through "app.Model" relations only.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import PartialDateField, not_before_constraint, partial_date_constraint
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
)


class Sector(models.TextChoices):
    GOVERNMENT = "government", "Government"
    MILITARY = "military", "Military"
    ELECTIONS = "elections", "Elections"
    HEALTH = "health", "Health"
    ENERGY = "energy", "Energy"
    FINANCE = "finance", "Finance"
    TELECOMMUNICATIONS = "telecommunications", "Telecommunications"
    TRANSPORT = "transport", "Transport"
    MEDIA = "media", "Media"
    INDUSTRY = "industry", "Industry"
    RESEARCH = "research", "Research"
    INTERNATIONAL_ORGANISATION = "international-organisation", "International organisation"
    CIVIL_SOCIETY = "civil-society", "Civil society"
    TECHNOLOGY = "technology", "Technology"
    WATER = "water", "Water"


class IncidentQuerySet(EntryQuerySet):
    def with_links(self):
        """Target countries and the public norms said to be engaged, with their sources."""
        return self.prefetch_related(
            Prefetch("targets", queryset=IncidentTarget.objects.select_related("country")),
            Prefetch(
                "norm_links",
                queryset=IncidentNorm.objects.filter(public_via(IncidentNorm, "norm"))
                .select_related("norm__framework", "source")
                .defer(*card_deferred("norm", "norm__framework")),
            ),
        )

    def for_export(self):
        return super().for_export().with_links()

    def for_api(self):
        return super().for_api().with_links()

    def for_detail(self, user):
        """The page: its responses (public ones, by date) with who made them."""
        return (
            super()
            .for_detail(user)
            .with_links()
            .prefetch_related(
                Prefetch("responses", queryset=Response.objects.for_incident_page()),
            )
        )


class Incident(Entry):
    """A named cyber operation or campaign, at the dates and targets publicly known."""

    url_name = "incidents:detail"
    # The names that link it where another record's text names it (core/autolink.py).
    linkable_names = ("title", "short_title")
    list_date_field, list_date_label = "began", "Began"
    # An incident that has ended had still happened: on a past day it is known from its start.
    existence = ("began", "")

    class Kind(models.TextChoices):
        ESPIONAGE = "espionage", "Espionage"
        IP_THEFT = "intellectual-property-theft", "Intellectual property theft"
        DISRUPTION = "disruption", "Disruption"
        DESTRUCTION = "destruction", "Destruction"
        FINANCIAL_THEFT = "financial-theft", "Financial theft"
        RANSOMWARE = "ransomware", "Ransomware"
        INFLUENCE_OPERATION = "influence-operation", "Influence operation"
        DDOS = "ddos", "Distributed denial of service"

    short_title = models.CharField(max_length=120, blank=True, help_text="e.g. WannaCry")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    began = PartialDateField(blank=False)
    ended = PartialDateField()
    target_sectors = ArrayField(
        models.CharField(max_length=30, choices=Sector.choices),
        default=list,
        blank=True,
        help_text="Sectors publicly reported as targeted or hit.",
    )
    effect = models.TextField(help_text="What happened to whom, in plain words.")
    target_countries = models.ManyToManyField(
        "reference.Country", through="IncidentTarget", blank=True, related_name="incidents"
    )
    norms = models.ManyToManyField(
        "norms.Norm", through="IncidentNorm", blank=True, related_name="incidents"
    )
    search_vector = search_vector_field("title", "short_title")
    title_vector = title_vector_field("title", "short_title")

    objects = IncidentQuerySet.as_manager()

    # Its own columns, in order: exports, the API, imports, data files and /data/ derive from them.
    public_fields = ("short_title", "kind", "began", "ended", "target_sectors", "effect")

    class Meta(Entry.Meta):
        verbose_name = _("incident")
        ordering = ["-began", "title", "pk"]
        permissions = [("publish_incident", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="incident_slug_unique"),
            partial_date_constraint("began", "incident_began_iso"),
            partial_date_constraint("ended", "incident_ended_iso"),
            not_before_constraint("ended", "began", "incident_ended_after_began"),
        ]
        indexes = [
            search_index("incident"),
            title_index("incident"),
            published_index("incident"),
            # "Recently updated" on the home page: the newest published, without a sort.
            models.Index("status", models.F("updated").desc(), name="incident_recent_idx"),
            # The list in its default order (newest first), however deep the page.
            models.Index("status", models.F("began").desc(), "title", name="incident_list_idx"),
            # The sector filter and facet (target_sectors && ARRAY[...]).
            GinIndex(fields=["target_sectors"], name="incident_sectors_idx"),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def sector_labels(self) -> list[str]:
        return [Sector(value).label for value in self.target_sectors if value in Sector.values]

    def attributions(self) -> list["Response"]:
        """Its public responses of kind attribution, by date (from the prefetched responses)."""
        return [r for r in self.responses.all() if r.kind == Response.Kind.ATTRIBUTION]

    def other_responses(self) -> list["Response"]:
        return [r for r in self.responses.all() if r.kind != Response.Kind.ATTRIBUTION]

    def norms_invoked(self) -> list[tuple]:
        """(norm, response, note) for each public norm its public responses invoke."""
        return [
            (link.norm, response, link.note)
            for response in self.responses.all()
            for link in response.norm_links.all()
        ]


class IncidentTarget(BaseModel):
    """A state publicly reported as targeted or hit by an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="targets")
    country = models.ForeignKey(
        "reference.Country", on_delete=models.CASCADE, related_name="incident_targets"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "target country"
        verbose_name_plural = "target countries"
        ordering = ["country__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "country"], name="incidenttarget_unique")
        ]
        indexes = [
            # A country page and the target filter: the incidents that targeted a country.
            models.Index(fields=["country", "incident"], name="incidenttarget_country_idx")
        ]

    def __str__(self) -> str:
        return f"{self.incident} targeted {self.country}"


class IncidentNorm(BaseModel):
    """A norm that a government or body publicly said an incident breached or engaged."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="norm_links")
    norm = models.ForeignKey("norms.Norm", on_delete=models.CASCADE, related_name="incident_links")
    said_by = models.CharField(max_length=200, help_text="Who said so, e.g. United Kingdom.")
    source = models.ForeignKey(
        "reference.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_norm_links",
        help_text="The source that shows it.",
    )
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "norm engaged"
        verbose_name_plural = "norms engaged"
        ordering = ["norm__framework", "norm__position", "said_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "norm", "said_by"], name="incidentnorm_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident} engages {self.norm} (said by {self.said_by})"


class ResponseQuerySet(EntryQuerySet):
    def with_makers(self):
        """The states and the public bodies that made each response, and the state it names."""
        Body = other_side(ResponseBody, "body")
        return self.select_related("attributed_state").prefetch_related(
            Prefetch("party_links", queryset=ResponseParty.objects.select_related("country")),
            Prefetch(
                "body_links",
                queryset=ResponseBody.objects.filter(body__in=Body.objects.published().values("pk"))
                .select_related("body")
                .defer(*card_deferred("body")),
            ),
        )

    def with_links(self):
        """The public incidents, norms and agreements each response links to."""
        return self.with_makers().prefetch_related(
            Prefetch(
                "incident_links",
                queryset=ResponseIncident.objects.filter(public_via(ResponseIncident, "incident"))
                .select_related("incident")
                .defer(*card_deferred("incident")),
            ),
            Prefetch(
                "norm_links",
                queryset=ResponseNorm.objects.filter(public_via(ResponseNorm, "norm"))
                .select_related("norm__framework")
                .defer(*card_deferred("norm", "norm__framework")),
            ),
            Prefetch(
                "agreement_links",
                queryset=ResponseAgreement.objects.filter(
                    public_via(ResponseAgreement, "agreement")
                )
                .select_related("agreement")
                .defer(*card_deferred("agreement")),
            ),
        )

    def for_incident_page(self):
        """An incident's public responses, by date, with who made them and the public norms
        they invoke."""
        return (
            self.published()
            .defer(*CARD_DEFERRED)
            .with_makers()
            .prefetch_related(
                Prefetch(
                    "norm_links",
                    queryset=ResponseNorm.objects.filter(public_via(ResponseNorm, "norm"))
                    .select_related("norm__framework")
                    .defer(*card_deferred("norm", "norm__framework")),
                )
            )
            .order_by("date", "title")
        )

    def for_export(self):
        return super().for_export().with_links()

    def for_api(self):
        return super().for_api().with_links()

    def for_detail(self, user):
        return super().for_detail(user).with_links()

    def attributions(self):
        return self.filter(kind=Response.Kind.ATTRIBUTION)


class Response(Entry):
    """A diplomatic or legal act answering one or more incidents."""

    url_name = "incidents:response-detail"
    list_date_field, list_date_label = "date", "Date"
    existence = ("date", "")

    class Kind(models.TextChoices):
        ATTRIBUTION = "attribution", "Public attribution"
        SANCTIONS = "sanctions", "Sanctions"
        EXPULSION = "expulsion", "Expulsion"
        INDICTMENT = "indictment", "Indictment"
        DEMARCHE = "demarche", "Démarche"
        UN_STATEMENT = "un-statement", "Statement at the UN"
        DIALOGUE = "dialogue", "Dialogue"
        AGREEMENT = "agreement", "Agreement"
        ADVISORY = "advisory", "Joint technical advisory"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = PartialDateField(blank=False)
    attributed_actor = models.CharField(
        max_length=300,
        blank=True,
        help_text="Attribution only: the actor as the statement names it.",
    )
    attributed_state = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributed_responses",
        help_text="Attribution only: the state the statement names, if any.",
    )
    confidence = models.CharField(
        max_length=200, blank=True, help_text='The statement\'s own wording: "highly likely".'
    )
    legal_act = models.CharField(
        max_length=300, blank=True, help_text="e.g. Council Decision (CFSP) 2020/1127."
    )
    incidents = models.ManyToManyField(
        Incident, through="ResponseIncident", related_name="responses"
    )
    parties = models.ManyToManyField(
        "reference.Country", through="ResponseParty", blank=True, related_name="responses"
    )
    bodies = models.ManyToManyField(
        "bodies.Body", through="ResponseBody", blank=True, related_name="responses"
    )
    norms = models.ManyToManyField(
        "norms.Norm", through="ResponseNorm", blank=True, related_name="invoking_responses"
    )
    agreements = models.ManyToManyField(
        "agreements.Agreement", through="ResponseAgreement", blank=True, related_name="responses"
    )
    search_vector = search_vector_field("title", "attributed_actor", "legal_act")
    title_vector = title_vector_field("title", "attributed_actor", "legal_act")

    objects = ResponseQuerySet.as_manager()

    # Its own columns, in order; the state it names is an export column (a country, not a record).
    public_fields = ("kind", "date", "attributed_actor", "confidence", "legal_act")

    class Meta(Entry.Meta):
        verbose_name = _("response")
        ordering = ["-date", "title", "pk"]
        permissions = [("publish_response", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="response_slug_unique"),
            partial_date_constraint("date", "response_date_iso"),
        ]
        indexes = [
            search_index("response"),
            title_index("response"),
            published_index("response"),
            # "Recently updated" on the home page: the newest published, without a sort.
            models.Index("status", models.F("updated").desc(), name="response_recent_idx"),
            # The list in its default order (newest first), however deep the page.
            models.Index("status", models.F("date").desc(), "title", name="response_list_idx"),
            # Country pages: the incidents attributed to a state.
            models.Index(fields=["attributed_state", "kind"], name="response_attributed_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def makers(self) -> list:
        """The states, then the public bodies, that made it (prefetched)."""
        return [p.country for p in self.party_links.all()] + [b.body for b in self.body_links.all()]

    def outgoing_links(self):
        made_under, led_to = [], []
        for link in self.agreement_links.all():
            target = (
                made_under if link.relation == ResponseAgreement.Relation.MADE_UNDER else led_to
            )
            target.append((link.agreement, link.note))
        return link_groups(
            ("Answers (incidents)", [link.incident for link in self.incident_links.all()]),
            ("Invokes (norms)", [(link.norm, link.note) for link in self.norm_links.all()]),
            ("Made under (agreements)", made_under),
            ("Followed by (agreements)", led_to),
            ("Made by (bodies)", [link.body for link in self.body_links.all()]),
        )


class ResponseIncident(BaseModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="incident_links")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="response_links")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "incident answered"
        verbose_name_plural = "incidents answered"
        ordering = ["incident__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "incident"], name="responseincident_unique")
        ]
        indexes = [
            # An incident's responses, and the incident list's response facets.
            models.Index(fields=["incident", "response"], name="responseincident_incident_idx")
        ]

    def __str__(self) -> str:
        return f"{self.response} answers {self.incident}"


class ResponseParty(BaseModel):
    """A state that made a response (a joint attribution has several)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="party_links")
    country = models.ForeignKey(
        "reference.Country", on_delete=models.CASCADE, related_name="response_parties"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "state that made it"
        verbose_name_plural = "states that made it"
        ordering = ["country__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "country"], name="responseparty_unique")
        ]
        indexes = [
            # A country page: the responses it joined; the party filter.
            models.Index(fields=["country", "response"], name="responseparty_country_idx")
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.response}"


class ResponseBody(BaseModel):
    """A body (the EU, NATO, the G7...) that made a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="body_links")
    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="response_links")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "body that made it"
        verbose_name_plural = "bodies that made it"
        ordering = ["body__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "body"], name="responsebody_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body} in {self.response}"


class ResponseNorm(BaseModel):
    """A norm a response's own text cites or paraphrases."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="norm_links")
    norm = models.ForeignKey("norms.Norm", on_delete=models.CASCADE, related_name="response_links")
    note = models.CharField(max_length=500, blank=True, help_text="The words used.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "norm invoked"
        verbose_name_plural = "norms invoked"
        ordering = ["norm__framework", "norm__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "norm"], name="responsenorm_unique")
        ]

    def __str__(self) -> str:
        return f"{self.response} invokes {self.norm}"


class ResponseAgreement(BaseModel):
    """An agreement a response was made under, or one that followed it."""

    class Relation(models.TextChoices):
        MADE_UNDER = "made-under", "Made under"
        LED_TO = "led-to", "Led to"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="agreement_links")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="response_links"
    )
    relation = models.CharField(max_length=20, choices=Relation.choices)
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "agreement link"
        ordering = ["relation", "agreement__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "agreement", "relation"], name="responseagreement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.relation} {self.agreement}"
