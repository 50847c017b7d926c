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


def field_errors(response, name):
    """The error messages shown next to a field, as a person reads them; the control must
    point at them (``aria-describedby``) so that screen readers announce them."""
    html = response.content.decode()
    block = re.search(rf'<ul class="errors[^"]*" id="id_{name}_error">(.*?)</ul>', html, re.S)
    if block is None:
        return []
    described = re.search(rf'<(?:input|select|textarea|fieldset)[^>]*aria-describedby="([^"]*id_{name}_error)', html)
    assert described, f"the {name} field is not described by its errors"
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", block[1], re.S)]
