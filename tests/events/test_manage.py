"""Creating and editing events, their status (publish, cancel, postpone, delete) and their bilan."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from advisors.enums import LieuApproval
from advisors.models import Advisor
from events.enums import EventMode, EventStatus, OrganiserRole, OrganiserStatus, RegistrationStatus
from events.models import Event, Organiser
from events.services import events as services
from events.services.reminders import reminders_send
from tests.advisors.factories import AdvisorFactory, LieuFactory, MembershipFactory, StructureFactory
from tests.events.factories import (
    AnimatorSignupFactory,
    EventFactory,
    OrganiserFactory,
    RegistrationFactory,
    SlotFactory,
)
from tests.skills.factories import SkillFactory
from tests.territories.factories import CommuneFactory, DepartementFactory

NEXT_YEAR = timezone.localdate().year + 1
# The last Sunday of March of next year: in France, clocks jump from 2 h to 3 h; 2 h 30 does not exist.
SPRING_FORWARD = max(date(NEXT_YEAR, 3, day) for day in range(25, 32) if date(NEXT_YEAR, 3, day).weekday() == 6)


def form_data(**overrides):
    data = {
        "departement": "42",
        "kind": "rencontre",
        "title": "Rencontre des conseillers du Forez",
        "description": "On fait connaissance.",
        "date": f"{NEXT_YEAR}-03-10",
        "start_time": "14:00",
        "end_time": "17:00",
        "mode": "presentiel",
        "lieu": "",
        "address": "2 rue de la Paix",
        "commune": "Saint-Étienne — 42218",
        "online_url": "",
        "scope": "departement",
        "epci": "",
        "audience": "reseau",
        "visibility": "reseau",
        "capacity": "30",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "accessibility": "",
        "action": "publish",
    }
    data.update(overrides)
    return data


@pytest.fixture
def advisor(loire, saint_etienne):
    return AdvisorFactory(departement=loire)


@pytest.fixture
def reunion(db):
    departement = DepartementFactory(reunion=True)
    CommuneFactory(departement=departement, code="97411", name="Saint-Denis", postal_codes="97400")
    return departement


# Creating


def test_a_member_creates_a_published_event_and_leads_it(client, advisor):
    client.force_login(advisor.user)
    skill = SkillFactory()

    response = client.post(reverse("events:create"), form_data(skills=[skill.pk]))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.status == EventStatus.PUBLISHED
    assert event.commune.code == "42218"
    assert event.created_by == advisor.user
    assert list(event.skills.all()) == [skill]
    organiser = Organiser.objects.get(event=event)
    assert (organiser.advisor, organiser.role, organiser.status) == (
        advisor,
        OrganiserRole.LEAD,
        OrganiserStatus.ACCEPTED,
    )


def test_saved_as_a_draft(client, advisor):
    client.force_login(advisor.user)
    client.post(reverse("events:create"), form_data(action="draft"))
    assert Event.objects.get().status == EventStatus.DRAFT


def test_the_times_typed_are_those_of_the_departement(client, reunion):
    advisor = AdvisorFactory(departement=reunion)
    client.force_login(advisor.user)

    response = client.post(
        reverse("events:create"),
        form_data(departement="974", commune="Saint-Denis — 97411", date="2026-12-08", start_time="14:00"),
    )

    assert response.status_code == 302
    event = Event.objects.get()
    # 14 h in La Réunion (UTC+4) is 10 h UTC, whoever typed it and wherever the server is.
    assert event.starts_at == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2026, 12, 8, 13, 0, tzinfo=UTC)
    form = client.get(reverse("events:edit", args=[event.pk])).context["form"]
    assert form["start_time"].value().strftime("%H:%M") == "14:00"


def test_the_departement_is_preselected_when_the_person_has_one_network(client, advisor):
    client.force_login(advisor.user)
    response = client.get(reverse("events:create"))
    assert response.status_code == 200
    assert 'value="42" selected' in response.content.decode()


def test_a_member_of_two_networks_chooses_and_the_query_preselects(client, advisor, savoie):
    MembershipFactory(user=advisor.user, departement=savoie)
    client.force_login(advisor.user)
    response = client.get(reverse("events:create") + "?departement=73")
    assert 'value="73" selected' in response.content.decode()
    assert [d.code for d in response.context["form"].fields["departement"].queryset] == ["42", "73"]


def test_a_network_one_is_not_member_of_is_refused(client, advisor, savoie, chambery):
    client.force_login(advisor.user)
    response = client.post(reverse("events:create"), form_data(departement="73", commune="Chambéry — 73065"))
    assert response.status_code == 200
    assert "Choisissez un département de vos réseaux." in response.content.decode()
    assert not Event.objects.exists()


def test_a_coordinator_without_profile_gets_one_and_leads(client, coordinator, saint_etienne):
    client.force_login(coordinator)
    response = client.post(reverse("events:create"), form_data())
    assert response.status_code == 302
    organiser = Organiser.objects.get()
    assert organiser.advisor == Advisor.objects.get(user=coordinator)
    assert organiser.is_lead


def test_a_member_without_profile_cannot_create(client, member):
    client.force_login(member)
    assert client.get(reverse("events:create")).status_code == 403


def test_the_service_refuses_a_member_without_profile(member, loire):
    with pytest.raises(ValidationError):
        services.event_create(
            by=member,
            departement=loire,
            kind="rencontre",
            title="Sans profil",
            starts_at=timezone.now() + timedelta(days=3),
            ends_at=timezone.now() + timedelta(days=3, hours=2),
        )


def test_a_lieu_of_the_departement_places_the_event(client, advisor, saint_etienne):
    lieu = LieuFactory(structure=StructureFactory(commune=saint_etienne), approval=LieuApproval.ACCEPTED)
    client.force_login(advisor.user)
    response = client.post(reverse("events:create"), form_data(lieu=lieu.pk, address="", commune=""))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.lieu == lieu
    assert event.commune is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "13:00"}, "end_time", "L’heure de fin doit être après l’heure de début."),
        ({"end_time": "14:00"}, "end_time", "L’heure de fin doit être après l’heure de début."),
        ({"capacity": "9" * 25}, "capacity", "100\u202f000 places au plus"),
        ({"capacity": "-3"}, "capacity", "Indiquez au moins une place"),
        ({"capacity": "trente"}, "capacity", "Indiquez un nombre entier de places"),
        ({"lieu": "999999", "commune": ""}, "lieu", "Choisissez un lieu du département de l’événement"),
        ({"lieu": "abc", "commune": ""}, "lieu", "Choisissez un lieu du département de l’événement"),
        ({"commune": "", "address": ""}, "lieu", "Choisissez un lieu, ou indiquez une adresse"),
        ({"mode": "distanciel", "commune": ""}, "online_url", "Indiquez le lien de connexion"),
        ({"mode": "hybride"}, "online_url", "Indiquez le lien de connexion"),
        ({"online_url": "pas un lien"}, "online_url", "Adresse non valide"),
        ({"scope": "epci"}, "epci", "Choisissez l’intercommunalité"),
        ({"epci": "999999999", "scope": "epci"}, "epci", "Choisissez une intercommunalité du département"),
        ({"date": "31/02/2027"}, "date", "Saisissez une date valide"),
        ({"start_time": "25:99"}, "start_time", "Heure non valide"),
        ({"title": ""}, "title", "Donnez un titre à l’événement."),
        ({"kind": "bal"}, "kind", "Type d’événement inconnu."),
        ({"registration_opens_at": "2027-01-10T10:00", "registration_closes_at": "2027-01-01T10:00"},
         "registration_closes_at", "La clôture des inscriptions doit venir après leur ouverture."),
        ({"registration_opens_at": "demain"}, "registration_opens_at", "Saisissez une date et une heure valides"),
        ({"skills": ["999999"]}, "skills", "Cette thématique n’existe plus"),
        ({"date": SPRING_FORWARD.isoformat(), "start_time": "02:30", "end_time": "03:15"},
         "start_time", "Cette heure n’existe pas ce jour-là"),
        ({"date": SPRING_FORWARD.isoformat(), "start_time": "01:30", "end_time": "02:15"},
         "end_time", "Cette heure n’existe pas ce jour-là"),
        ({"registration_opens_at": f"{SPRING_FORWARD.isoformat()}T02:30"},
         "registration_opens_at", "Cette heure n’existe pas ce jour-là"),
        ({"date": "0001-01-01"}, "date", "Choisissez une date entre le"),
        ({"date": "9999-12-31", "start_time": "23:00", "end_time": "23:59"}, "date", "Choisissez une date entre le"),
        ({"date": f"{NEXT_YEAR + 10}-03-10"}, "date", "Choisissez une date entre le"),
        ({"registration_closes_at": "0001-01-01T10:00"}, "registration_closes_at", "Choisissez une date entre le"),
    ],
)  # fmt: skip
def test_bad_input_is_a_french_error_next_to_the_field(client, advisor, overrides, field, message):
    client.force_login(advisor.user)

    response = client.post(reverse("events:create"), form_data(**overrides))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Event.objects.exists()


def test_a_past_event_of_last_month_is_recorded(client, advisor):
    client.force_login(advisor.user)
    day = timezone.localdate() - timedelta(days=30)
    response = client.post(reverse("events:create"), form_data(date=day.isoformat()))
    assert response.status_code == 302
    assert timezone.localtime(Event.objects.get().starts_at).date() == day


def test_an_old_event_keeps_its_date_when_edited(client, advisor, saint_etienne):
    """The bounds apply to a date typed anew, not to the date an event of two years ago already has."""
    old = EventFactory(
        departement=advisor.departement,
        commune=saint_etienne,
        lead=advisor,
        # At 14 h: "now" two years ago ends after midnight when the suite runs late in the evening.
        starts_at=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) - timedelta(days=730),
    )
    client.force_login(advisor.user)
    response = client.post(reverse("events:edit", args=[old.pk]), edit_data(old, title="Rencontre de 2024"))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.title == "Rencontre de 2024"


def test_a_lieu_of_another_departement_is_refused(client, advisor, chambery):
    other = LieuFactory(structure=StructureFactory(commune=chambery), approval=LieuApproval.ACCEPTED)
    client.force_login(advisor.user)
    response = client.post(reverse("events:create"), form_data(lieu=other.pk, commune=""))
    assert "Choisissez un lieu du département de l’événement" in " ".join(response.context["form"].errors["lieu"])


def test_a_commune_of_another_departement_is_refused(client, advisor, chambery):
    client.force_login(advisor.user)
    response = client.post(reverse("events:create"), form_data(commune="Chambéry — 73065"))
    assert "pas dans celui de l’événement" in " ".join(response.context["form"].errors["commune"])


def test_a_nul_byte_is_a_400_not_a_500(client, advisor):
    client.force_login(advisor.user)
    response = client.post(reverse("events:create"), form_data(title="Fête\x00"))
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_the_lieu_select_lists_only_the_accepted_lieux_of_the_departement(client, advisor, saint_etienne, chambery):
    here = LieuFactory(structure=StructureFactory(commune=saint_etienne), approval=LieuApproval.ACCEPTED)
    LieuFactory(structure=StructureFactory(commune=saint_etienne), approval=LieuApproval.PENDING)
    LieuFactory(structure=StructureFactory(commune=chambery), approval=LieuApproval.ACCEPTED)
    client.force_login(advisor.user)
    form = client.get(reverse("events:create")).context["form"]
    assert list(form.fields["lieu"].queryset) == [here]


# Editing


@pytest.fixture
def event(advisor, saint_etienne):
    return EventFactory(departement=advisor.departement, commune=saint_etienne, capacity=30, lead=advisor)


def edit_data(event, **overrides):
    local = timezone.localtime(event.starts_at, event.tzinfo)
    data = form_data(
        title=event.title,
        date=local.date().isoformat(),
        start_time=local.strftime("%H:%M"),
        end_time=timezone.localtime(event.ends_at, event.tzinfo).strftime("%H:%M"),
        capacity=str(event.capacity or ""),
        address=event.address,
        action="save",
    )
    data.pop("departement")
    data.update(overrides)
    return data


def test_an_organiser_edits_and_the_sequence_rises_only_when_time_or_place_change(client, event, advisor):
    client.force_login(advisor.user)
    url = reverse("events:edit", args=[event.pk])

    client.post(url, edit_data(event, title="Nouveau titre"))
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Nouveau titre", 0)

    client.post(url, edit_data(event, start_time="15:00", end_time="18:00"))
    event.refresh_from_db()
    assert event.sequence == 1
    assert timezone.localtime(event.starts_at, event.tzinfo).hour == 15

    client.post(url, edit_data(event, address="Ailleurs"))
    event.refresh_from_db()
    assert event.sequence == 2


def test_a_co_organiser_edits(client, event):
    co = OrganiserFactory(event=event)
    client.force_login(co.advisor.user)
    response = client.post(reverse("events:edit", args=[event.pk]), edit_data(event, title="Par la co-organisatrice"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Par la co-organisatrice"


def test_lowering_the_capacity_below_the_confirmed_keeps_what_was_typed(client, event, advisor):
    RegistrationFactory.create_batch(3, event=event)
    client.force_login(advisor.user)

    response = client.post(reverse("events:edit", args=[event.pk]), edit_data(event, capacity="2", title="Titre tapé"))

    assert response.status_code == 200
    assert "la capacité ne peut pas descendre sous 3" in " ".join(response.context["form"].errors["capacity"])
    assert 'value="Titre tapé"' in response.content.decode()
    event.refresh_from_db()
    assert (event.capacity, event.title) != (2, "Titre tapé")
    assert event.capacity == 30


def test_raising_the_capacity_promotes_the_waiting_list(client, event, advisor):
    event.capacity = 1
    event.save()
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, waitlisted=True)
    client.force_login(advisor.user)

    client.post(reverse("events:edit", args=[event.pk]), edit_data(event, capacity="2"))

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


# Status


def test_publish_a_draft(client, advisor, saint_etienne):
    draft = EventFactory(departement=advisor.departement, draft=True, lead=advisor)
    client.force_login(advisor.user)
    response = client.post(reverse("events:publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == EventStatus.PUBLISHED


def test_publish_is_post_only(client, event, advisor):
    client.force_login(advisor.user)
    assert client.get(reverse("events:publish", args=[event.pk])).status_code == 405


def test_cancelling_emails_registrants_waitlisted_and_animators_with_the_message(
    client, event, advisor, django_capture_on_commit_callbacks
):
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, waitlisted=True)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    animator = AnimatorSignupFactory(slot=SlotFactory(event=event))
    client.force_login(advisor.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:cancel", args=[event.pk]), {"message": "La salle est inondée."})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert event.sequence == 1
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([confirmed.email, waiting.email, animator.advisor.user.email])
    body = mail.outbox[0].body
    assert "La salle est inondée." in body
    assert "est annulé" in body
    assert mail.outbox[0].subject == f"[Maillage] Annulé\u00a0: {event.title}"


def test_the_cancel_page_shows_the_form(client, event, advisor):
    client.force_login(advisor.user)
    response = client.get(reverse("events:cancel", args=[event.pk]))
    assert response.status_code == 200
    assert "Message aux inscrits et aux animateurs" in response.content.decode()


def test_postponing_with_new_dates_raises_the_sequence_and_tells_people(
    client, event, advisor, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event)
    client.force_login(advisor.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:postpone", args=[event.pk]),
            {"date": f"{NEXT_YEAR}-05-04", "start_time": "9:30", "end_time": "12 h"},
        )

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED  # moved: registrations and reminders follow it
    assert event.sequence == 1
    local = timezone.localtime(event.starts_at, event.tzinfo)
    assert (local.year, local.month, local.day, local.hour, local.minute) == (NEXT_YEAR, 5, 4, 9, 30)
    assert [message.to for message in mail.outbox] == [[registration.email]]
    assert f"4 mai {NEXT_YEAR} à 9\u00a0h\u00a030" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("[Maillage] Nouvelle date")


def test_postponing_without_a_date_keeps_it(client, event, advisor):
    starts = event.starts_at
    client.force_login(advisor.user)
    client.post(reverse("events:postpone", args=[event.pk]), {"date": "", "start_time": "", "end_time": ""})
    event.refresh_from_db()
    assert (event.status, event.starts_at) == (EventStatus.POSTPONED, starts)


def test_postponing_with_half_a_date_is_a_form_error(client, event, advisor):
    client.force_login(advisor.user)
    response = client.post(reverse("events:postpone", args=[event.pk]), {"date": f"{NEXT_YEAR}-05-04"})
    assert response.status_code == 200
    assert "Indiquez la date et les deux heures" in " ".join(response.context["form"].errors["start_time"])
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "9999-12-31", "start_time": "23:00", "end_time": "23:30"}, "date", "Choisissez une date entre le"),
        ({"date": "0001-01-01", "start_time": "10:00", "end_time": "11:00"}, "date", "Choisissez une date entre le"),
        ({"date": SPRING_FORWARD.isoformat(), "start_time": "02:30", "end_time": "03:15"},
         "start_time", "Cette heure n’existe pas ce jour-là"),
        ({"date": f"{NEXT_YEAR}-05-04", "start_time": "12:00", "end_time": "9:00"},
         "end_time", "L’heure de fin doit être après l’heure de début."),
    ],
)  # fmt: skip
def test_postponing_to_an_impossible_date_is_a_form_error(client, event, advisor, data, field, message):
    client.force_login(advisor.user)
    response = client.post(reverse("events:postpone", args=[event.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_a_draft_is_deleted_a_published_event_is_not(client, event, advisor):
    draft = EventFactory(departement=advisor.departement, draft=True, lead=advisor)
    client.force_login(advisor.user)

    assert client.post(reverse("events:delete", args=[draft.pk])).status_code == 302
    assert not Event.objects.filter(pk=draft.pk).exists()
    assert client.post(reverse("events:delete", args=[event.pk])).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_report_of_a_past_event(client, advisor):
    past = EventFactory(departement=advisor.departement, past=True, lead=advisor)
    client.force_login(advisor.user)

    response = client.post(
        reverse("events:report", args=[past.pk]), {"attendance_count": "42", "report": "**Très** bien."}
    )

    assert response.status_code == 302
    past.refresh_from_db()
    assert (past.attendance_count, past.report) == (42, "**Très** bien.")


def test_a_negative_attendance_is_refused(client, advisor):
    past = EventFactory(departement=advisor.departement, past=True, lead=advisor)
    client.force_login(advisor.user)
    response = client.post(reverse("events:report", args=[past.pk]), {"attendance_count": "-1", "report": ""})
    assert "ne peut pas être négatif" in " ".join(response.context["form"].errors["attendance_count"])


# Who may


def _roles(event, loire, savoie):
    lead = event.organisers.get(role=OrganiserRole.LEAD).advisor.user
    return {
        "anonymous": None,
        "member_elsewhere": AdvisorFactory(departement=savoie).user,
        "member": AdvisorFactory(departement=loire).user,
        "co_organiser": OrganiserFactory(event=event).advisor.user,
        "lead": lead,
        "coordinator": MembershipFactory(departement=loire, coordinator=True).user,
    }


WRITES = {
    # name: expected outcome per role (anonymous, elsewhere, member, co-organiser, lead, coordinator)
    "events:edit": ("login", 403, 403, 200, 200, 200),
    "events:publish": ("login", 403, 403, 302, 302, 302),
    "events:cancel": ("login", 403, 403, 200, 200, 200),
    "events:postpone": ("login", 403, 403, 200, 200, 200),
    "events:delete": ("login", 403, 403, 403, 403, 403),  # a published event: never deleted
    "events:report": ("login", 403, 403, 200, 200, 200),
}
ROLES = ("anonymous", "member_elsewhere", "member", "co_organiser", "lead", "coordinator")


@pytest.mark.parametrize("name", WRITES)
def test_who_may_change_an_event(client, event, loire, savoie, name):
    users = _roles(event, loire, savoie)
    url = reverse(name, args=[event.pk])
    for role, expected in zip(ROLES, WRITES[name], strict=True):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.get(url) if name != "events:publish" else client.post(url)
        if expected == "login":
            assert response.status_code == 302 and "/compte/" in response["Location"], role
        else:
            assert response.status_code == expected, (name, role, response.status_code)


def test_who_may_create(client, loire, savoie, saint_etienne):
    assert client.get(reverse("events:create")).status_code == 302
    client.force_login(AdvisorFactory(departement=savoie).user)
    # A Savoie member creates in Savoie, never in the Loire.
    response = client.get(reverse("events:create") + "?departement=42")
    assert [d.code for d in response.context["form"].fields["departement"].queryset] == ["73"]


def test_the_mode_choices_and_kinds_are_in_french(client, advisor):
    client.force_login(advisor.user)
    html = client.get(reverse("events:create")).content.decode()
    assert "rencontre d’inter-connaissance" in html
    assert EventMode.HYBRIDE.label in html


def test_a_moved_event_gets_its_reminders_at_its_new_time(client, event, advisor, django_capture_on_commit_callbacks):
    """Postponed with its new date, the event stays published: the reminders follow it."""
    registration = RegistrationFactory(event=event)
    client.force_login(advisor.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:postpone", args=[event.pk]),
            {"date": f"{NEXT_YEAR}-05-04", "start_time": "9:30", "end_time": "12 h"},
        )
    event.refresh_from_db()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=event.starts_at - timedelta(hours=30))

    assert [message.to for message in mail.outbox] == [[registration.email]]
