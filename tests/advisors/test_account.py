"""RGPD: leave a network, export one's data, delete one's account."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import reverse

from advisors.enums import MembershipRole, MembershipStatus, Visibility
from advisors.models import Advisor, Membership, Structure, User
from advisors.services.account import account_delete, membership_leave
from skills.models import AdvisorSkill, ProjectCard, ProjectInterest, Skill
from tests.advisors.factories import (
    DEFAULT_PASSWORD,
    AdvisorFactory,
    CohortFactory,
    InvitationFactory,
    MembershipFactory,
    PermanenceFactory,
    StructureFactory,
)
from tests.orientations.factories import OrientationFactory
from tests.pages import field_errors, page_text
from tests.skills.factories import AdvisorSkillFactory, ProjectCardFactory, ProjectInterestFactory, SkillFactory
from tests.territories.factories import CommuneFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csrf_client(user):
    """A client that checks CSRF tokens as a browser's server does: a form without one fails."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post_form(client, page_url, action_url, data=None):
    """Load the page, take the CSRF token of its form, post it as the browser would."""
    page = client.get(page_url)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, f"no CSRF token in the form of {page_url}"
    return client.post(action_url, {"csrfmiddlewaretoken": match[1], **(data or {})})


def post_with_token(client, url, data=None):
    """Post with a valid CSRF cookie and token, for pages that rightly show no form."""
    client.cookies["csrftoken"] = "t" * 32
    return client.post(url, {"csrfmiddlewaretoken": "t" * 32, **(data or {})})


def with_photo(advisor):
    advisor.photo.save("portrait.png", ContentFile(b"not really a png"), save=True)
    return advisor.photo.path


# Leaving a network: the service


def test_leaving_ones_only_network_deletes_the_profile_its_cards_interests_and_photo(
    loire, django_capture_on_commit_callbacks
):
    advisor = AdvisorFactory(departement=loire)
    photo = with_photo(advisor)
    AdvisorSkillFactory(advisor=advisor)
    ProjectCardFactory(author=advisor)
    others_card = ProjectCardFactory(departement=loire)
    ProjectInterestFactory(advisor=advisor, card=others_card)
    membership = Membership.objects.get(user=advisor.user)

    with django_capture_on_commit_callbacks(execute=True):
        assert membership_leave(membership=membership) is None

    assert not Membership.objects.filter(user=advisor.user).exists()
    assert not Advisor.objects.filter(user=advisor.user).exists()
    assert not AdvisorSkill.objects.filter(advisor=advisor.pk).exists()
    assert list(ProjectCard.objects.all()) == [others_card]
    assert not ProjectInterest.objects.exists()
    assert not (advisor.photo.storage.exists(photo))
    assert User.objects.filter(pk=advisor.user.pk).exists(), "the account stays"


def test_leaving_the_profiles_network_moves_the_profile_to_another_one(loire, savoie):
    advisor = AdvisorFactory(departement=loire)
    MembershipFactory(user=advisor.user, departement=savoie)
    loire_card = ProjectCardFactory(author=advisor)
    savoie_card = ProjectCardFactory(author=advisor, departement=savoie)

    kept = membership_leave(membership=Membership.objects.get(user=advisor.user, departement=loire))

    assert kept.pk == advisor.pk
    advisor.refresh_from_db()
    assert advisor.departement_id == savoie.code
    assert list(ProjectCard.objects.all()) == [savoie_card]
    assert not ProjectCard.objects.filter(pk=loire_card.pk).exists()


def test_leaving_another_network_leaves_the_profile_where_it_is(loire, savoie):
    advisor = AdvisorFactory(departement=loire)
    elsewhere = MembershipFactory(user=advisor.user, departement=savoie)

    membership_leave(membership=elsewhere)

    advisor.refresh_from_db()
    assert advisor.departement_id == loire.code
    assert list(Membership.objects.filter(user=advisor.user).values_list("departement", flat=True)) == [loire.code]


