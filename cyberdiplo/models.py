"""The shared part of the data model: the abstract Entry every record type
extends, and the reference records they all use (themes, countries, sources,
glossary terms)."""

import re

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Least, Left, Length
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import CommonGenericTaggedItemBase, TagBase

PARTIAL_DATE_RE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
validate_partial_date = RegexValidator(
    PARTIAL_DATE_RE, "Enter an ISO date at the precision known: 2015, 2015-09 or 2015-09-25."
)
validate_http_url = URLValidator(schemes=["http", "https"], message="Enter an http(s) URL.")


class PartialDateField(models.CharField):
    """An ISO 8601 date at the precision known: ``2015``, ``2015-09`` or ``2015-09-25``.

    Stored as text, which sorts and compares in date order at equal precision,
    so range filters and "not before" constraints work in the database.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text", "ISO date at the precision known: 2015, 2015-09 or 2015-09-25."
        )
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_length", 10), ("blank", True)):
            if kwargs.get(key) == default:
                del kwargs[key]
        return name, path, args, kwargs


def partial_date_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database's own check that ``field`` holds a partial ISO date or nothing."""
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__regex": PARTIAL_DATE_RE}),
        name=name,
        violation_error_message=f"{field.replace('_', ' ').capitalize()} must be an ISO date.",
    )


def not_before_constraint(later: str, earlier: str, name: str) -> models.CheckConstraint:
    """``later`` may not come before ``earlier`` when both are known.

    Dates are compared at the precision both share: "2019-05" is not before
    "2019-05-17".
    """
    shared = Least(Length(later), Length(earlier))
    return models.CheckConstraint(
        condition=Q(**{later: ""})
        | Q(**{earlier: ""})
        | Q(GreaterThanOrEqual(Left(later, shared), Left(earlier, shared))),
        name=name,
        violation_error_message=(
            f"{later.replace('_', ' ').capitalize()} cannot be before {earlier.replace('_', ' ')}."
        ),
    )


def is_before(value: str, other: str) -> bool:
    """Whether partial ISO date ``value`` is before ``other``, at the precision both share."""
    shared = min(len(value), len(other))
    return bool(value and other) and value[:shared] < other[:shared]


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_partial_date(value: str) -> str:
    """``2015-09-25`` -> ``25 September 2015``; ``2015-09`` -> ``September 2015``."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def search_vector_field(*title_fields: str) -> models.GeneratedField:
    """A stored full-text vector: titles and identifiers above summary above description.

    ``title_fields`` are weighted A (title, acronym, symbol...); the summary B and
    the description C. The English configuration is named so the expression is
    immutable, as a generated column requires.
    """
    vector = SearchVector(*title_fields, weight="A", config="english")
    vector += SearchVector("summary", weight="B", config="english")
    vector += SearchVector("description", weight="C", config="english")
    return models.GeneratedField(
        expression=vector, output_field=SearchVectorField(), db_persist=True
    )


def search_index(model_name: str) -> GinIndex:
    # Full-text search (cyberdiplo.search) matches against this vector.
    return GinIndex(fields=["search_vector"], name=f"{model_name}_search_idx")


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Theme(TagBase):
    """A topic that gathers records of every type (a django-taggit tag)."""

    description = models.TextField(
        help_text="Two to four sentences a first-year student understands."
    )

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return reverse("themes:detail", args=[self.slug])


class ThemedItem(CommonGenericTaggedItemBase):
    object_id = models.BigIntegerField(db_index=True)
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="themed_items")
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
            models.Index(fields=["content_type", "object_id"], name="themeditem_object_idx")
        ]

    def __str__(self) -> str:
        return str(self.tag)


class Source(models.Model):
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

    class Meta:
        ordering = ["title"]
        constraints = [
            partial_date_constraint("date", "source_date_iso"),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__regex=r"^https?://"), name="source_url_http"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.symbol})" if self.symbol else self.title


class Citation(models.Model):
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


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Records the public sees in lists, search and feeds."""
        return self.filter(status=Status.PUBLISHED)

    def reachable(self):
        """Records the public can open by URL: published, and archived ones with a notice."""
        return self.filter(status__in=[Status.PUBLISHED, Status.ARCHIVED])

    def visible_to(self, user):
        """Staff preview every record; visitors reach only the public ones."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.reachable()

    def with_theme(self, slug: str):
        return self.filter(themes__slug=slug)

    def with_card_data(self):
        """What a card in a list needs: themes in one extra query."""
        return self.prefetch_related("themes")

    def for_export(self):
        """What ``export_row`` needs, in a fixed number of queries."""
        return self.prefetch_related("themes", "citations__source")

    def recently_updated(self, limit: int):
        return self.published().order_by("-updated")[:limit]


class Entry(models.Model):
    """The fields every record type shares."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=100, help_text="Part of the URL; never change it once published."
    )
    summary = models.TextField(help_text="One paragraph, plain text, in our own words.")
    description = models.TextField(blank=True, help_text="Markdown. Rendered through a sanitizer.")
    description_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    themes = TaggableManager(through=ThemedItem, blank=True, verbose_name="themes", help_text="")
    citations = GenericRelation(Citation, related_query_name="%(class)s")

    objects = EntryQuerySet.as_manager()
    # Every change, by whom and when; the derived columns are not worth storing twice.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_vector", "description_html"])

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        from cyberdiplo.text import render_markdown

        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    def missing_for_publication(self) -> list[str]:
        """What must be added before this record may be published, in plain words."""
        missing = []
        if not self.summary.strip():
            missing.append("a summary")
        if not self.pk or not self.citations.exists():
            missing.append("at least one source")
        if not self.pk or not self.themes.exists():
            missing.append("at least one theme")
        return missing

    @property
    def type_label(self) -> str:
        return self._meta.verbose_name.capitalize()

    def export_row(self) -> dict:
        """The record as one row of a CSV or JSON export (see docs/exports.md)."""
        return {
            "type": self._meta.model_name,
            "slug": self.slug,
            "url": self.get_absolute_url(),
            "title": self.title,
            "summary": self.summary,
            "themes": [t.name for t in self.themes.all()],
            "sources": [c.source.url or c.source.title for c in self.citations.all()],
            "updated": self.updated,
        }

    def outgoing_links(self) -> list["LinkGroup"]:
        return []

    def backlinks(self) -> list["LinkGroup"]:
        return []


