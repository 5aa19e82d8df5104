"""The pages of themes and countries, which gather records of every type.

The record types come from the registry, and each country page section from the
app that owns the relation (parties, members), so this layer imports no app above it.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core import compiled, jsonld, pagecache
from core.dates import asked_dates, parse_day
from core.exports import export, export_row, requested_format
from core.models import attach_themes, count_each
from core.pages import cards_of_each, paginate
from core.registry import RecordType, registry
from core.timeline import TimelineQuery, compact_figure
from reference.models import Country, Theme, ThemedItem


def themes_with_counts() -> list[Theme]:
    """Every theme with ``record_count``: the published records that carry it (counted
    once per content version: the home page and the themes list show them)."""
    return pagecache.remembered("themes-with-counts", _themes_with_counts)


def _themes_with_counts() -> list[Theme]:
    published = Q()
    for record_type in registry:
        model = record_type.model
        published |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.published().values("pk"),
        )
    # Counted on the tag table alone, then the themes: one query joining the two takes
    # three times as long at 100k records.
    counts = dict(ThemedItem.objects.filter(published).values_list("tag").annotate(n=Count("*")))
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.record_count = counts.get(theme.pk, 0)
    return themes


def in_words(labels: list[str]) -> str:
    """["Glossary terms", "Learning paths"] -> "Glossary terms and learning paths"."""
    words = [labels[0], *(label[:1].lower() + label[1:] for label in labels[1:])] if labels else []
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def theme_list(request: HttpRequest) -> HttpResponse:
    themes = themes_with_counts()
    fmt = requested_format(request)
    if fmt != "html":
        rows = [
            {
                "slug": t.slug,
                "url": t.get_absolute_url(),
                "name": t.name,
                "description": t.description,
                "record_count": t.record_count,
            }
            for t in themes
        ]
        return export(request, rows, "cyberdiplo-themes", fmt)
    return render(request, "reference/theme_list.html", {"themes": themes})


# Cards per record type on a theme page; the rest are one link away (a theme gathers
# thousands of records at scale, and the page's weight must not grow with them).
THEME_SECTION_SIZE = 12


@dataclass
class ThemeSection:
    theme: Theme
    record_type: RecordType
    records: list
    total: int
    day: datetime.date | None = None  # a past day's page (?as_of=)

    @property
    def more(self) -> int:
        return self.total - len(self.records)

    @property
    def all_url(self) -> str:
        """The filtered list of this type with the theme (on the day), or this page for
        one type."""
        day = {"as_of": self.day.isoformat()} if self.day else {}
        filterset = self.record_type.filterset
        filters = set(filterset.base_filters) if filterset else set()
        if self.record_type.list_url and {"theme", *day} <= filters:
            query = {"theme": self.theme.slug, **day}
            return f"{reverse(self.record_type.list_url)}?{urlencode(query)}"
        query = {"type": self.record_type.key, **day}
        return f"{self.theme.get_absolute_url()}?{urlencode(query)}"


def theme_records(slug: str) -> dict:
    """Each type's published records with the theme, by type key."""
    return {rt.key: rt.model.objects.published().with_theme(slug) for rt in registry}


def first_cards(record_type: RecordType, slug: str) -> list:
    """The first cards of a type on a theme's page: a query compiled once per type (not
    prepared: a theme has thousands of records of a type or a handful)."""

    def first(slug: str):
        records = record_type.model.objects.published().with_theme(slug)
        return records.for_card()[:THEME_SECTION_SIZE]

    # The size is part of the SQL (its LIMIT), so of the shape's key.
    shape = "theme cards", record_type.key, THEME_SECTION_SIZE
    return compiled.rows(shape, first, slug, prepare=False)


def theme_cards(slug: str, totals: dict[str, int]) -> list:
    """The first cards of each type on a theme's page, chosen once per content version
    (``pagecache.chosen``: choosing sorts every record of the type with the theme,
    thousands at scale) and then read by their keys (``cards_of_each``)."""
    cards = pagecache.chosen(
        f"theme-cards:{slug}:{THEME_SECTION_SIZE}",
        lambda: {rt.key: first_cards(rt, slug) for rt in registry if totals[rt.key]},
        cards_of_each,
    )
    return [card for rt in registry for card in cards.get(rt.key, [])]


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = compiled.record("theme", Theme.objects.all, slug=slug)
    # On a past day (?as_of=): the records that existed then; the types without a date
    # (glossary terms...) are left out, and the page says so. A bad date is a 400.
    as_of = request.GET.get("as_of", "").strip()
    day = parse_day(as_of) if as_of else None
    fmt = requested_format(request)
    one_type = request.GET.get("type")
    # The page as most visitors ask for it reads compiled queries (theme_cards) and
    # remembered counts: it builds none of these querysets.
    records = theme_records(slug) if day or fmt != "html" or one_type is not None else {}
    undated = []
    if day:
        undated = [rt for rt in registry if not records[rt.key].dated]
        records = {key: qs.existing_on(day) for key, qs in records.items() if qs.dated}
    if fmt != "html":
        rows = [export_row(r) for queryset in records.values() for r in queryset.for_export()]
        return export(request, rows, f"cyberdiplo-theme-{theme.slug}", fmt)
    if one_type is not None:
        # Every record of one type with the theme, a page at a time.
        if one_type not in records:
            if day and one_type in {rt.key for rt in undated}:
                raise BadRequest(f"{registry.by_key(one_type).label} have no date: drop as_of.")
            raise BadRequest(f"There is no record type “{one_type[:30]}”.")
        record_type = registry.by_key(one_type)
        page = paginate(request, records[one_type].for_card())
        attach_themes(page.object_list)
        context = {"theme": theme, "record_type": record_type, "page": page, "day": day}
        return render(request, "reference/theme_type.html", context)
    if day:
        totals = count_each(records)  # one query; a page per day is not worth remembering
    else:
        # Counts over the whole content, kept under its version (they grow with the data).
        totals = pagecache.remembered(
            f"theme-counts:{theme.slug}", lambda: count_each(theme_records(slug))
        )
    if day:
        shown = [
            record
            for key, queryset in records.items()
            if totals[key]
            for record in queryset.for_card()[:THEME_SECTION_SIZE]
        ]
    else:
        shown = theme_cards(slug, totals)
    attach_themes(shown)
    sections = [
        ThemeSection(theme, rt, [r for r in shown if isinstance(r, rt.model)], totals[rt.key], day)
        for rt in registry
        if totals.get(rt.key)
    ]
    # The theme's records on a time axis (core/timeline.py): a query per timeline lane;
    # not on a past day, whose page shows what existed then.
    timeline = (
        None if day else compact_figure(request, TimelineQuery(themes=(theme.slug,)), theme.name)
    )
    return render(
        request,
        "reference/theme_detail.html",
        {
            "theme": theme,
            "sections": sections,
            "timeline": timeline,
            "day": day,
            "undated": in_words([rt.label for rt in undated]),
        },
    )


