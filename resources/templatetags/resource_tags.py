"""``{% load resource_tags %}{% related_resources skill=skill %}``: the « Ressources » panel of the pages of
apps that may not import ``resources`` (skills, advisors, events): templates load it, code does not."""

from django import template

from resources.queries.panels import related_resources as related

register = template.Library()


@register.inclusion_tag("resources/_panel.html", takes_context=True)
def related_resources(
    context, *, skill=None, departement=None, advisor=None, event=None, heading="h2", title="", empty=""
):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    panel = related(user, skill=skill, departement=departement, advisor=advisor, event=event)
    return {**panel, "heading": heading, "title": title or "Ressources", "empty": empty}
