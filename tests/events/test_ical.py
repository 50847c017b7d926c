"""iCalendar files and feeds, read back as a calendar client would: parsed with ``icalendar``, expanded
with ``recurring_ical_events``."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
import recurring_ical_events
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.enums import AnimatorStatus, EventMode, EventStatus, RegistrationStatus
from events.models import CalendarToken
from events.services.events import event_update
from events.services.series import series_create
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.events.factories import AnimatorSignupFactory, EventFactory, RegistrationFactory, SlotFactory
from tests.territories.factories import DepartementFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REUNION = zoneinfo.ZoneInfo("Indian/Reunion")
LINK = "https://visio.exemple.fr/secret-42"


def _parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar):
    """The VEVENTs a client shows over the feed's window, keyed by UID."""
    start, end = timezone.now() - timedelta(days=400), timezone.now() + timedelta(days=800)
    return {str(component["UID"]): component for component in recurring_ical_events.of(calendar).between(start, end)}


def _at(year, month, day, hour, zone=PARIS):
    return datetime(year, month, day, hour, tzinfo=zone)


@pytest.fixture
def lead(loire):
    return AdvisorFactory(departement=loire)


def test_the_ics_of_an_event_reads_back_with_its_uid_times_zone_place_and_page(client, loire, saint_etienne, lead):
    starts = timezone.now().astimezone(PARIS).replace(hour=14, minute=0, second=0, microsecond=0) + timedelta(days=30)
    event = EventFactory(
        departement=loire,
        public=True,
        commune=saint_etienne,
        address="1 rue de la Tréfilerie",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        description="Faire **connaissance**.",
        lead=lead,
    )
    response = client.get(reverse("events:ics", args=[event.pk]))
    calendar = _parse(response)
    assert response["Content-Disposition"] == f'attachment; filename="evenement-{event.pk}.ics"'

    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (component,) = _events(calendar).values()
    assert component["UID"] == event.ical_uid
    assert component.decoded("DTSTART") == starts
    assert component.decoded("DTSTART").tzinfo.key == "Europe/Paris"
    assert component["DTSTART"].params["TZID"] == "Europe/Paris"
    assert component.decoded("DTEND") == starts + timedelta(hours=3)
    assert component["SEQUENCE"] == 0
    assert component["STATUS"] == "CONFIRMED"
    assert str(component["LOCATION"]) == "1 rue de la Tréfilerie, Saint-Étienne"
    assert str(component["URL"]) == f"http://testserver/evenements/{event.pk}/"
    assert "Faire **connaissance**." in str(component["DESCRIPTION"])
    assert "DTSTAMP" in component

    again = _events(_parse(client.get(reverse("events:ics", args=[event.pk]))))
    assert list(again) == [event.ical_uid]  # the same UID on every request: clients update, never duplicate


def test_sequence_rises_when_the_time_changes_and_the_uid_stays(client, loire, lead):
    event = EventFactory(departement=loire, public=True, lead=lead)
    url = reverse("events:ics", args=[event.pk])
    before = _events(_parse(client.get(url)))[event.ical_uid]

    event_update(
        event=event,
        by=lead.user,
        starts_at=event.starts_at + timedelta(days=1),
        ends_at=event.ends_at + timedelta(days=1),
    )
    after = _events(_parse(client.get(url)))[event.ical_uid]

    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(days=1)


def test_an_event_in_la_reunion_carries_its_own_zone(client, lead):
    reunion = DepartementFactory(reunion=True)
    starts = _at(2027, 3, 9, 14, REUNION)
    event = EventFactory(departement=reunion, public=True, starts_at=starts, ends_at=starts + timedelta(hours=2))
    calendar = _parse(client.get(reverse("events:ics", args=[event.pk])))

    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Indian/Reunion"]
    component = _events(calendar)[event.ical_uid]
    assert component["DTSTART"].params["TZID"] == "Indian/Reunion"
    assert component.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 9, 10, tzinfo=UTC)


