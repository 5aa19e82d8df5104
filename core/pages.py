"""Pieces every app's views share: pagination, the detail page, the filtered list."""

import datetime

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from core import citations, compiled, jsonld, linkgraph
from core.exports import export_records, requested_format
from core.models import Entry, Status, ThemesOf, attach_themes
from core.registry import registry


def paginate(
    request: HttpRequest, queryset, per_page: int | None = None, paginator=None, count=None
):
    """One page of ``queryset`` (or of ``paginator``); a malformed page number is a 400,
    one past the end a 404. ``count``: the records in ``queryset``, when known."""
    number = page_number(request)
    paginator = paginator or Paginator(queryset, per_page or settings.PAGE_SIZE)
    if count is not None:
        paginator.count = count  # not counted again
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404(
            f"There is no page {number}: this list has {paginator.num_pages} page(s)."
        ) from None


def page_number(request: HttpRequest) -> int:
    """The page asked for (``?page=``, 1 when absent); a malformed number is a 400."""
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) < 1:
        raise BadRequest(f"The page number must be a whole number from 1 up, not “{raw[:20]}”.")
    return int(raw)


class GroupedPaginator(Paginator):
    """Pages that end only where a group ends: ``sizes`` is each group's key and number
    of rows, in order; a page takes whole groups until it holds ``per_page`` rows or
    more. A page's ``object_list`` is its groups' keys; ``count`` counts rows."""

    def __init__(self, sizes: list[tuple], per_page: int):
        pages, keys, rows = [], [], 0
        for key, size in sizes:
            keys.append(key)
            rows += size
            if rows >= per_page:
                pages.append(keys)
                keys, rows = [], 0
        if keys:
            pages.append(keys)
        super().__init__(pages, 1)
        self.rows = sum(size for _key, size in sizes)

    @property
    def count(self) -> int:
        return self.rows

    @property
    def num_pages(self) -> int:
        return max(1, len(self.object_list))

    def page(self, number):
        number = self.validate_number(number)
        keys = self.object_list[number - 1] if self.object_list else []
        return self._get_page(keys, number, self)


def page_of_cards(request: HttpRequest, records, count: int | None = None):
    """One page of ``records`` (ordered, ``count`` of them when known) as cards.

    The page's ids come first, in the list's order, then the cards of those ids only:
    what a card needs beyond the columns the list is filtered and sorted on (a party
    count, the themes) is then computed for one page, not for every matching record,
    however deep the page.
    """
    page = paginate(request, records.values_list("pk", flat=True), count=count)
    ids = list(page.object_list)
    cards = {card.pk: card for card in cards_of(records.model, ids)} if ids else {}
    page.object_list = attach_themes(cards[pk] for pk in ids)
    return page


def cards_of(model, ids: list[int]) -> list:
    """The records ``ids`` of ``model`` (a list chose them, and what the public may see)
    as cards (``for_card``), in any order: a query compiled once per type, the ids one
    array parameter."""
    return cards_query(model, ids).rows()


def cards_of_each(wanted: dict[str, list[int]]) -> dict[str, list]:
    """``cards_of`` for several record types (by key), their queries sent together."""
    queries = [cards_query(registry.by_key(key).model, ids) for key, ids in wanted.items()]
    return dict(zip(wanted, compiled.together(queries), strict=True))


def cards_query(model, ids: list[int]) -> compiled.Query:
    def cards(ids: list[int]):
        return model.objects.filter(pk__any=ids).for_card()

    return compiled.Query(("cards", model._meta.label), cards, (ids,))


def detail_record(request: HttpRequest, model, **lookup: str) -> Entry:
    """The record a detail page shows, with what its page prefetches
    (``model.objects.for_detail``), or 404: each of its queries compiled once per record
    type and kind of reader (core/compiled.py; staff also reach drafts)."""
    user = request.user
    staff = user.is_authenticated and user.is_staff

    def page_queries(entry: Entry) -> list:
        # Its themes and the sections other apps add to its page, with its relations:
        # the record, then one round trip for the rest (render_entry reads them).
        entry.page_sections = Sections(entry)
        return [ThemesOf([entry]), *entry.page_sections.queries]

    return compiled.record(
        (model._meta.label, "detail", staff),
        lambda: model.objects.for_detail(user),
        page_queries,
        **lookup,
    )


# Record page templates whose own blocks (facts, sections...) are translated (locale/).
TRANSLATED_RECORD_PAGES = {
    "glossary/glossary_detail.html",
    "norms/norm_detail.html",
    "norms/framework_detail.html",
}


