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


def render_markdown(text, top_level=2):
    """Safe HTML of ``text`` (Markdown).

    The text's shallowest heading (``#``, or ``##`` when the text has no ``#``) becomes ``<h{top_level}>`` and
    deeper ones follow (down to ``<h6>``): the page around the text has its ``<h1>``, and under a section titled
    in ``<h2>`` the text's headings start at ``top_level=3``."""
    if not text:
        return mark_safe("")
    top_level = min(max(int(top_level), 2), 6)
    env = {}
    tokens = _parser.parse(text, env)
    # The text's shallowest heading becomes ``top_level`` (a text whose titles start at ``##`` must not
    # jump a level below the page's headings), deeper ones follow.
    levels = [int(token.tag[1:]) for token in tokens if token.type == "heading_open"]
    shift = top_level - min(levels, default=1)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1:]) + shift, 6)}"
    html = _parser.renderer.render(tokens, _parser.options, env)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
