"""The network pages: who may do what, what bad input gets back, and how many queries each page costs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from advisors.enums import MembershipRole, MembershipStatus
from advisors.models import Invitation, Membership
from territories.scope import COOKIE_NAME
from tests.advisors.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.pages import field_errors, page_text
from tests.territories.factories import CommuneFactory, EPCIFactory

# Logged-in people who have no right over the Loire network.
NOT_LOIRE_COORDINATORS = ["outsider", "pending", "refused", "member", "other_member", "other_coordinator"]


@pytest.fixture
def people(loire, savoie):
    """One person of each kind, seen from the Loire network (Savoie is the other département)."""
    return {
        "outsider": UserFactory(),
        "pending": MembershipFactory(departement=loire, pending=True).user,
        "refused": MembershipFactory(departement=loire, refused=True).user,
        "member": MembershipFactory(departement=loire).user,
        "other_member": MembershipFactory(departement=savoie).user,
        "other_coordinator": MembershipFactory(departement=savoie, coordinator=True).user,
        "coordinator": MembershipFactory(departement=loire, coordinator=True).user,
    }


def assert_redirects_to_login(response, next_url):
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={next_url}"


# Join a network: membership_request


REQUEST_URL = reverse("advisors:membership_request")


def request_data(**overrides):
    return {
        "departement": "42",
        "first_name": "Inès",
        "last_name": "Moulin",
        "structure_name": "Médiathèque de Tarentaize",
        "commune": "Saint-Étienne",
        "role": "member",
        "message": "J’anime des ateliers pour les seniors.",
        **overrides,
    }


def test_membership_request_needs_an_account(client, saint_etienne):
    assert_redirects_to_login(client.get(REQUEST_URL), REQUEST_URL)
    assert_redirects_to_login(client.post(REQUEST_URL, request_data()), REQUEST_URL)
    assert not Membership.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_member", "other_coordinator"])
def test_membership_request_sends_the_request_to_the_coordinators(
    client, people, saint_etienne, who, mailoutbox, django_capture_on_commit_callbacks
):
    person = people[who]
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST_URL, request_data(), follow=True)

    assert response.redirect_chain == [(reverse("advisors:my_network"), 302)]
    assert "Votre demande pour rejoindre le réseau de la Loire est envoyée." in page_text(response)
    membership = Membership.objects.get(user=person, departement="42")
    assert membership.status == MembershipStatus.PENDING
    assert membership.role == MembershipRole.MEMBER
    assert membership.structure_name == "Médiathèque de Tarentaize"
    assert membership.commune == saint_etienne
    assert membership.message == "J’anime des ateliers pour les seniors."
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Inès", "Moulin")
    assert [message.to for message in mailoutbox] == [[people["coordinator"].email]]
    assert "Inès Moulin" in mailoutbox[0].body


@pytest.mark.parametrize("who", ["pending", "refused", "member", "coordinator"])
def test_membership_request_twice_for_the_same_departement(client, people, saint_etienne, who, mailoutbox):
    person = people[who]
    before = Membership.objects.get(user=person)
    client.force_login(person)
    response = client.post(REQUEST_URL, request_data(first_name="Autre"))

    assert response.status_code == 200
    assert field_errors(response, "departement") == ["Vous avez déjà une demande ou une adhésion pour ce département."]
    assert list(Membership.objects.filter(user=person)) == [before]
    assert Membership.objects.get(pk=before.pk).status == before.status
    person.refresh_from_db()
    assert person.first_name != "Autre"
    assert mailoutbox == []


@pytest.mark.parametrize(
    "typed",
    ["Saint-Étienne", "saint etienne", "Saint-Étienne (42) — 42218", "42100"],
)
def test_membership_request_resolves_the_commune_as_typed(client, outsider, saint_etienne, typed):
    CommuneFactory(departement=saint_etienne.departement, code="42207", name="Saint-Chamond", postal_codes="42400")
    client.force_login(outsider)
    response = client.post(REQUEST_URL, request_data(commune=typed))
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider).commune == saint_etienne


def test_membership_request_with_a_commune_of_another_departement(client, outsider, saint_etienne, chambery):
    client.force_login(outsider)
    response = client.post(REQUEST_URL, request_data(commune="Chambéry"))

    assert response.status_code == 200
    assert field_errors(response, "commune") == ["Chambéry est dans le département 73, pas dans le 42."]
    assert "<title>Erreur — " in response.content.decode()
    assert not Membership.objects.exists()
    outsider.refresh_from_db()
    assert outsider.first_name != "Inès"
    # What was typed stays in the form.
    assert 'value="Médiathèque de Tarentaize"' in response.content.decode()


def test_membership_request_with_an_unknown_commune(client, outsider, saint_etienne):
    client.force_login(outsider)
    response = client.post(REQUEST_URL, request_data(commune="Nulle-Part-sur-Loire"))
    assert response.status_code == 200
    assert field_errors(response, "commune") == [
        "Aucune commune ne correspond à « Nulle-Part-sur-Loire ». Vérifiez l’orthographe ou tapez le code postal."
    ]
    assert not Membership.objects.exists()


def test_membership_request_with_homonyms_asks_which_one(client, outsider, loire):
    first = CommuneFactory(departement=loire, code="42001", name="Saint-Jean", postal_codes="42110")
    CommuneFactory(departement=loire, code="42002", name="Saint-Jean", postal_codes="42560")
    client.force_login(outsider)

    response = client.post(REQUEST_URL, request_data(commune="Saint-Jean"))
    assert response.status_code == 200
    assert field_errors(response, "commune") == [
        "2 communes correspondent à « Saint-Jean » : choisissez la vôtre dans la liste."
    ]
    assert 'name="commune_choice" id="id_commune-choice-1" value="42001"' in response.content.decode()
    assert not Membership.objects.exists()

    response = client.post(REQUEST_URL, request_data(commune="Saint-Jean", commune_choice="42001"))
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider).commune == first


def test_membership_request_with_missing_fields(client, outsider):
    client.force_login(outsider)
    response = client.post(REQUEST_URL, {"commune": ""})

    assert response.status_code == 200
    assert field_errors(response, "departement") == ["Choisissez le département dont vous voulez rejoindre le réseau."]
    assert field_errors(response, "first_name") == ["Indiquez votre prénom."]
    assert field_errors(response, "last_name") == ["Indiquez votre nom."]
    assert field_errors(response, "structure_name") == ["Indiquez la structure pour laquelle vous travaillez."]
    assert field_errors(response, "commune") == ["Indiquez une commune."]
    assert field_errors(response, "role") == [
        "Indiquez si vous rejoignez le réseau comme membre ou pour le coordonner."
    ]
    assert field_errors(response, "message") == []
    assert "Le formulaire contient 6 erreurs" in page_text(response)
    assert not Membership.objects.exists()


def test_membership_request_with_an_unknown_departement_or_role(client, outsider, saint_etienne):
    client.force_login(outsider)
    response = client.post(REQUEST_URL, request_data(departement="99", role="admin"))
    assert response.status_code == 200
    assert field_errors(response, "departement") == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
    assert field_errors(response, "role") == ["Sélectionnez un choix valide. admin n’en fait pas partie."]
    assert not Membership.objects.exists()


def test_membership_request_form_starts_from_the_chosen_departement(client, outsider, loire, savoie):
    outsider.first_name = "Inès"
    outsider.save()
    client.force_login(outsider)
    client.cookies[COOKIE_NAME] = "42"
    html = client.get(REQUEST_URL).content.decode()
    assert '<option value="42" selected>42 — Loire</option>' in html
    assert 'value="Inès"' in html
    html = client.get(f"{REQUEST_URL}?departement=73").content.decode()
    assert '<option value="73" selected>73 — Savoie</option>' in html


# Decide on a request: membership_decide


@pytest.fixture
def request_to_decide(loire):
    return MembershipFactory(departement=loire, pending=True, user__first_name="Karim", user__last_name="Benali")


def decide_url(membership):
    return reverse("advisors:membership_decide", args=[membership.pk])


def test_membership_decide_needs_an_account(client, request_to_decide):
    url = decide_url(request_to_decide)
    assert_redirects_to_login(client.post(url, {"decision": "approve"}), url)
    request_to_decide.refresh_from_db()
    assert request_to_decide.is_pending


@pytest.mark.parametrize("who", NOT_LOIRE_COORDINATORS)
def test_membership_decide_is_for_the_departement_coordinators(client, people, request_to_decide, who, mailoutbox):
    client.force_login(people[who])
    response = client.post(decide_url(request_to_decide), {"decision": "approve"})
    assert response.status_code == 403
    assert "Accès refusé" in page_text(response)
    request_to_decide.refresh_from_db()
    assert request_to_decide.is_pending
    assert request_to_decide.decided_by is None
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("decision", "status", "feedback"),
    [
        (
            "approve",
            MembershipStatus.ACTIVE,
            "Karim Benali est maintenant membre du réseau. Un courriel l’en informe.",
        ),
        ("refuse", MembershipStatus.REFUSED, "La demande de Karim Benali est refusée. Un courriel l’en informe."),
    ],
)
def test_the_coordinator_decides(
    client, coordinator, request_to_decide, decision, status, feedback, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(request_to_decide), {"decision": decision}, follow=True)

    assert response.redirect_chain == [(reverse("advisors:membership_requests", args=["42"]), 302)]
    assert feedback in page_text(response)
    assert "Aucune demande en attente." in page_text(response)
    request_to_decide.refresh_from_db()
    assert request_to_decide.status == status
    assert request_to_decide.decided_by == coordinator
    assert [message.to for message in mailoutbox] == [[request_to_decide.user.email]]


def test_deciding_a_request_already_decided(client, coordinator, request_to_decide, mailoutbox):
    other = MembershipFactory(departement=request_to_decide.departement, coordinator=True).user
    request_to_decide.status = MembershipStatus.REFUSED
    request_to_decide.decided_by = other
    request_to_decide.save()
    client.force_login(coordinator)

    response = client.post(decide_url(request_to_decide), {"decision": "approve"}, follow=True)

    assert "Cette demande a déjà été traitée." in page_text(response)
    request_to_decide.refresh_from_db()
    assert request_to_decide.status == MembershipStatus.REFUSED
    assert request_to_decide.decided_by == other
    assert mailoutbox == []


@pytest.mark.parametrize("data", [{}, {"decision": "peut-être"}])
def test_deciding_without_a_decision(client, coordinator, request_to_decide, data):
    client.force_login(coordinator)
    response = client.post(decide_url(request_to_decide), data, follow=True)
    assert "Choisissez d’accepter ou de refuser la demande." in page_text(response)
    request_to_decide.refresh_from_db()
    assert request_to_decide.is_pending


def test_deciding_is_a_post(client, coordinator, request_to_decide):
    client.force_login(coordinator)
    assert client.get(decide_url(request_to_decide), {"decision": "approve"}).status_code == 405
    assert (
        client.post(reverse("advisors:membership_decide", args=[999999]), {"decision": "approve"}).status_code == 404
    )
    request_to_decide.refresh_from_db()
    assert request_to_decide.is_pending


# The coordinators' pages: membership_requests and invitations


@pytest.mark.parametrize("name", ["advisors:membership_requests", "advisors:invitations"])
def test_coordinator_pages_need_an_account(client, loire, name):
    url = reverse(name, args=["42"])
    assert_redirects_to_login(client.get(url), url)


@pytest.mark.parametrize("name", ["advisors:membership_requests", "advisors:invitations"])
@pytest.mark.parametrize("who", NOT_LOIRE_COORDINATORS)
def test_coordinator_pages_are_for_the_departement_coordinators(client, people, name, who):
    client.force_login(people[who])
    assert client.get(reverse(name, args=["42"])).status_code == 403


@pytest.mark.parametrize("name", ["advisors:membership_requests", "advisors:invitations"])
def test_coordinator_pages_of_an_unknown_departement(client, coordinator, name):
    client.force_login(coordinator)
    assert client.get(reverse(name, args=["99"])).status_code == 404


def test_membership_requests_lists_the_pending_requests_of_the_departement(client, people, loire, savoie):
    MembershipFactory(departement=loire, pending=True, user__first_name="Karim", user__last_name="Benali")
    MembershipFactory(departement=savoie, pending=True, user__first_name="Savoyard", user__last_name="Pending")
    client.force_login(people["coordinator"])
    text = page_text(client.get(reverse("advisors:membership_requests", args=["42"])))
    assert "Karim Benali" in text
    assert "Savoyard" not in text
    assert people["pending"].display_name in text
    assert people["member"].display_name not in text


# Invite: invitations (POST) and invitation_revoke


INVITATIONS_URL = reverse("advisors:invitations", args=["42"])


def test_inviting_needs_an_account(client, loire, mailoutbox):
    assert_redirects_to_login(
        client.post(INVITATIONS_URL, {"email": "lea@exemple.fr", "role": "member"}), INVITATIONS_URL
    )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", NOT_LOIRE_COORDINATORS)
def test_inviting_is_for_the_departement_coordinators(client, people, who, mailoutbox):
    client.force_login(people[who])
    response = client.post(INVITATIONS_URL, {"email": "lea@exemple.fr", "role": "coordinator"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_the_coordinator_invites(client, coordinator, role, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITATIONS_URL, {"email": "Lea.Martin@exemple.fr", "role": role}, follow=True)

    assert response.redirect_chain == [(INVITATIONS_URL, 302)]
    assert "Invitation envoyée à lea.martin@exemple.fr. Le lien est valable 14 jours." in page_text(response)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.departement_id) == ("lea.martin@exemple.fr", role, "42")
    assert invitation.created_by == coordinator
    assert [message.to for message in mailoutbox] == [["lea.martin@exemple.fr"]]
    assert invitation.get_absolute_url() in mailoutbox[0].body


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"email": "lea.martin@", "role": "member"},
            {"email": ["Cette adresse électronique n’est pas valide (exemple : prenom.nom@exemple.fr)."]},
        ),
        ({"email": "", "role": "member"}, {"email": ["Indiquez l’adresse électronique de la personne à inviter."]}),
        (
            {"email": "lea@exemple.fr", "role": "chef"},
            {"role": ["Sélectionnez un choix valide. chef n’en fait pas partie."]},
        ),
        (
            {},
            {
                "email": ["Indiquez l’adresse électronique de la personne à inviter."],
                "role": ["Choisissez le rôle de la personne invitée dans le réseau."],
            },
        ),
    ],
)
def test_inviting_with_bad_input(client, coordinator, data, errors, mailoutbox):
    client.force_login(coordinator)
    response = client.post(INVITATIONS_URL, data)

    assert response.status_code == 200
    for name, expected in errors.items():
        assert field_errors(response, name) == expected
    assert not Invitation.objects.exists()
    assert mailoutbox == []
    if data.get("email"):
        assert f'value="{data["email"]}"' in response.content.decode()


@pytest.fixture
def invitation(loire, coordinator):
    return InvitationFactory(departement=loire, email="lea@exemple.fr", created_by=coordinator)


def revoke_url(invitation):
    return reverse("advisors:invitation_revoke", args=[invitation.pk])


def test_revoking_needs_an_account(client, invitation):
    assert_redirects_to_login(client.post(revoke_url(invitation)), revoke_url(invitation))
    invitation.refresh_from_db()
    assert invitation.is_usable


@pytest.mark.parametrize("who", NOT_LOIRE_COORDINATORS)
def test_revoking_is_for_the_departement_coordinators(client, people, invitation, who):
    client.force_login(people[who])
    assert client.post(revoke_url(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_the_coordinator_revokes(client, people, invitation):
    client.force_login(people["coordinator"])
    response = client.post(revoke_url(invitation), follow=True)
    assert response.redirect_chain == [(INVITATIONS_URL, 302)]
    assert "L’invitation de lea@exemple.fr est annulée." in page_text(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "annulée" in page_text(response)


def test_revoking_an_invitation_used_in_the_meantime(client, coordinator, invitation):
    """The coordinator's page was open while the person accepted: the invitation stays used."""
    person = UserFactory(email="lea@exemple.fr")
    invitation.used_at, invitation.used_by = timezone.now(), person
    invitation.save()
    client.force_login(coordinator)

    response = client.post(revoke_url(invitation), follow=True)

    assert response.redirect_chain == [(INVITATIONS_URL, 302)]
    assert "L’invitation de lea@exemple.fr a déjà servi ou n’est plus valable" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_revoking_is_a_post(client, coordinator, invitation):
    client.force_login(coordinator)
    assert client.get(revoke_url(invitation)).status_code == 405
    invitation.refresh_from_db()
    assert invitation.is_usable


