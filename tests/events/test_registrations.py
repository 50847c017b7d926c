"""Registrations: places, the waiting list, visitors confirming by email, the organisers' tools."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.enums import Attendance, EventStatus, RegistrationStatus
from events.models import Registration
from events.queries.programme import slots_prefetch
from events.queries.registrations import registration_panel, slot_registration_states
from events.services import registrations as services
from events.services.events import event_update
from tests.advisors.factories import AdvisorFactory, MembershipFactory, UserFactory
from tests.events.factories import EventFactory, OrganiserFactory, RegistrationFactory, SlotFactory
from tests.territories.factories import DepartementFactory

NBSP = "\u00a0"
ONLINE = "https://visio.exemple.fr/salle-secrete"


def plain(text):
    return " ".join(text.replace(NBSP, " ").split())


def link(path_name, body):
    """The path of the ``path_name`` link (confirm or cancel) in an email body."""
    prefix, suffix = reverse(path_name, args=["TOKEN"]).split("TOKEN")
    match = re.search(rf"http://testserver({re.escape(prefix)}[\w-]+{re.escape(suffix)})", body)
    return match.group(1) if match else None


@pytest.fixture
def event(loire):
    return EventFactory(departement=loire, capacity=2, public=True, online_url=ONLINE)


# Services -----------------------------------------------------------------------------------------


def test_members_get_places_until_full_then_join_the_waiting_list_in_order(event):
    registrations = [services.registration_create(event=event, user=UserFactory()) for _ in range(4)]

    assert [r.status for r in registrations] == ["confirmee", "confirmee", "attente", "attente"]
    assert list(Registration.objects.filter(event=event).waitlisted()) == registrations[2:]


def test_no_capacity_means_no_waiting_list(loire):
    event = EventFactory(departement=loire, capacity=None)
    statuses = {services.registration_create(event=event, user=UserFactory()).status for _ in range(5)}
    assert statuses == {RegistrationStatus.CONFIRMED}


def test_cancelling_a_place_promotes_exactly_the_first_of_the_waiting_list_and_emails_them(
    event, django_capture_on_commit_callbacks
):
    holder, other = RegistrationFactory(event=event), RegistrationFactory(event=event)
    first, second = (
        RegistrationFactory(event=event, waitlisted=True),
        RegistrationFactory(event=event, waitlisted=True),
    )
    # Arrival order, not pk order, decides.
    Registration.objects.filter(pk=second.pk).update(queued_at=first.queued_at - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder)

    assert set(Registration.objects.filter(event=event).confirmed()) == {other, second}
    assert list(Registration.objects.filter(event=event).waitlisted()) == [first]
    assert [message.to for message in mail.outbox] == [[second.email]]
    assert "Une place s’est libérée" in mail.outbox[0].subject
    assert link("events:registration_cancel", mail.outbox[0].body)


def test_cancelling_twice_or_a_waiting_place_promotes_no_one(event):
    holder = RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    waiting = [RegistrationFactory(event=event, waitlisted=True) for _ in range(3)]

    services.registration_cancel(registration=waiting[1])
    services.registration_cancel(registration=holder)
    services.registration_cancel(registration=holder)

    assert Registration.objects.filter(event=event).confirmed().count() == 2
    assert list(Registration.objects.filter(event=event).waitlisted()) == [waiting[2]]


def test_raising_the_capacity_by_k_promotes_k_in_order_each_emailed(event, django_capture_on_commit_callbacks):
    [RegistrationFactory(event=event) for _ in range(2)]
    waiting = [RegistrationFactory(event=event, waitlisted=True) for _ in range(5)]

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_capacity_set(event=event, capacity=5)

    assert promoted == waiting[:3]
    assert Registration.objects.filter(event=event).confirmed().count() == 5
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in waiting[:3])
    event.refresh_from_db()
    assert event.capacity == 5


@pytest.mark.parametrize(
    "change",
    [
        {"status": EventStatus.CANCELLED},
        {"status": EventStatus.POSTPONED},
        {"starts_at": timezone.now() - timedelta(hours=1), "ends_at": timezone.now() + timedelta(hours=1)},
        {"starts_at": timezone.now() - timedelta(days=3), "ends_at": timezone.now() - timedelta(days=3, hours=-2)},
    ],
    ids=["cancelled", "postponed", "started", "finished"],
)
def test_no_one_is_promoted_on_a_cancelled_postponed_or_started_event(
    event, change, django_capture_on_commit_callbacks
):
    """« Une place s’est libérée » is no news once the event is cancelled or over: neither a place given
    up nor more places (the event form's capacity, through ``event_update``) promote anyone."""
    holder = RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, waitlisted=True)
    type(event).objects.filter(pk=event.pk).update(**change)
    event.refresh_from_db()
    lead = AdvisorFactory(departement=event.departement)
    OrganiserFactory(event=event, advisor=lead)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder)
        event_update(event=event, by=lead.user, capacity=10)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert mail.outbox == []


