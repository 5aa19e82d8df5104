"""The base of every record type: the abstract Entry, its queryset, its status.

Entry points at the reference records (themes, sources) by "app.Model" strings,
so this layer imports nothing above it.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from core.text import render_markdown


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# What the public can open by URL: published records, and archived ones with a notice.
REACHABLE = (Status.PUBLISHED, Status.ARCHIVED)


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
    # Full-text search (research.search) matches against this vector.
    return GinIndex(fields=["search_vector"], name=f"{model_name}_search_idx")


def other_side(model, relation: str):
    """The model at the other end of ``relation``.

    This is how an app reaches another app's records without importing it: the
    relation is declared with an "app.Model" string and Django resolves it.
    """
    return model._meta.get_field(relation).related_model


def public_via(model, relation: str, *, optional: bool = False) -> Q:
    """Rows of ``model`` whose record at the end of ``relation`` the public may see.

    The other side's own ``published()`` decides, so each record type states its
    rule once (a norm is public only while its framework is). ``optional``: an
    empty relation (a party that is a country, not a body) passes.
    """
    published = other_side(model, relation).objects.published().values("pk")
    condition = Q(**{f"{relation}__in": published})
    return Q(**{f"{relation}__isnull": True}) | condition if optional else condition


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Records the public sees in lists, search, feeds, exports and the API."""
        return self.filter(status=Status.PUBLISHED)

    def reachable(self):
        """Records the public can open by URL: published, and archived ones with a notice."""
        return self.filter(status__in=REACHABLE)

    def visible_to(self, user):
        """Staff preview every record; visitors reach only the public ones."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.reachable()

    def with_theme(self, slug: str):
        return self.filter(themes__slug=slug)

    def named(self):
        """What ``__str__`` and ``get_absolute_url`` need (a norm names its framework)."""
        return self

    def with_card_data(self):
        """What a card in a list needs: themes in one extra query."""
        return self.prefetch_related("themes")

    def for_export(self):
        """What an export row needs, in a fixed number of queries."""
        return self.prefetch_related("themes", "citations__source")

    def for_api(self):
        """What the API representation needs, in a fixed number of queries."""
        return self.published().prefetch_related("themes", "citations__source")

    def for_detail(self, user):
        """A record page: the record, its themes and sources."""
        return self.visible_to(user).prefetch_related("themes", "citations__source")

    def recently_updated(self, limit: int):
        return self.published().order_by("-updated")[:limit]


class Entry(models.Model):
    """The fields every record type shares."""

    title = models.CharField(max_length=300, help_text="Full title.")
    slug = models.SlugField(
        max_length=100, help_text="Part of the URL; never change it once published."
    )
    summary = models.TextField(help_text="One paragraph, plain text, in our own words.")
    description = models.TextField(blank=True, help_text="Markdown. Rendered through a sanitizer.")
    description_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    themes = TaggableManager(
        through="reference.ThemedItem",
        to="reference.Theme",
        blank=True,
        verbose_name="themes",
        help_text="",
    )
    citations = GenericRelation("reference.Citation", related_query_name="%(class)s")

    objects = EntryQuerySet.as_manager()
    # The URL name of the record's page, e.g. "agreements:detail"; its citation files and
    # change log are named after it (see page_url_names).
    url_name: str = ""
    # Every change, by whom and when; the derived columns are not worth storing twice.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_vector", "description_html"])

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(self.url_name, args=self.url_args())

    def get_changes_url(self) -> str:
        return reverse(page_url_names(type(self))["changes"], args=self.url_args())

    def cite_urls(self) -> dict[str, str]:
        """The citation downloads, by format: ``bib``, ``ris``, ``json``."""
        name = page_url_names(type(self))["cite"]
        return {fmt: reverse(name, args=[*self.url_args(), fmt]) for fmt in ("bib", "ris", "json")}

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

    def url_args(self) -> list[str]:
        """What names this record in its URLs (a norm adds its framework)."""
        return [self.slug]

    def outgoing_links(self) -> list["LinkGroup"]:
        return []

    def backlinks(self) -> list["LinkGroup"]:
        return []


def page_url_names(model) -> dict[str, str]:
    """The URL names of a record type's pages, from its ``url_name``:
    ``agreements:detail`` -> ``agreements:cite``, ``agreements:changes``;
    ``norms:framework`` -> ``norms:framework-cite``, ``norms:framework-changes``."""
    stem = model.url_name.removesuffix("detail")
    stem = stem if stem.endswith(":") else stem + "-"
    return {"detail": model.url_name, "cite": stem + "cite", "changes": stem + "changes"}


def lookup_from_url(kwargs: dict) -> dict:
    """The query that finds the record a URL names: ``slug`` is its own, any other argument
    names a parent by its slug (``/norms/<framework>/<slug>/``)."""
    return {name if name == "slug" else f"{name}__slug": value for name, value in kwargs.items()}


def get_reachable(model, **kwargs):
    """The public record named by URL arguments, or 404."""
    return get_object_or_404(model.objects.reachable(), **lookup_from_url(kwargs))


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


class ContentVersion(models.Model):
    """One row: the version of everything the public sees, for the page cache.

    PostgreSQL triggers on every table of public content bump it in the same
    transaction as the change (core/pagecache.py installs them after each
    migrate), so a new version becomes visible exactly when the change commits,
    whatever made it: the admin, the loader's bulk writes, a restore or SQL.
    """

    number = models.BigIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_content_version")]

    def __str__(self) -> str:
        return f"content version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
