from django import template

from editorial.dashboard import dashboard

register = template.Library()


@register.inclusion_tag("admin/_dashboard.html")
def editorial_dashboard():
    return {"panels": dashboard()}
