"""Writes of the network: membership requests and decisions, invitations, coordinators."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from advisors.enums import MembershipRole, MembershipStatus
from advisors.models import Invitation, Membership
from advisors.services import network as services
from tests.advisors.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.territories.factories import CommuneFactory


@pytest.fixture
def mail(mailoutbox, django_capture_on_commit_callbacks):
    """Run the mails a service queues for after the commit, as a real request would."""

    class Mail:
        outbox = mailoutbox

        def __call__(self):
            return django_capture_on_commit_callbacks(execute=True)

    return Mail()


# membership_request


def test_membership_request_creates_a_pending_request_and_tells_the_coordinators(loire, savoie, mail):
    coordinators = [MembershipFactory(departement=loire, coordinator=True).user for _ in range(2)]
    MembershipFactory(departement=loire)  # a member: not told
    MembershipFactory(departement=loire, pending=True, coordinator=True)  # not a coordinator yet: not told
    MembershipFactory(departement=savoie, coordinator=True)  # another département: not told
    person = UserFactory(first_name="Inès", last_name="Moulin")
    saint_etienne = CommuneFactory(departement=loire, code="42218", name="Saint-Étienne")

    with mail():
        membership = services.membership_request(
            user=person,
            departement=loire,
            structure_name="Médiathèque Tarentaize",
            commune=saint_etienne,
            message="Je viens d’arriver, j’anime des ateliers seniors.",
        )

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING
    assert membership.role == MembershipRole.MEMBER
    assert (membership.structure_name, membership.commune_id) == ("Médiathèque Tarentaize", "42218")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in coordinators)
    message = mail.outbox[0]
    assert message.subject == "[Maillage] Nouvelle demande d’adhésion au réseau de la Loire"
    assert "Inès Moulin" in message.body
    assert person.email in message.body
    assert "Médiathèque Tarentaize, Saint-Étienne" in message.body
    assert "j’anime des ateliers seniors" in message.body
    assert "http://testserver/reseau/42/demandes/" in message.body


def test_membership_request_without_coordinator_sends_no_mail(loire, outsider, mail):
    with mail():
        services.membership_request(user=outsider, departement=loire)
    assert Membership.objects.filter(user=outsider, status=MembershipStatus.PENDING).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("status", ["pending", "active", "refused"])
def test_a_second_request_for_the_same_departement_is_refused(loire, coordinator, mail, status):
    existing = MembershipFactory(departement=loire, status=status)
    with pytest.raises(ValidationError, match="déjà une demande ou une adhésion"), mail():
        services.membership_request(user=existing.user, departement=loire, message="Encore moi")
    assert Membership.objects.filter(user=existing.user).get() == existing
    assert mail.outbox == []


def test_a_request_in_another_departement_is_independent(loire, savoie, member):
    membership = services.membership_request(user=member, departement=savoie)
    assert membership.is_pending
    assert member.memberships.count() == 2


# membership_decide


def test_approving_makes_an_active_member_and_tells_them_in_french(loire, coordinator, mail):
    request = MembershipFactory(departement=loire, pending=True, user__first_name="Karim")
    with mail():
        decided = services.membership_decide(membership=request, by=coordinator, approve=True)

    request.refresh_from_db()
    assert request.status == MembershipStatus.ACTIVE
    assert request.role == MembershipRole.MEMBER
    assert request.decided_by == coordinator
    assert timezone.now() - request.decided_at < timedelta(minutes=1)
    assert decided == request
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [request.user.email]
    assert message.subject == "[Maillage] Bienvenue dans le réseau de la Loire"
    assert message.body.startswith("Bonjour Karim,")
    assert "Votre demande est acceptée : vous êtes maintenant membre du réseau" in message.body
    assert "http://testserver/reseau/" in message.body


def test_approving_a_coordinator_request_makes_a_coordinator(loire, coordinator, mail):
    request = MembershipFactory(departement=loire, pending=True, coordinator=True)
    with mail():
        services.membership_decide(membership=request, by=coordinator, approve=True)
    request.refresh_from_db()
    assert request.is_coordinator
    assert "vous êtes maintenant coordinateur ou coordinatrice du réseau" in mail.outbox[0].body


def test_refusing_tells_the_person_in_french(loire, coordinator, mail):
    request = MembershipFactory(departement=loire, pending=True)
    with mail():
        services.membership_decide(membership=request, by=coordinator, approve=False)

    request.refresh_from_db()
    assert request.status == MembershipStatus.REFUSED
    assert request.decided_by == coordinator
    assert [message.to for message in mail.outbox] == [[request.user.email]]
    assert mail.outbox[0].subject == "[Maillage] Votre demande d’adhésion au réseau de la Loire"
    assert "n’a pas accepté votre demande d’adhésion" in mail.outbox[0].body


@pytest.mark.parametrize(("first", "second"), [(True, True), (True, False), (False, True), (False, False)])
def test_deciding_twice_is_an_error_and_keeps_the_first_decision(loire, coordinator, mail, first, second):
    request = MembershipFactory(departement=loire, pending=True)
    other = MembershipFactory(departement=loire, coordinator=True).user
    with mail():
        services.membership_decide(membership=request, by=coordinator, approve=first)
    with pytest.raises(ValidationError, match="Cette demande a déjà été traitée."), mail():
        services.membership_decide(membership=request, by=other, approve=second)

    request.refresh_from_db()
    assert request.status == (MembershipStatus.ACTIVE if first else MembershipStatus.REFUSED)
    assert request.decided_by == coordinator
    assert len(mail.outbox) == 1


class SlowClock:
    """``timezone`` for the service under test: ``now()`` waits, so that a decision takes long
    enough for a second one to start in the middle of it. Without the row lock both would
    read the request as pending and both would succeed."""

    def __init__(self, delay):
        self.delay = delay

    def now(self):
        threading.Event().wait(self.delay)
        return timezone.now()

    def localdate(self):
        return timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deciding_at_once_only_one_wins(monkeypatch, mailoutbox):
    from tests.territories.factories import DepartementFactory

    loire = DepartementFactory()
    request = MembershipFactory(departement=loire, pending=True)
    coordinators = [MembershipFactory(departement=loire, coordinator=True).user for _ in range(2)]
    monkeypatch.setattr(services, "timezone", SlowClock(delay=0.3))
    barrier = threading.Barrier(len(coordinators))
    outcomes = {}

    def decide(coordinator, approve):
        try:
            barrier.wait(timeout=10)
            services.membership_decide(membership=request, by=coordinator, approve=approve)
        except ValidationError as error:
            outcomes[coordinator.pk] = error.messages[0]
        else:
            outcomes[coordinator.pk] = "ok"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(coordinator, approve))
        for coordinator, approve in zip(coordinators, (True, False), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["Cette demande a déjà été traitée.", "ok"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "ok")
    request.refresh_from_db()
    assert request.decided_by_id == winner
    assert request.status == (MembershipStatus.ACTIVE if winner == coordinators[0].pk else MembershipStatus.REFUSED)
    assert len(mailoutbox) == 1


# invitations


def test_invitation_create_emails_a_single_use_link(loire, coordinator, mail):
    with mail():
        invitation = services.invitation_create(departement=loire, email="  Lea.Martin@Exemple.FR ", by=coordinator)

    assert invitation.email == "lea.martin@exemple.fr"
    assert invitation.role == MembershipRole.MEMBER
    assert invitation.is_usable
    assert timedelta(days=13) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    assert [message.to for message in mail.outbox] == [["lea.martin@exemple.fr"]]
    message = mail.outbox[0]
    assert message.subject == "[Maillage] Invitation à rejoindre le réseau de la Loire"
    assert f"{coordinator.display_name} vous invite à rejoindre le réseau" in message.body
    assert f"http://testserver/invitation/{invitation.token}/" in message.body
    assert "comme coordinateur" not in message.body


def test_invitation_tokens_are_unguessable_and_distinct(loire, coordinator):
    first = services.invitation_create(departement=loire, email="a@exemple.fr", by=coordinator)
    second = services.invitation_create(departement=loire, email="a@exemple.fr", by=coordinator)
    assert first.token != second.token
    assert len(first.token) >= 40


def test_a_coordinator_invitation_says_so(loire, coordinator, mail):
    with mail():
        services.invitation_create(
            departement=loire, email="relais@exemple.fr", role=MembershipRole.COORDINATOR, by=coordinator
        )
    assert ", comme coordinateur ou coordinatrice." in mail.outbox[0].body


def test_accepting_an_invitation_makes_an_active_member(loire, coordinator):
    person = UserFactory(email="lea@exemple.fr")
    invitation = InvitationFactory(departement=loire, email="lea@exemple.fr", created_by=coordinator)

    membership = services.invitation_accept(invitation=invitation, user=person)

    membership.refresh_from_db()
    assert (membership.user, membership.departement_id) == (person, "42")
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.role == MembershipRole.MEMBER
    assert membership.decided_by == coordinator
    invitation.refresh_from_db()
    assert invitation.used_by == person
    assert invitation.is_used
    assert not invitation.is_usable


def test_the_invitation_address_matches_whatever_the_case(loire):
    person = UserFactory(email="lea.martin@exemple.fr")
    invitation = InvitationFactory(departement=loire, email="Lea.Martin@Exemple.fr")
    assert services.invitation_accept(invitation=invitation, user=person).is_active


def _expired(loire, email):
    now = timezone.now()
    return InvitationFactory(
        departement=loire, email=email, created_at=now - timedelta(days=15), expires_at=now - timedelta(days=1)
    )


@pytest.mark.parametrize(
    "make_invitation",
    [
        pytest.param(_expired, id="expired"),
        pytest.param(
            lambda loire, email: InvitationFactory(departement=loire, email=email, used_at=timezone.now()), id="used"
        ),
        pytest.param(
            lambda loire, email: InvitationFactory(departement=loire, email=email, revoked_at=timezone.now()),
            id="revoked",
        ),
    ],
)
def test_an_unusable_invitation_changes_nothing(loire, make_invitation):
    person = UserFactory(email="lea@exemple.fr")
    invitation = make_invitation(loire, "lea@exemple.fr")
    with pytest.raises(ValidationError, match="n’est plus valable"):
        services.invitation_accept(invitation=invitation, user=person)
    assert not person.memberships.exists()


def test_an_invitation_serves_only_once(loire):
    person = UserFactory(email="lea@exemple.fr")
    invitation = InvitationFactory(departement=loire, email="lea@exemple.fr")
    services.invitation_accept(invitation=invitation, user=person)
    first_use = Invitation.objects.get(pk=invitation.pk).used_at

    # Even a stale copy of the invitation, loaded before it was used, is refused.
    with pytest.raises(ValidationError, match="n’est plus valable"):
        services.invitation_accept(invitation=invitation, user=person)
    assert Invitation.objects.get(pk=invitation.pk).used_at == first_use


def test_an_invitation_for_another_address_is_refused(loire):
    invitation = InvitationFactory(departement=loire, email="lea@exemple.fr")
    intruder = UserFactory(email="intrus@exemple.fr")
    with pytest.raises(ValidationError, match="Cette invitation est destinée à lea@exemple.fr"):
        services.invitation_accept(invitation=invitation, user=intruder)
    assert not intruder.memberships.exists()
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_a_coordinator_invitation_makes_a_coordinator(loire, member):
    invitation = InvitationFactory(departement=loire, email=member.email, role=MembershipRole.COORDINATOR)
    membership = services.invitation_accept(invitation=invitation, user=member)
    assert membership.is_coordinator
    assert Membership.objects.get(user=member).is_coordinator


def test_a_coordinator_accepting_a_member_invitation_stays_coordinator(loire, coordinator):
    invitation = InvitationFactory(departement=loire, email=coordinator.email)
    membership = services.invitation_accept(invitation=invitation, user=coordinator)
    assert membership.is_coordinator
    assert Membership.objects.get(user=coordinator).is_coordinator


@pytest.mark.parametrize("status", ["pending", "refused"])
def test_a_member_invitation_does_not_grant_a_coordinator_role_only_asked_for(loire, status):
    """Someone who asked to coordinate, and is then invited as a member, becomes a member."""
    asked = MembershipFactory(departement=loire, status=status, coordinator=True)
    invitation = InvitationFactory(departement=loire, email=asked.user.email)

    membership = services.invitation_accept(invitation=invitation, user=asked.user)

    assert membership.pk == asked.pk
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.role == MembershipRole.MEMBER
    assert not Membership.objects.get(pk=asked.pk).is_coordinator


@pytest.mark.parametrize("status", ["pending", "refused"])
def test_an_invitation_settles_an_earlier_request(loire, status):
    asked = MembershipFactory(departement=loire, status=status, structure_name="CCAS de Roanne")
    invitation = InvitationFactory(departement=loire, email=asked.user.email)
    services.invitation_accept(invitation=invitation, user=asked.user)
    asked.refresh_from_db()
    assert asked.is_active
    assert asked.structure_name == "CCAS de Roanne"


def test_invitation_revoke(loire, coordinator):
    invitation = InvitationFactory(departement=loire)
    services.invitation_revoke(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not invitation.is_usable
    person = UserFactory(email=invitation.email)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=person)


def test_revoking_a_used_invitation_changes_nothing(loire):
    person = UserFactory()
    invitation = InvitationFactory(departement=loire, email=person.email)
    services.invitation_accept(invitation=invitation, user=person)
    services.invitation_revoke(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert invitation.used_by == person


# coordinator_make


def test_coordinator_make_for_someone_new_to_the_network(loire, outsider):
    membership, created = services.coordinator_make(user=outsider, departement=loire)
    assert created
    membership.refresh_from_db()
    assert membership.is_coordinator
    assert membership.decided_at is not None


@pytest.mark.parametrize("status", ["pending", "active", "refused"])
def test_coordinator_make_promotes_an_existing_membership(loire, status):
    existing = MembershipFactory(departement=loire, status=status)
    membership, created = services.coordinator_make(user=existing.user, departement=loire)
    assert not created
    assert membership.pk == existing.pk
    assert Membership.objects.get(pk=existing.pk).is_coordinator


def test_coordinator_make_is_idempotent(loire, outsider):
    first, _ = services.coordinator_make(user=outsider, departement=loire)
    again, created = services.coordinator_make(user=outsider, departement=loire)
    assert not created
    assert again.pk == first.pk
    assert again.is_coordinator
    assert Membership.objects.get(pk=first.pk).decided_at == first.decided_at
    assert Membership.objects.filter(user=outsider).count() == 1