def test_the_ics_follows_the_event_page_visibility_and_shows_the_link_to_whom_may_see_it(client, loire, lead, member):
    event = EventFactory(departement=loire, lead=lead, mode=EventMode.DISTANCIEL, online_url=LINK)
    url = reverse("events:ics", args=[event.pk])
    assert client.get(url).status_code == 404  # a réseau event: not for visitors, as its page

    client.force_login(member)
    component = _events(_parse(client.get(url)))[event.ical_uid]
    assert LINK not in component.to_ical().decode()
    assert str(component["LOCATION"]) == "En ligne"

    RegistrationFactory(event=event, user=member)
    assert LINK in str(_events(_parse(client.get(url)))[event.ical_uid]["DESCRIPTION"])

    client.force_login(lead.user)
    assert LINK in str(_events(_parse(client.get(url)))[event.ical_uid]["DESCRIPTION"])

    draft = EventFactory(departement=loire, draft=True, lead=lead)
    client.force_login(member)
    assert client.get(reverse("events:ics", args=[draft.pk])).status_code == 404
    assert client.get(reverse("events:ics", args=[999_999_999])).status_code == 404


# The feed of a département


def test_the_departement_feed_lists_public_events_only_with_cancelled_and_postponed_kept(client, loire, savoie):
    public = EventFactory(departement=loire, public=True, title="Fête du numérique")
    cancelled = EventFactory(departement=loire, public=True, cancelled=True, title="Rencontre annulée")
    postponed = EventFactory(departement=loire, public=True, status=EventStatus.POSTPONED, title="Rencontre reportée")
    hybrid = EventFactory(
        departement=loire, public=True, mode=EventMode.HYBRIDE, online_url=LINK, address="Salle des fêtes"
    )
    reseau = EventFactory(departement=loire, title="Réservée au réseau")
    draft = EventFactory(departement=loire, public=True, draft=True)
    elsewhere = EventFactory(departement=savoie, public=True)
    old = EventFactory(
        departement=loire,
        public=True,
        starts_at=timezone.now() - timedelta(days=200),
        ends_at=timezone.now() - timedelta(days=199),
    )

    response = client.get(reverse("events:departement_feed", args=["42"]))
    calendar = _parse(response)
    assert response["Content-Disposition"] == 'attachment; filename="evenements-42.ics"'
    events = _events(calendar)

    assert set(events) == {public.ical_uid, cancelled.ical_uid, postponed.ical_uid, hybrid.ical_uid}
    assert reseau.ical_uid not in events and draft.ical_uid not in events and elsewhere.ical_uid not in events
    assert old.ical_uid not in events  # out of the window
    assert events[cancelled.ical_uid]["STATUS"] == "CANCELLED"
    assert events[postponed.ical_uid]["STATUS"] == "TENTATIVE"
    assert events[public.ical_uid]["STATUS"] == "CONFIRMED"
    assert LINK.encode() not in response.content  # never an online link in a public feed
    assert str(events[hybrid.ical_uid]["LOCATION"]) == "Salle des fêtes et en ligne"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert "Loire" in str(calendar["NAME"])


def test_the_departement_feed_of_la_reunion_has_its_vtimezone(client, db):
    reunion = DepartementFactory(reunion=True)
    event = EventFactory(departement=reunion, public=True)
    calendar = _parse(client.get(reverse("events:departement_feed", args=["974"])))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Indian/Reunion"]
    assert event.ical_uid in _events(calendar)


def test_an_unknown_departement_feed_is_not_found(client, loire):
    assert client.get(reverse("events:departement_feed", args=["zz"])).status_code == 404
    assert client.get("/evenements/flux/" + "9" * 25 + ".ics").status_code == 404
    assert client.post(reverse("events:departement_feed", args=["42"])).status_code == 405


def test_a_recurring_series_imports_as_one_event_per_date_at_10_local(client, loire, lead):
    starts = _at(2027, 1, 12, 10)
    first = EventFactory(
        departement=loire, public=True, starts_at=starts, ends_at=starts + timedelta(hours=1), lead=lead
    )
    series_create(event=first, by=lead.user, rule="FREQ=MONTHLY;BYDAY=+2TU")
    calendar = _parse(client.get(reverse("events:departement_feed", args=["42"])))
    occurrences = recurring_ical_events.of(calendar).between(datetime(2027, 3, 1), datetime(2027, 5, 1))
    assert sorted(
        (e.decoded("DTSTART").astimezone(PARIS).hour, e.decoded("DTSTART").astimezone(UTC).hour) for e in occurrences
    ) == [
        (10, 8),  # 13 April, summer time
        (10, 9),  # 9 March, winter time
    ]


# The private feed of a member


