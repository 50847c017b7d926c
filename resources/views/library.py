"""Views of resources: the library (list and search) and the resource page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def index(request):
    return render(
        request, "coming_soon.html", {"title": "Ressources", "what": "la bibliothèque de ressources partagées"}
    )
