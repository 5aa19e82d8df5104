from django.http import HttpRequest, HttpResponse

from core.pages import detail_record, filtered_list, render_entry
from positions.filters import PositionFilter
from positions.models import NationalPosition


def position_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        PositionFilter,
        NationalPosition.objects.published(),
        "positions/position_list.html",
        "cyberdiplo-positions",
    )


def position_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = detail_record(request, NationalPosition, slug=slug)
    return render_entry(request, "positions/position_detail.html", entry)
