"""Markdown written by members (event descriptions, resources), rendered and sanitised in one place.

markdown-it-py renders CommonMark with raw HTML disabled; nh3 then keeps only the tags and attributes
of that output, so nothing a member types can run script, style the page or open a window on it.
Links leave with ``rel="nofollow noopener"``.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip


def render_markdown(text):
    """Safe HTML of ``text`` (Markdown)."""
    if not text:
        return mark_safe("")
    html = _parser.render(text)
    for level in range(5, 0, -1):  # deepest first, so a shifted heading is not shifted twice
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
