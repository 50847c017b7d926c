"""The partners' template tags: the link to a network's partners on the département's page (overview may
not import the animation app: its template loads this library)."""

from django import template

from animation.perms import can_view_network_life

register = template.Library()


@register.inclusion_tag("animation/partners/departement_link.html", takes_context=True)
def partners_link(context, departement):
    """« Les partenaires du réseau » for the network's members; nothing for others. No query of its own:
    the viewer's memberships are read once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = user is not None and can_view_network_life(user, departement)
    return {"departement": departement, "shown": shown}
