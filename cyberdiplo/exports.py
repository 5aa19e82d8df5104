"""Whole-set exports of any list: ``format=csv`` or ``format=json`` on the page's own URL.

CSV opens cleanly in a spreadsheet: UTF-8 with a byte-order mark, ISO dates,
multi-valued fields joined with "; ". The columns are documented in
docs/exports.md.
"""

import csv
import datetime
from collections.abc import Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse

FORMATS = ("html", "csv", "json")


def requested_format(request: HttpRequest) -> str:
    value = request.GET.get("format", "html")
    if value not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}, not “{value[:20]}”.")
    return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def export(request: HttpRequest, rows: Iterable[dict], filename: str, fmt: str) -> HttpResponse:
    """Every row, as CSV or JSON, named ``filename`` with the right extension.

    A row's ``url`` may be a site path; it is exported as an absolute URL.
    """
    rows = [
        {k: request.build_absolute_uri(v) if k == "url" else _json_value(v) for k, v in row.items()}
        for row in rows
    ]
    if fmt == "json":
        response = JsonResponse(
            {"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Disposition"] = f'inline; filename="{filename}.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # the BOM tells spreadsheets the file is UTF-8
    if rows:
        # Mixed record types (a theme page) share the common columns first.
        fieldnames = list(dict.fromkeys(key for row in rows for key in row))
        writer = csv.DictWriter(response, fieldnames=fieldnames, restval="")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return response
