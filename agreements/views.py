from django.http import Http404, HttpRequest, HttpResponse

from agreements import accession, asof
from agreements.filters import AgreementFilter
from agreements.maps import party_map
from agreements.models import Agreement
from core import charts, worldmap
from core.dates import asked_dates
from core.pages import detail_record, filtered_list, render_entry


def agreement_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        AgreementFilter,
        Agreement.objects.published(),
        "agreements/agreement_list.html",
        "cyberdiplo-agreements",
    )


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = detail_record(request, Agreement, slug=slug)
    # The world map of its parties (no query: they are prefetched); ?map=svg|csv|json downloads it.
    world_map = worldmap.kept(f"parties:{entry.pk}", lambda: party_map(entry))
    if "map" in request.GET:
        if world_map is None:
            raise Http404("This record has no map to download.")
        return worldmap.download(request, world_map, request.GET["map"])
    # The accession chart (no query either); ?accession=csv|json|svg|png downloads it.
    chart = accession.accession_chart(entry)
    if "accession" in request.GET:
        if chart is None:
            raise Http404("This record has no accession chart to download.")
        fmt = charts.picture_format(request, "accession")
        return accession.download(request, entry, chart, fmt)
    parties = PartyTable(entry.participations.all())
    # The parties as they stood on a day: ?as_of=YYYY-MM-DD (a bad date is a 400).
    # The parties on a day (?as_of=YYYY-MM-DD) and what changed between two (?from=&to=);
    # a bad date, a missing one or a reversed period is a 400.
    day, period = asked_dates(request.GET)
    return render_entry(
        request,
        "agreements/agreement_detail.html",
        entry,
        world_map=world_map,
        period=period,
        accession=accession.figure(request, entry, chart),
        parties=parties,
        as_of=asof.on(entry, parties, day) if day else None,
        changes=asof.between(parties, *period) if period else None,
    )


# A longer party table is folded under its summary: the map and the counts say the most.
FOLD_PARTIES_OVER = 12


class PartyTable:
    """The parties of an agreement as its page shows them: counts by how far each has
    gone, the table's columns (a "withdrawn" or "as of" column only when it says
    something), and the notes on individual parties, apart from the rows."""

    def __init__(self, participations):
        self.rows = list(participations)
        self.in_force = sum(1 for p in self.rows if p.entry_into_force and not p.withdrawn)
        self.bound = sum(
            1 for p in self.rows if p.consent and not p.entry_into_force and not p.withdrawn
        )
        self.signed = sum(1 for p in self.rows if p.signed and not p.consent and not p.withdrawn)
        self.withdrawn = sum(1 for p in self.rows if p.withdrawn)
        self.other = len(self.rows) - self.in_force - self.bound - self.signed - self.withdrawn
        dates = {p.as_of for p in self.rows}
        # One date for every row: said once, above the table.
        self.as_of = dates.pop() if len(dates) == 1 else None
        self.show_withdrawn = bool(self.withdrawn)
        self.show_as_of = self.as_of is None
        self.notes = [p for p in self.rows if p.note]
        self.folded = len(self.rows) > FOLD_PARTIES_OVER

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)