# Use an invitation: invitation (POST)


def test_an_anonymous_visitor_is_sent_back_to_the_invitation_to_sign_in(client, invitation):
    url = invitation.get_absolute_url()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == url
    invitation.refresh_from_db()
    assert invitation.is_usable
    text = page_text(client.get(url))
    assert "Créer mon compte" in text
    assert "J’ai déjà un compte : me connecter" in text


@pytest.mark.parametrize(
    ("who", "role_in_loire"),
    [
        ("outsider", MembershipRole.MEMBER),
        ("pending", MembershipRole.MEMBER),
        ("refused", MembershipRole.MEMBER),
        ("member", MembershipRole.MEMBER),
        ("other_member", MembershipRole.MEMBER),
        ("other_coordinator", MembershipRole.MEMBER),
        ("coordinator", MembershipRole.COORDINATOR),
    ],
)
def test_the_invited_person_joins(client, people, loire, who, role_in_loire):
    person = people[who]
    others_before = list(person.memberships.exclude(departement=loire).values_list("departement", "role", "status"))
    invitation = InvitationFactory(departement=loire, email=person.email)
    client.force_login(person)

    response = client.post(invitation.get_absolute_url(), follow=True)

    assert response.redirect_chain == [(reverse("advisors:my_network"), 302)]
    assert "Bienvenue dans le réseau de la Loire !" in page_text(response)
    membership = person.memberships.get(departement=loire)
    assert (membership.status, membership.role) == (MembershipStatus.ACTIVE, role_in_loire)
    assert list(person.memberships.exclude(departement=loire).values_list("departement", "role", "status")) == (
        others_before
    )
    invitation.refresh_from_db()
    assert invitation.used_by == person


