"""The pages of themes and countries, which gather records of every type.

The record types come from the registry, and each country page section from the
app that owns the relation (parties, members), so this layer imports no app above it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.exports import export, export_row, requested_format
from core.registry import registry
from reference.models import Country, Theme, ThemedItem


def themes_with_counts() -> list[Theme]:
    """Every theme with ``record_count``: the published records that carry it."""
    published = Q()
    for record_type in registry:
        model = record_type.model
        published |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.published().values("pk"),
        )
    counts = dict(ThemedItem.objects.filter(published).values_list("tag").annotate(n=Count("pk")))
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.record_count = counts.get(theme.pk, 0)
    return themes


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


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    sections = [
        (rt.label, rt.model.objects.published().with_theme(slug).with_card_data())
        for rt in registry
    ]
    fmt = requested_format(request)
    if fmt != "html":
        rows = [export_row(r) for _label, records in sections for r in records.for_export()]
        return export(request, rows, f"cyberdiplo-theme-{theme.slug}", fmt)
    sections = [(label, list(records)) for label, records in sections]
    return render(
        request,
        "reference/theme_detail.html",
        {"theme": theme, "sections": [s for s in sections if s[1]]},
    )


def country_list(request: HttpRequest) -> HttpResponse:
    counted = [s for s in registry.country_sections if s.count]
    countries = Country.objects.annotate(**{s.count_name: s.count() for s in counted})
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


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    sections = [(section, section.rows(country)) for section in registry.country_sections]
    return render(
        request, "reference/country_detail.html", {"country": country, "sections": sections}
    )