def test_the_last_coordinator_cannot_leave_before_naming_another(loire, coordinator):
    membership = Membership.objects.get(user=coordinator)
    with pytest.raises(ValidationError, match="dernière personne qui coordonne le réseau"):
        membership_leave(membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()

    MembershipFactory(departement=loire, coordinator=True)
    membership_leave(membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_pending_request_can_be_withdrawn_a_refused_one_stays_on_record(loire, savoie, pending_member):
    membership_leave(membership=Membership.objects.get(user=pending_member))
    assert not Membership.objects.filter(user=pending_member).exists()

    refused = MembershipFactory(departement=savoie, refused=True)
    with pytest.raises(ValidationError):
        membership_leave(membership=refused)
    assert Membership.objects.filter(pk=refused.pk).exists()


# Leaving a network: the pages


def test_my_network_links_to_leaving_and_the_confirmation_tells_what_goes(loire):
    advisor = AdvisorFactory(departement=loire)
    membership = Membership.objects.get(user=advisor.user)
    client = csrf_client(advisor.user)
    url = reverse("advisors:membership_leave", args=[membership.pk])

    assert url in client.get(reverse("advisors:my_network")).content.decode()
    text = page_text(client.get(url))
    assert "Quitter le réseau" in text
    assert "votre profil (présentation, compétences, permanences, photo) est supprimé" in text

    response = post_form(client, url, url)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "Vous avez quitté le réseau" in page_text(client.get(response.url))


def test_leaving_without_a_csrf_token_is_refused(loire, member):
    membership = Membership.objects.get(user=member)
    response = csrf_client(member).post(reverse("advisors:membership_leave", args=[membership.pk]))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_coordinator_is_told_to_name_another_and_gets_no_button(loire, coordinator):
    membership = Membership.objects.get(user=coordinator)
    client = csrf_client(coordinator)
    url = reverse("advisors:membership_leave", args=[membership.pk])
    response = client.get(url)
    assert "Invitez d’abord une autre personne avec le rôle de coordination" in page_text(response)
    assert "<form" not in response.content.decode().split("<main", 1)[1]

    response = post_with_token(client, url)
    assert response.status_code == 400
    assert "dernière personne qui coordonne" in page_text(response)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_nobody_leaves_for_someone_else(loire, member, outsider):
    membership = Membership.objects.get(user=member)
    url = reverse("advisors:membership_leave", args=[membership.pk])
    client = Client()
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize(
    "name, args",
    [("membership_leave", [1]), ("my_data", []), ("my_data_download", []), ("account_delete", [])],
)
def test_anonymous_visitors_are_sent_to_the_login(db, client, name, args):
    url = reverse(f"advisors:{name}", args=args)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# Export of one's data


def connected_advisor(departement, *, extra=1):
    """A member with some of everything the platform holds about a person; ``extra`` rows of each list."""
    advisor = AdvisorFactory(
        departement=departement,
        structure=StructureFactory(),
        commune=CommuneFactory(),
        cohort=CohortFactory(),
        bio="Ateliers Pix le mardi",
        phone="04 77 00 00 00",
        mattermost="zephyrine.q",
        visibility=Visibility.PUBLIC,
        user__first_name="Zéphyrine",
        user__last_name="Quiquempoix",
        user__email="zephyrine@exemple.fr",
    )
    with_photo(advisor)
    advisor.intervention_communes.set(CommuneFactory.create_batch(extra))
    advisor.languages.set(advisor.languages.model.objects.all()[:extra])
    advisor.publics.set(advisor.publics.model.objects.all()[:extra])
    for _ in range(extra):
        PermanenceFactory(advisor=advisor)
        AdvisorSkillFactory(advisor=advisor, note="chaque mardi chez Zéphyrine")
        card = ProjectCardFactory(author=advisor, title="Le projet de Zéphyrine")
        card.skills.set([SkillFactory()])
        ProjectInterestFactory(advisor=advisor, card=ProjectCardFactory(departement=departement))
        InvitationFactory(departement=departement, created_by=advisor.user)
        SkillFactory(proposed=True, proposed_by=advisor.user, name="Fresque du numérique")
    return advisor


def test_the_export_holds_every_personal_field(loire):
    advisor = connected_advisor(loire)
    client = csrf_client(advisor.user)

    response = client.get(reverse("advisors:my_data_download"))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["compte"]["adresse électronique"] == "zephyrine@exemple.fr"
    assert data["compte"]["nom"] == "Quiquempoix"
    assert data["adhésions"][0]["statut"] == "membre actif"
    profile = data["profil"]
    assert profile["présentation"] == "Ateliers Pix le mardi"
    assert profile["téléphone professionnel"] == "04 77 00 00 00"
    assert profile["identifiant Mattermost"] == "zephyrine.q"
    assert profile["photo"].startswith("/media/advisors/photos/")
    assert profile["visibilité du profil"] == "public : tout le monde"
    assert len(profile["communes d’intervention"]) == 1
    assert len(profile["langues parlées"]) == len(profile["publics et prises en charge spécifiques"]) == 1
    assert profile["permanences"][0]["de"] == "14:00"
    assert profile["compétences"][0]["précision"] == "chaque mardi chez Zéphyrine"
    assert profile["cartes projets"][0]["titre"] == "Le projet de Zéphyrine"
    assert len(profile["cartes projets"][0]["compétences en jeu"]) == 1
    assert len(profile["« ça m’interpelle »"]) == 1
    assert data["invitations envoyées"][0]["adresse invitée"].startswith("invite")
    assert data["compétences proposées"][0]["compétence"] == "Fresque du numérique"


def test_the_readable_page_shows_the_same_data(loire):
    advisor = connected_advisor(loire)
    text = page_text(csrf_client(advisor.user).get(reverse("advisors:my_data")))
    for expected in ("zephyrine@exemple.fr", "Quiquempoix", "chaque mardi chez Zéphyrine", "Le projet de Zéphyrine"):
        assert expected in text
    assert "Télécharger mes données (JSON)" in text


@pytest.mark.parametrize("extra", [1, 4])
def test_the_export_runs_the_same_queries_whatever_the_rows(loire, extra, django_assert_num_queries):
    advisor = connected_advisor(loire, extra=extra)
    client = Client()
    client.force_login(advisor.user)
    # Session and user (2), then: profile and its 8 lists (9), memberships, email addresses,
    # ProConnect identities, skills proposed, invitations sent (5).
    with django_assert_num_queries(16):
        response = client.get(reverse("advisors:my_data_download"))
    data = json.loads(response.content)
    assert len(data["profil"]["compétences"]) == extra
    assert len(data["invitations envoyées"]) == extra


# Deleting one's account


def personal_traces(user_pk, strings):
    """Every row of every table that still names the person: a text column containing one of
    ``strings`` or a foreign key to their account."""
    found = []
    for model in apps.get_models():
        condition = models.Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                for string in strings:
                    condition |= models.Q(**{f"{field.attname}__icontains": string})
            elif field.is_relation and field.related_model is User:
                condition |= models.Q(**{field.attname: user_pk})
        if condition and model.objects.filter(condition).exists():
            found.append(model._meta.label)
    return found


def test_deleting_a_well_connected_account_leaves_no_personal_trace(loire, django_capture_on_commit_callbacks):
    advisor = connected_advisor(loire, extra=2)
    user = advisor.user
    user_pk = user.pk  # deleting sets the instance's pk to None
    photo = advisor.photo.path
    EmailAddress.objects.create(user=user, email="zq@autre.fr", verified=False)
    # What others co-own with the person:
    decided = MembershipFactory(departement=loire, decided_by=user)
    invited = InvitationFactory(departement=loire, created_by=user, email="ami@exemple.fr")
    InvitationFactory(departement=loire, email="zq@autre.fr")
    others_card = ProjectCardFactory(departement=loire)
    ProjectInterestFactory(card=advisor.project_cards.first())
    structure = advisor.structure
    proposed = Skill.objects.filter(proposed_by=user).first()
    # Orientations (issue 12): one the person sent stays with its receiver, unsigned, with the data of the
    # person oriented (hers, not the account's); one sent to the person's profile loses that data with it.
    sent = OrientationFactory(sender=user, sender_structure=structure, person_first_name="Maria")
    received = OrientationFactory(receiver_advisor=advisor, person_first_name="Joaquim", status_changed_by=user)
    client = Client()
    client.force_login(user)
    Client().force_login(user)  # a second open session, on another device

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user)

    assert personal_traces(user_pk, ["Zéphyrine", "Quiquempoix", "zephyrine", "zq@autre.fr"]) == []
    assert not Session.objects.exists()
    assert not advisor.photo.storage.exists(photo)
    decided.refresh_from_db()
    assert decided.decided_by is None and decided.status == MembershipStatus.ACTIVE
    invited.refresh_from_db()
    assert invited.created_by is None
    proposed.refresh_from_db()
    assert proposed.proposed_by is None
    assert Structure.objects.filter(pk=structure.pk).exists()
    assert ProjectCard.objects.filter(pk=others_card.pk).exists()
    assert not Advisor.objects.filter(pk=advisor.pk).exists()
    sent.refresh_from_db()
    assert (sent.sender_id, sent.sender_structure_id, sent.person_first_name) == (None, structure.pk, "Maria")
    received.refresh_from_db()
    assert (received.receiver_advisor_id, received.status_changed_by_id, received.person_first_name) == (
        None,
        None,
        "",
    )
    assert received.personal_data_erased_at is not None


def test_the_last_coordinator_cannot_delete_their_account(loire):
    user = MembershipFactory(departement=loire, role=MembershipRole.COORDINATOR).user
    with pytest.raises(ValidationError, match="dernière personne qui coordonne"):
        account_delete(user=user)
    assert User.objects.filter(pk=user.pk).exists()


def test_the_deletion_page_asks_for_the_password(loire):
    advisor = connected_advisor(loire)
    client = csrf_client(advisor.user)
    url = reverse("advisors:account_delete")
    assert url in client.get(reverse("account_email")).content.decode(), "linked from the account settings"

    response = post_form(client, url, url, {"password": "pas le bon"})
    assert response.status_code == 400
    assert field_errors(response, "password")
    assert User.objects.filter(pk=advisor.user.pk).exists()

    response = post_form(client, url, url, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=advisor.user.pk).exists()
    assert "Votre compte et toutes vos données personnelles sont supprimés" in page_text(client.get(response.url))
    assert client.get(reverse("advisors:my_network")).status_code == 302, "logged out"


def test_the_deletion_page_of_the_last_coordinator_says_what_to_do_first(loire, coordinator):
    client = csrf_client(coordinator)
    response = client.get(reverse("advisors:account_delete"))
    assert "Invitez d’abord une autre personne avec le rôle de coordination" in page_text(response)
    assert 'name="password"' not in response.content.decode()

    response = post_with_token(client, reverse("advisors:account_delete"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=coordinator.pk).exists()


def test_deleting_without_a_csrf_token_is_refused(member):
    response = csrf_client(member).post(reverse("advisors:account_delete"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=member.pk).exists()


def test_the_legal_notice_leads_to_what_it_promises(client, db):
    html = client.get(reverse("legal")).content.decode()
    for name in ("my_data", "my_network", "account_delete"):
        assert f'href="{reverse(f"advisors:{name}")}"' in html
