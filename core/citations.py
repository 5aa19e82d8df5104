"""Citing a record: a plain-text citation with the access date, and downloads in
BibTeX, RIS and CSL-JSON. The permalink is the record's slug URL, which never changes."""

import datetime
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation

from core.models import get_reachable

AUTHOR = "Cyberdiplo contributors"
SITE = "Cyberdiplo"
FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def record_kind(entry) -> str:
    """ "Agreement", in English whatever the page's language: a citation is the same text
    from every page (its title and the site are English too)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(entry.type_label)


def _parts(day: datetime.date) -> list[int]:
    return [day.year, day.month, day.day]


def plain_text(entry, permalink: str, accessed: datetime.date) -> str:
    updated = entry.updated.date()
    return (
        f'{AUTHOR}. "{entry.title}." {record_kind(entry)} record, {SITE}. '
        f"Last updated {updated.isoformat()}. {permalink} (accessed {accessed.isoformat()})."
    )


def picture(title: str, url: str, accessed: datetime.date | None = None) -> str:
    """A picture's or a download's citation line: authors, title, site, URL, date accessed."""
    accessed = accessed or datetime.date.today()
    return f'{AUTHOR}. "{title}." {SITE}. {url} (accessed {accessed.isoformat()}).'


def picture_here(request, title: str) -> str:
    """The citation line of a picture or download at the address asked for."""
    return picture(title, request.build_absolute_uri())


def bibtex(entry, permalink: str, accessed: datetime.date) -> str:
    def braced(text: str) -> str:
        # BibTeX specials are escaped; the title keeps its capitals in double braces.
        for char in "\\{}":
            text = text.replace(char, "")
        for char in "&%$#_":
            text = text.replace(char, "\\" + char)
        return text

    updated = entry.updated.date()
    key = f"cyberdiplo-{entry._meta.model_name}-{entry.slug}"
    return (
        f"@misc{{{key},\n"
        f"  title = {{{{{braced(entry.title)}}}}},\n"
        f"  author = {{{{{AUTHOR}}}}},\n"
        f"  howpublished = {{{SITE}}},\n"
        f"  year = {{{updated.year}}},\n"
        f"  url = {{{permalink}}},\n"
        f"  urldate = {{{accessed.isoformat()}}},\n"
        f"  note = {{{record_kind(entry)} record, last updated {updated.isoformat()}}}\n"
        "}\n"
    )


def ris(entry, permalink: str, accessed: datetime.date) -> str:
    updated = entry.updated.date()
    lines = [
        ("TY", "ELEC"),
        ("TI", entry.title),
        ("AU", AUTHOR),
        ("PY", str(updated.year)),
        ("DA", updated.strftime("%Y/%m/%d")),
        ("DB", SITE),
        ("UR", permalink),
        ("Y2", accessed.strftime("%Y/%m/%d")),
        ("AB", entry.summary),
        ("ER", ""),
    ]
    return "\r\n".join(f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}"
                       for tag, value in lines) + "\r\n"  # fmt: skip


def csl_json(entry, permalink: str, accessed: datetime.date) -> str:
    item = {
        "id": f"cyberdiplo-{entry._meta.model_name}-{entry.slug}",
        "type": "webpage",
        "title": entry.title,
        "author": [{"literal": AUTHOR}],
        "container-title": SITE,
        "genre": f"{record_kind(entry)} record",
        "abstract": entry.summary,
        "URL": permalink,
        "issued": {"date-parts": [_parts(entry.updated.date())]},
        "accessed": {"date-parts": [_parts(accessed)]},
    }
    return json.dumps([item], ensure_ascii=False, indent=2)


WRITERS = {"bib": bibtex, "ris": ris, "json": csl_json}


def cite(request: HttpRequest, fmt: str, model, **lookup) -> HttpResponse:
    """A published record's citation file: ``cite.bib``, ``cite.ris`` or ``cite.json``."""
    if fmt not in WRITERS:
        raise Http404(f"Citations come as cite.bib, cite.ris or cite.json, not cite.{fmt[:10]}.")
    entry = get_reachable(model, **lookup)
    permalink = request.build_absolute_uri(entry.get_absolute_url())
    body = WRITERS[fmt](entry, permalink, datetime.date.today())
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="cyberdiplo-{entry._meta.model_name}-{entry.slug}.{extension}"'
    )
    return response