def test_the_admin_shows_the_capacity_without_changing_it(client, event):
    """Django's admin would bypass ``registration_capacity_set`` (the confirmed places, the waiting list)."""
    SlotFactory(event=event, capacity=12)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert 'name="capacity"' not in html and 'name="slots-0-capacity"' not in html
    assert 'name="title"' in html and 'name="slots-0-title"' in html


def test_unlimited_capacity_promotes_everyone(event):
    [RegistrationFactory(event=event) for _ in range(2)]
    [RegistrationFactory(event=event, waitlisted=True) for _ in range(3)]
    assert len(services.registration_capacity_set(event=event, capacity=None)) == 3


def test_lowering_the_capacity_below_the_places_given_is_refused_with_a_clear_message(loire):
    event = EventFactory(departement=loire, capacity=20)
    [RegistrationFactory(event=event) for _ in range(12)]

    with pytest.raises(ValidationError) as error:
        services.registration_capacity_set(event=event, capacity=11)

    assert plain(error.value.message_dict["capacity"][0]) == (
        "12 personnes sont déjà inscrites : la capacité ne peut pas descendre sous 12."
    )
    event.refresh_from_db()
    assert event.capacity == 20
    services.registration_capacity_set(event=event, capacity=12)


def test_a_slot_has_its_own_places_and_waiting_list(event):
    slot = SlotFactory(event=event, capacity=1)
    first = services.registration_create(event=event, slot=slot, user=UserFactory())
    second = services.registration_create(event=event, slot=slot, user=UserFactory())
    # The event's own places are untouched.
    assert services.registration_create(event=event, user=first.user).status == RegistrationStatus.CONFIRMED
    assert (first.status, second.status) == ("confirmee", "attente")

    with pytest.raises(ValidationError):
        services.registration_capacity_set(event=event, slot=slot, capacity=0)
    assert services.registration_capacity_set(event=event, slot=slot, capacity=2) == [second]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": EventStatus.DRAFT}, "pas encore publié"),
        ({"status": EventStatus.CANCELLED}, "est annulé"),
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "a déjà commencé"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "Inscriptions ouvertes à partir du"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "Les inscriptions sont closes depuis"),
    ],
)
def test_registering_outside_the_registration_period_is_refused_in_french(event, change, message):
    for field, value in change.items():
        setattr(event, field, value)
    event.save()

    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, user=UserFactory())
    assert message in plain(error.value.messages[0])
    assert not Registration.objects.exists()


def test_opening_date_is_told_in_the_departements_time_zone(loire):
    loire.timezone = "Indian/Reunion"
    loire.save()
    opens = timezone.datetime(2027, 3, 1, 10, 0, tzinfo=timezone.get_fixed_timezone(0))  # 14 h in La Réunion
    event = EventFactory(departement=loire, registration_opens_at=opens, starts_at=opens + timedelta(days=400))
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, user=UserFactory())
    assert plain(error.value.messages[0]) == "Inscriptions ouvertes à partir du 1er mars 2027 à 14 h."


