from django.http import Http404, HttpRequest, HttpResponse

from bodies import asof
from bodies.filters import BodyFilter
from bodies.maps import member_map
from bodies.models import Body
from core import worldmap
from core.dates import asked_dates
from core.pages import detail_record, filtered_list, render_entry


def body_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request, BodyFilter, Body.objects.published(), "bodies/body_list.html", "cyberdiplo-bodies"
    )


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = detail_record(request, Body, slug=slug)
    # The world map of its members (no query: they are prefetched); ?map=svg|csv|json downloads it.
    world_map = worldmap.kept(f"members:{entry.pk}", lambda: member_map(entry))
    if "map" in request.GET:
        if world_map is None:
            raise Http404("This record has no map to download.")
        return worldmap.download(request, world_map, request.GET["map"])
    # Its members on a day (?as_of=) and who joined between two (?from=&to=): a bad date is
    # a 400. No query more: the memberships are prefetched.
    day, period = asked_dates(request.GET)
    memberships = entry.memberships.all()
    return render_entry(
        request,
        "bodies/body_detail.html",
        entry,
        world_map=world_map,
        period=period,
        members_on=asof.on(memberships, day) if day else None,
        joined=asof.joined_between(memberships, *period) if period else None,
    )
