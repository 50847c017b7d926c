"""Views of events: the iCalendar file of an event, the feeds, and the page of one's private feed.

The feeds themselves are classes of ``events/feeds.py``; an instance is the view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from advisors.models import memberships_of
from events.feeds import DepartementFeed, EventFile, PrivateFeed
from events.services import feeds as services

event_ics = EventFile()
departement_feed = DepartementFeed()
private_feed = PrivateFeed()


@login_required
@require_http_methods(["GET", "POST"])
def calendar_token(request):
    """« Mon agenda » : the secret address of the member's private feed, how to subscribe to it, and
    a button that makes a new one (the old one then answers 404)."""
    if request.method == "POST":
        services.calendar_token_reset(user=request.user)
        messages.success(
            request,
            "Votre agenda a une nouvelle adresse : l’ancienne ne fonctionne plus. "
            "Abonnez de nouveau vos applications d’agenda avec celle-ci.",
        )
        return redirect("events:calendar_token")
    token = services.calendar_token_ensure(user=request.user)
    feed_url = request.build_absolute_uri(reverse("events:private_feed", args=[token.token]))
    departements = sorted(
        membership.departement_id for membership in memberships_of(request.user).values() if membership.is_active
    )
    public_feeds = [
        (code, request.build_absolute_uri(reverse("events:departement_feed", args=[code]))) for code in departements
    ]
    return render(
        request,
        "events/calendar_token.html",
        {
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "public_feeds": public_feeds,
        },
    )
