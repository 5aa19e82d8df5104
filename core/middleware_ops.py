"""Answers for when the database is away: a 503 with Retry-After, never a 500.

The broken connection is closed, so the next request opens a new one and the site
recovers by itself when the database comes back; ``CONN_HEALTH_CHECKS`` makes
Django check a kept connection before reusing it.
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def close_broken_connections() -> None:
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is unavailable for a moment. Please retry shortly."},
            status=503,
        )
    else:
        # No base template: it could query the database that is not there.
        response = HttpResponse(render_to_string("503.html", request=request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection during a view into a 503 instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # One line, no traceback, below ERROR: an outage would otherwise mail one per
        # request; /readyz is what tells the operator.
        logger.warning("Database unavailable (%s %s): %s", request.method, request.path, exception)
        close_broken_connections()
        return database_unavailable(request)
