import string
import unicodedata

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.exports import export, export_row, requested_format
from core.pages import detail_record, render_entry
from glossary.models import GlossaryTerm


def glossary(request: HttpRequest) -> HttpResponse:
    terms = GlossaryTerm.objects.published().order_by("title")
    fmt = requested_format(request)
    if fmt != "html":
        rows = [export_row(t) for t in terms.for_export()]
        return export(request, rows, "cyberdiplo-glossary", fmt)
    # Filed and sorted by the term as the page's language writes it (English without a
    # translation): "Diligence raisonnable" under D on the French page.
    groups: dict[str, list] = {}
    named = [(term.translated("title") or term.title, term) for term in terms.with_card_data()]
    for name, term in sorted(named, key=lambda pair: sort_key(pair[0])):
        groups.setdefault(initial(name), []).append(term)
    order = ["#", *string.ascii_uppercase]
    sections = [(letter, anchor(letter), groups[letter]) for letter in order if letter in groups]
    letters = [(letter, anchor(letter) if letter in groups else "") for letter in order]
    if "#" not in groups:
        letters = letters[1:]
    return render(request, "glossary/glossary.html", {"groups": sections, "letters": letters})


def anchor(letter: str) -> str:
    return "letter-" + ("other" if letter == "#" else letter)


def sort_key(title: str) -> str:
    """Accents aside, as a reader looks a term up: "État" between "Espionage" and "Ethics"."""
    return unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().casefold()


def initial(title: str) -> str:
    """The letter a term is filed under: "État" under E; a digit or sign under "#"."""
    letter = sort_key(title[:1]).upper()
    return letter if letter in string.ascii_uppercase else "#"


def glossary_detail(request: HttpRequest, slug: str) -> HttpResponse:
    term = detail_record(request, GlossaryTerm, slug=slug)
    return render_entry(request, "glossary/glossary_detail.html", term)
