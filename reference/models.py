"""Reference records that every record type uses: themes, sources and the
citations that tie records to them, and countries."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from simple_history.models import HistoricalRecords
from taggit.models import CommonGenericTaggedItemBase, TagBase

from core import pagecache
from core.dates import PartialDateField, partial_date_constraint
from core.models import TRANSLATED_SEARCH, BaseModel, Translatable, cached_reverse

validate_http_url = URLValidator(schemes=["http", "https"], message="Enter an http(s) URL.")


def theme_search_vector() -> SearchVector:
    """A theme's name above its description, in English and in each translation's
    language (as ``core.models.search_vector_field`` weighs a record's text)."""
    vector = SearchVector("name", weight="A", config="english")
    vector += SearchVector("description", weight="B", config="english")
    for language, config in TRANSLATED_SEARCH.items():
        vector += SearchVector(KT(f"translations__{language}__name"), weight="A", config=config)
        vector += SearchVector(
            KT(f"translations__{language}__description"), weight="B", config=config
        )
    return vector


class Theme(Translatable, TagBase):
    """A topic that gathers records of every type (a django-taggit tag)."""

    translatable_fields = ("name", "description")

    description = models.TextField(
        help_text="Two to four sentences a first-year student understands."
    )
    # What full-text search (research.search) matches: stored, not built per search.
    search_vector = models.GeneratedField(
        expression=theme_search_vector(), output_field=SearchVectorField(), db_persist=True
    )
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["name"]
        permissions = [
            # Reviewers' (reference.admin.ReviewedOnceUsedAdmin): public pages show the theme.
            ("publish_theme", "Can change or delete a theme that public records use"),
        ]

    def get_absolute_url(self) -> str:
        return cached_reverse("themes:detail", [self.slug])

    def url_args(self) -> list[str]:
        return [self.slug]


class ThemedItem(BaseModel, CommonGenericTaggedItemBase):
    object_id = models.BigIntegerField(db_index=True)
    # Indexed first in themeditem_tag_idx, which serves every lookup by theme.
    tag = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="themed_items", db_index=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "theme"
        constraints = [
            # One theme once per record.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "tag"], name="themeditem_unique"
            )
        ]
        indexes = [
            # Loading the themes of a page of records.
            models.Index(fields=["content_type", "object_id"], name="themeditem_object_idx"),
            # The records of a theme (a theme filter, a theme's page): read from the index
            # alone, never the rows.
            models.Index(fields=["tag", "content_type", "object_id"], name="themeditem_tag_idx"),
        ]

    def __str__(self) -> str:
        return str(self.tag)


class Source(BaseModel):
    """A published document that a record's facts rest on."""

    key = models.SlugField(
        max_length=100, unique=True, help_text="Stable identifier, e.g. a-70-174."
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=255)
    url = models.URLField(
        max_length=500,
        blank=True,
        validators=[validate_http_url],
        verbose_name="URL",
        help_text="Where the document is published; leave empty only for print-only sources.",
    )
    date = PartialDateField()
    symbol = models.CharField(
        max_length=100, blank=True, help_text="Document symbol, CELEX or treaty number."
    )
    secondary = models.BooleanField(
        default=False,
        blank=True,  # optional in data files: a source is primary unless marked
        help_text="A report about the fact by someone other than its author: press, "
        "encyclopaedias, aggregators, academic commentary. Leave unticked for a primary "
        "source: the author of the act or statement, a depositary, an official journal, "
        "the body itself.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "pk"]
        permissions = [
            # Reviewers' (reference.admin.ReviewedOnceUsedAdmin): public pages cite the source.
            ("publish_source", "Can change or delete a source that public records cite"),
        ]
        constraints = [
            partial_date_constraint("date", "source_date_iso"),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__regex=r"^https?://"), name="source_url_http"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.symbol})" if self.symbol else self.title


class Citation(BaseModel):
    """A record's use of a source, with a pinpoint such as "para. 13(a)"."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    pinpoint = models.CharField(max_length=100, blank=True, help_text="e.g. para. 13(a), Art. 2")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source", "pinpoint"], name="citation_unique"
            )
        ]
        indexes = [
            # Loading the sources of a record.
            models.Index(fields=["content_type", "object_id"], name="citation_object_idx")
        ]

    def __str__(self) -> str:
        return f"{self.source}, {self.pinpoint}" if self.pinpoint else str(self.source)


class Country(BaseModel):
    class Region(models.TextChoices):
        AFRICA = "africa", "Africa"
        AMERICAS = "americas", "Americas"
        ASIA = "asia", "Asia"
        EUROPE = "europe", "Europe"
        OCEANIA = "oceania", "Oceania"

    code = models.CharField(
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters (ISO 3166-1 alpha-2).")],
        help_text="ISO 3166-1 alpha-2 code, e.g. FR.",
    )
    name = models.CharField(max_length=100, unique=True)
    region = models.CharField(max_length=20, choices=Region.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("countries:detail", [self.code.lower()])

    def url_args(self) -> list[str]:
        return [self.code.lower()]


def held_countries() -> dict[int, Country]:
    """Every country by key, held by this worker until the content changes
    (``core.pagecache.held``): some two hundred rows that many pages name."""
    return pagecache.held("countries", lambda: {c.pk: c for c in Country.objects.all()})
