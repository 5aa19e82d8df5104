"""The accession chart of a treaty page: its parties' dates, as core/charts.py draws them."""

import datetime

from django.http import HttpRequest, HttpResponse

from agreements.models import Agreement
from core import charts, citations


def accession_chart(entry: Agreement) -> charts.AccessionChart | None:
    """The chart of ``entry`` from its parties, already loaded with the page (no query);
    None for a bilateral or non-binding one, or one without at least two dated parties."""
    if entry.reach == Agreement.Reach.BILATERAL or not entry.legally_binding:
        return None
    return charts.accession_chart(
        f"Signatures and parties of the {entry}, by year",
        [(p.signed, p.consent, p.withdrawn) for p in entry.participations.all()],
        threshold=entry.parties_for_entry_into_force,
        adopted=entry.adopted,
        in_force=entry.entry_into_force,
    )


def download(request: HttpRequest, entry: Agreement, chart, fmt: str) -> HttpResponse:
    """``?accession=csv|json|svg|png`` on the agreement's page."""
    today = datetime.date.today()
    url = request.build_absolute_uri(entry.get_absolute_url()) + "#accession-heading"
    cite = citations.picture(chart.title, url, today)
    return charts.download(
        request,
        fmt,
        f"cyberdiplo-{entry.slug}-accession",
        rows=chart.rows(),
        columns=charts.COLUMNS,
        svg=charts.draw_accession(chart, standalone=True, cite=cite),
        cite=cite,
    )


def figure(request: HttpRequest, entry: Agreement, chart) -> dict | None:
    """What the page's figure shows: the SVG, the citation line."""
    if chart is None:
        return None
    url = request.build_absolute_uri(entry.get_absolute_url()) + "#accession-heading"
    return {
        "chart": chart,
        "svg": charts.draw_accession(chart),
        "citation": citations.picture(chart.title, url),
    }
