"""Site-wide pages: home, themes, countries, glossary, and the error pages.

These gather records across apps, which is why they may import them."""

from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from agreements.models import Agreement, Participation
from bodies.models import Body, Membership
from cyberdiplo.models import Country, GlossaryTerm, Theme, ThemedItem
from cyberdiplo.pages import render_entry
from norms.models import Norm, NormFramework

RECORD_TYPES = (NormFramework, Norm, Body, Agreement, GlossaryTerm)


def home(request: HttpRequest) -> HttpResponse:
    recent = sorted(
        chain.from_iterable(
            model.objects.with_card_data().recently_updated(6)
            for model in (NormFramework, Norm, Body, Agreement)
        ),
        key=lambda entry: entry.updated,
        reverse=True,
    )[:8]
    counts = {
        "frameworks": NormFramework.objects.published().count(),
        "norms": Norm.objects.published().count(),
        "bodies": Body.objects.published().count(),
        "agreements": Agreement.objects.published().count(),
        "countries": Country.objects.count(),
    }
    return render(
        request,
        "cyberdiplo/home.html",
        {"counts": counts, "themes": themes_with_counts(), "recent": recent},
    )


def themes_with_counts() -> list[Theme]:
    """Every theme with ``record_count``: the published records that carry it."""
    published = Q()
    for model in RECORD_TYPES:
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
    return render(request, "cyberdiplo/theme_list.html", {"themes": themes_with_counts()})


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    sections = [
        ("Norm frameworks", NormFramework.objects.published().with_theme(slug).with_card_data()),
        ("Norms", Norm.objects.published().with_theme(slug).with_card_data()),
        ("Agreements", Agreement.objects.published().with_theme(slug).with_card_data()),
        ("Bodies", Body.objects.published().with_theme(slug).with_card_data()),
        ("Glossary", GlossaryTerm.objects.published().with_theme(slug).with_card_data()),
    ]
    sections = [(label, list(records)) for label, records in sections]
    return render(
        request,
        "cyberdiplo/theme_detail.html",
        {"theme": theme, "sections": [s for s in sections if s[1]]},
    )


def country_list(request: HttpRequest) -> HttpResponse:
    countries = Country.objects.annotate(
        agreement_count=Count(
            "participations", filter=Q(participations__agreement__status="published")
        )
    )
    regions = {}
    for country in countries:
        regions.setdefault(country.get_region_display(), []).append(country)
    return render(request, "cyberdiplo/country_list.html", {"regions": sorted(regions.items())})


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(
        Country.objects.prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(agreement__status="published")
                .select_related("agreement")
                .order_by("agreement__title"),
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(body__status="published")
                .select_related("body")
                .order_by("body__title"),
            ),
        ),
        code=code.upper(),
    )
    return render(request, "cyberdiplo/country_detail.html", {"country": country})


def glossary(request: HttpRequest) -> HttpResponse:
    terms = GlossaryTerm.objects.published().with_card_data().order_by("title")
    return render(request, "cyberdiplo/glossary.html", {"terms": terms})


def glossary_detail(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(
        GlossaryTerm.objects.visible_to(request.user).prefetch_related(
            "themes", "citations__source"
        ),
        slug=slug,
    )
    return render_entry(request, "cyberdiplo/glossary_detail.html", term)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "400.html", {"message": str(exception or "")}, status=400)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    message = ""
    if exception and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)
