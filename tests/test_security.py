"""Nothing an editor types can run in a visitor's browser; logins are rate-limited;
production settings pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Participation
from reference.models import Source

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '"><script>alert(1)</script>',
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


SITE_PICTURES = {"timeline-svg", "chart-svg", "worldmap-svg", "worldmap-swatch", "linkgraph-svg"}


class ActiveContent(HTMLParser):
    """Collects what a browser would execute: script elements, event handlers,
    javascript: URLs, embedded frames and SVG, inline styles."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.in_script = False
        self.data_block: list[str] | None = None  # the text of a JSON-LD block being read

    def handle_starttag(self, tag, attrs):
        # The site's own pictures are SVG, drawn in Python with these classes (a payload
        # cannot add a class without its markup running unescaped, which this catches).
        own_picture = tag == "svg" and (dict(attrs).get("class") or "") in SITE_PICTURES
        if tag in ("iframe", "svg", "math", "object", "embed", "style") and not own_picture:
            self.found.append(f"<{tag}>")
        if tag == "script":
            self.in_script = True
            if dict(attrs).get("type") == "application/ld+json":
                # A data block (core/jsonld.py): browsers never run it; it must hold
                # JSON and nothing else, or a payload closed it and opened markup.
                self.data_block = []
            elif not dict(attrs).get("src"):
                self.found.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}=javascript:")

    def handle_data(self, data):
        if self.data_block is not None:
            self.data_block.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
            if self.data_block is not None:
                try:
                    json.loads("".join(self.data_block))
                except ValueError:
                    self.found.append("a JSON-LD block that is not JSON")
                self.data_block = None


def assert_inert(html: str) -> None:
    parser = ActiveContent()
    parser.feed(html)
    assert not parser.found, parser.found


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_text_field_are_inert(graph, payload):
    agreement, norm, body = graph["agreement"], graph["norm"], graph["body"]
    for record, fields in [
        (agreement, ["title", "short_title", "summary", "description", "symbol"]),
        (norm, ["title", "summary", "description", "quotation", "reference"]),
        (body, ["title", "acronym", "summary", "description", "seat"]),
        (graph["framework"], ["title", "summary", "description", "symbol"]),
    ]:
        for field in fields:
            setattr(record, field, payload[: record._meta.get_field(field).max_length or None])
        record.save()
    Source.objects.update(title=payload, publisher=payload, symbol=payload[:100])
    Participation.objects.filter(agreement=agreement).update(note=payload)
    graph["theme"].description = payload
    graph["theme"].save()
    client = Client()
    pages = [
        agreement.get_absolute_url(),
        norm.get_absolute_url(),
        body.get_absolute_url(),
        graph["framework"].get_absolute_url(),
        graph["country"].get_absolute_url(),
        graph["theme"].get_absolute_url(),
        reverse("agreements:list"),
        reverse("norms:index"),
        reverse("bodies:list"),
        reverse("home"),
        reverse("search") + "?q=alert",
        agreement.get_absolute_url() + "changes/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


@pytest.mark.django_db
def test_admin_login_is_rate_limited(client, admin_user):
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": admin_user.username, "password": "wrong"})
    response = client.post(url, {"username": admin_user.username, "password": "password"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()


@pytest.mark.django_db
def test_production_settings_pass_the_deploy_checks():
    # Against the test database, which is migrated: the checks generate the API schema,
    # whose filter choices are read from the tables (a fresh clone's own database has none
    # until `make run`).
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "CYBERDIPLO_ENV": "production",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdef",
        "ALLOWED_HOSTS": "cyberdiplo.example.org",
        "DATABASE_URL": (
            f"postgresql://{db['USER']}@{quote(str(db['HOST']), safe='')}:{db['PORT']}/{db['NAME']}"
        ),
        "DJANGO_SETTINGS_MODULE": "cyberdiplo.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("html", [p for p in PAYLOADS if not p.startswith("[")])
def test_the_checker_itself_catches_each_payload_raw(html):
    parser = ActiveContent()
    parser.feed(html)
    assert parser.found
