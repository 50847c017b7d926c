"""Members' Markdown: rendered, then sanitised by nh3 — nothing they type runs or restyles the page."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from common.markdown import ALLOWED_TAGS, render_markdown


class _Elements(HTMLParser):
    """The tags and attributes of a piece of HTML, as a browser would build them (text stays text)."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def test_markdown_is_rendered_with_headings_below_the_page_title():
    html = render_markdown("# Programme\n\n**Accueil** à 9 h\n\n- café\n- ateliers")
    assert "<h2>Programme</h2>" in html
    assert "<strong>Accueil</strong>" in html
    assert "<li>café</li>" in html


def test_headings_can_start_lower_under_a_section_heading():
    text = "# Programme\n\n## Matin\n\n###### Détail\n\n    # pas un titre"
    html = render_markdown(text, top_level=3)
    assert "<h3>Programme</h3>" in html
    assert "<h4>Matin</h4>" in html
    assert "<h6>Détail</h6>" in html  # nothing below h6
    assert "# pas un titre" in html  # code stays code
    assert render_markdown("# Titre", top_level=1) == "<h2>Titre</h2>\n"  # never a second h1


def test_a_text_whose_headings_start_at_two_hashes_does_not_skip_a_level():
    html = render_markdown("## Étapes\n\n### Avant\n\nTexte", top_level=2)
    assert "<h2>Étapes</h2>" in html and "<h3>Avant</h3>" in html


def test_the_template_filter_takes_the_top_level():
    template = Template("{% load markup %}{{ text|markdown }}|{{ text|markdown:3 }}|{{ text|markdown:'x' }}")
    assert template.render(Context({"text": "# Titre"})) == "<h2>Titre</h2>\n|<h3>Titre</h3>\n|<h2>Titre</h2>\n"


def test_links_leave_with_nofollow_noopener():
    html = render_markdown("[la carte](https://exemple.fr/carte)")
    assert '<a href="https://exemple.fr/carte" rel="nofollow noopener">la carte</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="https://x.fr" onclick="alert(1)">x</a>',
        "<style>body{display:none}</style>",
        '<iframe src="https://x.fr"></iframe>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_nothing_a_member_types_can_run(text):
    for tag, attributes in _Elements(render_markdown(text)).elements:
        assert tag in ALLOWED_TAGS
        assert not [name for name in attributes if name.startswith("on") or name == "style"]
        assert not attributes.get("href", "https:").lower().startswith(("javascript:", "data:"))


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>gras</b>") == "<p>&lt;b&gt;gras&lt;/b&gt;</p>\n"


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
