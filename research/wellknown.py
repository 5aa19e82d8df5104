"""Files that robots and security researchers look for at fixed addresses:
``/robots.txt`` and ``/.well-known/security.txt`` (RFC 9116)."""

import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

# RFC 9116 asks for an expiry under a year ahead; the file is written on each request.
SECURITY_TXT_LIFETIME = datetime.timedelta(days=364)


def _text(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may index every public page, not the admin or the API's interactive docs."""
    return _text(
        [
            "User-agent: *",
            f"Disallow: {reverse('admin:index')}",
            f"Disallow: {reverse('api:docs')}",
            f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        ]
    )


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """Whom to tell about a vulnerability (``SECURITY_CONTACT``); none published without one."""
    if not settings.SECURITY_CONTACT:
        raise Http404("No security contact is configured.")
    expires = (timezone.now() + SECURITY_TXT_LIFETIME).replace(microsecond=0)
    return _text(
        [
            f"Contact: {settings.SECURITY_CONTACT}",
            f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
            f"Canonical: {request.build_absolute_uri(request.path)}",
            "Preferred-Languages: en",
        ]
    )