def test_registering_twice_gets_a_message_not_an_error(event):
    user = UserFactory(email="anne@exemple.fr")
    services.registration_create(event=event, user=user)
    with pytest.raises(ValidationError, match="existe déjà"):
        services.registration_create(event=event, user=user)
    with pytest.raises(ValidationError, match="existe déjà"):
        services.registration_create(event=event, name="Anne", email="ANNE@exemple.fr ")


def test_after_cancelling_one_may_register_again(event):
    user = UserFactory()
    services.registration_cancel(registration=services.registration_create(event=event, user=user))
    assert services.registration_create(event=event, user=user).status == RegistrationStatus.CONFIRMED


def test_attendance_is_marked_for_people_with_a_place_only(event):
    registration = RegistrationFactory(event=event)
    services.registration_mark_attendance(registration=registration, attendance=Attendance.PRESENT)
    registration.refresh_from_db()
    assert registration.attendance == "present"
    with pytest.raises(ValidationError):
        services.registration_mark_attendance(registration=registration, attendance="peut-être")
    pending = RegistrationFactory(event=event, visitor=True, pending=True)
    with pytest.raises(ValidationError):
        services.registration_mark_attendance(registration=pending, attendance=Attendance.PRESENT)


# A visitor, from the form to the emailed links -----------------------------------------------------


def test_a_visitor_registers_confirms_and_cancels_through_the_emailed_links(
    client, event, django_capture_on_commit_callbacks
):
    waiting_member = None
    url = reverse("events:register", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "  Léa   Martin ", "email": "Lea.Martin@Exemple.fr"})
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration_sent", args=[event.pk])
    assert "lea.martin@exemple.fr" in plain(client.get(response["Location"]).text)

    registration = Registration.objects.get(event=event)
    assert (registration.name, registration.status, registration.queued_at) == ("Léa Martin", "a_confirmer", None)
    [pending_email] = mail.outbox
    assert pending_email.to == ["lea.martin@exemple.fr"]
    assert ONLINE not in pending_email.body
    confirm_url = link("events:registration_confirm", pending_email.body)
    cancel_url = link("events:registration_cancel", pending_email.body)
    assert confirm_url and cancel_url

    # A pending registration takes no place.
    assert registration_panel(event, UserFactory())["remaining"] == 2

    # Mail scanners follow links: GET shows a button and confirms nothing.
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Confirmer mon inscription" in page.text
    assert ONLINE not in page.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    confirmed_email = mail.outbox[-1]
    assert "Inscription confirmée" in confirmed_email.subject
    assert ONLINE in confirmed_email.body
    assert link("events:registration_cancel", confirmed_email.body) == cancel_url
    confirmed_page = client.get(confirm_url).text
    assert ONLINE in confirmed_page
    # The page now says where the registration stands, not what to do.
    assert "<title>Inscription confirmée — Maillage</title>" in confirmed_page
    assert "<h1>Inscription confirmée</h1>" in confirmed_page and "Confirmer mon inscription" not in confirmed_page

    # Someone on the waiting list gets the place the visitor gives back.
    RegistrationFactory(event=event)
    waiting_member = RegistrationFactory(event=event, waitlisted=True)
    assert client.get(cancel_url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url)
    assert response.status_code == 302
    registration.refresh_from_db()
    waiting_member.refresh_from_db()
    assert (registration.status, waiting_member.status) == ("annulee", "confirmee")
    assert mail.outbox[-1].to == [waiting_member.email]


