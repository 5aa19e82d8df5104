"""Template helpers available in every template (registered as builtins)."""

from django import template
from django.utils.html import format_html

from core.dates import format_partial_date

register = template.Library()


@register.filter
def partial_date(value: str) -> str:
    """Render an ISO partial date in a <time> element, readable and machine-readable."""
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', value, format_partial_date(value))


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


@register.inclusion_tag("includes/_card.html")
def card(record):
    """A record in a list: its type, title, key facts, summary and themes."""
    return {"record": record}


@register.inclusion_tag("includes/_themes.html")
def theme_tags(themes):
    """Themes as a list of links."""
    return {"themes": themes}


@register.inclusion_tag("includes/_link_groups.html")
def link_groups(groups):
    """Typed links of a record page, one heading per relation."""
    return {"groups": groups}
