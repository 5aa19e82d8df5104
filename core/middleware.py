"""Middleware every page needs: refuse input no view can use, and a few response headers."""

import inspect
import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render

from core.views import bad_request

NUL = "\x00"
# What Django decodes a byte sequence that is not UTF-8 into.
REPLACEMENT = "\ufffd"


def _holding(params: QueryDict, char: str) -> str | None:
    """The name of the first parameter whose name or value holds ``char``."""
    for name, values in params.lists():
        if char in name or any(char in value for value in values):
            return name
    return None


def _is_utf8(query_string: str) -> bool:
    # WSGI hands the raw bytes over as Latin-1; an ASGI server may have decoded them already.
    try:
        raw = query_string.encode("iso-8859-1")
    except UnicodeEncodeError:
        raw = query_string.encode()
    try:
        unquote_to_bytes(raw).decode()
    except UnicodeDecodeError:
        return False
    return True


def bad_input(request: HttpRequest) -> tuple[str, str] | None:
    """The parameter that cannot reach a view and why, or None if every one can.

    PostgreSQL refuses a NUL character in any text, so a NUL in a parameter
    would end as a 500 wherever a view queries with it. A query string that is
    not UTF-8 would reach the views with its bytes silently replaced.
    """
    if not _is_utf8(request.META.get("QUERY_STRING", "")):
        name = _holding(request.GET, REPLACEMENT)
        return (name if name is not None else "query"), "This value is not valid UTF-8."
    posted = request.POST if request.method == "POST" else QueryDict()
    for params in (request.GET, posted):
        name = _holding(params, NUL)
        if name is not None:
            return name, "This value holds a NUL character, which no field accepts."
    return None


class RejectBadInputMiddleware:
    """Answer 400 when a parameter cannot be used: the site's 400 page, or under /api/ the
    API's documented error body (the parameter's name and its messages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = bad_input(request)
        if refusal is None:
            return self.get_response(request)
        name, message = refusal
        name = name.replace(NUL, "\\x00")[:40]
        if request.path.startswith("/api/"):
            return JsonResponse({name: [message]}, status=400)
        return bad_request(request, f"“{name}”: {message}")


class AdminObjectIdMiddleware:
    """An admin URL whose record id cannot be one ("abc" where ids are numbers) answers 404.

    Django's change view copes with such an id, but its history view and
    django-simple-history's version view query with it as typed, which fails (a 500).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(inspect.unwrap(view_func), "__self__", None)
        if not isinstance(model_admin, ModelAdmin):
            return None
        model = model_admin.model
        # Django's admin names the id; django-simple-history passes (id, version) by position.
        if "object_id" in view_kwargs:
            ids = [(model._meta.pk, view_kwargs["object_id"])]
        else:
            ids = list(zip([model._meta.pk, _history_pk(model)], view_args, strict=False))
        for field, value in ids:
            if field is not None and not _is_value_of(field, unquote(value)):
                raise Http404(f"There is no {model._meta.verbose_name} with the id “{value[:20]}”.")
        return None


def _history_pk(model):
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model._meta.pk if attribute else None


def _is_value_of(field, value: str) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``) with every response.

    The site uses no camera, microphone, location, payment or other powerful
    feature; denying them all means an injected script or a framed page cannot
    ask for them either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class AdminSessionAgeMiddleware:
    """Staff sessions end ``settings.ADMIN_SESSION_AGE`` seconds after login.

    Visitors keep Django's session length; a staff login (an editor's account
    can change what the public reads) gets a fixed end. It is set when the
    session is saved anyway (a login always saves it), so it costs no query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.modified or "_session_expiry" in session:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_staff:
            session.set_expiry(timedelta(seconds=settings.ADMIN_SESSION_AGE))
        return response


class ReadOnlySiteMiddleware:
    """The public site only reads: a method other than GET, HEAD or OPTIONS outside the
    paths in ``WRITABLE_PATHS`` (the admin; the API, which answers for itself) is a 405
    naming the methods it takes, not a page rendered as if it had been a GET."""

    SAFE = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in self.SAFE or request.path.startswith(tuple(settings.WRITABLE_PATHS)):
            return self.get_response(request)
        message = f"This address is read only: it answers GET and HEAD, not {request.method[:20]}."
        response = render(request, "400.html", {"message": message}, status=405)
        response["Allow"] = ", ".join(self.SAFE)
        return response


class URLLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without its ``Vary: Accept-Language``: with
    ``i18n_patterns(prefix_default_language=False)`` a URL without a language prefix is
    English whatever the browser asks, so that header never changes the page, and saying
    it does would keep the page out of the page cache and split proxies' caches."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if vary := response.get("Vary"):
            kept = [h for h in re.split(r"\s*,\s*", vary) if h and h.lower() != "accept-language"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