@pytest.mark.parametrize("who", ["outsider", "member", "other_coordinator", "coordinator"])
def test_an_invitation_for_someone_else(client, people, loire, invitation, who):
    person = people[who]
    before = list(person.memberships.values_list("departement", "role", "status"))
    client.force_login(person)

    page = client.get(invitation.get_absolute_url())
    assert f"Vous êtes connecté·e avec {person.email}." in page_text(page)
    response = client.post(invitation.get_absolute_url(), follow=True)

    assert response.redirect_chain == [(invitation.get_absolute_url(), 302)]
    assert "Cette invitation est destinée à lea@exemple.fr." in page_text(response)
    assert list(person.memberships.values_list("departement", "role", "status")) == before
    invitation.refresh_from_db()
    assert invitation.is_usable


@pytest.mark.parametrize("change", ["used", "revoked", "expired"])
def test_an_invitation_no_longer_usable(client, loire, change):
    person = UserFactory(email="lea@exemple.fr")
    invitation = InvitationFactory(departement=loire, email=person.email, **{change: True})
    client.force_login(person)

    response = client.post(invitation.get_absolute_url(), follow=True)

    message = "Cette invitation n’est plus valable : elle a déjà servi, a expiré ou a été annulée."
    assert message in page_text(response)
    assert "Rejoindre le réseau Loire" not in page_text(response)
    assert not person.memberships.exists()


