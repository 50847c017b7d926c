"""Reading a page as a person does, shared by the view tests."""

import re
from html import unescape


def page_text(response):
    """The text a person reads: scripts and tags dropped, entities decoded, every run of spaces
    (no-break spaces of French typography included) read as one space, none before , or ."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([,.])", r"\1", text)
