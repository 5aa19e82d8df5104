"""Markdown from editors, turned into HTML that is safe to show visitors."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "li", "ol", "p", "pre", "q", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "q": {"cite"}, "th": {"scope"}}


HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demoted(match: re.Match) -> str:
    # A description is shown under its page's "About" heading (an h2): its own
    # headings sit below it, h3 for "#" and "##", h4 for anything deeper.
    return f"<{match.group(1)}h{3 if int(match.group(2)) <= 2 else 4}"


def render_markdown(source: str) -> str:
    """Render Markdown to HTML through an allow-list sanitizer.

    Raw HTML in the source is escaped by nh3 unless it is on the allow-list;
    scripts, styles, event handlers and non-http(s) links never survive. Headings
    are demoted below the page's own (see ``_demoted``).
    """
    if not source.strip():
        return ""
    html = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    html = HEADING.sub(_demoted, html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
