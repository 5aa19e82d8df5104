"""The one list of record types, and what each app contributes to shared pages.

Each record app registers its types in ``AppConfig.ready()``; everything that
works across types (search, feeds, sitemap, theme and country pages, exports,
the API, the dashboard, roles, the content report) iterates this registry
instead of importing the apps. Adding a record type is one app and one
registration.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Column:
    """An export column that is not one of the model's own fields (a relation)."""

    name: str
    meaning: str
    value: Callable[[models.Model], Any]


@dataclass(frozen=True)
class RecordType:
    """A record type: an ``Entry`` subclass and how the site presents it.

    The model's ``public_fields`` (its own fields, in order) are the one
    declaration of its columns: exports, the API serializer, the import
    resource, the data files and the /data/ page all derive from them.
    ``columns`` add the relations an export shows.
    """

    model: type
    key: str  # its name in search filters, API routes and data files: "agreement"
    label: str  # plural heading: "Agreements"
    api_prefix: str  # /api/v1/<api_prefix>/
    columns: tuple[Column, ...] = ()
    serializer: type | None = None
    filterset: type | None = None
    # The URL name of its list page, if it has one of its own (frameworks list with their norms).
    list_url: str = ""
    # The URL arguments that name one record in the API (a norm: its framework and slug).
    api_lookup: tuple[str, ...] = ("slug",)
    # Counted and shown among "recently updated" on the home page.
    on_home: bool = True

    @property
    def public_fields(self) -> tuple[str, ...]:
        return tuple(getattr(self.model, "public_fields", ()))

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    def fields(self) -> list[models.Field]:
        return [self.model._meta.get_field(name) for name in self.public_fields]


@dataclass(frozen=True)
class CountrySection:
    """A section of every country page, contributed by the app that owns the relation."""

    label: str
    template: str  # renders ``rows`` for ``country``
    # country -> a queryset with what the template needs, filtered by the country's key
    # alone (its first rows are compiled once per section: core/compiled.py)
    rows: Callable[[models.Model], Any]
    empty: str = "Nothing is recorded yet."
    # Optional: a column of the country list, "name" and an aggregate counting it per country.
    count_name: str = ""
    count: Callable[[], Any] | None = None
    # Optional: the section on a past day (?as_of=) or for a period (?from=&to=):
    # (country, day or None, (start, end) or None) -> what ``dated_template`` renders.
    dated: Callable[[models.Model, Any, Any], Any] | None = None
    dated_template: str = ""


@dataclass(frozen=True)
class DetailSection:
    """A section of another record type's page, contributed by the app that owns the relation
    (norm pages list the incidents said to breach the norm), as ``CountrySection`` is for
    country pages. ``core.pages.render_entry`` shows it on each page of ``model``."""

    model: str  # the record type whose pages show it, as "app_label.ModelName": "norms.Norm"
    label: str  # its heading
    template: str  # renders ``rows`` (and ``more``) for ``entry``
    # record -> an ordered queryset, filtered by the record's key alone (it is compiled once
    # per section: core/compiled.py); empty: no section
    rows: Callable[[models.Model], Any]


@dataclass(frozen=True)
class TimelineLane:
    """A lane of the timeline (/timeline/, theme and country pages), contributed by the
    app that owns its records: ``events`` answers a ``core.timeline.TimelineQuery`` with
    ``core.timeline.Event``s, in a number of queries that does not grow with the data."""

    key: str  # its name in ?type= and in the data download: "agreement"
    label: str  # "Agreements and instruments"
    events: Callable[[Any], Any]
    kinds: tuple[tuple[str, str], ...] = ()  # the kind values of its records (?kind=)
    order: int = 50  # lanes top to bottom


@dataclass
class Registry:
    record_types: dict[type, RecordType] = field(default_factory=dict)
    country_sections: list[CountrySection] = field(default_factory=list)
    # Sections that one app adds to another type's record pages (see DetailSection).
    detail_sections: list[DetailSection] = field(default_factory=list)
    # Functions of a record that add to every detail page's context (the glossary's terms).
    detail_context: list[Callable[[models.Model], dict]] = field(default_factory=list)
    # Reference models the API serves, by model: their route key ("theme", "country").
    api_keys: dict[type, str] = field(default_factory=dict)
    # Lanes of the timeline (core/timeline.py), one per kind of dated record.
    timeline_lanes: list[TimelineLane] = field(default_factory=list)
    # The typed links between public records, for the link graph (core/linkgraph.py): each
    # function takes the records asked about ({registry key: {pk}}, or None for every
    # record) and a row limit, and returns the linkgraph.Edge list touching them, in a
    # fixed number of queries.
    link_edges: list[Callable[[dict[str, set[int]] | None, int], list]] = field(
        default_factory=list
    )

    def register(self, record_type: RecordType) -> RecordType:
        self.record_types[record_type.model] = record_type
        self.api_keys[record_type.model] = record_type.key
        return record_type

    def __iter__(self):
        return iter(self.record_types.values())

    def __len__(self) -> int:
        return len(self.record_types)

    def get(self, model_or_record) -> RecordType:
        model = model_or_record if isinstance(model_or_record, type) else type(model_or_record)
        return self.record_types[model]

    def by_key(self, key: str) -> RecordType:
        return next(rt for rt in self if rt.key == key)

    def sections_for(self, model) -> list[DetailSection]:
        """The sections other apps add to the pages of ``model``'s records."""
        return [s for s in self.detail_sections if s.model == model._meta.label]

    def models(self) -> list[type]:
        return list(self.record_types)

    def app_labels(self) -> list[str]:
        return list(dict.fromkeys(rt.app_label for rt in self))


registry = Registry()
