"""The event page: what it shows to whom, its schema.org description, its QR code, its queries (issue 10)."""

import datetime
import json
import re
import zoneinfo

import pytest
from django.urls import reverse

from events.enums import AnimatorStatus, EventMode, EventStatus, OrganiserStatus
from events.models import EventSeries, NeedOffer
from tests.advisors.factories import AdvisorFactory, LieuFactory, StructureFactory, UserFactory
from tests.events.factories import (
    AnimatorSignupFactory,
    EventFactory,
    NeedFactory,
    OrganiserFactory,
    RegistrationFactory,
    SlotFactory,
)
from tests.pages import page_text
from tests.skills.factories import SkillFactory
from tests.territories.factories import DepartementFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SECRET = "https://visio.exemple.fr/salle-secrete-4242"


def at(year, month, day, hour, tz=PARIS):
    return datetime.datetime(year, month, day, hour, tzinfo=tz)


def url(event):
    return f"/evenements/{event.pk}/"


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def lead(loire):
    return AdvisorFactory(departement=loire, public=True, user__first_name="Nadia", user__last_name="Benali")


@pytest.fixture
def event(loire, saint_etienne, lead):
    lieu = LieuFactory(structure__commune=saint_etienne, name="Médiathèque Tarentaize", address="24 rue Jean Jaurès")
    event = EventFactory(
        departement=loire,
        public=True,
        title="Fête du numérique 2036",
        lieu=lieu,
        commune=saint_etienne,
        starts_at=at(2036, 12, 9, 10),
        ends_at=at(2036, 12, 9, 17),
        capacity=30,
        description="# Au programme\n\n## Matin\n\nDes **ateliers** pour tous. <script>alert(1)</script>",
        accessibility="Salle de plain-pied, boucle magnétique.",
        lead=lead,
    )
    return event


@pytest.mark.django_db
def test_the_page_shows_the_event(client, event, saint_etienne):
    skill = SkillFactory(name="Intelligence artificielle")
    event.skills.add(skill)
    structure = StructureFactory(commune=saint_etienne, name="Centre social Beaubrun")
    OrganiserFactory(event=event, advisor=None, structure=structure)
    RegistrationFactory.create_batch(4, event=event)
    response = client.get(url(event))
    assert response.status_code == 200
    html, text = response.content.decode(), page_text(response)
    assert "<h1>Fête du numérique 2036</h1>" in html
    assert "Rencontre d’inter-connaissance · réseau de la Loire" in text
    assert "mardi 9 décembre 2036, 10 h – 17 h" in text
    assert "Médiathèque Tarentaize, 24 rue Jean Jaurès, Saint-Étienne" in text
    assert f'href="{saint_etienne.get_absolute_url()}"' in html
    assert "30 places, 26 restantes" in text
    # Markdown rendered and sanitised, its headings below « Présentation » (h2): from h3.
    assert '<h2 id="description-title">Présentation</h2>' in html
    assert "<h3>Au programme</h3>" in html and "<h4>Matin</h4>" in html and "<strong>ateliers</strong>" in html
    assert "<script>alert" not in html
    assert "boucle magnétique" in text
    assert f'href="{skill.get_absolute_url()}"' in html
    assert "Nadia Benali responsable" in text
    assert f'href="{structure.get_absolute_url()}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "banner"),
    [(EventStatus.CANCELLED, "Événement annulé."), (EventStatus.POSTPONED, "Événement reporté.")],
)
def test_status_banner(client, event, status, banner):
    event.status = status
    event.save()
    text = page_text(client.get(url(event)))
    assert banner in text


@pytest.mark.django_db
def test_a_cancelled_event_says_registrations_are_closed_not_full(client, event, member):
    RegistrationFactory.create_batch(2, event=event)
    event.capacity = 2
    event.status = EventStatus.CANCELLED
    event.save()
    RegistrationFactory(event=event, user=member, waitlisted=True)
    client.force_login(member)
    text = page_text(client.get(url(event)))
    assert "Événement annulé : inscriptions fermées." in text
    assert "Complet" not in text and "liste d’attente" not in text
    assert "Vous étiez inscrit·e" in text and "Annuler mon inscription" not in text


@pytest.mark.django_db
def test_only_a_postponed_event_without_its_new_date_announces_one(client, event):
    event.status = EventStatus.POSTPONED
    event.save()
    text = page_text(client.get(url(event)))
    assert "La nouvelle date sera annoncée sur cette page." in text
    assert "Date à préciser (prévu initialement mardi 9 décembre 2036, 10 h – 17 h)" in text
    assert "Événement reporté : les inscriptions rouvriront avec sa nouvelle date." in text
    assert text.count("rouvriront") == 1
    # Moved to a new date, the event is published again: its page tells nothing of a date to come.
    event.status = EventStatus.PUBLISHED
    event.save()
    text = page_text(client.get(url(event)))
    assert "nouvelle date" not in text and "Date à préciser" not in text
    assert "mardi 9 décembre 2036, 10 h – 17 h" in text


