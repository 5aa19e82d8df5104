"""Pages that gather every record type: home, search, and the /data/ column reference."""

from collections import defaultdict

from django.conf import settings
from django.db.models import CharField, Value
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import strip_tags

from core import pagecache
from core.dates import PartialDateField
from core.exports import COMMON_COLUMNS, export, requested_format
from core.models import attach_themes, count_each
from core.pages import cards_of_each, paginate
from core.registry import registry
from reference.models import Country, Theme
from reference.views import themes_with_counts
from research import releases as release_store
from research.search import MAX_QUERY_LENGTH, search, search_types

# Cards under "Recently updated" on the home page, at most PER_TYPE of one type.
RECENT, PER_TYPE = 8, 6


def recently_updated() -> list[tuple[str, int]]:
    """The (type, pk) of the ``RECENT`` published records of the home page's types
    updated last (``PER_TYPE`` at most of a type), most recent first: one query."""
    parts = [
        rt.model.objects.published()
        .order_by("-updated", "-pk")
        .values_list(Value(rt.key, output_field=CharField()), "pk", "updated")[:PER_TYPE]
        for rt in registry
        if rt.on_home
    ]
    first, *rest = parts
    rows = first.union(*rest, all=True).order_by("-updated", "pk")[:RECENT]
    return [(key, pk) for key, pk, _updated in rows]


def home(request: HttpRequest) -> HttpResponse:
    on_home = [rt for rt in registry if rt.on_home]
    # Which records, kept under the content version (found among every record); then the
    # cards of those alone, one query per type among them.
    shown = pagecache.remembered("home-recent", recently_updated)
    wanted = defaultdict(list)
    for key, pk in shown:
        wanted[key].append(pk)
    cards = {
        (key, record.pk): record
        for key, records in cards_of_each(wanted).items()
        for record in records
    }
    recent = [cards[key, pk] for key, pk in shown if (key, pk) in cards]
    # The themes of the eight cards shown, in one query for every type.
    attach_themes(recent)
    # Counts over the whole content, kept under its version (they grow with the data).
    counts = pagecache.remembered(
        "home-counts",
        lambda: count_each(
            {rt.key: rt.model.objects.published() for rt in on_home}
            | {"country": Country.objects.all()}
        ),
    )
    return render(
        request,
        "research/home.html",
        {"counts": counts, "themes": themes_with_counts(), "recent": recent},
    )


def search_page(request: HttpRequest) -> HttpResponse:
    fmt = requested_format(request)
    query = request.GET.get("q", "").strip()
    types = request.GET.getlist("type")
    theme = request.GET.get("theme", "")
    labels = search_types()
    problems = []
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(
            f"The search is {len(query)} characters long; please use at most {MAX_QUERY_LENGTH}."
        )
    unknown = [t for t in types if t not in labels]
    if unknown:
        problems.append(f"Unknown record type “{unknown[0][:30]}”: choose from the list.")
    themes = list(Theme.objects.values_list("slug", "name"))
    if theme and theme not in dict(themes):
        problems.append(f"There is no theme “{theme[:50]}”.")
    context = {
        "query": query[:MAX_QUERY_LENGTH],
        "types": [(key, label, key in types) for key, label in labels.items()],
        "themes": themes,
        "theme": theme,
        "problems": problems,
    }
    if problems:
        return render(request, "research/search.html", context, status=400)
    results = search(query, types, theme or None) if query else None
    if results is not None and fmt != "html":
        rows = [
            {
                "type": hit.type,
                "title": str(hit.record),
                "url": hit.record.get_absolute_url(),
                "score": round(hit.score, 4),
                "matched": hit.why,
                "snippet": strip_tags(hit.snippet),
            }
            for hit in results.hits
        ]
        return export(request, rows, "cyberdiplo-search", fmt)
    if results is not None:
        context.update(results=results, page=paginate(request, results.hits))
    return render(request, "research/search.html", context)


def about(request: HttpRequest) -> HttpResponse:
    """Method, editorial policy, corrections and citing: what a reader needs to trust a record."""
    contact = settings.CORRECTIONS_CONTACT
    label = contact.split(":", 1)[1] if contact.startswith(("mailto:", "tel:")) else contact
    return render(
        request,
        "research/about.html",
        {"corrections_contact": contact, "corrections_contact_label": label},
    )


def columns(request: HttpRequest) -> HttpResponse:
    """What every export column means, from each record type's declaration."""
    types = [
        {
            "name": rt.model._meta.model_name,
            "label": rt.model._meta.verbose_name_plural.capitalize(),
            "columns": [(f.name, column_meaning(f)) for f in rt.fields()]
            + [(c.name, c.meaning) for c in rt.columns],
        }
        for rt in registry
    ]
    return render(request, "research/exports.html", {"common": COMMON_COLUMNS, "types": types})


def column_meaning(field) -> str:
    """A model field's meaning for a reader of exports, from its name and help text."""
    name = str(field.verbose_name)
    hint = str(field.help_text).rstrip(".")
    if field.is_relation:
        text = f"{name}: the slug of the {field.related_model._meta.verbose_name}"
    elif isinstance(field, PartialDateField):
        what = name if hint.startswith("ISO date") else hint
        text = f"{what}, an ISO date at the precision known"
    elif hint.startswith("e.g.") or (hint and field.choices):
        text = f"{name}, {hint}"
    else:
        text = hint or name
    if field.choices:
        text += f" (one of {', '.join(str(value) for value, _label in field.choices)})"
    return text if text[:2].isupper() else text[0].lower() + text[1:]  # keep "ISO", "URL"


def releases(request: HttpRequest) -> HttpResponse:
    """Every dataset release, newest first (research/releases.py)."""
    labels = {rt.key: str(rt.model._meta.verbose_name_plural) for rt in registry}
    listed = release_store.listed()
    for manifest in listed:
        # "130 agreements": a type's plural label, or its key for a type since removed.
        manifest["counted"] = [(n, labels.get(key, key)) for key, n in manifest["counts"].items()]
    return render(request, "research/releases.html", {"releases": listed})


def release(request: HttpRequest, version: str) -> HttpResponse:
    manifest = release_store.find(version)
    if manifest is None:
        raise Http404("No release has this version.")
    return render(request, "research/release.html", {"release": manifest})


RELEASE_TYPES = {
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}


def release_file(request: HttpRequest, version: str, name: str) -> FileResponse:
    path = release_store.file_path(version, name)
    if path is None or not path.is_file():
        raise Http404("This release has no such file.")
    response = FileResponse(
        path.open("rb"), content_type=RELEASE_TYPES.get(path.suffix, "text/plain; charset=utf-8")
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
