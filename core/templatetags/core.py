"""Template helpers available in every template (registered as builtins)."""

import functools
from html import escape

from django import template
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.template import defaulttags
from django.template.defaulttags import URLNode
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext, override

from core import autolink, pagecache
from core.dates import format_partial_date
from core.models import READ_THEMES, cached_reverse, url_of
from core.text import render_markdown

register = template.Library()


@functools.lru_cache(maxsize=20_000)
def _time_in(value: str, language: str | None) -> str:
    # html.escape rather than format_html, and remembered (month names are translated
    # on each use): a party table shows hundreds of dates.
    return f'<time datetime="{escape(value)}">{escape(format_partial_date(value))}</time>'


def _time(value: str) -> str:
    return _time_in(value, get_language())


@functools.lru_cache(maxsize=1_000)
def _choice_label(model, field: str, value: str, language: str | None) -> str:
    return escape(str(dict(model._meta.get_field(field).flatchoices).get(value, value)))


@register.filter
def partial_date(value: str) -> str:
    """Render an ISO partial date in a <time> element, readable and machine-readable."""
    return mark_safe(_time(value)) if value else ""


@register.filter
def day(value) -> str:
    """A date (or the date of a datetime) in the site's one style, in a <time> element:
    ``1 November 2026``, machine-readable as ``2026-11-01``."""
    if not value:
        return ""
    if hasattr(value, "date"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return mark_safe(_time(value.isoformat()))


@register.filter
def tr(record, field: str) -> str:
    """``record``'s ``field`` in the page's language, or its English text: ``{{ entry|tr:
    "summary" }}``; ``tr_lang`` marks the element that then holds English."""
    return record.translated(field) or getattr(record, field, "")


@register.filter
def tr_lang(record, field: str) -> str:
    """`` lang="en"`` for the element holding ``field`` when a page in another language
    shows it in English for want of a translation (WCAG 3.1.2, language of parts)."""
    if (
        get_language() != settings.LANGUAGE_CODE
        and getattr(record, field, "")
        and not record.translated(field)
    ):
        return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')
    return ""


@register.filter(name="text_lang")
def _text_lang(record, field: str) -> str:
    """`` lang="fr"`` or `` lang="en"``: the language of the text ``tr`` shows, on a page
    in another language than English; cards and theme tags appear on translated and
    untranslated pages alike, so they always say which."""
    return mark_safe(_shown_lang(record, field, get_language()))


def _in_language(name: str, args: tuple, language: str) -> str | None:
    """The URL ``name`` takes with these arguments in ``language``; None if it has none."""
    with override(language):
        try:
            return cached_reverse(name, args)
        except NoReverseMatch:
            return None


@register.simple_tag(takes_context=True)
def languages(context) -> list[dict]:
    """This page in each of the site's languages: code, name, URL (absolute, for
    ``hreflang``), and whether it is the page's own. Pages outside the languages' URLs
    (the admin, the API) have none."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or not is_language_prefix_patterns_used(get_urlconf())[0]:
        return []
    if not match.url_name:
        return []  # no name to reverse in another language
    path = request.get_full_path()
    query = path[path.index("?") :] if "?" in path else ""  # the path part is quoted
    current = get_language()
    # The page's own URL name and arguments, reversed in each language: translate_url
    # without resolving the path again.
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    args = tuple(match.kwargs.values()) if match.kwargs else tuple(match.args)
    pages = []
    for code, label in settings.LANGUAGES:
        url = _in_language(name, args, code)
        url = path if url is None else url + query
        if url == path and code != current:
            return []  # a page that exists in one language only
        pages.append(
            {
                "code": code,
                "name": label,
                "url": url,
                "absolute": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return pages


@register.simple_tag(takes_context=True)
def chrome(context, template_name: str) -> SafeString:
    """A part of every page's frame that depends on nothing but the language and the
    section the page is in (its navigation marks it current): rendered once per worker
    for each, then the same text again. The header and footer took 0.45 ms of every page,
    twenty-two URLs and thirty translations. The template gets ``section`` (the URL's
    namespace, or for the timeline and the map their names) and ``LANGUAGE_CODE``, and
    nothing of the request, the visitor or the content."""
    match = getattr(context.get("request"), "resolver_match", None)
    section = ""
    if match is not None:
        section = match.namespace
        if section == "visual":
            section = f"visual:{match.url_name}"
    # While developing, an edit to the template shows at once.
    render = _chrome.__wrapped__ if settings.DEBUG else _chrome
    where = (get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)  # its URLs'
    return render(template_name, get_language(), section, *where)


@functools.lru_cache(maxsize=1024)
def _chrome(template_name: str, language: str, section: str, *where) -> SafeString:
    context = {"section": section, "LANGUAGE_CODE": language}
    return mark_safe(get_template(template_name).render(context).strip())


class CachedURLNode(URLNode):
    """``{% url %}`` with positional arguments, reversed as ``cached_reverse`` does: a page
    reverses its navigation's and its links' URLs (thirty on the home page), and Django's
    ``reverse`` walks the URL patterns each time. Keyword arguments: Django's own."""

    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        url = ""
        try:
            url = cached_reverse(self.view_name.resolve(context), args)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's ``{% url %}`` (this library is a builtin, so it takes its place)."""
    node = defaulttags.url(parser, token)
    node.__class__ = CachedURLNode
    return node


@register.filter
def href(obj) -> str:
    """The URL of a record, theme or country page: ``{{ record|href }}`` (remembered)."""
    return url_of(obj)


def _marker(reason: str) -> str:
    if not reason:  # most values: a party table asks four times a row
        return ""
    # The reason is the data's English: on a page in another language, marked as such.
    lang = "" if get_language() == settings.LANGUAGE_CODE else f' lang="{settings.LANGUAGE_CODE}"'
    return (
        f' <span class="unconfirmed"{lang}><span class="unconfirmed-label">Not confirmed</span>:'
        f" {escape(reason)}</span>"
    )


@register.simple_tag
def unconfirmed(record, field: str) -> str:
    """The one marker of a value not confirmed: ``{% unconfirmed entry "adopted" %}`` after
    the value shows "Not confirmed: <the reason>" when the record's ``unconfirmed`` names
    the field (the data, not prose, says what is unconfirmed)."""
    return mark_safe(_marker(record.unconfirmed_reason(field)))


@register.simple_tag
def participation_cells(p, withdrawn: bool = True, as_of: bool = True) -> str:
    """A party's dates as table cells: signed, consent, in force, and the withdrawal and
    "as of" date where the table has those columns.

    Built here rather than in a template: a treaty's table has a row per party.
    """
    language = get_language()
    kind = _choice_label(type(p), "consent_kind", p.consent_kind, language)
    consent = f"{kind}, {_time_in(p.consent, language)}" if p.consent else ""
    marks = p.unconfirmed or {}
    cells = [
        (_time_in(p.signed, language) if p.signed else "") + _marker(marks.get("signed", "")),
        consent + _marker(marks.get("consent", "")),
        (_time_in(p.entry_into_force, language) if p.entry_into_force else "")
        + _marker(marks.get("entry_into_force", "")),
    ]
    if withdrawn:
        cells.append(
            (_time_in(p.withdrawn, language) if p.withdrawn else "")
            + _marker(marks.get("withdrawn", ""))
        )
    if as_of:
        cells.append(_time_in(p.as_of.isoformat(), language))
    return mark_safe("\n".join(f"<td>{cell}</td>" for cell in cells))


@register.simple_tag
def party_rows(participations, withdrawn: bool = True, as_of: bool = True) -> str:
    """A treaty's party table body: each party linked, then its dates
    (``participation_cells``). Built here: a treaty has up to two hundred parties."""
    return mark_safe(
        "\n".join(
            f'<tr><th scope="row"><a href="{escape(url_of(p.party))}">{escape(str(p.party))}'
            f"</a></th>{participation_cells(p, withdrawn, as_of)}</tr>"
            for p in participations
        )
    )


@register.simple_tag
def party_notes(participations) -> str:
    """The notes on a treaty's parties, as a description list's terms and descriptions:
    each party, then its note (built here, as the party table is)."""
    return mark_safe(
        "".join(
            f"<dt>{conditional_escape(p.party)}</dt><dd>{conditional_escape(p.note)}</dd>"
            for p in participations
        )
    )


@register.simple_tag
def chart_rows(counts, *columns: str) -> str:
    """A chart's table, a row per year: the year as the row's header, then ``columns``
    of each count (built here: a treaty's chart has a row per year since its adoption)."""

    def cell(value) -> str:  # as a template shows it
        return conditional_escape(localize(value))

    return mark_safe(
        "".join(
            f'<tr><th scope="row">{cell(c.year)}</th>'
            + "".join(f"<td>{cell(getattr(c, name))}</td>" for name in columns)
            + "</tr>"
            for c in counts
        )
    )


# The facets' values and labels, escaped once: every list page shows the same hundreds.
_escaped = functools.lru_cache(maxsize=20_000)(escape)


@register.simple_tag
def facet_options(facet) -> str:
    """A facet's options: its checkboxes (``<li>``s), each with its count; an option
    without records is disabled unless chosen.

    Built here rather than in a template: a list page shows a couple of hundred.
    """
    name = escape(facet.name)
    rows = []
    for i, option in enumerate(facet.options):
        value, label = _escaped(str(option.value)), _escaped(str(option.label))
        chosen = " checked" if option.selected else ""
        off = not option.count and not option.selected
        disabled = " disabled" if off else ""
        rows.append(
            f'<li><label{' class="disabled"' if off else ""}><input type="checkbox"'
            f' id="id_{name}_{i}" name="{name}" value="{value}"{chosen}{disabled}>'
            f' {label} <span class="count">({option.count})</span></label></li>'
        )
    return mark_safe("\n".join(rows))


def _option(value, label, selected: set[str]) -> str:
    value = str(value)
    chosen = " selected" if value in selected else ""
    return f'<option value="{_escaped(value)}"{chosen}>{_escaped(str(label))}</option>'


@register.simple_tag
def options(choices, selected=()) -> str:
    """A menu's ``<option>``s: ``choices`` are (value, label) pairs, or (group, pairs) for
    an ``<optgroup>`` of them; those whose value is ``selected`` (a value, or a list of
    them) are selected.

    Built here rather than in a template: a menu of countries has some two hundred, and
    four of them took a template 10 ms.
    """
    selected = {selected} if isinstance(selected, str) else {str(v) for v in selected or ()}
    html = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            html.append(f'<optgroup label="{_escaped(str(value))}">')
            html.extend(_option(v, text, selected) for v, text in label)
            html.append("</optgroup>")
        else:
            html.append(_option(value, label, selected))
    return mark_safe("".join(html))


@register.simple_tag(takes_context=True)
def page_url(context, page_number: int) -> str:
    """The current URL with another page number, keeping every other parameter."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def export_url(context, fmt: str) -> str:
    """The current URL as a whole-set export: same filters, no page."""
    query = context["request"].GET.copy()
    for key in ("page", "partial"):
        query.pop(key, None)
    query["format"] = fmt
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def view_url(context, view: str) -> str:
    """The current URL shown as ``view`` ("cards" or "table"), from its first page."""
    query = context["request"].GET.copy()
    for key in ("page", "partial", "view"):
        query.pop(key, None)
    if view != "cards":
        query["view"] = view
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, label: str, *orders: str) -> str:
    """A table column's heading: a link that sorts the list by the column (the first of
    ``orders``, or the next one when the list is sorted by it already), saying how it
    is sorted now. Only orders the list offers; none, the plain label."""
    form = context["filterset"].form
    choices = dict(form.fields["sort"].choices) if "sort" in form.fields else {}
    orders = tuple(order for order in orders if order in choices)
    if not orders:
        return escape(label)
    current = context["request"].GET.get("sort", "")
    at = orders.index(current) + 1 if current in orders else 0
    query = context["request"].GET.copy()
    for key in ("page", "partial"):
        query.pop(key, None)
    query["sort"] = orders[at % len(orders)]
    state = f" ({str(choices[current]).lower()})" if current in orders else ""
    link = f'<a href="?{escape(query.urlencode())}">{escape(label)}</a>{escape(state)}'
    return mark_safe(link)


@register.simple_tag
def described(entry) -> str:
    """A record's description (sanitized when saved), the other records it names linked;
    in the page's language where it has a translation (sanitized here). Kept under the
    content version: finding the names in a long text costs a millisecond or more."""

    def link() -> str:
        translated = entry.translated("description")
        html = render_markdown(translated) if translated else entry.description_html
        return autolink.link(html, url_of(entry))

    return mark_safe(pagecache.remembered(f"described:{entry._meta.label_lower}:{entry.pk}", link))


@register.filter
def table_columns(record) -> dict[str, bool]:
    """Which of a card's facts the records of this type have, as table columns."""
    columns = {name: hasattr(record, name) for name in ("kind", "party_count", "legal_status")}
    return {**columns, "list_date": bool(getattr(record, "list_date_field", ""))}


