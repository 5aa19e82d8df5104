import functools

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import (
    PartialDateField,
    format_partial_date,
    not_before_constraint,
    partial_date_constraint,
)
from core.models import (
    CARD_DEFERRED,
    BaseModel,
    Entry,
    EntryQuerySet,
    card_deferred,
    check_unconfirmed,
    link_groups,
    other_side,
    public_via,
    published_index,
    search_index,
    search_vector_field,
    title_index,
    title_vector_field,
    unconfirmed_validator,
    words_indexes,
)
from reference.models import held_countries


@functools.cache
def _party_count() -> Coalesce:
    """The party count's expression, built once: building it costs more than running it,
    and ``annotate`` resolves a copy of it for each queryset, leaving this one unchanged."""
    parties = (
        Participation.objects.filter(public_via(Participation, "body", optional=True))
        .filter(agreement=OuterRef("pk"))
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(parties), 0)


class AgreementQuerySet(EntryQuerySet):
    def with_public_links(self):
        """Parties, norm links and links to other agreements, public ones only."""
        return self.prefetch_related(
            Prefetch("participations", queryset=Participation.objects.public()),
            Prefetch(
                "norm_links",
                queryset=NormLink.objects.with_public_norm()
                .select_related("norm__framework")
                .defer(*card_deferred("norm", "norm__framework")),
            ),
        )

    def for_export(self):
        return super().for_export().with_public_links()

    def for_api(self):
        return (
            super()
            .for_api()
            .with_public_links()
            .prefetch_related(
                Prefetch("outbound_links", queryset=AgreementLink.objects.with_public_target())
            )
        )

    def for_card(self):
        return super().for_card().with_party_count()

    def with_party_count(self):
        """Annotate ``party_count``, the parties a visitor sees, once however many ask.

        A subquery per row rather than a join and GROUP BY: counting the list (the
        paginator) and its facets then never joins the parties.
        """
        if "party_count" in self.query.annotations:
            return self
        return self.annotate(party_count=_party_count())

    def for_detail(self, user):
        Body = other_side(Agreement, "established_bodies")
        return (
            super()
            .for_detail(user)
            .with_public_links()
            .prefetch_related(
                Prefetch("outbound_links", queryset=AgreementLink.objects.with_public_target()),
                Prefetch("inbound_links", queryset=AgreementLink.objects.with_public_source()),
                Prefetch(
                    "established_bodies", queryset=Body.objects.published().defer(*CARD_DEFERRED)
                ),
            )
        )