@pytest.fixture
def involved(loire, lead):
    """``lead`` leads one réseau event, is registered to two, waits on one, animates one; one more they
    have nothing to do with."""
    user = lead.user
    other_lead = AdvisorFactory(departement=loire)
    events = {
        "leads": EventFactory(departement=loire, lead=lead, online_url=LINK + "-leads", mode=EventMode.DISTANCIEL),
        "registered": EventFactory(departement=loire, lead=other_lead, online_url=LINK + "-registered"),
        "waiting": EventFactory(departement=loire, lead=other_lead, online_url=LINK + "-waiting"),
        "animates": EventFactory(departement=loire, public=True, lead=other_lead),
        "cancelled": EventFactory(departement=loire, lead=other_lead, cancelled=True),
        "unrelated": EventFactory(departement=loire, public=True, lead=other_lead),
        "cancelled_registration": EventFactory(departement=loire, lead=other_lead),
    }
    RegistrationFactory(event=events["registered"], user=user)
    RegistrationFactory(event=events["waiting"], user=user, waitlisted=True)
    RegistrationFactory(event=events["cancelled"], user=user)
    RegistrationFactory(event=events["cancelled_registration"], user=user, status=RegistrationStatus.CANCELLED)
    AnimatorSignupFactory(slot=SlotFactory(event=events["animates"]), advisor=lead)
    return events


def test_the_private_feed_lists_what_the_member_organises_animates_or_attends(client, lead, involved):
    token = CalendarToken.objects.create(user=lead.user)
    response = client.get(reverse("events:private_feed", args=[token.token]))
    events = _events(_parse(response))

    expected = {"leads", "registered", "waiting", "animates", "cancelled"}
    assert set(events) == {involved[name].ical_uid for name in expected}
    assert events[involved["cancelled"].ical_uid]["STATUS"] == "CANCELLED"
    body = response.content.decode()
    assert LINK + "-leads" in body and LINK + "-registered" in body
    assert LINK + "-waiting" not in body  # the link comes with a place, not with the waiting list
    assert response["Cache-Control"] == "private, max-age=0"


def test_the_private_feed_gives_animators_the_online_link(client, loire, lead):
    """An invited expert of a café-visio animates its second part: their feed carries the link, and
    the event's file too when they are logged in, once an organiser confirmed them; a member who only
    offered to animate, or another member, never gets it."""
    visio = EventFactory(departement=loire, lead=lead, mode=EventMode.DISTANCIEL, online_url=LINK)
    expert = AdvisorFactory(departement=loire)
    AnimatorSignupFactory(slot=SlotFactory(event=visio), advisor=expert, status=AnimatorStatus.CONFIRMED)
    token = CalendarToken.objects.create(user=expert.user)
    events = _events(_parse(client.get(reverse("events:private_feed", args=[token.token]))))
    assert LINK in str(events[visio.ical_uid]["DESCRIPTION"])
    client.force_login(expert.user)
    assert LINK in _parse(client.get(reverse("events:ics", args=[visio.pk]))).to_ical().decode()
    volunteer = AdvisorFactory(departement=loire)
    AnimatorSignupFactory(slot=SlotFactory(event=visio), advisor=volunteer, status=AnimatorStatus.PROPOSED)
    token = CalendarToken.objects.create(user=volunteer.user)
    events = _events(_parse(client.get(reverse("events:private_feed", args=[token.token]))))
    assert LINK not in str(events[visio.ical_uid]["DESCRIPTION"])
    client.force_login(volunteer.user)
    assert LINK not in _parse(client.get(reverse("events:ics", args=[visio.pk]))).to_ical().decode()
    waiting = AdvisorFactory(departement=loire)
    RegistrationFactory(event=visio, user=waiting.user, waitlisted=True)
    token = CalendarToken.objects.create(user=waiting.user)
    events = _events(_parse(client.get(reverse("events:private_feed", args=[token.token]))))
    assert LINK not in str(events[visio.ical_uid]["DESCRIPTION"])


