"""The base of every record type: the abstract Entry, its queryset, its status.

Entry points at the reference records (themes, sources) by "app.Model" strings,
so this layer imports nothing above it.
"""

import copy
import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.base import ModelState
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Concat, Upper
from django.db.models.lookups import LessThan
from django.db.models.signals import post_init, pre_init
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager, _TaggableManager

from core import pagecache
from core.text import render_markdown


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# What the public can open by URL: published records, and archived ones with a notice.
REACHABLE = (Status.PUBLISHED, Status.ARCHIVED)


# An argument a URL takes as it is: reversing quotes nothing in it.
PLAIN_ARG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.cache
def _url_template(name: str, arity: int, prefix: str, urlconf, language: str | None):
    """The URL of ``name`` with each argument a ``{}`` to fill, reversed once; None for a
    pattern that takes no such stand-in (a two-letter code)."""
    markers = [f"0-cyberdiplo-arg-{i}-0" for i in range(arity)]
    try:
        url = reverse(name, urlconf=urlconf, args=markers)
    except NoReverseMatch:
        return None
    url = url.replace("{", "{{").replace("}", "}}")
    for marker in markers:
        url = url.replace(marker, "{}", 1)
    return url


@functools.lru_cache(maxsize=1024)
def _reverse(name: str, args: tuple, prefix: str, urlconf, language: str | None) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def cached_reverse(name: str, args) -> str:
    """``reverse(name, args=args)`` (per language: /fr/... on a French page), from the
    URL's pattern reversed once with its plain arguments (slugs) put in: a list page
    links each record and each of its themes, and reversing costs more than the rest of
    a link's rendering. Remembering each URL instead kept a worker's memory growing with
    the records it linked (an export of 60,000 records: 10 MB); the few patterns that
    take no stand-in (a country's code) are remembered per URL."""
    args = tuple(str(arg) for arg in args)
    template = url_template(name, len(args)) if all(map(PLAIN_ARG.fullmatch, args)) else None
    if template is None:
        return _reverse(name, args, get_script_prefix(), get_urlconf(), get_language())
    return template.format(*args)


def url_template(name: str, arity: int) -> str | None:
    """The URL of ``name`` in the current language, each of its ``arity`` arguments a
    ``{}`` to fill with a plain one (a slug); None for a pattern that takes none."""
    return _url_template(name, arity, get_script_prefix(), get_urlconf(), get_language())


def url_of(obj) -> str:
    """The page of a record, theme or country (anything with ``url_args``), remembered."""
    name = getattr(obj, "url_name", "")
    if not name:
        # Reference records name their URL in get_absolute_url only: remember it by type.
        key = (type(obj), tuple(obj.url_args()), get_script_prefix(), get_urlconf(), get_language())
        if key not in _urls:
            if len(_urls) > 50_000:
                _urls.clear()
            _urls[key] = obj.get_absolute_url()
        return _urls[key]
    return cached_reverse(name, obj.url_args())


_urls: dict[tuple, str] = {}


# PostgreSQL's text-search configuration of each language of the site (fixed here, not
# read from settings.LANGUAGES: the search vector's expression is part of the schema).
SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
# The translated languages a record's search vector holds.
TRANSLATED_SEARCH = {code: config for code, config in SEARCH_CONFIGS.items() if code != "en"}


def search_vector_field(*title_fields: str) -> models.GeneratedField:
    """A stored full-text vector: titles and identifiers above summary above description.

    ``title_fields`` are weighted A (title, acronym, symbol...); the summary B and
    the description C. The English configuration is named so the expression is
    immutable, as a generated column requires.
    """
    vector = SearchVector(*title_fields, weight="A", config="english")
    vector += SearchVector("summary", weight="B", config="english")
    vector += SearchVector("description", weight="C", config="english")
    # The translations, each in its language's configuration (stems and stop words): a
    # search on the French pages finds "infrastructures critiques" in a French summary.
    for language, config in TRANSLATED_SEARCH.items():
        for field, weight in (("title", "A"), ("summary", "B"), ("description", "C")):
            text = KT(f"translations__{language}__{field}")
            vector += SearchVector(text, weight=weight, config=config)
    return models.GeneratedField(
        expression=vector, output_field=SearchVectorField(), db_persist=True
    )