@pytest.mark.django_db
def test_an_event_in_la_reunion_is_at_its_local_time(client):
    reunion = DepartementFactory(reunion=True)
    local = zoneinfo.ZoneInfo("Indian/Reunion")
    event = EventFactory(
        departement=reunion, public=True, starts_at=at(2036, 6, 2, 14, local), ends_at=at(2036, 6, 2, 16, local)
    )
    response = client.get(url(event))
    assert "lundi 2 juin 2036, 14 h – 16 h (heure de La Réunion)" in page_text(response)
    data = json_ld(response)
    assert data["startDate"] == "2036-06-02T14:00:00+04:00"


@pytest.mark.django_db
def test_visibility_of_the_page(client, loire, savoie, member, coordinator, other_coordinator, outsider):
    reseau = EventFactory(departement=loire)
    draft = EventFactory(departement=loire, draft=True, public=True)
    assert client.get(url(reseau)).status_code == 404  # a visitor: like a hidden profile
    assert client.get(url(draft)).status_code == 404
    client.force_login(outsider)
    assert client.get(url(reseau)).status_code == 404
    client.force_login(other_coordinator)  # a member elsewhere
    assert client.get(url(reseau)).status_code == 200
    assert client.get(url(draft)).status_code == 404
    client.force_login(member)
    assert client.get(url(draft)).status_code == 404
    client.force_login(coordinator)
    response = client.get(url(draft))
    assert response.status_code == 200 and "Brouillon" in page_text(response)
    invited = AdvisorFactory(departement=savoie)
    OrganiserFactory(event=draft, advisor=invited, invited=True)
    client.force_login(invited.user)
    assert client.get(url(draft)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["99999999999", "99999999999999999999999", "0", "%00", "abc", "1%00"])
def test_unknown_or_malformed_ids(client, loire, path):
    assert client.get(f"/evenements/{path}/").status_code in (400, 404)


# --- The online link ------------------------------------------------------------------------------


@pytest.fixture
def visio(loire, lead):
    return EventFactory(departement=loire, public=True, mode=EventMode.HYBRIDE, online_url=SECRET, lead=lead)


@pytest.mark.django_db
def test_the_online_link_never_leaks(client, visio, loire, savoie, member, coordinator, other_coordinator, lead):
    def shown(user):
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(url(visio)).content.decode()
        return SECRET in html

    waiting = UserFactory()
    RegistrationFactory(event=visio, user=waiting, waitlisted=True)
    pending = UserFactory()
    RegistrationFactory(event=visio, user=pending, pending=True)
    registered = UserFactory()
    RegistrationFactory(event=visio, user=registered)
    slot_only = UserFactory()
    RegistrationFactory(event=visio, user=slot_only, slot=SlotFactory(event=visio))
    assert not shown(None)
    assert not shown(member)
    assert not shown(other_coordinator)
    assert not shown(waiting)
    assert not shown(pending)
    assert not shown(slot_only)
    assert shown(registered)
    assert shown(lead.user)
    assert shown(coordinator)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "sees"), [(AnimatorStatus.PROPOSED, False), (AnimatorStatus.CONFIRMED, True)])
def test_animators_see_the_online_link(client, visio, loire, status, sees):
    """The invited expert of a café-visio, once an organiser confirmed them, connects like the
    registrants; a mere « Je peux animer », open to any member, gives no link."""
    expert = AdvisorFactory(departement=loire)
    AnimatorSignupFactory(slot=SlotFactory(event=visio), advisor=expert, status=status)
    elsewhere = AdvisorFactory(departement=loire)
    AnimatorSignupFactory(slot=SlotFactory(event=EventFactory(departement=loire)), advisor=elsewhere)
    client.force_login(expert.user)
    assert (SECRET in client.get(url(visio)).content.decode()) is sees
    assert (SECRET in client.get(reverse("events:ics", args=[visio.pk])).content.decode()) is sees
    client.force_login(elsewhere.user)  # animates another event only
    assert SECRET not in client.get(url(visio)).content.decode()


@pytest.mark.django_db
def test_a_visitor_who_has_not_confirmed_never_sees_the_online_link(client, visio):
    pending = RegistrationFactory(event=visio, visitor=True, pending=True, email="pas-confirme@exemple.fr")
    page = client.get(reverse("events:registration_confirm", args=[pending.token]))
    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert SECRET not in client.get(url(visio)).content.decode()
    confirmed = RegistrationFactory(event=visio, visitor=True, email="confirme@exemple.fr")
    assert SECRET in client.get(reverse("events:registration_confirm", args=[confirmed.token])).content.decode()


