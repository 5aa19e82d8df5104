"""Tags for the sections the incidents app adds to other records' pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from core.models import url_of
from core.templatetags.core import partial_date

register = template.Library()


@register.simple_tag
def response_items(rows) -> str:
    """Rows that each hold a public ``response``, as list items: the response linked, its
    kind and date, and the row's note if it has one.

    Built here rather than in a template: a body's page lists fifty, and a template looks
    up a note that a row without one does not have by listing all its attributes.
    """
    items = []
    for row in rows:
        response = row.response
        note = getattr(row, "note", "")
        items.append(
            f'<li><a href="{escape(url_of(response))}">{escape(response.title)}</a>'
            f' <span class="note">— {escape(str(response.get_kind_display()))},'
            f" {partial_date(response.date)}{f': {escape(note)}' if note else ''}</span></li>"
        )
    return mark_safe("".join(items))
