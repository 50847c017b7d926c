"""Inviting: no second invitation for an address already in the network or already invited."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from advisors.enums import MembershipStatus
from advisors.models import Invitation
from tests.advisors.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.pages import field_errors

INVITATIONS_URL = reverse("advisors:invitations", args=["42"])


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_an_active_member_is_not_invited_again(client, loire, coordinator, role, mailoutbox):
    MembershipFactory(departement=loire, coordinator=True, user=UserFactory(email="nadia@exemple.fr"))
    client.force_login(coordinator)
    response = client.post(INVITATIONS_URL, {"email": "Nadia@Exemple.fr", "role": role})
    assert response.status_code == 200
    assert field_errors(response, "email") == ["nadia@exemple.fr fait déjà partie du réseau : inutile de l’inviter."]
    assert not Invitation.objects.exists() and mailoutbox == []


def test_a_member_may_be_invited_to_coordinate(client, loire, coordinator, mailoutbox):
    MembershipFactory(departement=loire, user=UserFactory(email="lea@exemple.fr"))
    client.force_login(coordinator)
    response = client.post(INVITATIONS_URL, {"email": "lea@exemple.fr", "role": "member"})
    assert field_errors(response, "email") == ["lea@exemple.fr fait déjà partie du réseau : inutile de l’inviter."]
    response = client.post(INVITATIONS_URL, {"email": "lea@exemple.fr", "role": "coordinator"})
    assert response.status_code == 302
    assert Invitation.objects.get().role == "coordinator"


def test_an_address_already_invited_is_refused_until_the_invitation_ends(client, loire, coordinator):
    pending = InvitationFactory(departement=loire, email="lea@exemple.fr", created_by=coordinator)
    client.force_login(coordinator)
    response = client.post(INVITATIONS_URL, {"email": "LEA@exemple.fr", "role": "member"})
    assert field_errors(response, "email") == [
        "lea@exemple.fr a déjà une invitation en cours : annulez-la d’abord pour en envoyer une autre."
    ]
    assert Invitation.objects.count() == 1
    pending.revoked_at = timezone.now()
    pending.save()
    assert client.post(INVITATIONS_URL, {"email": "lea@exemple.fr", "role": "member"}).status_code == 302
    assert Invitation.objects.count() == 2


def test_someone_elsewhere_or_refused_may_be_invited(client, loire, savoie, coordinator):
    MembershipFactory(departement=savoie, user=UserFactory(email="zoe@exemple.fr"))
    MembershipFactory(departement=loire, status=MembershipStatus.REFUSED, user=UserFactory(email="yves@exemple.fr"))
    InvitationFactory(departement=savoie, email="xavier@exemple.fr")
    client.force_login(coordinator)
    for email in ("zoe@exemple.fr", "yves@exemple.fr", "xavier@exemple.fr"):
        assert client.post(INVITATIONS_URL, {"email": email, "role": "member"}).status_code == 302
    assert Invitation.objects.filter(departement=loire).count() == 3


def _confirmation(html, action):
    """The <details> holding the form that posts to ``action``, or None when the form is shown bare."""
    for block in re.findall(r"<details class=\"confirm\">(.*?)</details>", html, re.S):
        if f'action="{action}"' in block:
            return block
    return None


def test_cancelling_an_invitation_is_confirmed_first(client, loire, coordinator):
    invitation = InvitationFactory(departement=loire, email="lea@exemple.fr", created_by=coordinator)
    client.force_login(coordinator)
    html = client.get(INVITATIONS_URL).content.decode()
    block = _confirmation(html, reverse("advisors:invitation_revoke", args=[invitation.pk]))
    assert block and "<summary>Annuler" in block and "Confirmer l’annulation" in block
    assert html.count(f'action="{reverse("advisors:invitation_revoke", args=[invitation.pk])}"') == 1


def test_refusing_a_request_is_confirmed_first(client, loire, coordinator):
    pending = MembershipFactory(departement=loire, status=MembershipStatus.PENDING)
    client.force_login(coordinator)
    html = client.get(reverse("advisors:membership_requests", args=["42"])).content.decode()
    block = _confirmation(html, reverse("advisors:membership_decide", args=[pending.pk]))
    assert block and "<summary>Refuser" in block
    assert 'value="refuse"' in block and "Confirmer le refus" in block
    # Accepting stays one click, outside the confirmation.
    assert html.count('value="refuse"') == 1 and 'value="approve"' not in block
