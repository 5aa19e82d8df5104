"""Whole-set exports of any list: ``format=csv`` or ``format=json`` on the page's own URL.

CSV opens cleanly in a spreadsheet: UTF-8 with a byte-order mark, ISO dates,
multi-valued fields joined with "; ". The columns derive from each record
type's declaration (``public_fields`` and the registry's ``columns``), and the
/data/ page documents them from the same source.
"""

import csv
import datetime
import gc
from collections.abc import Iterable, Iterator

from django.core.exceptions import BadRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse

from core.models import forget_relations
from core.registry import registry

FORMATS = ("html", "csv", "json")
# Records read, and rows written, per round: memory stays flat however large the set.
CHUNK = 200
COLLECT_EVERY = 5_000
# Columns every record has, with what they mean (the /data/ page shows these).
COMMON_COLUMNS = {
    "type": "the record type",
    "slug": "stable identifier, part of the URL",
    "url": "the record's permanent address on this site",
    "title": "full title",
    "summary": "one paragraph in our own words",
    "wikidata": "the same thing's Wikidata item (Q and its number), where a source names it",
    "themes": "theme names",
    "sources": "the URLs (or titles) of the sources cited",
    "updated": "when the record last changed (ISO date and time, UTC)",
    "unconfirmed": "values not confirmed, as field: reason",
}


def field_value(record, field: models.Field):
    """A model field as an export cell: a related record by its slug, if the public sees it."""
    if field.is_relation:
        related = getattr(record, field.name)
        return related.slug if related is not None and related.is_public else ""
    return getattr(record, field.attname)


def export_row(record) -> dict:
    """The record as one row of a CSV or JSON export."""
    record_type = registry.get(record)
    return {
        "type": record._meta.model_name,
        "slug": record.slug,
        "url": record.get_absolute_url(),
        "title": record.title,
        "summary": record.summary,
        "wikidata": record.wikidata,
        "themes": [t.name for t in record.themes.all()],
        "sources": [c.source.url or c.source.title for c in record.citations.all()],
        "updated": record.updated,
        "unconfirmed": [f"{field}: {why}" for field, why in (record.unconfirmed or {}).items()],
        **{f.name: field_value(record, f) for f in record_type.fields()},
        **{column.name: column.value(record) for column in record_type.columns},
    }


def export_columns(record_type) -> list[str]:
    """The keys of ``export_row`` for a record of ``record_type``, in order."""
    return [
        *COMMON_COLUMNS,
        *(f.name for f in record_type.fields()),
        *(column.name for column in record_type.columns),
    ]


def requested_format(request: HttpRequest) -> str:
    value = request.GET.get("format", "html")
    if value not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}, not “{value[:20]}”.")
    return value


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A value as CSV text; text that a spreadsheet would run as a formula gets a leading '."""
    text = _text(value)
    if isinstance(value, str | list | tuple) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    return str(value)


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def export(
    request: HttpRequest,
    rows: Iterable[dict],
    filename: str,
    fmt: str,
    columns: list[str] | None = None,
    count: int | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """Every row, as CSV or JSON, named ``filename`` with the right extension.

    A row's ``url`` is a site path, exported as an absolute URL. CSV streams; given
    ``columns`` (the rows' keys, in order) it starts before the last row is read,
    otherwise the rows are read first to gather the columns of mixed record types
    (a theme page), the common ones first. JSON streams too when ``count`` (the
    number of rows, which the answer states first) is known in advance.
    """
    if fmt == "json":
        if count is not None:
            response = StreamingHttpResponse(
                _json_chunks(request, count, rows), content_type="application/json"
            )
        else:
            rows = [_json_row(request, row) for row in rows]
            response = JsonResponse(
                {"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False}
            )
        response["Content-Disposition"] = f'inline; filename="{filename}.json"'
        return response
    if columns is None:
        rows = list(rows)
        columns = list(dict.fromkeys(key for row in rows for key in row))
    response = StreamingHttpResponse(
        _csv_lines(request, columns, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _json_row(request: HttpRequest, row: dict) -> dict:
    return {
        k: request.build_absolute_uri(v) if k == "url" else _json_value(v) for k, v in row.items()
    }


def _json_chunks(request: HttpRequest, count: int, rows: Iterable[dict]) -> Iterator[str]:
    """``{"count": n, "results": [...]}``, written ``CHUNK`` rows at a time."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    yield f'{{"count": {count}, "results": ['
    batch = []
    for n, row in enumerate(rows):
        batch.append(("," if n else "") + encoder.encode(_json_row(request, row)))
        if len(batch) == CHUNK:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "]}"


class _Line:
    """What csv.writer writes to: it hands each line back."""

    def write(self, line: str) -> str:
        return line


def export_records(
    request: HttpRequest, records: models.QuerySet, filename: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """Every record of ``records`` as CSV or JSON, read ``CHUNK`` records at a time:
    a download's memory does not grow with the set."""
    rows = _rows(records.for_export().iterator(chunk_size=CHUNK))
    columns = export_columns(registry.get(records.model))
    count = records.count() if fmt == "json" else None
    return export(request, rows, filename, fmt, columns, count)


def _rows(records: Iterable) -> Iterator[dict]:
    """Each record's row, the record then forgotten at once.

    A prefetched record and its related rows are a cycle (``forget_relations``), so a
    long export's memory would creep; a collection every ``COLLECT_EVERY`` records
    sweeps what other cycles remain.
    """
    for n, record in enumerate(records, 1):
        yield export_row(record)
        forget_relations(record)
        if n % COLLECT_EVERY == 0:
            gc.collect()


def _csv_lines(request: HttpRequest, columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    # The BOM tells spreadsheets the file is UTF-8; no columns, no rows: nothing else.
    yield "\ufeff"
    if not columns:
        return
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    batch = []
    for row in rows:
        if "url" in row:
            row["url"] = request.build_absolute_uri(row["url"])
        batch.append(writer.writerow([_cell(row.get(c)) for c in columns]))
        if len(batch) == CHUNK:
            yield "".join(batch)
            batch = []
    yield "".join(batch)
