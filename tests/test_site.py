"""Site-wide checks over the shipped content: migrations, links, headings."""

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from agreements.models import Agreement
from bodies.models import Body
from norms.models import Norm, NormFramework


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
def test_every_internal_link_answers_and_every_record_is_reachable(client, shipped):
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
