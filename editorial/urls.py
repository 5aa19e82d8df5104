"""The three pages every record has: its page, its citation files and its change log."""

from django.urls import path

from core.citations import cite
from core.models import page_url_names
from editorial.changelog import changelog


def record_pages(model, route: str, view) -> list:
    """URL patterns for ``model``'s page at ``route``, ``route``cite.<fmt> and ``route``changes/,
    named as ``model.url_name`` says (``agreements:detail`` -> ``cite``, ``changes``)."""
    names = {kind: name.split(":")[1] for kind, name in page_url_names(model).items()}
    return [
        path(route, view, name=names["detail"]),
        path(f"{route}cite.<str:fmt>", cite, {"model": model}, name=names["cite"]),
        path(f"{route}changes/", changelog, {"model": model}, name=names["changes"]),
    ]
