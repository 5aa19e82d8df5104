"""Tags for bodies' pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from core.models import url_of
from core.templatetags.core import partial_date

register = template.Library()


@register.simple_tag
def member_items(memberships) -> str:
    """Members as list items: the country linked, and since when where it is known.

    Built here rather than in a template: the EU's page lists 27, the OSCE's 57.
    """
    items = []
    for m in memberships:
        since = f' <span class="note">since {partial_date(m.since)}</span>' if m.since else ""
        country = m.country
        items.append(
            f'<li><a href="{escape(url_of(country))}">{escape(country.name)}</a>{since}</li>'
        )
    return mark_safe("".join(items))
