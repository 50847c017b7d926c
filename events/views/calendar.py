"""Views of events: the calendar (list, month, past) and the event page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def index(request):
    return render(
        request, "coming_soon.html", {"title": "Événements", "what": "les événements co-organisés du réseau"}
    )
