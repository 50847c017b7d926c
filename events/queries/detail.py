"""Reads of the event page: the event with everything it shows, its schema.org description and its QR code."""

import json

import segno
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.safestring import mark_safe

from advisors.perms import can_view_advisor
from events.enums import EventMode, EventStatus, EventVisibility, OrganiserStatus
from events.models import Event, Need, NeedOffer, Organiser
from events.perms import can_see_online_link, can_view_event
from events.queries.calendar import remaining_places, with_places
from events.queries.programme import slots_prefetch
from events.queries.series import series_label

SCHEMA_STATUS = {
    EventStatus.PUBLISHED: "https://schema.org/EventScheduled",
    EventStatus.DRAFT: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
}
SCHEMA_MODE = {
    EventMode.PRESENTIEL: "https://schema.org/OfflineEventAttendanceMode",
    EventMode.DISTANCIEL: "https://schema.org/OnlineEventAttendanceMode",
    EventMode.HYBRIDE: "https://schema.org/MixedEventAttendanceMode",
}
# What JSON may not carry inside a <script> element: "</script>", "<!--" and their kin.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def event_page():
    """One query for the event, its places, its territory and its series; one per list it shows
    (organisers, skills, needs with their offers, programme slots with their animators), however long
    those are. The panels of the page read these lists rather than query them again."""
    return with_places(Event.objects.with_cards().select_related("series")).prefetch_related(
        Prefetch(
            "organisers",
            queryset=Organiser.objects.select_related("advisor__user", "structure__commune").order_by(
                "-role", "created_at", "pk"
            ),
        ),
        "skills",
        Prefetch(
            "needs",
            queryset=Need.objects.prefetch_related(
                Prefetch("offers", queryset=NeedOffer.objects.select_related("user"))
            ),
        ),
        slots_prefetch(),
    )


def viewable_event(user, pk):
    """The event ``pk`` as ``user`` may see it, ``None`` when it does not exist or is hidden from them
    (``can_view_event``): like a hidden profile, it answers « page introuvable »."""
    event = event_page().filter(pk=pk).first()
    if event is None or not can_view_event(user, event):
        return None
    return event


def organisers_shown(event, user):
    """The accepted organisers, leads first: structures, and advisors whose profile ``user`` may see
    (``profile_visible``); the others are only counted (``hidden``), as in every list of people."""
    advisors, structures, hidden = [], [], 0
    for organiser in event.organisers.all():
        if organiser.status != OrganiserStatus.ACCEPTED:
            continue
        if organiser.structure_id:
            structures.append(organiser)
        elif can_view_advisor(user, organiser.advisor):
            advisors.append(organiser)
        else:
            hidden += 1
    return {"advisors": advisors, "structures": structures, "hidden": hidden}


def absolute_url(event):
    return f"{settings.SITE_URL}{event.get_absolute_url()}"


def _place(event):
    lieu = event.lieu
    commune = lieu.commune if lieu else event.commune
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    street = lieu.address if lieu else event.address
    if street:
        address["streetAddress"] = street
    if commune:
        address["addressLocality"] = commune.name
        if commune.postal_code_list:
            address["postalCode"] = commune.postal_code_list[0]
    address["addressRegion"] = event.departement.name
    place = {"@type": "Place", "address": address}
    place["name"] = lieu.name if lieu else (street or (commune.name if commune else event.departement.name))
    return place


def event_json_ld(event, organisers):
    """schema.org ``Event`` of the page, as a dict (``json_ld`` serialises it). The connection link is
    never in it: the virtual location points at the event page, where registered people find it."""
    tzinfo = event.tzinfo
    url = absolute_url(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": event.starts_at.astimezone(tzinfo).isoformat(),
        "endDate": event.ends_at.astimezone(tzinfo).isoformat(),
        "eventStatus": SCHEMA_STATUS[event.status],
        "eventAttendanceMode": SCHEMA_MODE[event.mode],
        "audience": {"@type": "Audience", "audienceType": event.get_audience_display()},
        "inLanguage": "fr",
    }
    if event.description:
        data["description"] = event.description[:500]
    virtual = {"@type": "VirtualLocation", "url": url}
    if event.mode == EventMode.DISTANCIEL:
        data["location"] = virtual
    elif event.mode == EventMode.HYBRIDE:
        data["location"] = [_place(event), virtual]
    else:
        data["location"] = _place(event)
    people = [
        {"@type": "Person", "name": organiser.advisor.user.display_name, "url": _absolute(organiser.advisor)}
        for organiser in organisers["advisors"]
    ]
    bodies = [
        {"@type": "Organization", "name": organiser.structure.name, "url": _absolute(organiser.structure)}
        for organiser in organisers["structures"]
    ]
    if people or bodies:
        data["organizer"] = people + bodies
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = remaining_places(event)
    slots = event.slots.all()
    if slots:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": slot.title,
                "startDate": slot.starts_at.astimezone(tzinfo).isoformat(),
                "endDate": slot.ends_at.astimezone(tzinfo).isoformat(),
                "eventStatus": data["eventStatus"],
                "eventAttendanceMode": data["eventAttendanceMode"],
                "location": {**_place(event), "name": slot.room} if slot.room else data["location"],
                **({"maximumAttendeeCapacity": slot.capacity} if slot.capacity is not None else {}),
            }
            for slot in slots
        ]
    return data


def _absolute(obj):
    return f"{settings.SITE_URL}{obj.get_absolute_url()}"


def json_ld(data):
    """``data`` as the body of a ``<script type="application/ld+json">``: like ``json_script``, the
    characters that could close the element or open a comment are escaped."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


def qr_code_svg(event):
    """The QR code of the event page's address, as inline SVG with its title (no image file, no request)."""
    url = absolute_url(event)
    svg = segno.make(url, error="m").svg_inline(
        scale=4, omitsize=True, svgclass="qr-code", lineclass=None, title=f"QR code vers {url}"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code de la page de l’événement" ', 1))  # noqa: S308


def page_context(event, user, registration=None):
    """Everything the event page shows about ``event`` to ``user``, besides the three panels.

    ``registration``: the viewer's own registration to the event, as the registration panel found it."""
    organisers = organisers_shown(event, user)
    return {
        "event": event,
        "series_label": series_label(event.series) if event.series_id else "",
        "public_feed": event.visibility == EventVisibility.PUBLIC,
        "remaining_places": remaining_places(event),
        "organisers": organisers,
        "show_online_link": bool(event.online_url) and can_see_online_link(user, event, registration),
        "json_ld": json_ld(event_json_ld(event, organisers)),
        "qr_code": qr_code_svg(event) if event.status == EventStatus.PUBLISHED else None,
        "absolute_url": absolute_url(event),
        "is_past": event.ends_at < timezone.now(),
    }
