"""Site-wide checks over the shipped content: links, headings, reachability."""

import re
from collections import deque
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlparse

import pytest

from agreements.models import Agreement
from bodies.models import Body
from norms.models import Norm, NormFramework

# Files made from a page's own record or listing: the citation files and change log beside
# a record, the exports of a listing (``format=``), a record's pictures as files, and the
# link graph around a record (``/graph/...?focus=<the record's page>``: its data, picture
# and larger page).
DERIVED_SUFFIXES = ("cite.bib", "cite.ris", "cite.json", "changes/")
# A record page's pictures as files: ``?map=svg``, ``?chart=csv``, ``?accession=png``...
DOWNLOADS = {"map", "chart", "accession"}


def derived_from(url: str) -> tuple[str, str] | None:
    """For a file derived from a page: (the page's URL, the kind of file); None for a page."""
    parsed = urlparse(url)
    for suffix in DERIVED_SUFFIXES:
        if parsed.path.endswith("/" + suffix):
            return parsed.path.removesuffix(suffix), suffix
    query = parse_qsl(parsed.query, keep_blank_values=True)
    if parsed.path.startswith("/graph/") and [key for key, _ in query] == ["focus"]:
        return query[0][1], parsed.path
    if len(query) == 1 and query[0][0] in DOWNLOADS:
        return parsed.path, "=".join(query[0])
    formats = [value for key, value in query if key == "format"]
    if formats:
        rest = urlencode([(key, value) for key, value in query if key != "format"])
        return parsed.path + (f"?{rest}" if rest else ""), f"format={formats[0]}"
    return None


def kind_of(page: str, derived: str) -> tuple[str, str]:
    """Derived files of one kind come from one view: the record type's (or the listing's)
    first path segment and the file's kind, e.g. ("norms", "cite.ris")."""
    return urlparse(page).path.split("/")[1], derived


def choices(url: str) -> set[tuple[str, str, str]]:
    """What a link's query string chooses on its page: (path, name, value) for each
    parameter, e.g. ("/agreements/", "theme", "cybercrime")."""
    parsed = urlparse(url)
    return {(parsed.path, *pair) for pair in parse_qsl(parsed.query, keep_blank_values=True)}


def crawl(client, start: str = "/") -> tuple[dict[str, str], dict[str, str]]:
    """Follow every internal link from ``start``; return each page's HTML by path, and the
    derived files left unfetched, each with the page it derives from.

    Every English page is fetched, and the first French and Spanish page of each section.
    Of a page's variants by query string (a list sorted, filtered, shown as a table, paged
    on), those that make a choice not yet made on that page are fetched: every value of
    every parameter of every list answers, not every combination of them (the filter tests
    take the values in pairs).
    Of the files derived from pages (citation files, change logs, exports, a record's
    pictures as files, the link graph around a record: more than half of the links, all
    made by a few views from the page's own record or listing), the first of each kind is
    fetched and the others are checked to belong to a page that answered.
    """
    pages: dict[str, str] = {}
    unfetched: dict[str, str] = {}
    fetched_kinds: set[tuple[str, str]] = set()
    made: set[tuple[str, str, str]] = set()
    queue = deque([start])
    seen = {start}
    while queue:
        path = queue.popleft()
        # The French and Spanish pages are the same views as the English ones: the first
        # of each section in each language is fetched (and its links followed).
        if language := re.match(r"/(fr|es)(/[^/?]*)", path):
            kind = (language.group(1), language.group(2))
            if kind in fetched_kinds:
                continue
            fetched_kinds.add(kind)
        derived = derived_from(path)
        if derived:
            kind = kind_of(*derived)
            if kind in fetched_kinds:
                unfetched[path] = derived[0]
                continue
            fetched_kinds.add(kind)
        if (chosen := choices(path)) and chosen <= made:
            continue
        made |= chosen
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
    return pages, unfetched


@pytest.mark.long  # about a minute: the crawl fetches some 1,900 pages
@pytest.mark.django_db
def test_every_internal_link_answers_and_every_record_is_reachable(client, shipped):
    pages, unfetched = crawl(client)
    for path, html in pages.items():
        assert html.count("<h1") == 1, f"{path} has {html.count('<h1')} <h1> elements"
    # A page left unfetched because its choices were made on others answered in them.
    made = set().union(*map(choices, pages))
    orphans = sorted(
        path
        for path, page in unfetched.items()
        if page not in pages and not (choices(page) and choices(page) <= made)
    )
    assert not orphans, f"files derived from a page that does not answer: {orphans}"
    expected = [
        *(r.get_absolute_url() for r in NormFramework.objects.published()),
        *(r.get_absolute_url() for r in Norm.objects.published().select_related("framework")),
        *(r.get_absolute_url() for r in Body.objects.published()),
        *(r.get_absolute_url() for r in Agreement.objects.published()),
    ]
    assert expected, "the shipped content has published records"
    unreachable = sorted(set(expected) - set(pages))
    assert not unreachable, f"not reachable by links from the home page: {unreachable}"