def test_an_unknown_invitation(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("advisors:invitation", args=["inconnue"])).status_code == 404
    assert client.post(reverse("advisors:invitation", args=["inconnue"])).status_code == 404


# Choose one's département: overview:choose


CHOOSE_URL = reverse("overview:choose")


@pytest.mark.parametrize("who", [None, *NOT_LOIRE_COORDINATORS, "coordinator"])
def test_anyone_chooses_their_departement(client, people, loire, who):
    """The choice only sets the visitor's own cookie: no account or right is needed."""
    if who:
        client.force_login(people[who])
    response = client.post(CHOOSE_URL, {"departement": "42", "next": "/conseillers/"})
    assert response.status_code == 302
    assert response.url == "/conseillers/"
    assert response.cookies[COOKIE_NAME].value == "42"
    assert response.cookies[COOKIE_NAME]["httponly"]
    assert "Votre département : Loire (42)" in page_text(client.get("/"))


def test_choosing_an_unknown_departement_forgets_the_choice(client, loire):
    client.cookies[COOKIE_NAME] = "42"
    response = client.post(CHOOSE_URL, {"departement": "99"})
    assert response.url == "/"
    assert response.cookies[COOKIE_NAME].value == ""
    assert "Choisir votre département" in page_text(client.get("/"))


