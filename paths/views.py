from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.pages import detail_record, render_entry
from paths.models import LearningPath


def path_list(request: HttpRequest) -> HttpResponse:
    return render(request, "paths/path_list.html", {"paths": LearningPath.objects.for_list()})


def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = detail_record(request, LearningPath, slug=slug)
    return render_entry(request, "paths/path_detail.html", entry, steps=entry.public_steps)
