from django import template

from common.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text, top_level=2):
    """Members' Markdown as safe HTML: ``{{ event.description|markdown }}``; ``{{ event.description|markdown:3 }}``
    under a section titled in ``<h2>``, so that the text's ``#`` headings start at ``<h3>``."""
    try:
        top_level = int(top_level)
    except (TypeError, ValueError):
        top_level = 2
    return render_markdown(text, top_level=top_level)