class Agreement(Entry):
    """An agreement or other instrument: treaty, joint statement, EU act..."""

    url_name = "agreements:detail"
    # The names that link it where another record's text names it (core/autolink.py).
    linkable_names = ("title", "short_title", "symbol")
    list_date_field, list_date_label = "adopted", "Adopted"
    existence = ("adopted", "ended")

    class Kind(models.TextChoices):
        """The legal form. How many take part is ``reach``."""

        BILATERAL = "bilateral", "Bilateral treaty"
        REGIONAL_TREATY = "regional-treaty", "Regional treaty"
        MULTILATERAL_TREATY = "multilateral-treaty", "Multilateral treaty"
        POLITICAL_COMMITMENT = "political-commitment", "Political commitment"
        EU_LEGISLATION = "eu-legislation", "EU legislation"
        EU_POLICY = "eu-policy", "EU policy framework"

    class Reach(models.TextChoices):
        """How many take part: a separate question from the legal form (``kind``)."""

        BILATERAL = "bilateral", "Bilateral (two parties)"
        PLURILATERAL = "plurilateral", "Plurilateral (a region or group)"
        UNIVERSAL = "universal", "Universal (all UN members)"

    class LegalStatus(models.TextChoices):
        IN_FORCE = "in-force", "In force"
        NOT_YET_IN_FORCE = "not-yet-in-force", "Not yet in force"
        ENDED = "ended", "Ended"
        NON_BINDING = "non-binding", "Non-binding (no entry into force)"
        UNKNOWN = "unknown", "Not confirmed"

    short_title = models.CharField(max_length=120, blank=True, help_text="e.g. Budapest Convention")
    kind = models.CharField("legal form", max_length=30, choices=Kind.choices)
    reach = models.CharField(
        "number of parties",
        max_length=20,
        choices=Reach.choices,
        help_text="Two parties, a region or group, or every UN member (a General Assembly "
        "resolution, a treaty negotiated by all). A treaty open to outsiders by invitation "
        "stays plurilateral.",
    )
    legally_binding = models.BooleanField()
    symbol = models.CharField(
        max_length=100, blank=True, help_text="e.g. ETS No. 185, CELEX number."
    )
    adopted = PartialDateField(help_text="Adopted, signed or opened for signature.")
    entry_into_force = PartialDateField()
    ended = PartialDateField()
    legal_status = models.CharField(max_length=30, choices=LegalStatus.choices)
    status_as_of = models.DateField(help_text="The date the legal status was checked.")
    parties_for_entry_into_force = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many parties the treaty needs to enter into force, where it says so "
        "(Budapest Art. 36(3): five). Blank when it sets no number. Cite the article.",
    )
    norms = models.ManyToManyField(
        "norms.Norm", through="NormLink", blank=True, related_name="agreements"
    )
    search_vector = search_vector_field("title", "short_title", "symbol")
    title_vector = title_vector_field("title", "short_title", "symbol")

    objects = AgreementQuerySet.as_manager()

    # Its own columns, in order: exports, the API, imports, data files and /data/ derive from them.
    public_fields = (
        "short_title",
        "kind",
        "reach",
        "legally_binding",
        "symbol",
        "adopted",
        "entry_into_force",
        "ended",
        "legal_status",
        "status_as_of",
        "parties_for_entry_into_force",
    )

    class Meta(Entry.Meta):
        verbose_name = _("agreement")
        ordering = ["-adopted", "title", "pk"]
        permissions = [("publish_agreement", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="agreement_slug_unique"),
            partial_date_constraint("adopted", "agreement_adopted_iso"),
            partial_date_constraint("entry_into_force", "agreement_entry_into_force_iso"),
            partial_date_constraint("ended", "agreement_ended_iso"),
            not_before_constraint(
                "entry_into_force", "adopted", "agreement_in_force_after_adoption"
            ),
            not_before_constraint("ended", "adopted", "agreement_ended_after_adoption"),
        ]
        indexes = [
            search_index("agreement"),
            title_index("agreement"),
            published_index("agreement"),
            *words_indexes("agreement", "title", "short_title", "summary", "symbol"),
            # "Recently updated" on the home page: the newest published, without a sort.
            models.Index("status", models.F("updated").desc(), name="agreement_recent_idx"),
            # The list in its default order (newest first), however deep the page, and the
            # counts of its own-column facets (kind, legal force, legal status): both read
            # this index alone, never the wide rows.
            models.Index(
                "status",
                models.F("adopted").desc(),
                "title",
                include=["id", "kind", "reach", "legally_binding", "legal_status"],
                name="agreement_list_idx",
            ),
            # The General Assembly's resolutions, a few dozen among 60,000 agreements at
            # scale: the norms' and states' adoption pages read them (a whole scan was 60 ms).
            models.Index(
                "adopted", "title", condition=Q(reach="universal"), name="agreement_universal_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def outgoing_links(self):
        by_relation: dict[str, list] = {}
        for link in self.norm_links.all():
            by_relation.setdefault(f"{link.get_relation_display()} (norms)", []).append(
                (link.norm, link.note)
            )
        for link in self.outbound_links.all():
            by_relation.setdefault(link.get_relation_display(), []).append((link.target, link.note))
        return link_groups(*sorted(by_relation.items()))

    def backlinks(self):
        by_relation: dict[str, list] = {}
        for link in self.inbound_links.all():
            by_relation.setdefault(link.get_inverse_display(), []).append((link.source, link.note))
        return link_groups(
            *sorted(by_relation.items()),
            ("Established (bodies)", list(self.established_bodies.all())),
        )


class NormLinkQuerySet(models.QuerySet):
    def with_public_norm(self):
        return self.filter(public_via(NormLink, "norm"))

    def with_public_agreement(self):
        return self.filter(public_via(NormLink, "agreement"))


class NormLink(BaseModel):
    """An agreement's typed link to a norm."""

    class Relation(models.TextChoices):
        AFFIRMS = "affirms", "Affirms"
        REFERENCES = "references", "References"
        IMPLEMENTS = "implements", "Implements"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="norm_links")
    norm = models.ForeignKey("norms.Norm", on_delete=models.CASCADE, related_name="agreement_links")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    note = models.CharField(max_length=500, blank=True, help_text="Where, e.g. Art. 3 or para. 26.")
    history = HistoricalRecords()

    objects = NormLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "norm link"
        ordering = ["relation", "norm__framework", "norm__position", "agreement__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "norm", "relation"], name="normlink_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.relation} {self.norm}"


class AgreementLinkQuerySet(models.QuerySet):
    def with_public_target(self):
        return (
            self.filter(public_via(AgreementLink, "target"))
            .select_related("target")
            .defer(*card_deferred("target"))
        )

    def with_public_source(self):
        return (
            self.filter(public_via(AgreementLink, "source"))
            .select_related("source")
            .defer(*card_deferred("source"))
        )


class AgreementLink(BaseModel):
    """A typed link between two agreements: a protocol supplements its convention."""

    class Relation(models.TextChoices):
        SUPPLEMENTS = "supplements", "Supplements"
        AMENDS = "amends", "Amends"
        REPLACES = "replaces", "Replaces"

    INVERSE = {"supplements": "Supplemented by", "amends": "Amended by", "replaces": "Replaced by"}

    source = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="outbound_links")
    target = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="inbound_links")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    objects = AgreementLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "link to another agreement"
        verbose_name_plural = "links to other agreements"
        ordering = ["relation", "target__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation"], name="agreementlink_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="agreementlink_no_self_reference",
                violation_error_message="An agreement cannot link to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.relation} {self.target}"

    def get_inverse_display(self) -> str:
        return self.INVERSE[self.relation]