def render_entry(request: HttpRequest, template: str, entry: Entry, **context) -> HttpResponse:
    """Render a record's detail page with what every detail page shows; ``entry`` is
    ``detail_record``'s."""
    # Its themes, and the sections other apps add to its page: read with its relations
    # (detail_record).
    contributed = entry.page_sections.found
    for extra in registry.detail_context:
        context.update(extra(entry))
    context.update(linkgraph.record_picture(entry))
    context.update(
        entry=entry,
        outgoing=entry.outgoing_links(),
        backlinks=entry.backlinks(),
        citations=entry.citations.all(),
        themes=entry.themes.all(),
        is_preview=entry.status in (Status.DRAFT, Status.REVIEW),
        is_archived=entry.status == Status.ARCHIVED,
        permalink=request.build_absolute_uri(entry.get_absolute_url()),
    )
    context["citation"] = citations.plain_text(entry, context["permalink"], datetime.date.today())
    context["linked_data"] = jsonld.script(
        jsonld.describe(entry, context["permalink"], request.build_absolute_uri)
    )
    if context.get("linkgraph"):
        context["linkgraph_citation"] = citations.picture(
            context["linkgraph"]["title"], context["permalink"]
        )
    context["contributed"] = contributed
    # The frame (entry_detail.html) is translated; a type's own blocks are English until
    # its template is, and are then marked so on a page in another language.
    context["parts_in_english"] = (
        get_language() != settings.LANGUAGE_CODE and template not in TRANSLATED_RECORD_PAGES
    )
    response = render(request, template, context)
    if context["is_preview"]:
        # A staff preview must never be cached or indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


# Rows per section that another app adds to a record page; a page says when there are more.
DETAIL_SECTION_SIZE = 50


class Sections:
    """The sections other apps add to a record's page: one query per section (its first
    rows and one more, to know if there are more), compiled once per section (a section's
    rows depend on the record's key alone), to be sent with others (``queries``,
    ``compiled.together``). Once read, ``found``: those with rows, as (section, rows,
    more)."""

    def __init__(self, entry: Entry):
        model = type(entry)
        self.wanted = registry.sections_for(model)

        def first_rows(section):
            def first(pk):
                return section.rows(model(pk=pk))[: DETAIL_SECTION_SIZE + 1]

            shape = "detail section", section, DETAIL_SECTION_SIZE
            return compiled.Kept(compiled.Query(shape, first, (entry.pk,)))

        self.queries = [first_rows(section) for section in self.wanted]

    @property
    def found(self) -> list[tuple]:
        return [
            (section, query.rows[:DETAIL_SECTION_SIZE], len(query.rows) > DETAIL_SECTION_SIZE)
            for section, query in zip(self.wanted, self.queries, strict=True)
            if query.rows
        ]


def filtered_list(
    request: HttpRequest,
    filterset_class,
    base,
    template: str,
    filename: str,
    page_of=page_of_cards,
    **extra,
):
    """A list page with facets, sorting, pagination and whole-set exports, all from the URL.

    ``page_of(request, records, count)`` gives the page shown (cards, or whole groups);
    ``count``, the number of records when the facets counted them (``None`` otherwise).

    ``?partial=listing`` renders only the template's ``listing`` partial, which the
    page's script swaps in place; without JavaScript the whole page reloads.
    """
    fmt = requested_format(request)
    filterset = filterset_class(request.GET, queryset=base)
    notices = []
    if not filterset.is_valid() and set(filterset.form.errors) == {"sort"}:
        # An order this list no longer offers (an old shared link) is no reason to fail:
        # the list is shown in its default order, and the page says so.
        data = request.GET.copy()
        notices.append(f"There is no order “{data.pop('sort')[0][:30]}”; the default is used.")
        filterset = filterset_class(data, queryset=base)
    if not filterset.is_valid():
        context = {"filterset": filterset, "facets": filterset.facets(), **extra}
        context["errors"] = form_errors(filterset.form)
        return render(request, template, context, status=400)
    records = filterset.qs
    # The primary key last: records alike in every sort key keep one order, so pages and
    # exports do not shift between query plans.
    ordering = [*filterset.ordering(), "pk"]
    if fmt != "html":
        return export_records(request, records.order_by(*ordering), filename, fmt)
    # Facet counts are for the page only: an export does not pay for them.
    facets = filterset.facets()
    context = {"filterset": filterset, "facets": facets, "notices": notices, **extra}
    context["chips"] = active_filters(request, filterset, facets)
    context["page"] = page_of(request, records.order_by(*ordering), filterset.matching)
    if request.GET.get("partial") == "listing":
        # Only the form and the results, from the frame every filterable list extends.
        template = "list_with_filters.html#listing"
    return render(request, template, context)


def active_filters(request: HttpRequest, filterset, facets) -> list[tuple[str, str]]:
    """Each filter the list is under, as (what it says, the URL without it): the chips
    a visitor removes one at a time."""
    chips = []

    def without(name: str, value: str) -> str:
        query = request.GET.copy()
        query.setlist(name, [v for v in query.getlist(name) if v != value])
        query.pop("page", None)
        query.pop("partial", None)
        return "?" + query.urlencode() if query else request.path

    form = filterset.form
    if "q" in form.fields and (words := request.GET.get("q", "").strip()):
        chips.append((f"{form.fields['q'].label}: “{words}”", without("q", request.GET["q"])))
    for facet in facets:
        for option in facet.options:
            if option.selected:
                chips.append((f"{facet.label}: {option.label}", without(facet.name, option.value)))
    for name, label in (("year_from", "From"), ("year_to", "To")):
        if name in form.fields and (value := request.GET.get(name, "").strip()):
            chips.append((f"{label} {value}", without(name, value)))
    return chips


def form_errors(form) -> list[str]:
    """Each error of a bound form as one readable line, prefixed by its field's label."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        lines += [f"{label}: {error}" if label else str(error) for error in errors]
    return lines
