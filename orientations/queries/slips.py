"""The slip for the person oriented: where to go, when, whom to call — as a text message (160
characters when it fits) and as a printable page. Public information only: a lieu's address, hours and
accueil contacts; for an advisor, their structure's, and their own professional contacts only when their
profile is public."""

from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from advisors.enums import Visibility
from advisors.opening_hours import french_date, french_time, status_at, week_summary
from orientations.enums import TimeOfDay
from orientations.queries.matching import MOMENTS

SMS_LENGTH = 160
NBSP = "\u00a0"


@dataclass
class Slip:
    title: str  # the lieu, or the advisor and their structure
    address: str = ""
    commune: str = ""
    phone: str = ""
    email: str = ""
    booking_url: str = ""
    website: str = ""
    next_opening: str = ""
    hours: list = field(default_factory=list)  # advisors.opening_hours.DayHours, or permanences' lines
    hours_note: str = ""
    closures: list = field(default_factory=list)
    sms: str = ""
    qr_url: str = ""  # what the QR code leads to: the booking page, or the lieu's public page

    @property
    def qr_code(self):
        """The QR code of ``qr_url`` as inline SVG (no image file, no request), or ``""``."""
        if not self.qr_url:
            return ""
        svg = segno.make(self.qr_url, error="m").svg_inline(
            scale=3, omitsize=True, svgclass="qr-code", lineclass=None, title=self.qr_url
        )
        label = (
            "QR code vers la prise de rendez-vous"
            if self.qr_url == self.booking_url
            else "QR code vers la page du lieu"
        )
        return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308

    @property
    def sms_length(self):
        return len(self.sms)


def _commune_line(commune, postal_codes=True):
    code = commune.postal_codes.split()[0] if postal_codes and commune.postal_codes else ""
    return f"{code} {commune.name}".strip()


def _when_free(slots, orientation):
    """The slots on the days and at the moment the person said she is free (the next opening the slip gives
    is one she can go to); all of them when she said nothing or when none fits."""
    days = set(orientation.free_days or ())
    starts, ends = MOMENTS[TimeOfDay(orientation.free_time or TimeOfDay.ANY)]
    fitting = [
        slot for slot in slots if (not days or slot.weekday in days) and slot.opens < ends and slot.closes > starts
    ]
    return fitting or list(slots)


def _next_opening(status):
    """« ouvre le mardi 1er décembre à 9 h » (a date, not « demain »: the slip is read later)."""
    if status.is_open is None or status.changes_at is None:
        return ""
    when = status.changes_at
    if status.is_open:
        return f"ouvert le {french_date(when.date(), weekday=True)} jusqu’à {french_time(when.time())}"
    return f"ouvre le {french_date(when.date(), weekday=True)} à {french_time(when.time())}"


def _sms(slip):
    """The text message, dropping the least useful parts until it fits in 160 characters."""
    phone = f"Tél. {slip.phone}" if slip.phone else ""
    opening = slip.next_opening[:1].upper() + slip.next_opening[1:] if slip.next_opening else ""
    place = ", ".join(part for part in (slip.address, slip.commune) if part)
    candidates = [
        [slip.title, place, phone, opening],
        [slip.title, place, phone],
        [slip.title, slip.commune, phone, opening],
        [slip.title, slip.commune, phone],
    ]
    for parts in candidates:
        text = ". ".join(part for part in parts if part) + "."
        if len(text) <= SMS_LENGTH:
            return text
    return text  # noqa: B020 — the shortest form, even above 160 characters (two messages)


def slip(orientation, *, now=None):
    """The slip of ``orientation``, its receiver prefetched as ``views.send._orientation`` does."""
    now = now or timezone.now()
    lieu = orientation.receiver_lieu
    if lieu is not None:
        today = timezone.localdate(now)
        result = Slip(
            title=lieu.name,
            address=lieu.address,
            commune=_commune_line(lieu.commune),
            phone=lieu.public_phone or lieu.structure.phone,
            email=lieu.public_email,
            booking_url=lieu.booking_url,
            website=lieu.structure.website,
            next_opening=_next_opening(
                status_at(
                    _when_free(lieu.opening_slots.all(), orientation),
                    now,
                    lieu.departement.timezone,
                    departement_code=lieu.departement_id,
                    closures=lieu.closures.all(),
                )
            ),
            hours=[day for day in week_summary(lieu.opening_slots.all()) if not day.is_closed],
            hours_note=lieu.hours_note,
            closures=[closure for closure in lieu.closures.all() if closure.ends_on >= today],
            qr_url=lieu.booking_url or f"{settings.SITE_URL}{lieu.get_absolute_url()}",
        )
    elif orientation.receiver_advisor is not None:
        advisor = orientation.receiver_advisor
        structure = advisor.structure
        public = advisor.visibility == Visibility.PUBLIC
        permanences = list(advisor.permanences.all())
        first = permanences[0].lieu if permanences else None
        tz = first.departement.timezone if first else orientation.departement.timezone
        result = Slip(
            title=f"{advisor.user.get_full_name() or advisor.user.display_name}"
            + (f", {structure.name}" if structure else ""),
            address=first.address if first else (structure.address if structure else ""),
            commune=_commune_line(first.commune if first else structure.commune) if (first or structure) else "",
            phone=(advisor.phone if public and advisor.phone else "") or (structure.phone if structure else ""),
            email=(advisor.contact_email if public else "") or (structure.email if structure else ""),
            website=structure.website if structure else "",
            next_opening=_next_opening(status_at(_when_free(permanences, orientation), now, tz)).replace(
                "ouvre", "en permanence", 1
            )
            if permanences
            else "",
            hours=[
                f"{permanence.get_weekday_display()}{NBSP}: {french_time(permanence.opens)} – "
                f"{french_time(permanence.closes)}, {permanence.lieu.name} ({permanence.lieu.commune.name})"
                for permanence in permanences
            ],
        )
    else:
        result = Slip(title=orientation.receiver_name)
    result.sms = _sms(result)
    return result