@pytest.mark.parametrize("next_url", ["https://ailleurs.example/", "//ailleurs.example/", "javascript:alert(1)"])
def test_choosing_never_redirects_elsewhere(client, loire, next_url):
    response = client.post(CHOOSE_URL, {"departement": "42", "next": next_url})
    assert response.url == "/"


def test_choosing_is_a_post(client, loire):
    response = client.get(CHOOSE_URL, {"departement": "42"})
    assert response.status_code == 405
    assert COOKIE_NAME not in response.cookies


# Reading pages: my_network (the directory is tested in test_directory.py)


def test_my_network_needs_an_account(client):
    url = reverse("advisors:my_network")
    assert_redirects_to_login(client.get(url), url)


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("outsider", "Vous ne faites encore partie d’aucun réseau départemental.", "Réseau Loire"),
        ("pending", "Demande en attente", "Demandes d’adhésion à examiner"),
        ("refused", "Demande refusée", "Demandes d’adhésion à examiner"),
        ("member", "Membre actif depuis le 2 mars 2026.", "Demandes d’adhésion à examiner"),
        ("coordinator", "Coordinateur ou coordinatrice depuis le 2 mars 2026.", "Membre actif"),
    ],
)
def test_my_network_tells_each_person_where_they_stand(client, people, who, shown, hidden):
    decided_at = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))
    Membership.objects.filter(user=people[who]).exclude(status=MembershipStatus.PENDING).update(decided_at=decided_at)
    client.force_login(people[who])
    text = page_text(client.get(reverse("advisors:my_network")))
    assert shown in text
    assert hidden not in text


