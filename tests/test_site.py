"""Site-wide checks over the shipped content: migrations, links, headings."""

import re
from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command

from agreements.models import Agreement
from bodies.models import Body
from content.loader import load_content
from norms.models import Norm, NormFramework


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.fixture
def shipped_content(db):
    load_content(settings.CONTENT_DIR)


def crawl(client, start: str = "/") -> dict[str, str]:
    """Follow every internal link from ``start``; return each page's HTML by path."""
    pages: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages[path] = html
        for href in re.findall(r'href="([^"]+)"', html):
            url = urljoin(path, urldefrag(href)[0].replace("&amp;", "&"))
            parsed = urlparse(url)
            if parsed.netloc or parsed.scheme or not url or url.startswith(("/admin/", "/api/")):
                continue
            if url not in seen:
                seen.add(url)
                queue.append(url)
    return pages


@pytest.mark.django_db
def test_every_internal_link_answers_and_every_record_is_reachable(client, shipped_content):
    pages = crawl(client)
    for path, html in pages.items():
        assert html.count("<h1") == 1, f"{path} has {html.count('<h1')} <h1> elements"
    expected = [
        *(r.get_absolute_url() for r in NormFramework.objects.published()),
        *(r.get_absolute_url() for r in Norm.objects.published().select_related("framework")),
        *(r.get_absolute_url() for r in Body.objects.published()),
        *(r.get_absolute_url() for r in Agreement.objects.published()),
    ]
    assert expected, "the shipped content has published records"
    unreachable = sorted(set(expected) - set(pages))
    assert not unreachable, f"not reachable by links from the home page: {unreachable}"
