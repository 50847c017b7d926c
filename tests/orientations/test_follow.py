"""Following orientations: the received and sent lists, and the receivers saying what became of them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from advisors.models import Membership
from orientations import perms
from orientations.enums import OrientationStatus
from orientations.queries.follow import received_by, sent_by
from tests.advisors.factories import AdvisorFactory, LieuFactory, MembershipFactory, StructureFactory
from tests.orientations.factories import OrientationFactory
from tests.pages import page_text
from tests.territories.factories import CommuneFactory, DepartementFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def structure(saint_etienne):
    return StructureFactory(commune=saint_etienne, name="Médiathèque Tarentaize")


@pytest.fixture
def receiver(loire, structure):
    """A Loire advisor of the médiathèque: receives what is sent to them and to its lieux."""
    return AdvisorFactory(
        departement=loire, structure=structure, user__first_name="Camille", user__last_name="Receveuse"
    )


@pytest.fixture
def colleague(loire, structure):
    """Another advisor of the same structure: receives what goes to its lieux, not what goes to Camille."""
    return AdvisorFactory(departement=loire, structure=structure, user__first_name="Dominique")


@pytest.fixture
def sender(loire, saint_etienne):
    return AdvisorFactory(
        departement=loire,
        structure=StructureFactory(commune=saint_etienne, name="Centre social Montreynaud"),
        user__first_name="Sacha",
        user__last_name="Envoyeur",
        user__email="sacha@exemple.fr",
    )


@pytest.fixture
def lieu(structure):
    return LieuFactory(structure=structure, name="Espace numérique Tarentaize")


def orient(sender, *, to=None, lieu=None, **kwargs):
    if lieu is not None:
        kwargs = {"receiver_advisor": None, "receiver_lieu": lieu, "receiver_structure": lieu.structure} | kwargs
    else:
        kwargs = {"receiver_advisor": to, "receiver_structure": to.structure} | kwargs
    return OrientationFactory(sender=sender.user, sender_structure=sender.structure, **kwargs)


def logged_in(client, advisor_or_user):
    client.force_login(getattr(advisor_or_user, "user", advisor_or_user))
    return client


# The received list


def test_the_inbox_lists_what_was_sent_to_me_and_to_the_lieux_of_my_structure(
    client, sender, receiver, colleague, lieu, loire
):
    to_me = orient(sender, to=receiver, person_first_name="Maria", person_phone="06 11 22 33 44")
    to_lieu = orient(sender, lieu=lieu, person_first_name="Joaquim")
    to_colleague = orient(sender, to=colleague, person_first_name="Paulette")
    elsewhere = orient(sender, to=AdvisorFactory(departement=loire, structure=StructureFactory()))

    response = logged_in(client, receiver).get(reverse("orientations:inbox"))

    text = page_text(response)
    assert response.status_code == 200
    assert [o.pk for o in response.context["page"].object_list] == [to_lieu.pk, to_me.pk]
    assert "Maria" in text and "06 11 22 33 44" in text and "Joaquim" in text
    assert "Paulette" not in text
    assert f"Orientation n° {elsewhere.pk}," not in text and f"Orientation n° {to_colleague.pk}," not in text
    assert "par Sacha Envoyeur (Centre social Montreynaud)" in text


def test_the_inbox_filters_by_state_and_counts_each_state(client, sender, receiver):
    orient(sender, to=receiver)
    taken = orient(sender, to=receiver, status=OrientationStatus.TAKEN)

    response = logged_in(client, receiver).get(reverse("orientations:inbox"), {"etat": "taken"})

    assert [o.pk for o in response.context["page"].object_list] == [taken.pk]
    text = page_text(response)
    assert "Toutes (2)" in text and "Prise en charge (1)" in text and "Envoyée (1)" in text
    # An unknown state is no filter, not an error.
    response = client.get(reverse("orientations:inbox"), {"etat": "zz"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 2


def test_a_member_without_profile_has_an_empty_inbox(client, loire, sender, receiver):
    orient(sender, to=receiver)
    user = MembershipFactory(departement=loire).user

    response = logged_in(client, user).get(reverse("orientations:inbox"))

    assert "Vous n’avez reçu aucune orientation" in page_text(response)
    assert "Compléter mon profil" in page_text(response)


def test_erased_personal_data_says_so(client, sender, receiver):
    orient(
        sender,
        to=receiver,
        person_first_name="",
        person_phone="",
        message="",
        personal_data_erased_at=datetime(2026, 3, 1, 9, tzinfo=PARIS),
    )

    text = page_text(logged_in(client, receiver).get(reverse("orientations:inbox")))

    assert "Coordonnées de la personne effacées le 1 mars 2026" in text


def test_the_lists_and_the_predicates_agree_for_every_role(loire, savoie, sender, receiver, colleague, lieu):
    other_structure_lieu = LieuFactory(structure=StructureFactory())
    orientations = [
        orient(sender, to=receiver),
        orient(sender, lieu=lieu),
        orient(sender, to=colleague),
        orient(sender, lieu=other_structure_lieu),
        orient(receiver, to=colleague),
        # To a lieu whose structure was later deleted: nobody receives it any more.
        orient(sender, lieu=lieu, receiver_structure=None),
    ]
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    no_structure = AdvisorFactory(departement=loire, structure=None)
    elsewhere = AdvisorFactory(departement=savoie)
    # Left the Loire network (profile still there, attached to the médiathèque): receives nothing.
    former = AdvisorFactory(departement=loire, structure=lieu.structure)
    orientations.append(orient(sender, to=former))
    Membership.objects.filter(user=former.user).delete()
    # Same structure, but an active member of the Savoie network only: not the Loire lieu's receiver.
    moved = AdvisorFactory(departement=savoie, structure=lieu.structure)
    users = (sender.user, receiver.user, colleague.user, coordinator, no_structure.user, elsewhere.user)
    for user in (*users, former.user, moved.user):
        user = type(user).objects.get(pk=user.pk)  # fresh: memberships read anew
        received = {o.pk for o in received_by(user)}
        assert received == {o.pk for o in orientations if perms.is_receiver(user, o)}, user
        sent = {o.pk for o in sent_by(user)}
        assert sent == {o.pk for o in orientations if perms.is_sender(user, o)}, user
    assert {o.pk for o in received_by(colleague.user)} == {orientations[1].pk, orientations[2].pk, orientations[4].pk}
    assert not received_by(type(former.user).objects.get(pk=former.user.pk)).exists()
    assert not received_by(moved.user).exists()


def test_a_former_member_no_longer_sees_what_came_to_the_lieu(client, sender, receiver, lieu):
    orientation = orient(sender, lieu=lieu, person_first_name="Maria", person_phone="06 11 22 33 44")
    direct = orient(sender, to=receiver, person_first_name="Joaquim")
    logged_in(client, receiver)
    assert "Maria" in page_text(client.get(reverse("orientations:inbox")))

    Membership.objects.filter(user=receiver.user).delete()

    inbox = page_text(client.get(reverse("orientations:inbox")))
    assert "Maria" not in inbox and "Joaquim" not in inbox
    assert client.get(orientation.get_absolute_url()).status_code == 403
    assert client.get(direct.get_absolute_url()).status_code == 403
    response = client.post(reverse("orientations:status", args=[orientation.pk]), {"etat": "taken"})
    assert response.status_code == 403
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.SENT


def test_the_note_is_for_the_sender_and_the_receivers_not_the_coordination(client, loire, sender, receiver):
    orientation = orient(
        sender,
        to=receiver,
        status=OrientationStatus.REDIRECTED,
        status_note="Maria est partie chez sa fille à Lyon",
        status_changed_at=datetime(2026, 12, 4, 10, tzinfo=PARIS),
        status_changed_by=receiver.user,
    )
    coordinator = MembershipFactory(departement=loire, coordinator=True).user

    seen = page_text(logged_in(client, coordinator).get(orientation.get_absolute_url()))
    assert "réorientée le 4 décembre 2026 par Camille Receveuse" in seen
    assert "chez sa fille" not in seen
    for user in (sender, receiver):
        assert "chez sa fille" in page_text(logged_in(client, user).get(orientation.get_absolute_url()))
    assert "chez sa fille" in page_text(client.get(reverse("orientations:inbox")))


@pytest.mark.parametrize("rows", [2, 12])
def test_the_inbox_runs_the_same_queries_whatever_the_rows(
    rows, loire, sender, receiver, lieu, django_assert_num_queries
):
    for index in range(rows):
        orient(sender, to=receiver) if index % 2 else orient(sender, lieu=lieu, status=OrientationStatus.TAKEN)
    client = Client()
    client.force_login(receiver.user)
    # Session and user (2), profile (1), memberships (1: a receiver must be an active member), the page's
    # count and rows (2), the counts by state (1).
    with django_assert_num_queries(7):
        response = client.get(reverse("orientations:inbox"))
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_the_sent_list_runs_the_same_queries_whatever_the_rows(
    rows, loire, sender, receiver, lieu, django_assert_num_queries
):
    for index in range(rows):
        if index % 2:
            orient(sender, to=receiver, status=OrientationStatus.TAKEN, status_changed_by=receiver.user)
        else:
            orient(sender, lieu=lieu)
    client = Client()
    client.force_login(sender.user)
    # Session and user (2), memberships (1), the page's count and rows (2), the counts by state (1).
    with django_assert_num_queries(6):
        response = client.get(reverse("orientations:sent"))
    assert len(response.context["page"].object_list) == rows


# The sent list


def test_the_sent_list_says_what_became_of_each(client, sender, receiver, lieu):
    orient(
        sender,
        to=receiver,
        person_first_name="Maria",
        status=OrientationStatus.TAKEN,
        status_changed_at=datetime(2026, 12, 3, 10, tzinfo=PARIS),
        status_changed_by=receiver.user,
    )
    orient(
        sender,
        lieu=lieu,
        status=OrientationStatus.REDIRECTED,
        status_note="vers la CAF de Saint-Étienne",
        status_changed_at=datetime(2026, 12, 4, 10, tzinfo=PARIS),
        status_changed_by=receiver.user,
    )
    orient(receiver, to=sender, person_first_name="Pas pour Sacha")

    text = page_text(logged_in(client, sender).get(reverse("orientations:sent")))

    assert "pour Maria" in text
    assert "État : prise en charge le 3 décembre 2026 par Camille Receveuse" in text
    assert "État : réorientée le 4 décembre 2026 par Camille Receveuse (vers la CAF de Saint-Étienne)" in text
    assert "à Espace numérique Tarentaize (Médiathèque Tarentaize)" in text
    assert "Pas pour Sacha" not in text
    assert "Orienter une personne" in text


def test_the_lists_are_behind_the_login(client, db):
    for name in ("orientations:inbox", "orientations:sent"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/compte/" in response["Location"]


# Saying what became of it


def test_the_receiver_takes_it_in_charge_and_the_sender_is_told_without_the_person(
    client, sender, receiver, django_capture_on_commit_callbacks
):
    orientation = orient(
        sender,
        to=receiver,
        person_first_name="Maria",
        person_phone="06 11 22 33 44",
        person_email="maria@exemple.fr",
        message="Maria a besoin d’aide pour Ameli",
    )
    logged_in(client, receiver)
    inbox = client.get(reverse("orientations:inbox"))
    assert f'action="{reverse("orientations:status", args=[orientation.pk])}"' in inbox.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orientations:status", args=[orientation.pk]),
            {"etat": "taken", "etat_vu": "sent", "next": reverse("orientations:inbox")},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == reverse("orientations:inbox")
    assert f"Orientation n° {orientation.pk} marquée « prise en charge »" in page_text(response)
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.TAKEN
    assert orientation.status_changed_by == receiver.user and orientation.status_changed_at is not None
    [message] = mail.outbox
    assert message.to == ["sacha@exemple.fr"]
    assert "«\u00a0prise en charge\u00a0»" in message.subject
    body = message.body
    assert "Camille Receveuse" in body and reverse("orientations:detail", args=[orientation.pk]) in body
    for personal in ("Maria", "06 11 22 33 44", "maria@exemple.fr", "Ameli"):
        assert personal not in body and personal not in message.subject


def test_a_colleague_redirects_what_came_to_the_lieu_with_a_note(
    client, sender, colleague, lieu, django_capture_on_commit_callbacks
):
    orientation = orient(sender, lieu=lieu)

    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, colleague).post(
            reverse("orientations:status", args=[orientation.pk]),
            {"etat": "redirected", "precision": "  vers le PIMMS de Firminy ", "etat_vu": "sent"},
        )

    orientation.refresh_from_db()
    assert (orientation.status, orientation.status_note) == ("redirected", "vers le PIMMS de Firminy")
    assert orientation.status_changed_by == colleague.user
    assert len(mail.outbox) == 1
    assert "PIMMS" not in mail.outbox[0].body


def test_the_sender_the_coordination_and_others_may_not_change_it(client, loire, savoie, sender, receiver):
    orientation = orient(sender, to=receiver)
    url = reverse("orientations:status", args=[orientation.pk])
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    for user in (
        sender.user,
        coordinator,
        AdvisorFactory(departement=loire).user,
        AdvisorFactory(departement=savoie).user,
    ):
        client.force_login(user)
        assert client.post(url, {"etat": "taken"}).status_code == 403
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.SENT
    assert client.get(url).status_code == 405


def test_the_state_change_needs_the_csrf_token(sender, receiver):
    orientation = orient(sender, to=receiver)
    client = Client(enforce_csrf_checks=True)
    client.force_login(receiver.user)

    assert client.post(reverse("orientations:status", args=[orientation.pk]), {"etat": "taken"}).status_code == 403
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.SENT


def test_an_unknown_state_is_refused_with_a_message(client, sender, receiver):
    orientation = orient(sender, to=receiver)

    response = logged_in(client, receiver).post(
        reverse("orientations:status", args=[orientation.pk]),
        {"etat": "sent", "next": reverse("orientations:inbox")},
        follow=True,
    )

    assert "Choisissez « prise en charge », « réorientée » ou « sans suite »" in page_text(response)
    orientation.refresh_from_db()
    assert orientation.status_changed_at is None


def test_a_state_changed_meanwhile_is_not_overwritten(client, sender, receiver, colleague, lieu):
    orientation = orient(sender, lieu=lieu)
    logged_in(client, colleague).post(
        reverse("orientations:status", args=[orientation.pk]), {"etat": "taken", "etat_vu": "sent"}
    )

    # Camille's page still showed « envoyée »: her « sans suite » must not undo Dominique's answer.
    response = logged_in(client, receiver).post(
        reverse("orientations:status", args=[orientation.pk]),
        {"etat": "no_follow_up", "etat_vu": "sent", "next": reverse("orientations:inbox")},
        follow=True,
    )

    assert "Entre-temps, cette orientation a été marquée « prise en charge » par Dominique" in page_text(response)
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.TAKEN and orientation.status_changed_by == colleague.user


def test_next_off_the_site_is_ignored(client, sender, receiver):
    orientation = orient(sender, to=receiver)

    response = logged_in(client, receiver).post(
        reverse("orientations:status", args=[orientation.pk]), {"etat": "taken", "next": "//evil.example/"}
    )

    assert response["Location"] == orientation.get_absolute_url()


def test_the_status_form_offers_only_the_other_states(client, sender, receiver):
    orient(sender, to=receiver, status=OrientationStatus.TAKEN)

    html = logged_in(client, receiver).get(reverse("orientations:inbox")).content.decode()

    assert 'value="redirected"' in html and 'value="no_follow_up"' in html
    assert 'name="etat" value="taken"' not in html


# Ways in


def test_members_find_their_orientations_in_the_menu_and_coordinators_the_flows(client, loire, sender, coordinator):
    text = client.get(reverse("overview:home")).content.decode()
    assert reverse("orientations:inbox") not in text
    logged_in(client, sender)
    assert f'href="{reverse("orientations:inbox")}"' in client.get(reverse("advisors:my_network")).content.decode()
    assert (
        reverse("orientations:flows", args=["42"]) not in client.get(reverse("advisors:my_network")).content.decode()
    )
    client.force_login(coordinator)
    network = client.get(reverse("advisors:my_network"))
    assert f'href="{reverse("orientations:flows", args=["42"])}"' in network.content.decode()
    assert "Orientations entre les structures du réseau" in page_text(network)


def test_the_admin_shows_orientations_read_only_without_the_person(client, sender, receiver):
    orientation = orient(
        sender, to=receiver, person_first_name="Maria", person_phone="06 11 22 33 44", status_note="Vue par Maria"
    )
    admin = AdvisorFactory(departement=receiver.departement).user
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    listing = client.get(reverse("admin:orientations_orientation_changelist"))
    page = client.get(reverse("admin:orientations_orientation_change", args=[orientation.pk]))

    assert listing.status_code == page.status_code == 200
    assert "Maria" not in page.content.decode() and "06 11 22 33 44" not in page.content.decode()
    assert "Vue par Maria" not in page.content.decode()
    assert "Médiathèque Tarentaize" in page.content.decode()


def test_the_inbox_pages_and_reads_dates_in_the_departements_time_zone(client, db):
    reunion = DepartementFactory(reunion=True)
    structure = StructureFactory(commune=CommuneFactory(departement=reunion, code="97411", name="Saint-Denis"))
    receiver = AdvisorFactory(departement=reunion, structure=structure)
    sender = AdvisorFactory(departement=reunion, structure=StructureFactory(commune=structure.commune))
    for _ in range(20):
        orient(sender, to=receiver, created_at=datetime(2026, 11, 1, 8, tzinfo=ZoneInfo("UTC")))
    # 20 h 30 in Paris, 0 h 30 the next day in La Réunion: the newest, alone on the second page.
    latest = orient(sender, to=receiver, created_at=datetime(2026, 11, 28, 20, 30, tzinfo=ZoneInfo("UTC")))
    logged_in(client, receiver)

    first = client.get(reverse("orientations:inbox"))
    second = client.get(reverse("orientations:inbox"), {"page": "2"})

    assert first.context["page"].object_list[0].pk == latest.pk
    assert len(second.context["page"].object_list) == 1
    assert f"Orientation n° {latest.pk}, envoyée le 29 novembre 2026 à 0 h 30" in page_text(first)
    assert "Page 1 sur 2" in page_text(first)
