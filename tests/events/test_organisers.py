"""Co-organisation: invitations, answers, leads, leaving, structures; the last lead never leaves."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from events.enums import OrganiserRole, OrganiserStatus
from events.models import Organiser
from events.services import organisers as services
from tests.advisors.factories import AdvisorFactory, MembershipFactory, StructureFactory, UserFactory
from tests.events.factories import EventFactory, OrganiserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory


@pytest.fixture
def lead(loire):
    return AdvisorFactory(departement=loire)


@pytest.fixture
def event(lead, saint_etienne):
    return EventFactory(departement=lead.departement, commune=saint_etienne, lead=lead)


def invite(client, event, email):
    return client.post(reverse("events:organisers", args=[event.pk]), {"form": "invite", "invite-email": email})


def test_a_lead_invites_a_member_of_another_network_who_is_emailed(
    client, event, lead, savoie, django_capture_on_commit_callbacks
):
    guest = AdvisorFactory(departement=savoie)
    client.force_login(lead.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, event, guest.user.email.upper())

    assert response.status_code == 302
    organiser = Organiser.objects.get(event=event, advisor=guest)
    assert (organiser.status, organiser.role, organiser.invited_by) == (
        OrganiserStatus.INVITED,
        OrganiserRole.CO,
        lead.user,
    )
    assert [message.to for message in mail.outbox] == [[guest.user.email]]
    assert reverse("events:invitations") in mail.outbox[0].body
    assert event.get_absolute_url() in mail.outbox[0].body


@pytest.mark.parametrize("who", ["unknown", "no_profile", "not_a_member"])
def test_unknown_addresses_are_refused_in_french(client, event, lead, loire, who):
    email = {
        "unknown": "personne@exemple.fr",
        "no_profile": MembershipFactory(departement=loire).user.email,
        "not_a_member": UserFactory().email,
    }[who]
    client.force_login(lead.user)

    response = invite(client, event, email)

    assert response.status_code == 200
    errors = " ".join(response.context["invite_form"].errors["email"])
    assert "Aucun membre d’un réseau de Maillage n’a l’adresse" in errors
    assert Organiser.objects.filter(event=event).count() == 1


def test_inviting_twice_is_refused(client, event, lead):
    guest = AdvisorFactory(departement=lead.departement)
    client.force_login(lead.user)
    invite(client, event, guest.user.email)
    response = invite(client, event, guest.user.email)
    assert "a déjà une invitation en attente" in " ".join(response.context["invite_form"].errors["email"])


def test_an_invalid_address_is_a_form_error(client, event, lead):
    client.force_login(lead.user)
    response = invite(client, event, "pas-une-adresse")
    assert "Adresse électronique non valide" in " ".join(response.context["invite_form"].errors["email"])


def test_a_co_organiser_may_not_invite_but_may_add_a_structure(client, event, saint_etienne):
    co = OrganiserFactory(event=event)
    structure = StructureFactory(commune=saint_etienne)
    client.force_login(co.advisor.user)

    assert client.get(reverse("events:organisers", args=[event.pk])).status_code == 200
    assert invite(client, event, AdvisorFactory(departement=event.departement).user.email).status_code == 403
    response = client.post(
        reverse("events:organisers", args=[event.pk]), {"form": "structure", "structure-structure": structure.pk}
    )
    assert response.status_code == 302
    assert Organiser.objects.filter(event=event, structure=structure).exists()


def test_a_structure_of_another_departement_or_unknown_is_refused(client, event, lead, chambery):
    other = StructureFactory(commune=chambery)
    client.force_login(lead.user)
    for value in (other.pk, "999999", "abc"):
        response = client.post(
            reverse("events:organisers", args=[event.pk]), {"form": "structure", "structure-structure": value}
        )
        assert response.status_code == 200
        errors = " ".join(response.context["structure_form"].errors["structure"])
        assert "Choisissez une structure du département dans la liste." in errors


def test_a_structure_added_twice_is_a_form_error(client, event, lead, saint_etienne):
    structure = StructureFactory(commune=saint_etienne)
    client.force_login(lead.user)
    url = reverse("events:organisers", args=[event.pk])
    client.post(url, {"form": "structure", "structure-structure": structure.pk})
    response = client.post(url, {"form": "structure", "structure-structure": structure.pk})
    assert "co-organise déjà cet événement" in " ".join(response.context["structure_form"].errors["structure"])


def test_the_invitee_accepts_from_the_event_page_and_can_then_edit(client, event, lead):
    guest = AdvisorFactory(departement=lead.departement)
    organiser = services.organiser_invite(event=event, by=lead.user, email=guest.user.email)
    client.force_login(guest.user)
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403

    page = client.get(event.get_absolute_url()).content.decode()
    assert "Invitation à co-organiser" in page
    assert reverse("events:organiser_respond", args=[organiser.pk]) in page
    # Right under the title, before the event's facts: not at the bottom of a long page.
    header = page[page.index('<header class="event-head">') : page.index("</header>", page.index("<h1>"))]
    assert 'id="invitation-title"' in header and header.index("<h1>") < header.index("invitation-title")
    assert header.index("invitation-title") < header.index('<dl class="event-facts">')
    assert page.count('id="invitation-title"') == 1
    response = client.post(reverse("events:organiser_respond", args=[organiser.pk]), {"answer": "accept"})

    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.status == OrganiserStatus.ACCEPTED
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 200


def test_the_invitee_declines_from_my_invitations(client, event, lead):
    guest = AdvisorFactory(departement=lead.departement)
    organiser = services.organiser_invite(event=event, by=lead.user, email=guest.user.email)
    client.force_login(guest.user)

    page = client.get(reverse("events:invitations"))
    assert event.title in page.content.decode()
    response = client.post(
        reverse("events:organiser_respond", args=[organiser.pk]), {"answer": "decline", "from": "invitations"}
    )

    assert response["Location"] == reverse("events:invitations")
    organiser.refresh_from_db()
    assert organiser.status == OrganiserStatus.DECLINED
    # Declined: no second answer, but the lead may invite again.
    assert (
        client.post(reverse("events:organiser_respond", args=[organiser.pk]), {"answer": "accept"}).status_code == 403
    )
    services.organiser_invite(event=event, by=lead.user, email=guest.user.email)
    organiser.refresh_from_db()
    assert organiser.status == OrganiserStatus.INVITED


def test_someone_else_cannot_answer_an_invitation(client, event, lead):
    guest = AdvisorFactory(departement=lead.departement)
    organiser = services.organiser_invite(event=event, by=lead.user, email=guest.user.email)
    for user in (lead.user, AdvisorFactory(departement=lead.departement).user):
        client.force_login(user)
        assert (
            client.post(reverse("events:organiser_respond", args=[organiser.pk]), {"answer": "accept"}).status_code
            == 403
        )


def test_a_lead_promotes_a_co_organiser_who_may_then_invite(client, event, lead):
    co = OrganiserFactory(event=event)
    client.force_login(lead.user)
    response = client.post(reverse("events:organiser_promote", args=[co.pk]))
    assert response.status_code == 302
    co.refresh_from_db()
    assert co.is_lead


def test_an_invited_person_cannot_be_promoted(client, event, lead):
    invited = OrganiserFactory(event=event, invited=True)
    client.force_login(lead.user)
    client.post(reverse("events:organiser_promote", args=[invited.pk]))
    invited.refresh_from_db()
    assert invited.role == OrganiserRole.CO


def test_a_lead_removes_a_co_organiser_but_not_another_lead(client, event, lead):
    co = OrganiserFactory(event=event)
    other_lead = OrganiserFactory(event=event, lead=True)
    client.force_login(lead.user)

    client.post(reverse("events:organiser_remove", args=[co.pk]))
    response = client.post(reverse("events:organiser_remove", args=[other_lead.pk]), follow=True)

    assert not Organiser.objects.filter(pk=co.pk).exists()
    assert Organiser.objects.filter(pk=other_lead.pk).exists()
    assert "ne se retire pas" in response.content.decode()


def test_the_last_lead_cannot_leave_with_a_clear_message(client, event, lead):
    client.force_login(lead.user)
    assert "Ne plus co-organiser cet événement" not in client.get(event.get_absolute_url()).content.decode()
    response = client.post(reverse("events:leave", args=[event.pk]), follow=True)
    assert "Vous êtes le dernier ou la dernière responsable" in response.content.decode()
    assert Organiser.objects.filter(event=event, advisor=lead).exists()


def test_a_co_organiser_leaves_and_a_lead_leaves_when_another_remains(client, event, lead):
    co = OrganiserFactory(event=event)
    client.force_login(co.advisor.user)
    client.post(reverse("events:leave", args=[event.pk]))
    assert not Organiser.objects.filter(pk=co.pk).exists()

    OrganiserFactory(event=event, lead=True)
    client.force_login(lead.user)
    assert "Ne plus co-organiser cet événement" in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("events:leave", args=[event.pk]))
    assert not Organiser.objects.filter(event=event, advisor=lead).exists()


def test_the_organisers_page_for_a_coordinator(client, event, coordinator):
    OrganiserFactory(event=event)
    OrganiserFactory(event=event, invited=True)
    client.force_login(coordinator)
    response = client.get(reverse("events:organisers", args=[event.pk]))
    assert response.status_code == 200
    assert "invitation envoyée" in response.content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_the_organisers_page_queries_do_not_grow(client, event, lead, count, django_assert_num_queries):
    for _ in range(count):
        OrganiserFactory(event=event)
        OrganiserFactory(event=event, advisor=None, structure=StructureFactory(commune=event.commune))
    client.force_login(lead.user)
    # The same count with 2 or 16 organisers: they come in one query with their people and structures.
    with django_assert_num_queries(5):
        assert client.get(reverse("events:organisers", args=[event.pk])).status_code == 200


# Who may: every view that changes organisers, for every role.

ROLES = ("anonymous", "member_elsewhere", "member", "co_organiser", "lead", "coordinator")


def _users(event, lead, savoie):
    return {
        "anonymous": None,
        "member_elsewhere": AdvisorFactory(departement=savoie).user,
        "member": AdvisorFactory(departement=event.departement).user,
        "co_organiser": OrganiserFactory(event=event).advisor.user,
        "lead": lead.user,
        "coordinator": MembershipFactory(departement=event.departement, coordinator=True).user,
    }


def _check(client, users, url, expected, data=None):
    for role, outcome in zip(ROLES, expected, strict=True):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT matrix")
        response = client.post(url, data or {})
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT matrix")
        got = "login" if response.status_code == 302 and "/compte/" in response["Location"] else response.status_code
        assert got == outcome, (url, role, got)


def test_who_may_invite(client, event, lead, savoie):
    users = _users(event, lead, savoie)
    _check(
        client, users, reverse("events:organisers", args=[event.pk]), ("login", 403, 403, 403, 200, 200),
        {"form": "invite", "invite-email": "x@exemple.fr"},
    )  # fmt: skip


def test_who_may_add_a_structure(client, event, lead, savoie):
    users = _users(event, lead, savoie)
    _check(
        client, users, reverse("events:organisers", args=[event.pk]), ("login", 403, 403, 200, 200, 200),
        {"form": "structure", "structure-structure": ""},
    )  # fmt: skip


def test_who_may_promote_and_remove(client, event, lead, savoie):
    users = _users(event, lead, savoie)
    target = OrganiserFactory(event=event)
    for name in ("events:organiser_promote", "events:organiser_remove"):
        _check(client, users, reverse(name, args=[target.pk]), ("login", 403, 403, 403, 302, 302))


def test_who_may_answer_an_invitation(client, event, lead, savoie):
    users = _users(event, lead, savoie)
    invited = OrganiserFactory(event=event, invited=True, advisor=AdvisorFactory(departement=savoie))
    _check(client, users, reverse("events:organiser_respond", args=[invited.pk]), ("login", 403, 403, 403, 403, 403))
    client.force_login(invited.advisor.user)
    assert client.post(reverse("events:organiser_respond", args=[invited.pk]), {"answer": "accept"}).status_code == 302


def test_who_may_leave(client, event, lead, savoie):
    users = _users(event, lead, savoie)
    _check(client, users, reverse("events:leave", args=[event.pk]), ("login", 403, 403, 302, 302, 403))


# The race


def run_at_once(target, args_list):
    barrier = threading.Barrier(len(args_list))
    results, errors = [], []

    def run(*args):
        try:
            barrier.wait(timeout=10)
            results.append(target(*args))
        except Exception as error:  # noqa: BLE001 — the test asserts on what came out
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_leads_leaving_at_once_leave_one_lead(monkeypatch):
    loire = DepartementFactory()
    commune = CommuneFactory(departement=loire)
    first, second = AdvisorFactory(departement=loire), AdvisorFactory(departement=loire)
    event = EventFactory(departement=loire, commune=commune, lead=first)
    OrganiserFactory(event=event, advisor=second, lead=True)
    # Widen the window between reading the leads and deleting one, where a real race lands.
    real = services._locked_organisers

    def slow(event):
        rows = real(event)
        threading.Event().wait(0.3)
        return rows

    monkeypatch.setattr(services, "_locked_organisers", slow)

    results, errors = run_at_once(
        lambda user: services.organiser_leave(event=event, user=user), [(first.user,), (second.user,)]
    )

    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "dernier ou la dernière responsable" in errors[0].messages[0]
    leads = Organiser.objects.filter(event=event, role=OrganiserRole.LEAD, status=OrganiserStatus.ACCEPTED)
    assert leads.count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_race_would_leave_no_lead(monkeypatch):
    """The test above can fail: without ``select_for_update`` both leads leave."""
    loire = DepartementFactory()
    commune = CommuneFactory(departement=loire)
    first, second = AdvisorFactory(departement=loire), AdvisorFactory(departement=loire)
    event = EventFactory(departement=loire, commune=commune, lead=first)
    OrganiserFactory(event=event, advisor=second, lead=True)

    def unlocked(event):
        rows = list(Organiser.objects.select_related("advisor").filter(event=event, advisor__isnull=False))
        threading.Event().wait(0.3)
        return rows

    monkeypatch.setattr(services, "_locked_organisers", unlocked)
    results, errors = run_at_once(
        lambda user: services.organiser_leave(event=event, user=user), [(first.user,), (second.user,)]
    )
    assert errors == []
    assert not Organiser.objects.filter(event=event, role=OrganiserRole.LEAD).exists()


def test_declining_an_invitation_to_a_draft_closes_it_again(client, lead, saint_etienne):
    """An invitee sees the draft they are invited to; once they decline, the page, its .ics and its
    programme are closed to them, as the list already was (``Event.objects.visible_to``)."""
    draft = EventFactory(departement=lead.departement, commune=saint_etienne, draft=True, lead=lead)
    guest = AdvisorFactory(departement=lead.departement)
    organiser = services.organiser_invite(event=draft, by=lead.user, email=guest.user.email)
    client.force_login(guest.user)
    pages = [reverse(name, args=[draft.pk]) for name in ("events:detail", "events:ics", "events:programme")]
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]

    services.organiser_respond(organiser=organiser, accept=False)

    assert [client.get(url).status_code for url in pages] == [404, 404, 404]