class LinkGroup:
    """Links of one relation type, shown together on a detail page."""

    def __init__(self, label: str, links: list[tuple[models.Model, str]]):
        self.label = label
        self.links = links  # (record, note) pairs

    def __bool__(self) -> bool:
        return bool(self.links)

    def __repr__(self) -> str:
        return f"LinkGroup({self.label!r}, {len(self.links)} links)"


def link_groups(*groups: tuple[str, list]) -> list[LinkGroup]:
    """Build the non-empty groups from (label, [record or (record, note)]) pairs."""
    result = []
    for label, items in groups:
        links = [item if isinstance(item, tuple) else (item, "") for item in items]
        if links:
            result.append(LinkGroup(label, links))
    return result


class Country(models.Model):
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
        return reverse("countries:detail", args=[self.code.lower()])


class GlossaryTerm(Entry):
    """A term students meet in the records; ``summary`` holds its definition."""

    aliases = ArrayField(
        models.CharField(max_length=100),
        blank=True,
        default=list,
        help_text="Other spellings and acronyms, comma-separated (e.g. CBM, CBMs).",
    )
    search_vector = search_vector_field("title")

    class Meta(Entry.Meta):
        verbose_name = "glossary term"
        permissions = [("publish_glossaryterm", "Can publish, unpublish and archive")]
        constraints = [models.UniqueConstraint(fields=["slug"], name="glossaryterm_slug_unique")]
        indexes = [search_index("glossaryterm")]

    def get_absolute_url(self) -> str:
        return reverse("glossary:detail", args=[self.slug])

    def export_row(self) -> dict:
        return {**super().export_row(), "aliases": self.aliases}

    @property
    def names(self) -> list[str]:
        return [self.title, *self.aliases]

    def clean(self):
        for alias in self.aliases:
            if not alias.strip():
                raise ValidationError({"aliases": "An alias may not be empty."})


def terms_used_in(text: str, terms) -> list[GlossaryTerm]:
    """The glossary terms whose name or an alias occurs in ``text`` as a word."""
    found = []
    for term in terms:
        for name in term.names:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
                found.append(term)
                break
    return found