def test_my_network_counts_the_requests_to_review(client, people):
    client.force_login(people["coordinator"])
    text = page_text(client.get(reverse("advisors:my_network")))
    assert "Demandes d’adhésion à examiner (1)" in text


# Queries: every page costs the same whatever the number of rows


def make_members(departement, count, **kwargs):
    epcis = [EPCIFactory() for _ in range(3)]
    communes = [CommuneFactory(departement=departement, epci=epcis[i % 3]) for i in range(6)]
    return [
        MembershipFactory(departement=departement, commune=communes[i % len(communes)], **kwargs) for i in range(count)
    ]


def test_my_network_queries(client, loire, savoie, people, django_assert_num_queries):
    coordinator = people["coordinator"]
    MembershipFactory(user=coordinator, departement=savoie, coordinator=True)
    client.force_login(coordinator)
    url = reverse("advisors:my_network")
    # Session, user, memberships for the predicates, memberships listed, pending counts, profile (welcome panel).
    with django_assert_num_queries(6):
        response = client.get(url)
    assert "Demandes d’adhésion à examiner (1)" in page_text(response)

    make_members(loire, 29, pending=True)
    make_members(savoie, 30, pending=True)
    with django_assert_num_queries(6):
        response = client.get(url)
    text = page_text(response)
    assert "Réseau de la Loire (42)" in text
    assert "Réseau de la Savoie (73)" in text
    assert text.count("Demandes d’adhésion à examiner (30)") == 2


def test_membership_requests_queries(client, loire, coordinator, django_assert_num_queries):
    url = reverse("advisors:membership_requests", args=["42"])
    make_members(loire, 3, pending=True)
    client.force_login(coordinator)
    # Session, user, département, memberships for the predicates, count, page of requests.
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page"].paginator.count == 3

    requests = make_members(loire, 27, pending=True, message="Bonjour, je viens d’arriver.")
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page"].paginator.count == 30
    text = page_text(response)
    assert all(membership.user.display_name in text for membership in requests)


def test_invitations_page_queries(client, loire, coordinator, django_assert_num_queries):
    url = reverse("advisors:invitations", args=["42"])
    InvitationFactory.create_batch(3, departement=loire, created_by=coordinator)
    client.force_login(coordinator)
    # Session, user, département, memberships for the predicates, count, page of invitations.
    with django_assert_num_queries(6):
        client.get(url)

    people = UserFactory.create_batch(10)
    for person in people:
        InvitationFactory(departement=loire, email=person.email, used_at=timezone.now(), used_by=person)
    InvitationFactory.create_batch(10, departement=loire, revoked_at=timezone.now())
    InvitationFactory.create_batch(7, departement=loire, role=MembershipRole.COORDINATOR)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page"].paginator.count == 30
    assert page_text(response).count("utilisée le") == 10


def test_invitation_page_queries(client, loire, coordinator, django_assert_num_queries):
    invitation = InvitationFactory(departement=loire, email=coordinator.email)
    client.force_login(coordinator)
    # Session, user, invitation with its département.
    with django_assert_num_queries(3):
        response = client.get(invitation.get_absolute_url())
    assert "Rejoindre le réseau de la Loire" in page_text(response)


def test_membership_request_form_queries(client, loire, savoie, outsider, django_assert_num_queries):
    client.force_login(outsider)
    # Session, user, départements of the list.
    with django_assert_num_queries(3):
        client.get(REQUEST_URL)
