"""The programme of a large event: slots, animators and their clash rule, the grid, the missing animators."""

import threading
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.enums import AnimatorStatus, EventStatus, OrganiserStatus, RegistrationStatus
from events.models import AnimatorSignup, Slot
from events.queries.programme import programme_panel
from events.services.programme import animator_confirm, animator_propose, animator_remove, slot_create
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.events.factories import (
    AnimatorSignupFactory,
    EventFactory,
    OrganiserFactory,
    RegistrationFactory,
    SlotFactory,
)
from tests.territories.factories import DepartementFactory

NBSP = "\u00a0"


def local(event, hour, minute=0, days=0):
    """``hour``:``minute`` on the event's first day (plus ``days``), in its département's time zone."""
    day = timezone.localtime(event.starts_at, event.tzinfo).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=event.tzinfo)


def fete_in(departement, *, lead=None, days=20, **kwargs):
    """A Fête du numérique from 9 h to 18 h, ``days`` from now."""
    day = timezone.localdate() + timedelta(days=days)
    tz = ZoneInfo(departement.timezone)
    return EventFactory(
        departement=departement,
        fete=True,
        starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=tz),
        ends_at=datetime(day.year, day.month, day.day, 18, tzinfo=tz),
        lead=lead,
        **kwargs,
    )


def slot_at(event, start, end, title=None, room="Salle 1", **kwargs):
    """A slot of ``event`` from ``start`` to ``end`` o'clock (floats: 14.5 is 14 h 30)."""

    def moment(value):
        return local(event, int(value), int(round((value % 1) * 60)))

    extra = {"title": title} if title else {}
    return SlotFactory(event=event, starts_at=moment(start), ends_at=moment(end), room=room, **extra, **kwargs)


@pytest.fixture
def lead(loire):
    return AdvisorFactory(departement=loire)


@pytest.fixture
def fete(loire, lead):
    return fete_in(loire, lead=lead)


@pytest.fixture
def animator(loire):
    return AdvisorFactory(departement=loire)


def form_data(**overrides):
    data = {
        "title": "Atelier smartphone",
        "description": "Prendre en main son téléphone.",
        "starts": "14:00",
        "ends": "15:00",
        "room": "Salle 2",
        "capacity": "12",
        "animators_wanted": "2",
    }
    data.update(overrides)
    return data


# ---- Slots: create, edit, delete ----


def test_organiser_adds_a_slot_typed_in_local_time(client, fete, lead):
    client.force_login(lead.user)
    response = client.post(reverse("events:slot_create", args=[fete.pk]), form_data(day=local(fete, 9).date()))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:programme", args=[fete.pk])
    slot = Slot.objects.get(event=fete)
    assert (slot.starts_at, slot.ends_at) == (local(fete, 14), local(fete, 15))
    assert (slot.room, slot.capacity, slot.animators_wanted) == ("Salle 2", 12, 2)