def _shown_lang(record, field: str, language: str) -> str:
    """``_text_lang`` for a page in ``language`` (read once per card, not per field)."""
    if language == settings.LANGUAGE_CODE:
        return ""
    return f' lang="{language if record.translated(field, language) else settings.LANGUAGE_CODE}"'


def _theme_list(themes, language: str) -> str:
    where = (language, get_script_prefix(), get_urlconf())
    items = "".join(
        _theme_item(t.slug, t.name, t.translated("name", language), *where) for t in themes
    )
    return f'<ul class="tags">{items}</ul>'


@functools.lru_cache(maxsize=4096)
def _theme_item(slug, name, translated, language, prefix, urlconf) -> str:
    """A theme's link in a card, made once for what it shows (its slug and names) and
    where (the language, the URL prefix): a list page shows a hundred."""
    lang = ""
    if language != settings.LANGUAGE_CODE:  # as _shown_lang says it
        lang = f' lang="{language if translated else settings.LANGUAGE_CODE}"'
    url = escape(cached_reverse("themes:detail", [slug]))
    return f'<li><a href="{url}"{lang}>{escape(translated or name)}</a></li>'


def _themes_of(record):
    """A card's themes: those ``attach_themes`` or a prefetch read, without the manager
    taggit makes on each access (a list page asks for a hundred records' themes)."""
    prefetched = record.__dict__.get("_prefetched_objects_cache", {})
    if READ_THEMES in prefetched:
        return prefetched[READ_THEMES]
    return prefetched["themes"] if "themes" in prefetched else record.themes.all()