@pytest.mark.django_db
def test_the_online_link_is_never_in_the_json_ld(client, visio, lead):
    client.force_login(lead.user)
    response = client.get(url(visio))
    data = json_ld(response)
    assert SECRET not in json.dumps(data)
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"][1] == {"@type": "VirtualLocation", "url": f"http://testserver{url(visio)}"}


# --- JSON-LD and QR code --------------------------------------------------------------------------


@pytest.mark.django_db
def test_json_ld_describes_the_event(client, event, saint_etienne):
    structure = StructureFactory(commune=saint_etienne, name="Centre social Beaubrun")
    OrganiserFactory(event=event, advisor=None, structure=structure)
    SlotFactory(event=event, title="Atelier IA", room="Salle 2", starts_at=at(2036, 12, 9, 10), capacity=12)
    SlotFactory(event=event, title="Stand démarches", room="", starts_at=at(2036, 12, 9, 14))
    RegistrationFactory.create_batch(5, event=event)
    RegistrationFactory(event=event, waitlisted=True)
    event.title = "Fête </script><script>alert(1)</script>"
    event.save()
    response = client.get(url(event))
    assert "</script><script>alert" not in response.content.decode()
    data = json_ld(response)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"] == "2036-12-09T10:00:00+01:00" and data["endDate"] == "2036-12-09T17:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["location"]["name"] == "Médiathèque Tarentaize"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["location"]["address"]["addressLocality"] == "Saint-Étienne"
    assert data["location"]["address"]["postalCode"] == "42000"
    assert {organiser["@type"] for organiser in data["organizer"]} == {"Person", "Organization"}
    assert [organiser["name"] for organiser in data["organizer"]] == ["Nadia Benali", "Centre social Beaubrun"]
    assert data["maximumAttendeeCapacity"] == 30 and data["remainingAttendeeCapacity"] == 25
    assert [sub["name"] for sub in data["subEvent"]] == ["Atelier IA", "Stand démarches"]
    assert data["subEvent"][0]["location"]["name"] == "Salle 2"
    assert data["subEvent"][0]["maximumAttendeeCapacity"] == 12
    assert data["url"] == f"http://testserver{url(event)}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "schema"),
    [(EventStatus.CANCELLED, "EventCancelled"), (EventStatus.POSTPONED, "EventPostponed")],
)
def test_json_ld_status(client, event, status, schema):
    event.status = status
    event.save()
    assert json_ld(client.get(url(event)))["eventStatus"] == f"https://schema.org/{schema}"


@pytest.mark.django_db
def test_json_ld_of_an_online_event_has_no_address(client, loire):
    event = EventFactory(departement=loire, public=True, mode=EventMode.DISTANCIEL, online_url=SECRET)
    data = json_ld(client.get(url(event)))
    assert data["location"]["@type"] == "VirtualLocation"
    assert "maximumAttendeeCapacity" not in data
    assert "À distance" in page_text(client.get(url(event)))


@pytest.mark.django_db
def test_organisers_with_a_hidden_profile_are_counted_not_named(client, event, loire):
    hidden = AdvisorFactory(departement=loire, user__first_name="Paul", user__last_name="Secret")
    OrganiserFactory(event=event, advisor=hidden)
    OrganiserFactory(event=event, advisor=AdvisorFactory(departement=loire), status=OrganiserStatus.DECLINED)
    response = client.get(url(event))
    text = page_text(response)
    assert "Paul Secret" not in response.content.decode()
    assert "et 1 autre personne au profil que vous ne pouvez pas voir" in text
    assert [organiser["name"] for organiser in json_ld(response)["organizer"]] == ["Nadia Benali"]


@pytest.mark.django_db
def test_qr_code_points_to_the_page(client, event):
    response = client.get(url(event))
    html = response.content.decode()
    assert re.search(
        r'<svg role="img" aria-label="QR code de la page de l’événement" viewBox="[^"]+" class="qr-code">', html
    )
    assert f"<title>QR code vers http://testserver{url(event)}</title>" in html
    assert f"http://testserver{url(event)}" in page_text(response)


@pytest.mark.django_db
def test_no_qr_code_for_a_draft_or_a_cancelled_event(client, event, coordinator):
    client.force_login(coordinator)
    for status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        event.status = status
        event.save()
        assert "qr-code" not in client.get(url(event)).content.decode()


# --- Needs and bilan ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_needs_and_their_offers(client, event, member):
    need = NeedFactory(event=event, description="Un vidéoprojecteur")
    NeedOffer.objects.create(need=need, user=UserFactory(first_name="Léa", last_name="Martin"), message="J’en ai un")
    NeedFactory(event=event, kind="salle", description="Une salle de 50 places", covered=True)
    text = page_text(client.get(url(event)))
    assert "Matériel Un vidéoprojecteur" in text and "Une salle de 50 places couvert" in text
    assert "Léa Martin" not in text and "1 proposition d’aide" in text
    client.force_login(member)
    assert "« J’en ai un » — Léa Martin" in page_text(client.get(url(event)))