def test_a_slot_in_la_reunion_is_at_14_h_in_la_reunion(client, db):
    reunion = DepartementFactory(reunion=True)
    lead = AdvisorFactory(departement=reunion)
    event = fete_in(reunion, lead=lead)
    client.force_login(lead.user)
    response = client.post(reverse("events:slot_create", args=[event.pk]), form_data(day=local(event, 9).date()))
    assert response.status_code == 302
    slot = Slot.objects.get(event=event)
    assert slot.starts_at.astimezone(timezone.UTC).hour == 10  # 14 h at UTC+4
    page = client.get(reverse("events:programme", args=[event.pk]))
    assert f"14{NBSP}h{NBSP}– 15{NBSP}h" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts": "15:00", "ends": "14:00"}, "ends", "L’heure de fin doit être après l’heure de début."),
        ({"starts": "14:00", "ends": "14:00"}, "ends", "L’heure de fin doit être après l’heure de début."),
        ({"starts": "8:00", "ends": "10:00"}, "starts", "Le créneau doit se tenir pendant l’événement"),
        ({"starts": "17:00", "ends": "19:00"}, "ends", "Le créneau doit se tenir pendant l’événement"),
        ({"starts": "25:00"}, "starts", "Saisissez une heure valide"),
        ({"capacity": "99999999999999999999"}, "capacity", "places au plus"),
        ({"capacity": "0"}, "capacity", "Au moins 1 place"),
        ({"capacity": "douze"}, "capacity", "Saisissez un nombre entier."),
        ({"animators_wanted": "-1"}, "animators_wanted", "Saisissez 0 ou plus."),
        ({"animators_wanted": "40000"}, "animators_wanted", "animateurs au plus"),
        ({"title": ""}, "title", "Donnez un titre au créneau."),
        ({"title": "x" * 201}, "title", "200 caractères au plus."),
    ],
)
def test_bad_slot_input_gets_a_french_error_next_to_the_field(client, fete, lead, overrides, field, message):
    client.force_login(lead.user)
    data = form_data(day=local(fete, 9).date().isoformat(), **overrides)
    response = client.post(reverse("events:slot_create", args=[fete.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    assert not Slot.objects.exists()
    assert f'id="id_{field}_error"' in response.content.decode() or field == "day"


@pytest.mark.parametrize("field", ["title", "room", "starts", "capacity", "day"])
def test_a_nul_byte_is_a_400_and_saves_nothing(client, fete, lead, field):
    client.force_login(lead.user)
    data = form_data(day=local(fete, 9).date().isoformat())
    data[field] = data[field][:1] + "\x00" + data[field][1:]
    assert client.post(reverse("events:slot_create", args=[fete.pk]), data).status_code == 400
    assert not Slot.objects.exists()


def test_a_day_outside_the_event_is_refused(client, loire, lead):
    event = fete_in(loire, lead=lead)
    event.ends_at = local(event, 18, days=1)  # two days: the day is a choice
    event.save()
    client.force_login(lead.user)
    outside = (local(event, 9) + timedelta(days=5)).date().isoformat()
    response = client.post(reverse("events:slot_create", args=[event.pk]), form_data(day=outside))
    assert response.status_code == 200
    assert response.context["form"].errors["day"] == ["Choisissez un jour de l’événement."]
    ok = client.post(
        reverse("events:slot_create", args=[event.pk]), form_data(day=local(event, 9, days=1).date().isoformat())
    )
    assert ok.status_code == 302
    assert Slot.objects.get().starts_at == local(event, 14, days=1)


def test_the_service_refuses_a_slot_outside_its_event(fete):
    with pytest.raises(ValidationError) as error:
        slot_create(event=fete, title="Trop tôt", starts_at=local(fete, 7), ends_at=local(fete, 8))
    assert "pendant l’événement" in str(error.value)


def test_organiser_edits_a_slot(client, fete, lead):
    slot = slot_at(fete, 10, 11, title="Atelier tablette")
    client.force_login(lead.user)
    page = client.get(reverse("events:slot_edit", args=[slot.pk]))
    assert page.status_code == 200
    assert page.context["form"]["starts"].value().strftime("%H:%M") == "10:00"
    response = client.post(
        reverse("events:slot_edit", args=[slot.pk]), form_data(day=local(fete, 9).date(), starts="16:30", ends="17:30")
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.title, slot.starts_at, slot.capacity) == ("Atelier smartphone", local(fete, 16, 30), 12)


def test_lowering_a_slots_places_below_its_registrations_is_refused(client, fete, lead):
    slot = slot_at(fete, 10, 11, capacity=5)
    for _ in range(3):
        RegistrationFactory(event=fete, slot=slot)
    client.force_login(lead.user)
    response = client.post(
        reverse("events:slot_edit", args=[slot.pk]),
        form_data(day=local(fete, 9).date(), starts="10:00", ends="11:00", capacity="2"),
    )
    assert response.status_code == 200
    assert "ne peut pas descendre sous 3" in response.context["form"].errors["capacity"][0]
    slot.refresh_from_db()
    assert (slot.capacity, slot.title) == (5, slot.title)


def test_deleting_a_slot_tells_its_animators(
    client, fete, lead, animator, mailoutbox, django_capture_on_commit_callbacks
):
    slot = slot_at(fete, 10, 11, title="Stand France Services")
    AnimatorSignupFactory(slot=slot, advisor=animator)
    client.force_login(lead.user)
    assert client.get(reverse("events:slot_delete", args=[slot.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:slot_delete", args=[slot.pk]))
    assert response.status_code == 302
    assert not Slot.objects.filter(pk=slot.pk).exists()
    [mail] = mailoutbox
    assert mail.to == [animator.user.email]
    assert "Stand France Services" in mail.subject


def test_unknown_slots_and_events_are_404(client, fete, lead):
    client.force_login(lead.user)
    for name in ("slot_edit", "slot_delete"):
        assert client.get(reverse(name.join(["events:", ""]), args=[999999])).status_code == 404
    assert client.get(reverse("events:programme", args=[999999])).status_code == 404
    assert client.get(reverse("events:missing_animators", args=[999999])).status_code == 404
    assert client.get("/evenements/99999999999999999999999/programme/").status_code == 404
    assert client.get(reverse("events:missing_animators"), {"departement": "999"}).status_code == 200
    assert client.get(reverse("events:missing_animators"), {"departement": "x" * 500}).status_code == 200
    assert client.get(reverse("events:missing_animators", args=[fete.pk]), {"page": "9" * 30}).status_code == 200


# ---- Animators: the clash rule ----


def refused(advisor, slot):
    with pytest.raises(ValidationError) as error:
        animator_propose(slot=slot, advisor=advisor)
    assert not AnimatorSignup.objects.filter(slot=slot, advisor=advisor).exists()
    return error.value.messages[0]


def test_signing_up_proposes_to_animate(fete, animator):
    signup = animator_propose(slot=slot_at(fete, 14, 15), advisor=animator)
    assert signup.status == AnimatorStatus.PROPOSED
    assert animator_propose(slot=signup.slot, advisor=animator) == signup  # twice: nothing more


@pytest.mark.parametrize("status", [AnimatorStatus.PROPOSED, AnimatorStatus.CONFIRMED])
def test_animating_two_overlapping_slots_is_refused(fete, animator, status):
    AnimatorSignupFactory(slot=slot_at(fete, 14, 15, title="Atelier smartphone"), advisor=animator, status=status)
    message = refused(animator, slot_at(fete, 14.5, 16, room="Salle 2"))
    assert message.startswith(f"Vous animez déjà «{NBSP}Atelier smartphone{NBSP}» de 14{NBSP}h à 15{NBSP}h")


def test_animating_a_slot_of_another_event_at_the_same_time_is_refused(loire, fete, animator):
    other = fete_in(loire, title="Fête du numérique de Roanne")
    AnimatorSignupFactory(slot=slot_at(other, 10, 12, title="Stand Pix"), advisor=animator)
    message = refused(animator, slot_at(fete, 11, 12))
    assert f"«{NBSP}Stand Pix{NBSP}» (Fête du numérique de Roanne) de 10{NBSP}h à 12{NBSP}h" in message


def test_a_clash_with_an_event_overseas_reads_in_that_events_time_zone(loire, animator):
    """A slot in La Réunion at 14 h (11 h or 12 h in Paris) is written « de 14 h à 15 h », its zone named."""
    reunion = DepartementFactory(code="974", name="La Réunion", timezone="Indian/Reunion")
    online = fete_in(reunion, title="Café-visio de La Réunion")
    AnimatorSignupFactory(slot=slot_at(online, 14, 15, title="Actualités"), advisor=animator)
    start = local(online, 14).astimezone(ZoneInfo("Europe/Paris"))
    here = fete_in(loire, title="Fête de Roanne")
    slot = SlotFactory(event=here, starts_at=start, ends_at=start + timedelta(hours=1))
    message = refused(animator, slot)
    assert (
        f"«{NBSP}Actualités{NBSP}» (Café-visio de La Réunion) de 14{NBSP}h à 15{NBSP}h (heure de La Réunion){NBSP}:"
        in message
    )
    OrganiserFactory(event=fete_in(reunion, title="Rencontre de Saint-Denis", days=30), advisor=animator)
    slot.starts_at += timedelta(days=10)
    slot.ends_at += timedelta(days=10)
    slot.save()
    assert f"«{NBSP}Rencontre de Saint-Denis{NBSP}» de 9{NBSP}h à 18{NBSP}h (heure de La Réunion)" in refused(
        animator, slot
    )


def test_adjacent_slots_do_not_clash(fete, animator):
    animator_propose(slot=slot_at(fete, 14, 15), advisor=animator)
    animator_propose(slot=slot_at(fete, 15, 16, room="Salle 2"), advisor=animator)
    animator_propose(slot=slot_at(fete, 13, 14, room="Salle 3"), advisor=animator)
    assert AnimatorSignup.objects.filter(advisor=animator).count() == 3


def test_organising_another_event_at_the_same_time_is_refused(loire, fete, animator):
    other = fete_in(loire, title="Rencontre de Montbrison")
    other.starts_at, other.ends_at = local(other, 13), local(other, 16)
    other.save()
    OrganiserFactory(event=other, advisor=animator)
    message = refused(animator, slot_at(fete, 15, 17))
    assert message.startswith(f"Vous organisez «{NBSP}Rencontre de Montbrison{NBSP}» de 13{NBSP}h à 16{NBSP}h")


def test_an_invitation_to_organise_or_a_cancelled_event_is_no_clash(loire, fete, animator):
    invited = fete_in(loire)
    OrganiserFactory(event=invited, advisor=animator, status=OrganiserStatus.INVITED)
    cancelled = fete_in(loire, status=EventStatus.CANCELLED)
    OrganiserFactory(event=cancelled, advisor=animator)
    RegistrationFactory(event=cancelled, user=animator.user)
    animator_propose(slot=slot_at(fete, 14, 15), advisor=animator)


def test_organising_the_slots_own_event_is_no_clash(fete, lead):
    animator_propose(slot=slot_at(fete, 14, 15), advisor=lead)


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (RegistrationStatus.CONFIRMED, "êtes inscrit·e à"),
        (RegistrationStatus.WAITLISTED, "êtes sur la liste d’attente de"),
    ],
)
def test_being_registered_to_another_event_at_the_same_time_is_refused(loire, fete, animator, status, words):
    other = fete_in(loire, title="Café-visio")
    RegistrationFactory(event=other, user=animator.user, status=status)
    message = refused(animator, slot_at(fete, 14, 15))
    assert message.startswith(f"Vous {words} «{NBSP}Café-visio{NBSP}» de 9{NBSP}h à 18{NBSP}h")


def test_a_registration_to_a_slot_elsewhere_clashes_only_when_that_slot_overlaps(loire, fete, animator):
    other = fete_in(loire, title="Autre fête")
    RegistrationFactory(event=other, slot=slot_at(other, 10, 11, title="Atelier IA"), user=animator.user)
    message = refused(animator, slot_at(fete, 10.5, 11.5))
    assert f"«{NBSP}Atelier IA{NBSP}» (Autre fête) de 10{NBSP}h à 11{NBSP}h" in message
    animator_propose(slot=slot_at(fete, 11, 12, room="Salle 2"), advisor=animator)


@pytest.mark.parametrize("status", [RegistrationStatus.CANCELLED, RegistrationStatus.PENDING])
def test_a_cancelled_or_unconfirmed_registration_is_no_clash(loire, fete, animator, status):
    RegistrationFactory(event=fete_in(loire), user=animator.user, status=status)
    animator_propose(slot=slot_at(fete, 14, 15), advisor=animator)


def test_being_registered_to_the_slots_own_event_is_no_clash(fete, animator):
    RegistrationFactory(event=fete, user=animator.user)
    RegistrationFactory(event=fete, slot=slot_at(fete, 14, 15, room="Salle 2"), user=animator.user)
    animator_propose(slot=slot_at(fete, 14, 15), advisor=animator)


def test_a_past_slot_or_a_cancelled_event_takes_no_animator(loire, lead, animator):
    past = fete_in(loire, lead=lead, days=-3)
    assert refused(animator, slot_at(past, 14, 15)) == "Ce créneau est passé."
    cancelled = fete_in(loire, lead=lead, status=EventStatus.CANCELLED)
    assert "annulé" in refused(animator, slot_at(cancelled, 14, 15))


def test_the_clash_is_shown_on_the_page_the_person_came_from(client, fete, animator):
    AnimatorSignupFactory(slot=slot_at(fete, 14, 15, title="Atelier smartphone"), advisor=animator)
    other = slot_at(fete, 14, 15, room="Salle 2")
    client.force_login(animator.user)
    back = reverse("events:missing_animators", args=[fete.pk])
    response = client.post(reverse("events:animator_propose", args=[other.pk]), {"next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert f"Vous animez déjà «{NBSP}Atelier smartphone{NBSP}» de 14{NBSP}h à 15{NBSP}h" in response.content.decode()


def slot_element(html, slot):
    """The HTML of ``slot``'s item in the programme of the event page."""
    start = html.index(f'id="creneau-{slot.pk}"')
    ends = [html.find(marker, start) for marker in ('<li class="programme-slot"', "</ol>")]
    return html[start : min(end for end in ends if end != -1)]


def test_messages_about_a_slot_show_inside_it_where_the_anchor_lands(client, fete, animator):
    AnimatorSignupFactory(slot=slot_at(fete, 14, 15, title="Atelier smartphone"), advisor=animator)
    other = slot_at(fete, 14, 15, title="Stand Pix", room="Salle 2", capacity=5)
    free = slot_at(fete, 16, 17, title="Atelier IA", room="Salle 3")
    client.force_login(animator.user)
    page = fete.get_absolute_url()
    back = f"{page}#creneau-{other.pk}"

    refused = client.post(reverse("events:animator_propose", args=[other.pk]), {"next": back}, follow=True)
    html = refused.content.decode()
    inside = slot_element(html, other)
    assert f"Vous animez déjà «{NBSP}Atelier smartphone{NBSP}»" in inside
    assert 'role="alert"' in inside
    assert html.count("Vous animez déjà") == 1  # not in the banner at the top as well

    accepted = client.post(reverse("events:animator_propose", args=[free.pk]), {"next": f"{page}#creneau-{free.pk}"})
    html = client.get(accepted.url).content.decode()
    assert f"Merci{NBSP}! Vous proposez d’animer" in slot_element(html, free)
    assert "Vous animez déjà" not in html  # shown once, then gone

    registered = client.post(reverse("events:slot_register", args=[other.pk]), {"next": back}, follow=True)
    assert "Votre inscription est confirmée." in slot_element(registered.content.decode(), other)

    # Elsewhere (the list of slots missing animators), the same message is in the banner at the top.
    missing = reverse("events:missing_animators", args=[fete.pk])
    response = client.post(reverse("events:animator_withdraw", args=[free.pk]), {"next": missing}, follow=True)
    assert "Vous n’animez plus" in response.content.decode().split('<div class="wrap messages"')[1]


def test_an_animator_withdraws(client, fete, animator):
    slot = slot_at(fete, 14, 15)
    client.force_login(animator.user)
    client.post(reverse("events:animator_propose", args=[slot.pk]))
    assert AnimatorSignup.objects.filter(slot=slot, advisor=animator).exists()
    response = client.post(reverse("events:animator_withdraw", args=[slot.pk]), follow=True)
    assert not AnimatorSignup.objects.filter(slot=slot, advisor=animator).exists()
    assert "Vous n’animez plus" in response.content.decode()
    again = client.post(reverse("events:animator_withdraw", args=[slot.pk]), follow=True)
    assert "Vous n’étiez pas inscrit·e" in again.content.decode()


# ---- Races ----


def _in_threads(*jobs):
    """Run each job in its own thread and its own database connection, all released at once."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 — the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sign_ups_at_once_one_is_refused():
    loire = DepartementFactory()
    event = fete_in(loire, lead=AdvisorFactory(departement=loire))
    animator = AdvisorFactory(departement=loire)
    first, second = slot_at(event, 14, 15), slot_at(event, 14.5, 15.5, room="Salle 2")
    outcomes = _in_threads(
        lambda: animator_propose(slot=first, advisor=animator),
        lambda: animator_propose(slot=second, advisor=animator),
    )
    assert AnimatorSignup.objects.filter(advisor=animator).count() == 1
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), outcomes
    assert "Vous animez déjà" in errors[0].messages[0]


@pytest.mark.django_db(transaction=True)
def test_a_double_click_signs_up_once_without_error():
    loire = DepartementFactory()
    event = fete_in(loire, lead=AdvisorFactory(departement=loire))
    animator = AdvisorFactory(departement=loire)
    slot = slot_at(event, 14, 15)
    outcomes = _in_threads(*[lambda: animator_propose(slot=slot, advisor=animator)] * 4)
    assert all(isinstance(outcome, AnimatorSignup) for outcome in outcomes), outcomes
    assert AnimatorSignup.objects.filter(advisor=animator).count() == 1


# ---- Organisers confirm and remove animators ----


def test_organiser_confirms_then_removes_an_animator_who_is_emailed(
    client, fete, lead, animator, mailoutbox, django_capture_on_commit_callbacks
):
    slot = slot_at(fete, 14, 15, title="Atelier smartphone")
    signup = animator_propose(slot=slot, advisor=animator)
    client.force_login(lead.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:animator_confirm", args=[slot.pk]), {"signup": signup.pk})
    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.status == AnimatorStatus.CONFIRMED
    [confirmed] = mailoutbox
    assert confirmed.to == [animator.user.email]
    assert "Vous animez" in confirmed.subject and "Atelier smartphone" in confirmed.subject
    assert f"de 14{NBSP}h à 15{NBSP}h" in confirmed.body
    with django_capture_on_commit_callbacks(execute=True):
        animator_confirm(signup=signup)  # twice: no second email
    assert len(mailoutbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:animator_remove", args=[slot.pk]), {"signup": signup.pk})
    assert response.status_code == 302
    assert not AnimatorSignup.objects.filter(pk=signup.pk).exists()
    assert len(mailoutbox) == 2 and "n’animez plus" in mailoutbox[1].subject
    assert animator_remove(signup=signup) is False


def test_an_animator_of_another_slot_cannot_be_confirmed_through_this_one(client, fete, lead, animator):
    slot, other = slot_at(fete, 14, 15), slot_at(fete, 15, 16)
    signup = AnimatorSignupFactory(slot=other, advisor=animator, status=AnimatorStatus.PROPOSED)
    client.force_login(lead.user)
    response = client.post(reverse("events:animator_confirm", args=[slot.pk]), {"signup": signup.pk}, follow=True)
    assert "Cet animateur n’est plus inscrit." in response.content.decode()
    for bad in ("", "abc", "-1", "99999999999999999999"):
        assert client.post(reverse("events:animator_remove", args=[slot.pk]), {"signup": bad}).status_code == 302
    signup.refresh_from_db()
    assert signup.status == AnimatorStatus.PROPOSED


# ---- Who may do what ----

ROLES = ["anonymous", "member_elsewhere", "member", "organiser", "coordinator"]


@pytest.fixture
def people(loire, savoie, lead):
    return {
        "anonymous": None,
        "member_elsewhere": AdvisorFactory(departement=savoie).user,
        "member": AdvisorFactory(departement=loire).user,
        "organiser": lead.user,
        "coordinator": MembershipFactory(departement=loire, coordinator=True).user,
    }


def _outcome(response):
    if response.status_code == 302:
        return "login" if response["Location"].startswith(reverse("account_login")) else "done"
    return response.status_code


def _post(client, people, role, url, data=None):
    if people[role] is not None:
        client.force_login(people[role])
    return _outcome(client.post(url, data or {}))


# Expected answer per role, in the order of ROLES.
EDITORS = ["login", 403, 403, "done", "done"]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, EDITORS, strict=True)))
def test_who_may_add_a_slot(client, fete, people, role, expected):
    url = reverse("events:slot_create", args=[fete.pk])
    outcome = _post(client, people, role, url, form_data(day=local(fete, 9).date()))
    assert outcome == expected
    assert Slot.objects.exists() == (expected == "done")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, EDITORS, strict=True)))
def test_who_may_edit_a_slot(client, fete, people, role, expected):
    slot = slot_at(fete, 10, 11, title="Avant")
    url = reverse("events:slot_edit", args=[slot.pk])
    outcome = _post(client, people, role, url, form_data(day=local(fete, 9).date(), title="Après"))
    assert outcome == expected
    slot.refresh_from_db()
    assert (slot.title == "Après") == (expected == "done")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, EDITORS, strict=True)))
def test_who_may_delete_a_slot(client, fete, people, role, expected):
    slot = slot_at(fete, 10, 11)
    assert _post(client, people, role, reverse("events:slot_delete", args=[slot.pk])) == expected
    assert Slot.objects.filter(pk=slot.pk).exists() == (expected != "done")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, EDITORS, strict=True)))
@pytest.mark.parametrize("action", ["animator_confirm", "animator_remove"])
def test_who_may_confirm_or_remove_an_animator(client, fete, people, animator, role, expected, action):
    slot = slot_at(fete, 10, 11)
    signup = AnimatorSignupFactory(slot=slot, advisor=animator, status=AnimatorStatus.PROPOSED)
    assert _post(client, people, role, reverse(f"events:{action}", args=[slot.pk]), {"signup": signup.pk}) == expected
    untouched = AnimatorSignup.objects.filter(pk=signup.pk, status=AnimatorStatus.PROPOSED).exists()
    assert untouched == (expected != "done")


# The coordinator of the fixture has no profile: animating needs one.
HELPERS = ["login", "done", "done", "done", 403]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, HELPERS, strict=True)))
def test_who_may_offer_to_animate(client, fete, people, role, expected):
    slot = slot_at(fete, 10, 11)
    assert _post(client, people, role, reverse("events:animator_propose", args=[slot.pk])) == expected
    assert AnimatorSignup.objects.filter(slot=slot).exists() == (expected == "done")


def test_members_may_not_animate_a_draft_they_cannot_see(client, loire, lead, people):
    draft = fete_in(loire, lead=lead, status=EventStatus.DRAFT)
    slot = slot_at(draft, 10, 11)
    assert _post(client, people, "member", reverse("events:animator_propose", args=[slot.pk])) == 403


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_touches_only_ones_own_animation(client, fete, people, animator, role):
    slot = slot_at(fete, 10, 11)
    AnimatorSignupFactory(slot=slot, advisor=animator)
    outcome = _post(client, people, role, reverse("events:animator_withdraw", args=[slot.pk]))
    assert outcome == ("login" if role == "anonymous" else "done")
    assert AnimatorSignup.objects.filter(slot=slot, advisor=animator).exists()


# ---- The grid ----


class _Grid(HTMLParser):
    """The column headers, row headers and the cells (with their rowspan) of the first grid."""

    def __init__(self):
        super().__init__()
        self.columns, self.rows, self.cells, self.caption = [], [], [], ""
        self._in, self._table = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "programme-grid" in attrs.get("class", ""):
            self._table += 1
        if self._table != 1:
            return
        if tag == "th":
            self._in = attrs.get("scope")
            (self.columns if self._in == "col" else self.rows).append("")
        elif tag == "caption":
            self._in = "caption"
        elif tag == "td" and "programme-cell" in attrs.get("class", "").split():
            self.cells.append({"rowspan": int(attrs.get("rowspan", 1)), "text": ""})
            self._in = "cell"

    def handle_endtag(self, tag):
        if tag in ("th", "td", "caption"):
            self._in = None

    def handle_data(self, data):
        if self._table != 1 or self._in is None:
            return
        if self._in == "col":
            self.columns[-1] += data.strip()
        elif self._in == "row":
            self.rows[-1] += data.strip()
        elif self._in == "caption":
            self.caption += data
        elif self._in == "cell":
            self.cells[-1]["text"] += data


def test_the_grid_has_rooms_as_columns_hours_as_rows_and_long_slots_spanning_rows(client, fete, people, animator):
    slot_at(fete, 10, 12, title="Stand Pix", room="Stand B")
    signed = slot_at(fete, 10, 11, title="Atelier smartphone", room="Salle 1", animators_wanted=2, capacity=10)
    slot_at(fete, 11, 12, title="Atelier tablette", room="Salle 1")
    AnimatorSignupFactory(slot=signed, advisor=animator)
    client.force_login(people["member"])
    response = client.get(reverse("events:programme", args=[fete.pk]))
    assert response.status_code == 200
    grid = _Grid()
    grid.feed(response.content.decode())
    assert grid.columns == ["Horaire", "Salle 1", "Stand B"]
    assert grid.rows == [f"10{NBSP}h{NBSP}– 11{NBSP}h", f"11{NBSP}h{NBSP}– 12{NBSP}h"]
    assert "Programme du" in grid.caption
    spans = {" ".join(cell["text"].split()).split(" ", 1)[0]: cell["rowspan"] for cell in grid.cells}
    assert [cell["rowspan"] for cell in grid.cells] == [1, 2, 1]
    assert spans
    smartphone = next(cell["text"] for cell in grid.cells if "Atelier smartphone" in cell["text"])
    assert animator.user.display_name in smartphone
    assert f"il manque 1{NBSP}animateur" in smartphone
    assert f"10{NBSP}places" in smartphone
    html = response.content.decode()
    assert 'role="region"' in html and "aria-labelledby" in html


def test_two_slots_of_one_room_at_once_are_listed_under_the_grid(client, fete, people):
    slot_at(fete, 10, 11, title="Atelier A", room="Salle 1")
    slot_at(fete, 10, 11, title="Atelier B", room="Salle 1")
    client.force_login(people["member"])
    response = client.get(reverse("events:programme", args=[fete.pk]))
    html = response.content.decode()
    assert "Atelier A" in html and "Atelier B" in html
    assert "en même temps dans la même salle" in html


def test_the_grid_of_a_draft_is_hidden_from_members(client, loire, lead, people):
    draft = fete_in(loire, lead=lead, status=EventStatus.DRAFT)
    client.force_login(people["member"])
    assert client.get(reverse("events:programme", args=[draft.pk])).status_code == 404
    client.force_login(lead.user)
    assert client.get(reverse("events:programme", args=[draft.pk])).status_code == 200


def populate(event, count, room_count=3):
    """``count`` slots over ``room_count`` rooms, each with a confirmed and a proposed animator."""
    departement = event.departement
    for index in range(count):
        hour = 9 + (index // room_count) % 8
        slot = slot_at(event, hour, hour + 1, room=f"Salle {index % room_count + 1}", animators_wanted=3, capacity=20)
        AnimatorSignupFactory(slot=slot, advisor=AdvisorFactory(departement=departement, public=True))
        AnimatorSignupFactory(
            slot=slot, advisor=AdvisorFactory(departement=departement), status=AnimatorStatus.PROPOSED
        )
        RegistrationFactory(event=event, slot=slot)


@pytest.mark.parametrize("role", ["anonymous", "member", "organiser"])
def test_grid_queries_do_not_grow_with_the_programme(client, loire, lead, people, role, django_assert_num_queries):
    event = fete_in(loire, lead=lead, public=True)
    if people[role] is not None:
        client.force_login(people[role])
    url = reverse("events:programme", args=[event.pk])
    # Event, its organisers, slots, their animators, registration counts (with the viewer's own slot
    # registrations, grouped by slot); logged in: session, user, memberships, profile.
    expected = {"anonymous": 5, "member": 9, "organiser": 9}[role]
    populate(event, 3)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["programme"]["slots"]) == 3
    populate(event, 24)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["programme"]["slots"]) == 27


def test_panel_queries_do_not_grow_with_the_programme(fete, people, django_assert_num_queries):
    from django.db.models import Prefetch

    from events.models import Event, Organiser

    user = people["member"]

    def panel():
        event = (
            Event.objects.select_related("departement")
            .prefetch_related(Prefetch("organisers", queryset=Organiser.objects.select_related("advisor")))
            .get(pk=fete.pk)
        )
        list(event.organisers.all())
        user.__dict__.pop("_memberships_by_dep", None)
        user._state.fields_cache.pop("advisor", None)
        return programme_panel(event, user)

    # The page's event and organisers; then memberships, slots, animators, profile, registration counts
    # with the viewer's own (one query grouped by slot). The event page prefetches the slots and their
    # animators (test_detail.py), saving two more.
    populate(fete, 3)
    with django_assert_num_queries(7):
        few = panel()
    populate(fete, 24)
    with django_assert_num_queries(7):
        many = panel()
    assert (len(few["slots"]), len(many["slots"])) == (3, 27)


# ---- The panel ----


def test_the_panel_offers_the_viewers_buttons(rf, fete, people, animator):
    from django.template.loader import render_to_string

    mine = slot_at(fete, 10, 11, title="Mon atelier")
    AnimatorSignupFactory(slot=mine, advisor=animator, status=AnimatorStatus.PROPOSED)
    wanted = slot_at(fete, 11, 12, title="Atelier à pourvoir", animators_wanted=2, capacity=5)
    request = rf.get(fete.get_absolute_url())
    request.user = animator.user
    html = render_to_string(
        "events/detail/programme.html", {"programme": programme_panel(fete, animator.user)}, request=request
    )
    assert "Me retirer" in html and "Je peux animer" in html
    assert reverse("events:animator_withdraw", args=[mine.pk]) in html
    assert reverse("events:animator_propose", args=[wanted.pk]) in html
    assert reverse("events:slot_register", args=[wanted.pk]) in html
    assert f"il manque 2{NBSP}animateurs" in html
    assert "5&nbsp;places restantes" in html
    assert "Ajouter un créneau" not in html

    request.user = people["organiser"]
    html = render_to_string(
        "events/detail/programme.html", {"programme": programme_panel(fete, request.user)}, request=request
    )
    assert reverse("events:slot_create", args=[fete.pk]) in html
    assert reverse("events:animator_confirm", args=[mine.pk]) in html
    assert "à confirmer" in html


def test_the_panel_is_empty_for_an_event_without_programme(fete, people):
    assert programme_panel(fete, people["member"])["visible"] is False
    assert programme_panel(fete, people["organiser"])["visible"] is True


# ---- Slots missing animators ----


def test_missing_animators_of_one_event(client, fete, people, animator):
    full = slot_at(fete, 10, 11, title="Atelier complet")
    AnimatorSignupFactory(slot=full, advisor=animator)
    slot_at(fete, 11, 12, title="Atelier à pourvoir", animators_wanted=2)
    slot_at(fete, 12, 13, title="Sans animateur", animators_wanted=0)
    client.force_login(people["member"])
    response = client.get(reverse("events:missing_animators", args=[fete.pk]))
    html = response.content.decode()
    assert "Atelier à pourvoir" in html and f"il manque 2{NBSP}animateurs" in html
    assert "Atelier complet" not in html and "Sans animateur" not in html
    assert "Je peux animer" in html


def test_missing_animators_of_a_departements_upcoming_events(client, loire, savoie, lead, people):
    slot_at(fete_in(loire, lead=lead), 10, 11, title="Atelier de la Loire")
    slot_at(fete_in(loire, lead=lead, days=-2), 10, 11, title="Atelier passé")
    slot_at(fete_in(loire, lead=lead, status=EventStatus.DRAFT), 10, 11, title="Atelier brouillon")
    slot_at(fete_in(savoie), 10, 11, title="Atelier de Savoie")
    client.force_login(people["member"])
    response = client.get(reverse("events:missing_animators"), {"departement": "42"})
    html = response.content.decode()
    assert "Atelier de la Loire" in html
    assert not any(title in html for title in ("Atelier passé", "Atelier brouillon", "Atelier de Savoie"))
    anonymous = client.__class__()
    assert (
        "Atelier de la Loire"
        not in anonymous.get(reverse("events:missing_animators"), {"departement": "42"}).content.decode()
    )


@pytest.mark.parametrize("scope", ["event", "departement"])
def test_missing_animators_queries_do_not_grow(client, loire, lead, people, scope, django_assert_num_queries):
    event = fete_in(loire, lead=lead)
    client.force_login(people["member"])
    if scope == "event":
        url, params = reverse("events:missing_animators", args=[event.pk]), {}
    else:
        url, params = reverse("events:missing_animators"), {"departement": "42"}
    # Session, user, memberships, (event and organisers | département), count, page, profile, own proposals.
    expected = 9 if scope == "event" else 8
    populate(event, 3)
    with django_assert_num_queries(expected):
        response = client.get(url, params)
    assert len(response.context["rows"]) == 3
    populate(event, 30)
    with django_assert_num_queries(expected):
        response = client.get(url, params)
    assert len(response.context["rows"]) == 20
    assert response.context["page"].paginator.count == 33


# ---- The programme moves with its event ----


@pytest.mark.parametrize("how", ["postpone", "edit"])
def test_a_fete_moved_by_two_weeks_takes_its_slots_along(client, fete, lead, animator, saint_etienne, how):
    """Postponed, or its date edited: each slot moves by the same days at the same local hours; its
    animators and registrants keep their places, and the grid shows the slots on the new day."""
    morning = slot_at(fete, 10, 11.5, title="Atelier smartphone")
    afternoon = slot_at(fete, 14, 15, title="Stand France Services", room="Salle 2")
    AnimatorSignupFactory(slot=morning, advisor=animator)
    registration = RegistrationFactory(event=fete, slot=afternoon)
    new_day = timezone.localtime(fete.starts_at, fete.tzinfo).date() + timedelta(days=14)
    client.force_login(lead.user)

    if how == "postpone":
        data = {"date": new_day.isoformat(), "start_time": "09:00", "end_time": "18:00"}
        response = client.post(reverse("events:postpone", args=[fete.pk]), data)
    else:
        fete.refresh_from_db()
        data = {
            "kind": fete.kind, "title": fete.title, "description": "", "date": new_day.isoformat(),
            "start_time": "09:00", "end_time": "18:00", "mode": "presentiel", "address": "2 rue de la Paix",
            "commune": "Saint-Étienne — 42218", "scope": "departement", "audience": "grand_public",
            "visibility": "public", "capacity": "", "action": "save",
        }  # fmt: skip
        response = client.post(reverse("events:edit", args=[fete.pk]), data)
    assert response.status_code == 302, response.context["form"].errors

    fete.refresh_from_db()
    morning.refresh_from_db()
    afternoon.refresh_from_db()
    assert timezone.localtime(fete.starts_at, fete.tzinfo).date() == new_day
    assert morning.starts_at == local(fete, 10) and morning.ends_at == local(fete, 11, 30)
    assert afternoon.starts_at == local(fete, 14) and afternoon.ends_at == local(fete, 15)
    assert morning.animators.get().advisor == animator
    registration.refresh_from_db()
    assert (registration.slot, registration.status) == (afternoon, RegistrationStatus.CONFIRMED)
    grid = client.get(reverse("events:programme", args=[fete.pk])).content.decode()
    assert "Atelier smartphone" in grid and "Stand France Services" in grid