def country_list(request: HttpRequest) -> HttpResponse:
    counted = [s for s in registry.country_sections if s.count]
    # A GROUP BY query ignores Meta.ordering: the order is asked for (A to Z).
    countries = Country.objects.annotate(**{s.count_name: s.count() for s in counted}).order_by(
        "name"
    )
    fmt = requested_format(request)
    if fmt != "html":
        rows = [
            {
                "code": c.code,
                "url": c.get_absolute_url(),
                "name": c.name,
                "region": c.region,
                **{s.count_name: getattr(c, s.count_name) for s in counted},
            }
            for c in countries
        ]
        return export(request, rows, "cyberdiplo-countries", fmt)
    regions = {}
    for country in countries:
        regions.setdefault(country.get_region_display(), []).append(country)
    return render(
        request,
        "reference/country_list.html",
        {"regions": sorted(regions.items()), "counted": counted},
    )


# Rows per section of a country page (a country is party to thousands of agreements at
# scale); the rest are in the list filtered by the country, which the section links.
COUNTRY_SECTION_SIZE = 50


def first_rows(section, country: Country) -> compiled.Query:
    """The query of the first rows of a section of a country page, compiled once per
    section (not prepared: a country is party to thousands of agreements or to none)."""

    def first(pk: int):
        return section.rows(Country(pk=pk))[:COUNTRY_SECTION_SIZE]

    shape = "country section", section.label, COUNTRY_SECTION_SIZE  # the size is in the SQL
    return compiled.Query(shape, first, (country.pk,), prepare=False)


def country_sections(country: Country) -> dict[str, list]:
    """The first rows of each section of a country page, by label, chosen once per
    content version (``pagecache.chosen``: choosing sorts all of a country's rows, tens
    of thousands at scale) and then read by their keys, a query compiled once per
    section."""
    sections = {section.label: section for section in registry.country_sections}

    def by_key(label: str, pks: list[int]) -> compiled.Query:
        def rows(pk: int, pks: list[int]):
            return sections[label].rows(Country(pk=pk)).filter(pk__any=pks)

        return compiled.Query(("country section by key", label), rows, (country.pk, pks))

    def by_keys(wanted: dict[str, list[int]]) -> dict[str, list]:
        queries = [by_key(label, pks) for label, pks in wanted.items()]
        return dict(zip(wanted, compiled.together(queries), strict=True))

    def first() -> dict[str, list]:
        queries = [first_rows(section, country) for section in sections.values()]
        return dict(zip(sections, compiled.together(queries), strict=True))

    return pagecache.chosen(f"country-rows:{country.code}:{COUNTRY_SECTION_SIZE}", first, by_keys)


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = compiled.record("country", Country.objects.all, code=code.upper())
    # On a past day (?as_of=) or for a period (?from=&to=), the sections that can say so
    # show it; a bad date is a 400.
    day, period = asked_dates(request.GET)
    if day or period:
        return render(
            request,
            "reference/country_dated.html",
            {
                "country": country,
                "day": day,
                "period": period,
                "sections": [
                    (section, section.dated(country, day, period))
                    for section in registry.country_sections
                    if section.dated
                ],
            },
        )
    totals = pagecache.remembered(
        f"country-counts:{country.code}",
        lambda: count_each({s.label: s.rows(country) for s in registry.country_sections}),
    )
    rows = country_sections(country)
    sections = [
        (section, rows[section.label], totals[section.label])
        for section in registry.country_sections
    ]
    # What the country is party to or a member of, on a time axis: a query per lane.
    timeline = compact_figure(request, TimelineQuery(countries=(country.code,)), country.name)
    return render(
        request,
        "reference/country_detail.html",
        {
            "country": country,
            "sections": sections,
            "timeline": timeline,
            "linked_data": jsonld.script(
                {
                    "@context": jsonld.SCHEMA,
                    "@id": request.build_absolute_uri(country.get_absolute_url()),
                    **jsonld.country_data(country, request.build_absolute_uri),
                }
            ),
        },
    )