def search_index(model_name: str) -> GinIndex:
    # Full-text search (research.search) matches against this vector.
    return GinIndex(fields=["search_vector"], name=f"{model_name}_search_idx")


def title_vector_field(*title_fields: str) -> models.GeneratedField:
    """The titles alone as a stored vector (English): search tells a record whose title
    matches the query from one whose text does, and ranks it higher. Stored, so that a
    search reads it rather than building it for every record it ranks."""
    return models.GeneratedField(
        expression=SearchVector(*title_fields, config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )


def title_index(model_name: str) -> GinIndex:
    # Among thousands of matches, the records whose title matches (research.search).
    return GinIndex(fields=["title_vector"], name=f"{model_name}_title_idx")


def words_indexes(model_name: str, *fields: str) -> list[GinIndex]:
    """A list's words filter (``?q=``: ``icontains`` on each of ``fields``, any of them)
    finds its matches from these trigram indexes, one per field on what the lookup
    compares (``UPPER(field::text)``), instead of reading every row: at 100,000 records
    "hydrographic" among the agreements 273 -> 1 ms. A word in most records is still
    found by reading them all (PostgreSQL's choice)."""
    return [
        GinIndex(
            OpClass(Upper(Cast(field, models.TextField())), name="gin_trgm_ops"),
            name=f"{model_name}_{field}_trgm",
        )
        for field in fields
    ]


def published_index(model_name: str) -> models.Index:
    """The keys of the published records alone. "Is it public?" is a subquery on most
    pages (``published().values("pk")``, ``public_via``): PostgreSQL reads the keys from
    this index instead of the records' wide rows (at 100,000 records the published
    bodies' keys in 0.7 ms instead of 9.9, on every agreement card's party count)."""
    return models.Index(
        fields=["id"], condition=Q(status=Status.PUBLISHED), name=f"{model_name}_published_idx"
    )


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


@functools.lru_cache(maxsize=256)
def _type_label(model, language: str | None) -> str:
    """A record type's name in ``language``, capitalized: "Agreement" (read per card)."""
    return str(model._meta.verbose_name).capitalize()


# Long columns that a card (a record in a list) never shows.
CARD_DEFERRED = ("description", "description_html", "search_vector", "title_vector")


def card_deferred(*relations: str) -> list[str]:
    """``CARD_DEFERRED`` of the records at the end of ``relations`` (``"agreement"``,
    ``"norm__framework"``), for ``defer()``: a page that links a record reads no more of
    it than a card does."""
    return [f"{relation}__{name}" for relation in relations for name in CARD_DEFERRED]


def forget_relations(record) -> None:
    """Drop the relations prefetched onto ``record`` once it is written out. A prefetched
    record and its related rows point at each other (its cache holds them, each holds
    it): a cycle that outlives the record until Python's full garbage collection, every
    few dozen pages, while a worker's memory grows (an export, an API page)."""
    record.__dict__.pop("_prefetched_objects_cache", None)


# Where ThemesOf leaves a record's themes, in its prefetched objects (so that
# ``refresh_from_db`` forgets them with the rest).
READ_THEMES = "themes (read)"


class ThemeManager(_TaggableManager):
    """A record's themes, as django-taggit's manager but cheap to create in a loop.

    Prefetching themes for a page of records asks every record's manager for its
    queryset; taggit builds a filtered, joined query each time (about 0.3 ms a
    record, most of a list page's time). Here the record's filter is deferred, as
    Django's own related managers do, so it costs nothing unless the query runs,
    and it matches the content type by id rather than joining its table.
    """

    def get_queryset(self, extra_filters=None):
        cache = getattr(self.instance, "_prefetched_objects_cache", None) or {}
        if self.prefetch_cache_name in cache:
            return cache[self.prefetch_cache_name]
        if self.instance is None and not extra_filters:
            return super().get_queryset()  # every theme any record of the type carries
        # For one record, or for a page of them (prefetching passes their ids).
        relation = self.through.tag_relname()
        lookup = {
            f"{relation}__content_type": ContentType.objects.get_for_model(self.model),
            **(extra_filters or {f"{relation}__object_id": self.instance.pk}),
        }
        # One row per theme and record: (content type, object, theme) is unique. A page of
        # records gets each record's themes in the themes' own order (by name).
        tag_model = self.through.tag_model()
        themes = tag_model._default_manager.order_by(*(self.ordering or tag_model._meta.ordering))
        themes._defer_next_filter = True
        themes = themes.filter(**lookup)
        if not extra_filters and READ_THEMES in cache:
            # Read with the record (ThemesOf): this query, as if run, made when first asked.
            themes._result_cache, themes._prefetch_done = cache[READ_THEMES], True
            cache[self.prefetch_cache_name] = themes
        return themes


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

    @property
    def dated(self) -> bool:
        """Whether ``existing_on`` can say which of these records existed on a day."""
        return bool(self.model.existence)

    def existing_on(self, day: datetime.date):
        """The records in existence on ``day``: begun by then and not ended before it,
        from the partial dates ``Model.existence`` names. One begun in the year or month
        that holds the day is kept (it may have existed); one ended in it too."""
        begun, ended = self.model.existence
        day_text = day.isoformat()
        # "2009" and "2009-05" sort before "2009-05-10": at their precision, not after it.
        records = self.exclude(**{begun: ""}).filter(**{f"{begun}__lte": day_text})
        if ended:
            # A partial end is surely before the day when even its last day is:
            # "2009-05-99" sorts before "2009-06-01".
            ended_before = LessThan(Concat(F(ended), Value("-99")), Value(day_text))
            records = records.exclude(ended_before, **{f"{ended}__gt": ""})
        return records

    def named(self):
        """What ``__str__`` and ``get_absolute_url`` need (a norm names its framework)."""
        return self

    def for_card(self):
        """What a card shows, without its themes: not the long text a card never shows."""
        return self.defer(*CARD_DEFERRED).named()

    def with_card_data(self):
        """What a card in a list needs: themes in one extra query."""
        return self.for_card().prefetch_related("themes")

    def for_export(self):
        """What an export row needs, in a fixed number of queries (no derived columns)."""
        return self.defer("description_html", "search_vector", "title_vector").prefetch_related(
            "themes", self.with_sources()
        )

    def for_api(self):
        """What the API representation needs, in a fixed number of queries: not the
        rendered description nor the search vectors, which it never shows (a page of the
        norms sorted 30,000 rows of them at 100,000 records, on disk: 112 ms)."""
        return (
            self.published()
            .defer("description_html", "search_vector", "title_vector")
            .prefetch_related("themes", self.with_sources())
        )

    def for_detail(self, user):
        """A record page: the record and its sources (its themes: ``attach_themes``,
        which the page calls, reads them from the themes held per content version)."""
        return self.visible_to(user).prefetch_related(self.with_sources())

    def with_sources(self) -> Prefetch:
        """The records' citations with their sources, in one query (a join)."""
        Citation = self.model._meta.get_field("citations").related_model
        return Prefetch("citations", queryset=Citation.objects.select_related("source"))


def unconfirmed_validator(value) -> None:
    """``unconfirmed`` is a table of field names to short reasons (the model checks the
    names in ``clean``, as only it knows its fields)."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() and len(v) <= 300
        for k, v in value.items()
    ):
        raise ValidationError(
            'Write {"field": "reason", ...}: each reason a short text (at most 300 characters).'
        )


def check_unconfirmed(record, fields) -> None:
    """Each field named in ``record.unconfirmed`` is one of ``fields``; an emptied box is
    nothing unconfirmed (the validator reports any other shape)."""
    if record.unconfirmed in (None, ""):
        record.unconfirmed = {}
    if not isinstance(record.unconfirmed, dict):
        return
    unknown = sorted(str(name) for name in set(record.unconfirmed) - set(fields))
    if unknown:
        raise ValidationError(
            {"unconfirmed": f"Not a field of this record: {', '.join(unknown)}. "
             f"Fields: {', '.join(fields)}."}
        )  # fmt: skip


def other_languages() -> list[str]:
    """The languages a record's text can be translated into (every one but the default)."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class BaseModel(models.Model):
    """The base of every model of the project's apps (``tests/test_models.py`` checks it):
    an instance read from the database gets its columns as ``Model.__init__`` would set
    them, without going through each field (Budapest's page reads some 330 instances:
    4.3 against 1.5 µs each)."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        if pre_init.receivers or post_init.receivers:
            # A receiver expects Model.__init__'s signals (none is connected today).
            return super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        whole = len(values) == len(cls._meta.concrete_fields)
        key = cls, None if whole else tuple(field_names)
        names = _read_names.get(key)
        if names is None:
            # The columns a query read, in the order of the model's fields (as Django's
            # from_db takes them).
            names = _read_names[key] = tuple(
                field.attname
                for field in cls._meta.concrete_fields
                if whole or field.attname in field_names
            )
        new = cls.__new__(cls)
        state = new._state = ModelState()
        state.adding, state.db = False, db
        if fetch_mode is not None:
            state.fetch_mode = fetch_mode
        new.__dict__.update(zip(names, values, strict=True))
        return new


# The attribute names a model's rows are read into, by model and the columns read
# (None: all of them).
_read_names: dict[tuple, tuple[str, ...]] = {}


class Translatable(BaseModel):
    """Text fields that can be translated one by one: ``translations`` holds, per language,
    the fields that have a translation (``{"fr": {"title": "...", "summary": "..."}}``).
    A page in that language shows each field's translation, or the English text marked as
    such (``core.templatetags.core.tr``)."""

    # The fields a translation may give, in the order an editor fills them.
    translatable_fields: tuple[str, ...] = ()

    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text='The text in French and Spanish, field by field, e.g. {"fr": {"title": '
        '"...", "summary": "..."}, "es": {...}}. A missing field shows the English text.',
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        check_translations(self)

    def translated(self, field: str, language: str | None = None) -> str:
        """``field`` in ``language`` (the active one by default), or "" without one."""
        language = language or get_language()
        return ((self.translations or {}).get(language) or {}).get(field) or ""

    def missing_translations(self, language: str | None = None) -> list[str]:
        """The fields with English text and no translation in ``language``."""
        language = language or get_language()
        if language == settings.LANGUAGE_CODE:
            return []
        return [
            f
            for f in self.translatable_fields
            if getattr(self, f, "") and not self.translated(f, language)
        ]


def check_translations(record) -> None:
    """``translations`` is {language: {field: text}} over the other languages and the
    record's translatable fields; an emptied box is none."""
    value = record.translations
    if value in (None, ""):
        record.translations = value = {}
    languages, fields = other_languages(), record.translatable_fields
    problems = []
    if not isinstance(value, dict):
        problems.append("Write {language: {field: text}}.")
    else:
        for language, texts in value.items():
            if language not in languages:
                problems.append(f"{language!r} is not one of {', '.join(languages)}.")
            elif not isinstance(texts, dict) or not all(
                isinstance(t, str) and t.strip() for t in texts.values()
            ):
                problems.append(f"{language}: write {{field: text}}, each text not empty.")
            elif unknown := sorted(set(texts) - set(fields)):
                problems.append(
                    f"{language}: {', '.join(unknown)} cannot be translated here "
                    f"({', '.join(fields)} can)."
                )
    if problems:
        raise ValidationError({"translations": " ".join(problems)})


# A Wikidata item's identifier, and where Wikidata answers for it.
WIKIDATA_ITEM = r"^Q[1-9][0-9]*$"
WIKIDATA_ENTITY = "https://www.wikidata.org/entity/"


class Entry(Translatable):
    """The fields every record type shares."""

    translatable_fields = ("title", "summary", "description")

    title = models.CharField(max_length=300, help_text="Full title.")
    slug = models.SlugField(
        max_length=100, help_text="Part of the URL; never change it once published."
    )
    summary = models.TextField(help_text="One paragraph, plain text, in our own words.")
    description = models.TextField(blank=True, help_text="Markdown. Rendered through a sanitizer.")
    description_html = models.TextField(blank=True, editable=False)
    wikidata = models.CharField(
        "Wikidata item",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                WIKIDATA_ITEM, "A Wikidata item is Q and its number, for example Q1139413."
            )
        ],
        help_text="The same thing's item on Wikidata (Q and its number), only as a source "
        "names it: never guessed. Pages give it as sameAs in their linked data.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    unconfirmed = models.JSONField(
        default=dict,
        blank=True,
        help_text="Fields whose value is not confirmed, each with a short reason, e.g. "
        '{"adopted": "only the month is known"}. The page marks each such field.',
        validators=[unconfirmed_validator],
    )

    themes = TaggableManager(
        through="reference.ThemedItem",
        to="reference.Theme",
        blank=True,
        verbose_name="themes",
        help_text="",
        manager=ThemeManager,
    )
    citations = GenericRelation("reference.Citation", related_query_name="%(class)s")

    objects = EntryQuerySet.as_manager()
    # The URL name of the record's page, e.g. "agreements:detail"; its citation files and
    # change log are named after it (see page_url_names).
    url_name: str = ""
    # The partial date a list shows beside the record, and what to call it in a table.
    list_date_field: str = ""
    list_date_label: str = ""
    # The partial dates a record exists between, ("adopted", "ended") or ("founded", ""),
    # for views of a past day (``existing_on``); () for records with no date (a glossary
    # term), which such views leave out and say so.
    existence: tuple[str, str] | tuple[()] = ()
    # Every change, by whom and when; the derived columns are not worth storing twice.
    history = HistoricalRecords(
        inherit=True, excluded_fields=["search_vector", "title_vector", "description_html"]
    )

    class Meta:
        abstract = True
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse(self.url_name, self.url_args())

    def clean(self):
        super().clean()
        check_unconfirmed(self, ("title", *getattr(self, "public_fields", ())))

    def unconfirmed_reason(self, field: str) -> str:
        """Why ``field``'s value is not confirmed, or "" (see ``unconfirmed``)."""
        return (self.unconfirmed or {}).get(field, "")

    @property
    def list_date(self) -> str:
        return getattr(self, self.list_date_field) if self.list_date_field else ""

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
        return _type_label(type(self), get_language())

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


