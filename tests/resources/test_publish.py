"""Publishing, editing and the history of resources: the short form, drafts, co-authors, concurrent edits
(the second save is told and keeps its text), versions and restoring them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from resources.enums import Licence, ResourceStatus
from resources.models import Resource, ResourceVersion
from resources.services import publish as services
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.resources.factories import ResourceFactory
from tests.resources.files import PDF, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def author(loire):
    return AdvisorFactory(departement=loire)


def _data(**overrides):
    data = {
        "departement": "42",
        "kind": "retour",
        "title": "Retour d’expérience : les démarches administratives en ligne",
        "summary": "Ce qui a marché pendant l’atelier de Saint-Étienne.",
        "link": "https://exemple.fr/atelier",
        "licence": "etalab-2.0",
        "body": "## Déroulé\n\nTrois séances.",
        "authors_emails": "",
        "scope": "departement",
        "visibility": "public",
        "action": "publish",
    }
    data.update(overrides)
    return data


def _edit_data(resource, **overrides):
    data = _data(
        kind=resource.kind,
        title=resource.title,
        summary=resource.summary,
        link=resource.link or "https://exemple.fr/x",
        licence=resource.licence,
        body=resource.body,
        authors_emails=", ".join(author.user.email for author in resource.authors.all()),
        visibility=resource.visibility,
        version=str(resource.version),
        change_summary="",
        action="save",
    )
    del data["departement"]
    data.update(overrides)
    return data


# Publishing


def test_the_form_puts_the_essentials_first_with_etalab_preselected(client, author):
    client.force_login(author.user)
    response = client.get(reverse("resources:create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('name="title"') < html.index('name="body"') < html.index('name="event"')
    assert 'value="etalab-2.0" id="id_licence_0" required checked' in html
    assert response.context["form"]["licence"].value() == Licence.ETALAB
    assert "Licence Ouverte / Etalab 2.0" in html and "creativecommons.org/licenses/by/4.0" in html
    assert "Enregistrer le brouillon" in html and "Publier" in html
    # One network: the département is not asked, it goes with the form.
    assert '<input type="hidden" name="departement" value="42"' in html


def test_publishing_with_a_file_credits_the_author_and_fills_the_search_words(client, author):
    client.force_login(author.user)
    response = client.post(reverse("resources:create"), _data(link="", files=upload("bilan.pdf", PDF)))
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert resource.status == ResourceStatus.PUBLISHED and resource.published_at
    assert list(resource.authors.all()) == [author]
    assert resource.departement_id == "42" and resource.created_by == author.user
    assert "demarches administratives" in resource.search_text and "seances" in resource.search_text
    assert resource.files.get().original_name == "bilan.pdf"
    assert resource.versions.get().change_summary == "création"


def test_a_draft_is_saved_unpublished(client, author):
    client.force_login(author.user)
    client.post(reverse("resources:create"), _data(action="draft"))
    resource = Resource.objects.get()
    assert resource.status == ResourceStatus.DRAFT and resource.published_at is None


def test_a_file_or_a_link_is_needed(client, author):
    client.force_login(author.user)
    response = client.post(reverse("resources:create"), _data(link=""))
    assert response.context["form"].errors["files"] == ["Joignez au moins un fichier ou indiquez un lien."]


def test_co_authors_are_members_with_a_profile_found_by_email(client, author, loire, savoie):
    """Co-authors may edit: members of the resource's network only; the refusal says the same words for an
    unknown address and for a member elsewhere, so the form tells no one who is a member."""
    co_author = AdvisorFactory(departement=loire)
    elsewhere = AdvisorFactory(departement=savoie)
    client.force_login(author.user)
    for email in ("inconnu@exemple.fr", elsewhere.user.email):
        response = client.post(reverse("resources:create"), _data(authors_emails=email))
        assert response.context["form"].errors["authors_emails"] == [
            f"« {email} » n’est pas l’adresse d’un membre de ce réseau avec un profil : vérifiez-la ou retirez-la."
        ]
    client.post(reverse("resources:create"), _data(authors_emails=co_author.user.email.upper()))
    assert set(Resource.objects.get().authors.all()) == {author, co_author}


def test_a_member_of_several_networks_chooses_the_departement(client, author, savoie):
    MembershipFactory(user=author.user, departement=savoie)
    client.force_login(author.user)
    response = client.get(reverse("resources:create"))
    assert 'name="departement"' in response.content.decode()
    client.post(reverse("resources:create"), _data(departement="73"))
    assert Resource.objects.get().departement_id == "73"


def test_the_event_offered_are_past_events_the_author_organised_or_attended(client, author, loire):
    past = timezone.now() - timedelta(days=10)
    organised = EventFactory(departement=loire, lead=author, starts_at=past, ends_at=past + timedelta(hours=2))
    attended = EventFactory(departement=loire, starts_at=past, ends_at=past + timedelta(hours=2))
    RegistrationFactory(event=attended, user=author.user, name="A", email=author.user.email)
    other = EventFactory(departement=loire, starts_at=past, ends_at=past + timedelta(hours=2))
    client.force_login(author.user)
    offered = set(client.get(reverse("resources:create")).context["form"].fields["event"].queryset)
    assert offered == {organised, attended}
    response = client.post(reverse("resources:create"), _data(event=str(other.pk)))
    assert "Choisissez un événement passé" in response.context["form"].errors["event"][0]
    client.post(reverse("resources:create"), _data(event=str(organised.pk)))
    assert Resource.objects.get().event == organised


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("summary", "x" * 281, "Le résumé fait 281 caractères : 280 au plus."),
        ("title", "x" * 5000, "Le titre fait 5000 caractères : 200 au plus."),
        ("kind", "inconnu", "Type de ressource inconnu."),
        ("licence", "wtfpl", "Licence inconnue."),
        ("link", "javascript:alert(1)", "Adresse non valide : collez le lien complet, commençant par https://"),
        ("event", "99999999999999999999", "Choisissez un événement passé du département dans la liste."),
        ("scope", "epci", "Choisissez l’intercommunalité : la ressource est intercommunale."),
    ],
)
def test_bad_input_gets_a_french_error_next_to_its_field(client, author, field, value, message):
    client.force_login(author.user)
    response = client.post(reverse("resources:create"), _data(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["epci" if field == "scope" else field] == [message]
    assert not Resource.objects.exists()


def test_a_nul_byte_is_a_400(client, author):
    client.force_login(author.user)
    response = client.post(reverse("resources:create"), _data(title="Titre\x00"))
    assert response.status_code == 400


def test_unknown_resources_and_versions_are_404(client, author):
    resource = ResourceFactory(departement=author.departement, authors=[author])
    client.force_login(author.user)
    assert client.get(reverse("resources:edit", args=[99999999])).status_code == 404
    assert client.get(reverse("resources:version", args=[resource.pk, 99999999])).status_code == 404
    assert client.get(f"/ressources/{resource.pk}/historique/99999999999999999999999/").status_code == 404


# Editing


def test_a_co_author_edits_and_the_history_says_what_changed(client, author, loire):
    co_author = AdvisorFactory(departement=loire)
    resource = ResourceFactory(departement=loire, authors=[author, co_author], link="https://exemple.fr/x")
    client.force_login(co_author.user)
    response = client.post(
        reverse("resources:edit", args=[resource.pk]),
        _edit_data(resource, title="Nouveau titre", body="Nouveau contenu"),
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.version == 2 and resource.title == "Nouveau titre"
    assert "nouveau contenu" in resource.search_text
    version = resource.versions.get(number=2)
    assert version.change_summary == "titre, contenu modifiés" and version.edited_by == co_author.user


def test_a_typed_change_summary_is_kept(client, author):
    resource = ResourceFactory(departement=author.departement, authors=[author], link="https://exemple.fr/x")
    client.force_login(author.user)
    client.post(
        reverse("resources:edit", args=[resource.pk]), _edit_data(resource, change_summary="Coquilles corrigées")
    )
    assert resource.versions.get(number=2).change_summary == "Coquilles corrigées"


def test_a_coordinator_edits_too_and_others_are_refused(client, author, coordinator, member):
    resource = ResourceFactory(departement=author.departement, authors=[author], link="https://exemple.fr/x")
    client.force_login(member)
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 200


def test_two_saves_from_the_same_version_the_second_is_told_and_keeps_its_text(client, author, loire):
    co_author = AdvisorFactory(departement=loire, user__first_name="Camille", user__last_name="Roux")
    resource = ResourceFactory(departement=loire, authors=[author, co_author], link="https://exemple.fr/x")
    url = reverse("resources:edit", args=[resource.pk])
    start = _edit_data(resource)
    client.force_login(co_author.user)
    assert client.post(url, {**start, "body": "Le texte de Camille"}).status_code == 302
    client.force_login(author.user)
    response = client.post(url, {**start, "body": "Mon texte à moi, long et précieux"})
    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert error.startswith("Cette ressource a été modifiée pendant que vous l’éditiez (par Camille Roux à ")
    assert "Mon texte à moi, long et précieux" in response.content.decode()
    resource.refresh_from_db()
    assert resource.body == "Le texte de Camille" and resource.version == 2
    # The form now starts from the saved version: sent again (changes copied over), it is saved.
    assert 'name="version" value="2"' in response.content.decode()
    assert reverse("resources:version", args=[resource.pk, 2]) in response.content.decode()
    assert client.post(url, {**start, "version": "2", "body": "Les deux textes"}).status_code == 302
    resource.refresh_from_db()
    assert resource.body == "Les deux textes" and resource.version == 3


@pytest.mark.django_db
def test_the_service_refuses_an_old_version():
    resource = ResourceFactory()
    resource.versions.create(number=1, title=resource.title, summary=resource.summary)
    services.resource_update(resource=resource, by=None, version=1, title="A")
    with pytest.raises(ValidationError, match="modifiée pendant que vous l’éditiez"):
        services.resource_update(resource=resource, by=None, version=1, title="B")
    assert Resource.objects.get().title == "A"


def test_an_author_publishes_a_draft_but_not_a_hidden_resource(client, author):
    draft = ResourceFactory(departement=author.departement, authors=[author], draft=True)
    hidden = ResourceFactory(departement=author.departement, authors=[author], hidden=True)
    client.force_login(author.user)
    client.post(reverse("resources:publish", args=[draft.pk]))
    client.post(reverse("resources:publish", args=[hidden.pk]))
    draft.refresh_from_db()
    hidden.refresh_from_db()
    assert draft.status == ResourceStatus.PUBLISHED and draft.published_at
    assert hidden.status == ResourceStatus.HIDDEN


# History and restoring


def test_history_lists_versions_and_restoring_makes_a_new_version(client, author):
    resource = ResourceFactory(departement=author.departement, authors=[author], title="Premier titre")
    resource.versions.create(number=1, title=resource.title, summary=resource.summary, edited_by=author.user)
    services.resource_update(resource=resource, by=author.user, version=1, title="Deuxième titre")
    client.force_login(author.user)
    html = client.get(reverse("resources:history", args=[resource.pk])).content.decode()
    assert "Version 2" in html and "titre modifié" in html and "Version 1" in html
    page = client.get(reverse("resources:version", args=[resource.pk, 1])).content.decode()
    assert "Premier titre" in page and "Restaurer cette version" in page
    response = client.post(reverse("resources:restore", args=[resource.pk, 1]))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Premier titre" and resource.version == 3
    assert resource.versions.get(number=3).change_summary == "version 1 restaurée"
    assert ResourceVersion.objects.filter(resource=resource).count() == 3


def test_history_is_for_authors_and_coordinators(client, author, coordinator, member):
    resource = ResourceFactory(departement=author.departement, authors=[author])
    for user, status in ((member, 403), (coordinator, 200), (author.user, 200)):
        client.force_login(user)
        assert client.get(reverse("resources:history", args=[resource.pk])).status_code == status


@pytest.mark.parametrize("size", [1, 8])
def test_history_and_edit_queries_do_not_grow(client, author, loire, django_assert_num_queries, size):
    resource = ResourceFactory(departement=loire, authors=[author], link="https://exemple.fr/x")
    for number in range(1, size + 1):
        resource.versions.create(number=number, title=f"T{number}", summary="S", edited_by=AdvisorFactory().user)
    resource.authors.add(*[AdvisorFactory(departement=loire) for _ in range(size)])
    client.force_login(author.user)
    client.get(reverse("resources:history", args=[resource.pk]))
    with django_assert_num_queries(HISTORY_QUERIES):
        assert client.get(reverse("resources:history", args=[resource.pk])).status_code == 200
    with django_assert_num_queries(EDIT_QUERIES):
        assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 200


HISTORY_QUERIES = 6
EDIT_QUERIES = 14


# Files


def test_a_file_is_removed_when_a_link_or_another_file_remains(
    client, author, tmp_path, django_capture_on_commit_callbacks
):
    from resources.uploads import validate_upload

    resource = ResourceFactory(departement=author.departement, authors=[author], link="")
    only = services.resource_file_add(resource=resource, uploaded=validate_upload(upload("a.pdf", PDF)))
    client.force_login(author.user)
    edit_page = client.get(reverse("resources:edit", args=[resource.pk])).content.decode()
    assert reverse("resources:file_remove", args=[resource.pk, only.pk]) in edit_page
    client.post(reverse("resources:file_remove", args=[resource.pk, only.pk]))
    assert resource.files.count() == 1
    Resource.objects.filter(pk=resource.pk).update(link="https://exemple.fr/x")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("resources:file_remove", args=[resource.pk, only.pk]))
    assert resource.files.count() == 0
    assert not (tmp_path / only.file.name).exists()


# Two people saving at the same moment


@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_from_the_same_version_one_wins_the_other_is_told(loire):
    import threading

    from django.db import connection

    resource = ResourceFactory(departement=loire, link="https://exemple.fr/x")
    resource.versions.create(number=1, title=resource.title, summary=resource.summary)
    barrier, outcomes = threading.Barrier(2), []

    def save(body):
        try:
            barrier.wait()
            services.resource_update(resource=resource, by=None, version=1, body=body)
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(body,)) for body in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "told"]
    resource.refresh_from_db()
    assert resource.version == 2 and resource.versions.count() == 2