class WithHeldCountries(models.query.ModelIterable):
    """Participations with their countries from the table this worker holds per content
    version (``reference.models.held_countries``), not joined and read row by row: the
    same instances for every page, which read them and never write on them
    (``tests/test_compiled.py`` checks a record page, the exports and the API). A country
    committed after the version was read is read as Django reads a foreign key."""

    def __iter__(self):
        countries = held_countries()
        field = Participation.country.field
        for row in super().__iter__():
            country = countries.get(row.country_id)
            if country is not None:
                field.set_cached_value(row, country)
            yield row


class ParticipationQuerySet(models.QuerySet):
    def public(self):
        """Parties a visitor may see (a body party only while the body is published),
        with what a party table shows, in its order: by country, then body (the
        agreement's title, by which ``Meta.ordering`` sorts too, is one agreement's all
        through a party table and a prefetch groups the rows by agreement)."""
        found = (
            self.filter(public_via(Participation, "body", optional=True))
            .select_related("body")
            .defer(*card_deferred("body"))
            .order_by("country__name", "body__title", "pk")
        )
        found._iterable_class = WithHeldCountries
        return found

    def of_public_agreements(self):
        """Participations in published agreements, with the agreement."""
        return self.filter(public_via(Participation, "agreement")).select_related("agreement")


class Participation(BaseModel):
    """A country's or body's participation in an agreement, true as of a date."""

    class ConsentKind(models.TextChoices):
        RATIFICATION = "ratification", "Ratification"
        ACCESSION = "accession", "Accession"
        ACCEPTANCE = "acceptance", "Acceptance"
        APPROVAL = "approval", "Approval"
        SIGNATURE = "signature", "Definitive signature"
        SUCCESSION = "succession", "Succession"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="participations"
    )
    country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    signed = PartialDateField()
    consent_kind = models.CharField(
        max_length=20, choices=ConsentKind.choices, blank=True, verbose_name="consent by"
    )
    consent = PartialDateField(verbose_name="consent date", help_text="Ratification, accession...")
    entry_into_force = PartialDateField(help_text="Entry into force for this party.")
    withdrawn = PartialDateField()
    as_of = models.DateField(help_text="The date this participation was checked.")
    note = models.CharField(max_length=500, blank=True)
    unconfirmed = models.JSONField(
        default=dict,
        blank=True,
        help_text='Dates not confirmed, each with a short reason, e.g. {"signed": "only the '
        'year is known"}. The row marks each such date.',
        validators=[unconfirmed_validator],
    )
    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()

    # What a party's row shows: the party, its dates, the date they were checked.
    public_fields = (
        "country",
        "body",
        "signed",
        "consent_kind",
        "consent",
        "entry_into_force",
        "withdrawn",
        "as_of",
        "note",
    )

    class Meta:
        ordering = ["country__name", "body__title", "agreement__title", "pk"]
        indexes = [
            # A country page and the party filter: the agreements of a country.
            models.Index(fields=["country", "agreement"], name="participation_country_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, body__isnull=True)
                | Q(country__isnull=True, body__isnull=False),
                name="participation_one_party",
                violation_error_message="A party is either a country or a body, not both.",
            ),
            models.UniqueConstraint(
                fields=["agreement", "country"],
                condition=Q(country__isnull=False),
                name="participation_country_unique",
            ),
            models.UniqueConstraint(
                fields=["agreement", "body"],
                condition=Q(body__isnull=False),
                name="participation_body_unique",
            ),
            models.CheckConstraint(
                condition=Q(consent="") | ~Q(consent_kind=""), name="participation_consent_kind"
            ),
            partial_date_constraint("signed", "participation_signed_iso"),
            partial_date_constraint("consent", "participation_consent_iso"),
            partial_date_constraint("entry_into_force", "participation_entry_into_force_iso"),
            partial_date_constraint("withdrawn", "participation_withdrawn_iso"),
            not_before_constraint(
                "entry_into_force", "signed", "participation_in_force_after_signature"
            ),
            not_before_constraint("consent", "signed", "participation_consent_after_signature"),
            not_before_constraint("withdrawn", "signed", "participation_withdrawn_after_signature"),
        ]

    def __str__(self) -> str:
        return f"{self.party} in {self.agreement}"

    def clean(self):
        super().clean()
        check_unconfirmed(self, ("signed", "consent", "entry_into_force", "withdrawn"))

    def unconfirmed_reason(self, field: str) -> str:
        return (self.unconfirmed or {}).get(field, "")

    @property
    def party(self):
        return self.country or self.body

    @property
    def summary(self) -> str:
        """One line, e.g. "signed 23 November 2001; ratification 10 January 2006"."""
        parts = []
        steps = (
            ("signed", "signed"),
            ("consent", self.get_consent_kind_display().lower()),
            ("entry_into_force", "in force"),
            ("withdrawn", "withdrew"),
        )
        for field, words in steps:
            if value := getattr(self, field):
                mark = " (not confirmed)" if self.unconfirmed_reason(field) else ""
                parts.append(f"{words} {format_partial_date(value)}{mark}")
        return "; ".join(parts)
