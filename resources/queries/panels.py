"""The « Ressources » panels of other pages (skill, département, profile, event): a few related
resources the viewer may see, in one query, with a link to the library filtered the same way."""

from django.urls import reverse
from django.utils.http import urlencode

from resources.models import Resource

PANEL_SIZE = 5


def related_resources(user, *, skill=None, departement=None, advisor=None, event=None, size=PANEL_SIZE):
    """``{"resources": [...], "more": bool, "url": the filtered library}``: the latest published resources
    ``user`` may see about ``skill``, of ``departement``, authored by ``advisor`` or from ``event``."""
    queryset = Resource.objects.published().visible_to(user).select_related("departement")
    params = {}
    if skill is not None:
        queryset = queryset.filter(skills=skill)
        params["competence"] = skill.slug
    if departement is not None:
        queryset = queryset.filter(departement=departement)
        params["departement"] = departement.code
    if advisor is not None:
        queryset = queryset.authored_by(advisor)
        params["auteur"] = advisor.pk
    if event is not None:
        queryset = queryset.filter(event=event)
        params["evenement"] = event.pk
    rows = list(
        queryset.only(
            "pk", "title", "kind", "summary", "departement__name", "departement__code", "published_at"
        ).order_by("-published_at", "-pk")[: size + 1]
    )
    return {
        "resources": rows[:size],
        "more": len(rows) > size,
        "url": f"{reverse('resources:index')}?{urlencode(params)}",
    }