def count_each(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """The row count of each queryset, in one query: ``{name: count}``."""
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        sql, part_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params += part_params
    database = next(iter(querysets.values())).db
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def attach_themes(records: Iterable[models.Model]) -> list:
    """Load the themes of records of any types in one query, as ``prefetch_related("themes")``
    does for records of one type; ``record.themes.all()`` then runs no query."""
    records = list(records)
    if not records:
        return records
    themes = ThemesOf(records)
    return themes.read(themes.send())


class ThemesOf:
    """The query of some records' themes: ``send`` runs it (or, in a pipeline, only sends
    it: ``compiled.together``), ``read`` puts what it found on the records."""

    def __init__(self, records: list[models.Model]):
        self.records = records
        self.through = records[0]._meta.get_field("themes").remote_field.through
        content_types: dict[type, int] = {}
        self.keys = []
        for record in records:
            model = type(record)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(record).pk
            self.keys.append((content_types[model], record.pk))
        # The tags themselves are few and held per content version (pagecache.held), in
        # their order (Meta.ordering): the query reads the links alone, and each theme is a
        # copy per call (a page may set attributes on its records' themes; the held ones
        # stay as read).
        tag_model = self.through.tag_model()
        self.known = known = pagecache.held(
            f"tags:{tag_model._meta.label}",
            lambda: {t.pk: t for t in tag_model._default_manager.all()},
        )
        self.order = pagecache.held(
            f"tag order:{tag_model._meta.label}", lambda: {pk: n for n, pk in enumerate(known)}
        )

    def send(self):
        # The links of exactly these records: one statement whatever their types, which
        # Django's ORM would write as a condition per type (and build again per call).
        connection = connections[self.records[0]._state.db or "default"]
        table = connection.ops.quote_name(self.through._meta.db_table)
        cursor = connection.cursor()
        cursor.execute(
            f"SELECT link.content_type_id, link.object_id, link.tag_id FROM {table} AS link "
            "JOIN unnest(%s::integer[], %s::bigint[]) AS wanted(content_type, object) "
            "ON link.content_type_id = wanted.content_type AND link.object_id = wanted.object",
            [[key[0] for key in self.keys], [key[1] for key in self.keys]],
        )
        return cursor

    def read(self, cursor) -> list:
        with cursor:
            rows = sorted(cursor.fetchall(), key=lambda row: self.order[row[2]])
        themes, tags = defaultdict(list), {}
        for content_type, object_id, tag_id in rows:
            tag = tags.get(tag_id)
            if tag is None:
                tag = tags[tag_id] = copy.copy(self.known[tag_id])
            themes[content_type, object_id].append(tag)
        # Each record's themes as a list (what a card reads); ``record.themes.all()`` makes
        # them a queryset when first asked (ThemeManager): a page of cards never does.
        for record, key in zip(self.records, self.keys, strict=True):
            record.__dict__.setdefault("_prefetched_objects_cache", {})[READ_THEMES] = themes[key]
        return self.records


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


class ContentVersion(BaseModel):
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
