from django import template

from common.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Members' Markdown as safe HTML: ``{{ event.description|markdown }}``."""
    return render_markdown(text)