@pytest.mark.django_db
def test_bilan_of_a_past_event(client, loire):
    event = EventFactory(
        departement=loire,
        public=True,
        past=True,
        attendance_count=41,
        report="# Les chiffres\n\nUne **belle** journée.",
    )
    response = client.get(url(event))
    assert "41 participants" in page_text(response)
    assert "<strong>belle</strong>" in response.content.decode()
    assert "<h3>Les chiffres</h3>" in response.content.decode()  # under « Bilan » (h2)
    upcoming = EventFactory(departement=loire, public=True)
    assert "Bilan" not in page_text(client.get(url(upcoming)))


# --- Series and calendars ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_occurrence_tells_its_series_and_is_not_repeated_again(client, event, lead):
    client.force_login(lead.user)
    response = client.get(url(event))
    repeat = f'href="{reverse("events:series_create", args=[event.pk])}"'
    assert "Fait partie d’une série" not in page_text(response)
    assert repeat in response.content.decode() and "Répéter cet événement" in page_text(response)

    event.series = EventSeries.objects.create(
        departement=event.departement,
        rule="FREQ=MONTHLY;BYDAY=+2TU",
        starts_on=datetime.date(2036, 12, 9),
        start_time=datetime.time(10),
        duration=datetime.timedelta(hours=7),
    )
    event.save()
    response = client.get(url(event))
    assert "Fait partie d’une série : le 2e mardi du mois à 10 h." in page_text(response)
    assert repeat not in response.content.decode()


@pytest.mark.django_db
def test_only_those_who_edit_may_repeat_the_event(client, event, member, coordinator):
    repeat = f'href="{reverse("events:series_create", args=[event.pk])}"'
    assert repeat not in client.get(url(event)).content.decode()
    client.force_login(member)
    assert repeat not in client.get(url(event)).content.decode()
    client.force_login(coordinator)
    assert repeat in client.get(url(event)).content.decode()


@pytest.mark.django_db
def test_calendar_links(client, event, loire, member):
    ics = f'href="{reverse("events:ics", args=[event.pk])}"'
    feed = f'href="{reverse("events:departement_feed", args=[loire.code])}"'
    mine = f'href="{reverse("events:calendar_token")}"'
    response = client.get(url(event))  # a public event, a visitor
    html, text = response.content.decode(), page_text(response)
    assert ics in html and "Ajouter à mon agenda (.ics)" in text
    assert feed in html and "S’abonner aux événements publics du département" in text
    assert mine not in html

    client.force_login(member)
    html = client.get(url(event)).content.decode()
    assert ics in html and feed in html and mine in html and "Mon agenda personnel" in html
    reseau = EventFactory(departement=loire)  # not in the public feed
    html = client.get(url(reseau)).content.decode()
    assert f'href="{reverse("events:ics", args=[reseau.pk])}"' in html and feed not in html and mine in html


# --- Queries --------------------------------------------------------------------------------------


# The page itself: the event (with its places, territory and series), its organisers, skills, needs,
# offers, slots and their animators (7). Logged in: the session, the account, its memberships and its
# profile (4). The panels add theirs, whatever the number of rows: registrations (the counts; logged
# in, the viewer's registration), programme (the slots' registration counts with the viewer's own),
# organisers (none: they read the page's lists), the resources from the event (resources.templatetags).
PAGE_QUERIES = {None: 10, "member": 15, "coordinator": 15}


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "member", "coordinator"])
def test_page_queries_do_not_grow(client, request, event, loire, saint_etienne, django_assert_num_queries, who):
    user = request.getfixturevalue(who) if who else None
    if user:
        client.force_login(user)

    def fill(count):
        for _ in range(count):
            OrganiserFactory(event=event, advisor=AdvisorFactory(departement=loire, public=True))
            OrganiserFactory(event=event, advisor=None, structure=StructureFactory(commune=saint_etienne))
            need = NeedFactory(event=event)
            NeedOffer.objects.create(need=need, user=UserFactory(), message="Moi")
            slot = SlotFactory(event=event)
            AnimatorSignupFactory(slot=slot)
            RegistrationFactory(event=event, slot=slot)
            event.skills.add(SkillFactory())
            RegistrationFactory(event=event)

    fill(2)
    with django_assert_num_queries(PAGE_QUERIES[who]):
        client.get(url(event))
    fill(6)
    with django_assert_num_queries(PAGE_QUERIES[who]):
        response = client.get(url(event))
    assert len(json_ld(response)["organizer"]) == 1 + 8 + 8
    assert len(json_ld(response)["subEvent"]) == 8
