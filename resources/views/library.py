"""Views of resources: the library (list and search) and the resource page."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from resources.queries.detail import viewable_resource


@require_GET
def index(request):
    return render(
        request, "coming_soon.html", {"title": "Ressources", "what": "la bibliothèque de ressources partagées"}
    )


@require_GET
def detail(request, pk):
    """The resource page. A resource the viewer may not see (a draft, a réseau resource for a visitor, a
    hidden one) is a 404, like an event: its existence is not revealed."""
    resource = viewable_resource(request.user, pk)
    if resource is None:
        raise Http404
    return render(request, "resources/detail.html", {"resource": resource})
