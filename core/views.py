"""The error pages: HTML for the site, JSON for the API."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception or "")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or "Bad request."}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    message = ""
    if exception and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    if request.path.startswith("/api/"):
        # The API speaks JSON even for URLs that match no route.
        return JsonResponse({"detail": message or "Not found."}, status=404)
    return render(request, "404.html", {"message": message}, status=404)