def test_a_visitor_confirming_when_full_joins_the_waiting_list_with_a_rank(
    client, event, django_capture_on_commit_callbacks
):
    [RegistrationFactory(event=event) for _ in range(2)]
    RegistrationFactory(event=event, waitlisted=True)
    registration = RegistrationFactory(event=event, visitor=True, pending=True, email="paul@exemple.fr")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:registration_confirm", args=[registration.token]))

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WAITLISTED
    assert "au rang 2" in plain(mail.outbox[-1].body)
    assert ONLINE not in mail.outbox[-1].body
    page = client.get(reverse("events:registration_confirm", args=[registration.token]))
    assert "au rang 2" in plain(page.text)
    assert ONLINE not in page.text


def test_a_visitor_form_with_errors_is_shown_again_in_french(client, event):
    response = client.post(reverse("events:register", args=[event.pk]), {"name": " ", "email": "pas-une-adresse"})
    assert response.status_code == 400
    text = plain(response.text)
    assert "Indiquez votre prénom et votre nom." in text
    assert "Saisissez une adresse électronique valide" in text
    assert not Registration.objects.exists()


def test_registering_again_with_the_same_address_resends_the_links_and_reveals_nothing(
    client, event, django_capture_on_commit_callbacks
):
    data = {"name": "Léa Martin", "email": "lea@exemple.fr"}
    url = reverse("events:register", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 2
    assert link("events:registration_confirm", mail.outbox[1].body) == link(
        "events:registration_confirm", mail.outbox[0].body
    )


def test_a_reseau_event_asks_visitors_to_log_in(client, loire):
    event = EventFactory(departement=loire)
    response = client.post(reverse("events:register", args=[event.pk]), {"name": "A", "email": "a@exemple.fr"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Registration.objects.exists()


def test_visitor_registrations_are_rate_limited_per_address(client, loire, django_capture_on_commit_callbacks):
    events = [EventFactory(departement=loire, public=True) for _ in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                reverse("events:register", args=[event.pk]), {"name": "Léa", "email": "lea@exemple.fr"}
            ).status_code
            for event in events
        ]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5
    # Another address from the same connection still gets through.
    response = client.post(reverse("events:register", args=[events[5].pk]), {"name": "Paul", "email": "p@exemple.fr"})
    assert response.status_code == 302


def test_visitor_registrations_are_rate_limited_per_ip_and_event_behind_the_trusted_proxy(
    client, event, loire, settings
):
    """A room shares one IP address (the venue's Wi-Fi): its limit is per event, so the next event's
    room is not blocked by this one's."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "event_registration_ip": "2/h/key"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    other = EventFactory(departement=loire, public=True)

    def post(n, ip, to=event):
        data = {"name": "Quelqu’un", "email": f"p{n}@exemple.fr"}
        return client.post(reverse("events:register", args=[to.pk]), data, HTTP_X_FORWARDED_FOR=ip).status_code

    assert [post(1, "203.0.113.7"), post(2, "203.0.113.7"), post(3, "203.0.113.7")] == [302, 302, 429]
    url = reverse("events:register", args=[event.pk])
    response = client.post(url, {"name": "X", "email": "x@exemple.fr"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert "Trop de demandes d’inscription" in response.text
    assert post(4, "198.51.100.2") == 302
    assert post(5, "203.0.113.7", to=other) == 302


def test_a_whole_room_registers_from_one_wifi(client, event, settings, django_capture_on_commit_callbacks):
    """The default limits let 300 people of a Fête register from the venue's one IP address."""
    event.capacity = None
    event.save(update_fields=["capacity"])
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("events:register", args=[event.pk])
    statuses = {
        client.post(url, {"name": "Q", "email": f"p{n}@exemple.fr"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
        for n in range(300)
    }
    assert statuses == {302}


def test_the_pending_email_never_repeats_the_name_typed(client, event, django_capture_on_commit_callbacks):
    """Whoever fills the form may not own the address: their free text must not reach it (spam, phishing)."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:register", args=[event.pk]),
            {"name": "Gagnez 1000 € sur arnaque.example", "email": "cible@exemple.fr"},
        )
    (message,) = mail.outbox
    assert message.body.startswith("Bonjour,")
    assert "arnaque" not in message.body and "arnaque" not in message.subject


@pytest.mark.parametrize("token", ["inconnu", "x" * 300, "9" * 25])
def test_an_unknown_token_is_a_404(client, db, token):
    assert client.get(reverse("events:registration_confirm", args=[token])).status_code == 404
    assert client.post(reverse("events:registration_cancel", args=[token])).status_code == 404


def test_a_nul_byte_in_a_token_is_a_400(client):
    assert client.get("/evenements/inscriptions/ab%00cd/confirmer/").status_code == 400
    assert client.post("/evenements/inscriptions/ab%00cd/annuler/").status_code == 400


# Members, in one click ------------------------------------------------------------------------------


def test_a_member_registers_and_unregisters_in_one_click(client, event, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302
    registration = Registration.objects.get(user=member)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert ONLINE in mail.outbox[0].body

    client.post(reverse("events:register", args=[event.pk]))
    assert Registration.objects.filter(user=member).count() == 1

    client.post(reverse("events:unregister", args=[event.pk]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_a_member_registers_to_a_slot_and_goes_back_where_they_came_from(client, event, member):
    slot = SlotFactory(event=event, capacity=1)
    RegistrationFactory(event=event, slot=slot)
    client.force_login(member)
    back = f"{event.get_absolute_url()}#programme"

    response = client.post(reverse("events:slot_register", args=[slot.pk]), {"next": back})

    assert response["Location"] == back
    assert slot_registration_states(event, member)[slot.pk] == {
        "registered": True,
        "status": RegistrationStatus.WAITLISTED,
        "remaining": 0,
        "waitlist": 1,
    }
    client.post(reverse("events:slot_unregister", args=[slot.pk]))
    assert slot_registration_states(event, member)[slot.pk]["registered"] is False


# The panel of the event page ------------------------------------------------------------------------


def test_the_panel_tells_places_left_then_the_waiting_list_and_the_viewers_rank(event, member):
    panel = registration_panel(event, member)
    assert (panel["remaining"], panel["can_register"], panel["mine"]) == (2, True, None)

    [RegistrationFactory(event=event) for _ in range(2)]
    [RegistrationFactory(event=event, waitlisted=True) for _ in range(2)]
    mine = RegistrationFactory(event=event, user=member, waitlisted=True)
    panel = registration_panel(event, member)
    assert (panel["full"], panel["waitlist"], panel["mine"], panel["mine"].rank) == (True, 3, mine, 3)
    assert panel["online_url"] == ""

    Registration.objects.filter(pk=mine.pk).update(status=RegistrationStatus.CONFIRMED)
    assert registration_panel(event, member)["online_url"] == ONLINE


def test_the_panel_offers_visitors_a_form_only_on_public_events(event, loire):
    from django.contrib.auth.models import AnonymousUser

    assert registration_panel(event, AnonymousUser())["visitor_form"] is not None
    reseau = EventFactory(departement=loire)
    panel = registration_panel(reseau, AnonymousUser())
    assert panel["visitor_form"] is None
    assert panel["login_needed"] is True


@pytest.mark.parametrize("size", [3, 30])
def test_the_panel_and_slot_states_read_a_bounded_number_of_queries(event, member, size, django_assert_num_queries):
    event.capacity = 10
    event.save()
    for _ in range(size):
        RegistrationFactory(event=event, waitlisted=True)
    RegistrationFactory(event=event, user=member, waitlisted=True)
    slots = [SlotFactory(event=event, capacity=2) for _ in range(3)]
    for slot in slots:
        for _ in range(size // 3):
            RegistrationFactory(event=event, slot=slot)
    # As the event page loads it: its organisers, its slots with their animators (events.queries.detail).
    event = (
        type(event)
        .objects.select_related("departement")
        .prefetch_related("organisers__advisor", slots_prefetch())
        .get(pk=event.pk)
    )
    member.memberships.all()  # loaded by the page's permission checks already

    # Counts, the viewer's registration, its rank, the viewer's memberships (coordinator?); whether
    # they animate a slot (for the online link) comes from the page's slots.
    with django_assert_num_queries(4):
        registration_panel(event, member)
    # The slots' counts and the viewer's own slot registrations, in one query grouped by slot.
    with django_assert_num_queries(1):
        states = slot_registration_states(event, member, slots=event.slots.all())
    assert len(states) == 3
    # Without the page's slots, one query more for them.
    with django_assert_num_queries(2):
        assert slot_registration_states(event, member) == states


# The organisers' tools ------------------------------------------------------------------------------


@pytest.fixture
def organiser(event):
    return OrganiserFactory(event=event, advisor=AdvisorFactory(departement=event.departement)).advisor.user


def organiser_urls(event):
    return [
        reverse(name, args=[event.pk])
        for name in (
            "events:registrations",
            "events:registrations_export",
            "events:sign_in_sheet",
            "events:attendance",
        )
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("elsewhere", 403), ("member", 403), ("organiser", 200), ("coordinator", 200)],
)
def test_only_organisers_and_the_coordination_see_and_change_registrations(
    client, event, organiser, coordinator, member, savoie, who, expected
):
    users = {
        "elsewhere": MembershipFactory(departement=savoie).user,
        "member": member,
        "organiser": organiser,
        "coordinator": coordinator,
    }
    if who in users:
        client.force_login(users[who])
    registration = RegistrationFactory(event=event)
    for url in organiser_urls(event):
        assert client.get(url).status_code == expected, url
    response = client.post(
        reverse("events:attendance", args=[event.pk]), {"registration": registration.pk, "attendance": "present"}
    )
    registration.refresh_from_db()
    assert (registration.attendance == "present") is (expected == 200)
    assert response.status_code == (302 if expected == 200 else expected)


def populate(event, size):
    slot = SlotFactory(event=event, capacity=size)
    for n in range(size):
        RegistrationFactory(event=event, user=UserFactory(last_name=f"Nom{n:03d}"))
        RegistrationFactory(event=event, waitlisted=True)
        RegistrationFactory(event=event, slot=slot)
        RegistrationFactory(event=event, visitor=True, pending=True, email=f"v{size}-{n}@exemple.fr")


@pytest.mark.parametrize("name", ["events:registrations", "events:sign_in_sheet", "events:attendance"])
def test_organisers_pages_read_a_bounded_number_of_queries(client, event, organiser, name, django_assert_num_queries):
    client.force_login(organiser)
    url = reverse(name, args=[event.pk])
    event.capacity = None
    event.save()
    # Session, user, event, its organisers with their advisors (the organiser is let in: no memberships), the
    # registrations (with their accounts and slots).
    populate(event, 3)
    with django_assert_num_queries(5):
        few = client.get(url)
    populate(event, 20)
    with django_assert_num_queries(5):
        many = client.get(url)
    assert many.status_code == 200
    assert len(many.text) > len(few.text)


def test_the_registrations_list_of_an_event_in_la_reunion_reads_its_times_there(client, db):
    reunion = DepartementFactory(code="974", name="La Réunion", timezone="Indian/Reunion")
    event = EventFactory(departement=reunion, capacity=1, public=True)
    organiser = OrganiserFactory(event=event, advisor=AdvisorFactory(departement=reunion)).advisor.user
    utc = timezone.get_fixed_timezone(0)
    confirmed = RegistrationFactory(event=event, name="Line Payet")
    waiting = RegistrationFactory(event=event, waitlisted=True, name="Jean Hoarau")
    cancelled = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED, name="Marie Grondin")
    Registration.objects.filter(pk=confirmed.pk).update(created_at=timezone.datetime(2036, 3, 1, 10, 7, tzinfo=utc))
    Registration.objects.filter(pk=waiting.pk).update(queued_at=timezone.datetime(2036, 3, 1, 21, 30, tzinfo=utc))
    Registration.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.datetime(2036, 3, 1, 22, tzinfo=utc))
    client.force_login(organiser)

    text = client.get(reverse("events:registrations", args=[event.pk])).text

    # 10 h 07 UTC is 14 h 07 in La Réunion (11 h 07 in Paris); 21 h 30 and 22 h UTC are already the 2nd there.
    assert f"1 mars 2036 à 14{NBSP}h{NBSP}07" in text
    assert f"depuis le 2 mars 2036 à 1{NBSP}h{NBSP}30" in text
    assert "Marie Grondin, le 2 mars 2036" in text


def test_the_sign_in_sheet_lists_confirmed_people_by_last_name_with_a_signature_column(client, event, organiser):
    event.capacity = None
    event.save()
    for first, last in [("Zoé", "Abadie"), ("Anne", "Zola"), ("Marc", "Ébrard")]:
        RegistrationFactory(event=event, user=UserFactory(first_name=first, last_name=last))
    RegistrationFactory(event=event, visitor=True, name="Jules Martin", email="j@exemple.fr")
    RegistrationFactory(event=event, waitlisted=True, name="En Attente")
    client.force_login(organiser)

    text = client.get(reverse("events:sign_in_sheet", args=[event.pk])).text

    names = re.findall(r"<td>([^<]+)</td><td class=\"signature\">", text)
    assert [name.split()[-1] for name in names] == ["Abadie", "Ébrard", "Martin", "Zola"]
    assert "Signature" in text
    assert "En Attente" not in text
    local = event.starts_at.astimezone(event.tzinfo)
    assert f"le {local.day} " in plain(text) and f"à {local.hour} h" in plain(text)


def test_the_csv_export_keeps_formulas_as_text(client, event, organiser):
    RegistrationFactory(event=event, visitor=True, name='=HYPERLINK("http://evil.example","x")', email="e@exemple.fr")
    RegistrationFactory(event=event, waitlisted=True, name="+33 6 00 00 00 00")
    client.force_login(organiser)

    response = client.get(reverse("events:registrations_export", args=[event.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(" in body
    assert "'+33 6 00 00 00 00" in body
    assert ";=" not in body and "\n=" not in body


def test_the_attendance_page_has_the_breadcrumb_of_the_other_event_pages(client, event, organiser):
    client.force_login(organiser)
    html = client.get(reverse("events:attendance", args=[event.pk])).text
    crumbs = re.search(r'<nav class="breadcrumb" aria-label="Fil d’Ariane">(.*?)</nav>', html, re.S)[1]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs)
    assert links == [
        (reverse("events:index"), "Événements"),
        (event.get_absolute_url(), event.title),
        (reverse("events:registrations", args=[event.pk]), "Inscriptions"),
    ]
    assert '<li aria-current="page">Présences</li>' in crumbs
    assert '<p class="breadcrumb">' not in html


def test_attendance_from_a_phone_marks_one_person_per_post(client, event, organiser):
    registration = RegistrationFactory(event=event)
    elsewhere = RegistrationFactory(event=EventFactory(departement=event.departement))
    client.force_login(organiser)
    url = reverse("events:attendance", args=[event.pk])

    page = client.get(url)
    assert 'name="attendance" value="present"' in page.text

    response = client.post(url, {"registration": registration.pk, "attendance": "present"})
    assert response["Location"].endswith(f"#inscription-{registration.pk}")
    registration.refresh_from_db()
    assert registration.attendance == "present"
    # Another event's registration, or nonsense, changes nothing and is no 500.
    for data in ({"registration": elsewhere.pk, "attendance": "present"}, {"registration": "9" * 30}, {}):
        assert client.post(url, data).status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.attendance == ""