def test_the_private_feed_answers_404_to_a_wrong_or_reset_token(client, lead, involved):
    token = CalendarToken.objects.create(user=lead.user)
    old = token.token
    assert client.get(reverse("events:private_feed", args=["pas-le-bon"])).status_code == 404
    assert client.get(reverse("events:private_feed", args=["x" * 300])).status_code == 404

    client.force_login(lead.user)
    page = client.get(reverse("events:calendar_token"))
    assert f"http://testserver/evenements/flux/personnel/{old}.ics" in page.text
    assert "webcal://testserver/evenements/flux/personnel/" in page.text
    response = client.post(reverse("events:calendar_token"))
    assert response.status_code == 302
    new = CalendarToken.objects.get(user=lead.user).token
    assert new != old
    client.logout()
    assert client.get(reverse("events:private_feed", args=[old])).status_code == 404
    assert client.get(reverse("events:private_feed", args=[new])).status_code == 200


def test_the_calendar_token_page_is_for_logged_in_people(client, member):
    assert client.get(reverse("events:calendar_token")).status_code == 302
    client.force_login(member)
    page = client.get(reverse("events:calendar_token"))
    assert page.status_code == 200
    assert CalendarToken.objects.filter(user=member).count() == 1
    assert "/evenements/flux/42.ics" in page.text  # the public feed of their network
    client.get(reverse("events:calendar_token"))
    assert CalendarToken.objects.filter(user=member).count() == 1


# Bounded queries


def _many(loire, lead, count):
    for _ in range(count):
        event = EventFactory(departement=loire, public=True, lead=lead, online_url=LINK, mode=EventMode.HYBRIDE)
        AnimatorSignupFactory(slot=SlotFactory(event=event), advisor=lead)
        RegistrationFactory(event=event)


@pytest.mark.parametrize("count", [2, 12])
def test_the_departement_feed_runs_a_fixed_number_of_queries(client, loire, lead, count, django_assert_num_queries):
    _many(loire, lead, count)
    url = reverse("events:departement_feed", args=["42"])
    with django_assert_num_queries(2):  # the département, its events with their place
        calendar = _parse(client.get(url))
    assert len(_events(calendar)) == count


@pytest.mark.parametrize("count", [2, 12])
def test_the_private_feed_runs_a_fixed_number_of_queries(client, loire, lead, count, django_assert_num_queries):
    _many(loire, lead, count)
    token = CalendarToken.objects.create(user=lead.user)
    url = reverse("events:private_feed", args=[token.token])
    # The token and its account, the account's memberships, the events, their organisers, the
    # account's confirmed registrations and the slots it animates (for the online links).
    with django_assert_num_queries(6):
        calendar = _parse(client.get(url))
    assert len(_events(calendar)) == count


@pytest.mark.parametrize("count", [2, 12])
def test_the_ics_of_an_event_runs_a_fixed_number_of_queries(client, loire, lead, count, django_assert_num_queries):
    event = EventFactory(departement=loire, lead=lead, online_url=LINK)
    for _ in range(count):
        AnimatorSignupFactory(slot=SlotFactory(event=event))
        RegistrationFactory(event=event)
    client.force_login(lead.user)
    url = reverse("events:ics", args=[event.pk])
    # Session and account, the event with its place, its organisers, the viewer's memberships, their
    # registration, the slots they animate.
    with django_assert_num_queries(7):
        _parse(client.get(url))


def test_a_coordinator_of_the_departement_sees_online_links_in_the_ics(client, loire, coordinator):
    event = EventFactory(departement=loire, online_url=LINK)
    client.force_login(coordinator)
    assert LINK in _parse(client.get(reverse("events:ics", args=[event.pk]))).to_ical().decode()
    client.force_login(MembershipFactory(departement=DepartementFactory(savoie=True), coordinator=True).user)
    assert LINK not in _parse(client.get(reverse("events:ics", args=[event.pk]))).to_ical().decode()


def test_the_departement_feed_is_written_once_for_everyone_for_a_few_minutes(db, client, django_assert_num_queries):
    """Calendar clients poll the public feed hourly: it is served from the shared cache, and a new
    event shows once the cache has expired (``FEED_CACHE_SECONDS``)."""
    loire = DepartementFactory()
    EventFactory(departement=loire, public=True, title="Première")
    url = reverse("events:departement_feed", args=[loire.code])
    assert b"Premi" in client.get(url).content

    EventFactory(departement=loire, public=True, title="Seconde")
    with django_assert_num_queries(1):  # the département only
        assert b"Seconde" not in client.get(url).content
    cache.clear()  # the delay has passed
    assert b"Seconde" in client.get(url).content
