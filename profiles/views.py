from django.http import HttpRequest, HttpResponse

from core.pages import detail_record, filtered_list, render_entry
from profiles.filters import ProfileFilter
from profiles.models import CountryProfile


def profile_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        ProfileFilter,
        CountryProfile.objects.published(),
        "profiles/profile_list.html",
        "cyberdiplo-profiles",
    )


def profile_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = detail_record(request, CountryProfile, slug=slug)
    return render_entry(request, "profiles/profile_detail.html", entry)