@register.simple_tag
def card(record) -> str:
    """A record in a list: its type, title, key facts, summary and themes.

    Built here rather than in a template: a list or theme page shows a hundred.
    """
    language = get_language()
    # On a page in another language, what has no translation yet is marked as English.
    english = language != settings.LANGUAGE_CODE
    model = type(record)
    meta = [escape(record.type_label)]
    if kind := getattr(record, "kind", ""):
        meta.append(_english(_choice_label(model, "kind", kind, language), english))
    if record.list_date:
        meta.append(_time_in(record.list_date, language))
    if legal_status := getattr(record, "legal_status", ""):
        label = _choice_label(model, "legal_status", legal_status, language)
        meta.append(_english(label, english))
    if parties := getattr(record, "party_count", 0):
        meta.append(ngettext("%(n)d party", "%(n)d parties", parties) % {"n": parties})
    themes = _themes_of(record)
    title = record.translated("title", language) or str(record)
    summary = record.translated("summary", language) or record.summary
    url = escape(record.get_absolute_url())
    return mark_safe(
        '<article class="card">'
        f'<h3><a href="{url}"{_shown_lang(record, "title", language)}>{escape(title)}</a></h3>'
        f'<p class="card-meta">{" · ".join(meta)}</p>'
        f"<p{_shown_lang(record, 'summary', language)}>"
        f"{escape(_words(summary, 45))}</p>"
        f"{_theme_list(themes, language) if themes else ''}</article>"
    )


