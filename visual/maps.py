"""/map/: how many instruments each state is party to, on a world map, filterable like
the agreements list (the same URL parameters, read by the same FilterSet)."""

from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from agreements.filters import AgreementFilter
from agreements.models import Agreement, Participation
from core import worldmap
from core.models import url_of
from core.pages import form_errors
from core.worldmap import NO_DATA, Category, MapFigure, Place
from reference.models import Country, Theme

# One calm sequential palette, light to dark; the steps double (1, 2-3, 4-7, ...) so that
# a filter's map reads on the same scale as the whole set's.
PALETTE = ("#c6dbef", "#8fbfe0", "#4f8fcf", "#2166a8", "#0b3d6e")
NONE = Category("none", "None", NO_DATA, dot=False)


def steps(largest: int) -> list[Category]:
    """The classes a count falls in, up to ``largest``: 1, 2-3, 4-7, 8-15, 16 or more."""
    classes = [NONE]
    low = 1
    for i, fill in enumerate(PALETTE):
        high = low * 2 - 1
        last = i == len(PALETTE) - 1
        label = f"{low} or more" if last else (str(low) if low == high else f"{low}–{high}")
        classes.append(Category(f"step-{i + 1}", label, fill))
        if last or high >= largest:
            break
        low *= 2
    return classes


def step_of(n: int) -> str:
    """The class key of a count: 0 -> none, 1 -> step-1, 2-3 -> step-2, 4-7 -> step-3..."""
    return "none" if n == 0 else f"step-{min(n.bit_length(), len(PALETTE))}"


def party_counts(agreements) -> dict[str, int]:
    """Instruments each country is party to, by code: one query, grouped on the parties
    (a country is party to an agreement once). A withdrawn party no longer counts."""
    return dict(
        Participation.objects.filter(
            agreement__in=agreements.order_by().values("pk"), country__isnull=False
        )
        .filter(withdrawn="")
        .values_list("country__code")
        .annotate(n=Count("*"))
    )


def instruments_map(agreements, subtitle: str) -> MapFigure:
    """Every state, with the number of ``agreements`` it is party to (two queries)."""
    counts = party_counts(agreements)
    classes = steps(max(counts.values(), default=1))
    places = [
        Place(
            code=code,
            name=name,
            url=url_of(Country(code=code)),
            category=step_of(counts.get(code, 0)),
            value=counts.get(code, 0),
        )
        for code, name in Country.objects.order_by("name").values_list("code", "name")
    ]
    return MapFigure(
        title=f"Instruments each state is party to{subtitle}",
        description="Agreements and instruments a state has signed, joined or endorsed and "
        "not withdrawn from; darker is more.",
        categories=classes,
        places=places,
        slug="instruments",
        value_label="instruments",
    )


def world(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", *worldmap.DOWNLOADS):
        raise BadRequest(f"format must be one of html, svg, csv, json, not “{fmt[:20]}”.")
    filterset = AgreementFilter(request.GET, queryset=Agreement.objects.published())
    themes = list(Theme.objects.order_by("name").values_list("slug", "name"))
    context = {
        "themes": themes,
        "kinds": Agreement.Kind.choices,
        "chosen_themes": request.GET.getlist("theme"),
        "chosen_kinds": request.GET.getlist("kind"),
    }
    if not filterset.is_valid():
        context["errors"] = form_errors(filterset.form)
        return render(request, "visual/map.html", context, status=400)
    agreements = filterset.qs
    theme_names, kind_names = dict(themes), dict(Agreement.Kind.choices)
    chosen = [theme_names[t] for t in filterset.form.cleaned_data.get("theme") or []]
    chosen += [kind_names[k] for k in filterset.form.cleaned_data.get("kind") or []]
    figure = instruments_map(agreements, f": {', '.join(chosen)}" if chosen else "")
    if fmt != "html":
        return worldmap.download(request, figure, fmt)
    query = {k: v for k, v in request.GET.lists() if k not in ("format", "page", "partial")}
    context.update(
        figure=figure,
        total=agreements.count(),
        list_url=f"{reverse('agreements:list')}?{urlencode(query, doseq=True)}".rstrip("?"),
        filtered=bool(chosen),
    )
    return render(request, "visual/map.html", context)
