"""``{% load resource_tags %}{% related_resources skill=skill %}``: the « Ressources » panel of the pages of
apps that may not import ``resources`` (skills, advisors, events): templates load it, code does not."""

from django import template

from resources.queries.panels import related_resources as related

register = template.Library()


@register.inclusion_tag("resources/_panel.html", takes_context=True)
def related_resources(
    context, *, skill=None, departement=None, advisor=None, event=None, viewer=None, heading="h2", title="", empty=""
):
    """``viewer``: whom the page is shown as, when not the person logged in (a profile's preview)."""
    request = context.get("request")
    user = viewer or getattr(request, "user", None) or context.get("user")
    panel = related(user, skill=skill, departement=departement, advisor=advisor, event=event)
    return {**panel, "heading": heading, "title": title or "Ressources", "empty": empty}