def _words(text: str, length: int) -> str:
    """``text``'s first ``length`` words and " …" if there are more, as Django's
    ``Truncator(text).words(length, truncate=" …")`` gives them."""
    words = text.split()
    shown = " ".join(words[:length])
    return f"{shown} …" if len(words) > length and not shown.endswith(" …") else shown


def _english(html: str, mark: bool) -> str:
    return f'<span lang="{settings.LANGUAGE_CODE}">{html}</span>' if mark else html


@register.simple_tag
def source_items(citations) -> str:
    """Citations as list items: the source's title (linked), symbol, publisher, date and
    the pinpoint. Built here: a treaty's page cites seventy."""
    items = []
    for citation in citations:
        source = citation.source
        title = escape(source.title)
        cite = (
            f'<a href="{escape(source.url)}" rel="noopener noreferrer">{title}</a>'
            if source.url
            else title
        )
        symbol = f', <span class="symbol">{escape(source.symbol)}</span>' if source.symbol else ""
        date = f", {_time(source.date)}" if source.date else ""
        pinpoint = f" {escape(citation.pinpoint)}." if citation.pinpoint else ""
        items.append(
            f"<li><cite>{cite}</cite>{symbol}. {escape(source.publisher)}{date}.{pinpoint}</li>"
        )
    return mark_safe("\n".join(items))


@register.simple_tag
def theme_tags(themes) -> str:
    """Themes as a list of links."""
    return mark_safe(_theme_list(themes, get_language()))


@register.simple_tag
def link_groups(groups) -> str:
    """Typed links of a record page, one heading per relation.

    Built here rather than in a template: every record page shows them, a treaty's a
    hundred.
    """
    html = []
    for group in groups:
        items = "".join(
            f'\n  <li><a href="{conditional_escape(url_of(record))}">{conditional_escape(record)}'
            f"</a>{_note(note)}</li>\n  "
            for record, note in group.links
        )
        html.append(
            f"\n<h3>{conditional_escape(group.label)}</h3>\n"
            f'<ul class="link-list">\n  {items}\n</ul>\n'
        )
    return mark_safe("".join(html) + "\n")


def _note(note) -> str:
    return f' <span class="note">— {conditional_escape(note)}</span>' if note else ""
