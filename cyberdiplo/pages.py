"""Pieces every app's views share: pagination and the detail-page context."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cyberdiplo.models import Entry, GlossaryTerm, Status, terms_used_in


def paginate(request: HttpRequest, queryset, per_page: int | None = None):
    """One page of ``queryset``; a malformed page number is a 400, one past the end a 404."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        raise BadRequest(f"The page number must be a whole number from 1 up, not “{raw[:20]}”.")
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    try:
        return paginator.page(int(raw))
    except EmptyPage:
        raise Http404(
            f"There is no page {raw}: this list has {paginator.num_pages} page(s)."
        ) from None


def render_entry(request: HttpRequest, template: str, entry: Entry, **context) -> HttpResponse:
    """Render a record's detail page with what every detail page shows."""
    terms = GlossaryTerm.objects.published().only("title", "slug", "aliases")
    text = f"{entry.summary}\n{entry.description}"
    context.update(
        entry=entry,
        outgoing=entry.outgoing_links(),
        backlinks=entry.backlinks(),
        citations=entry.citations.all(),
        themes=entry.themes.all(),
        glossary_terms=[t for t in terms_used_in(text, terms) if t.pk != entry.pk],
        is_preview=entry.status in (Status.DRAFT, Status.REVIEW),
        is_archived=entry.status == Status.ARCHIVED,
    )
    response = render(request, template, context)
    if context["is_preview"]:
        # A staff preview must never be cached or indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response
