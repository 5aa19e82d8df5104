"""Markdown from editors, turned into HTML that is safe to show visitors."""

import difflib
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


WORDS = re.compile(r"\S+")


def word_diff(base: str, other: str) -> list[tuple[str, str]]:
    """``other`` against ``base``, word by word: ("equal" | "insert" | "delete", text)."""
    a, b = WORDS.findall(base), WORDS.findall(other)
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            parts.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("insert", " ".join(b[j1:j2])))
        if op == "equal":
            parts.append(("equal", " ".join(a[i1:i2])))
    return parts
