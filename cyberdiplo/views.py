"""Site-wide pages: home, themes, countries, glossary, and the error pages.

These gather records across apps, which is why they may import them."""

from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import strip_tags

from agreements.models import Agreement, Participation
from bodies.models import Body, Membership
from cyberdiplo.exports import export, requested_format
from cyberdiplo.models import Country, GlossaryTerm, Theme, ThemedItem
from cyberdiplo.pages import paginate, render_entry
from cyberdiplo.search import MAX_QUERY_LENGTH, TYPES, search
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
    return render(request, "cyberdiplo/theme_list.html", {"themes": themes})


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    sections = [
        ("Norm frameworks", NormFramework.objects.published().with_theme(slug).with_card_data()),
        ("Norms", Norm.objects.published().with_theme(slug).with_card_data()),
        ("Agreements", Agreement.objects.published().with_theme(slug).with_card_data()),
        ("Bodies", Body.objects.published().with_theme(slug).with_card_data()),
        ("Glossary", GlossaryTerm.objects.published().with_theme(slug).with_card_data()),
    ]
    fmt = requested_format(request)
    if fmt != "html":
        rows = [r.export_row() for _label, records in sections for r in records.for_export()]
        return export(request, rows, f"cyberdiplo-theme-{theme.slug}", fmt)
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
    fmt = requested_format(request)
    if fmt != "html":
        rows = [
            {
                "code": c.code,
                "url": c.get_absolute_url(),
                "name": c.name,
                "region": c.region,
                "agreement_count": c.agreement_count,
            }
            for c in countries
        ]
        return export(request, rows, "cyberdiplo-countries", fmt)
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
    terms = GlossaryTerm.objects.published().order_by("title")
    fmt = requested_format(request)
    if fmt != "html":
        return export(
            request, [t.export_row() for t in terms.for_export()], "cyberdiplo-glossary", fmt
        )
    return render(request, "cyberdiplo/glossary.html", {"terms": terms.with_card_data()})


def glossary_detail(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(
        GlossaryTerm.objects.visible_to(request.user).prefetch_related(
            "themes", "citations__source"
        ),
        slug=slug,
    )
    return render_entry(request, "cyberdiplo/glossary_detail.html", term)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception or "")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or "Bad request."}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    message = ""
    if exception and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    if request.path.startswith("/api/"):
        # The API speaks JSON even for URLs that match no route.
        return JsonResponse({"detail": message or "Not found."}, status=404)
    return render(request, "404.html", {"message": message}, status=404)


def search_page(request: HttpRequest) -> HttpResponse:
    fmt = requested_format(request)
    query = request.GET.get("q", "").strip()
    types = request.GET.getlist("type")
    theme = request.GET.get("theme", "")
    problems = []
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(
            f"The search is {len(query)} characters long; please use at most {MAX_QUERY_LENGTH}."
        )
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        problems.append(f"Unknown record type “{unknown[0][:30]}”: choose from the list.")
    themes = list(Theme.objects.values_list("slug", "name"))
    if theme and theme not in dict(themes):
        problems.append(f"There is no theme “{theme[:50]}”.")
    context = {
        "query": query[:MAX_QUERY_LENGTH],
        "types": [(key, label, key in types) for key, (_m, label, _f) in TYPES.items()],
        "themes": themes,
        "theme": theme,
        "problems": problems,
    }
    if problems:
        return render(request, "cyberdiplo/search.html", context, status=400)
    results = search(query, types, theme or None) if query else None
    if results is not None and fmt != "html":
        rows = [
            {
                "type": hit.type,
                "title": str(hit.record),
                "url": hit.record.get_absolute_url(),
                "score": round(hit.score, 4),
                "snippet": strip_tags(hit.snippet),
            }
            for hit in results.hits
        ]
        return export(request, rows, "cyberdiplo-search", fmt)
    if results is not None:
        context.update(results=results, page=paginate(request, results.hits))
    return render(request, "cyberdiplo/search.html", context)
