"""Mon profil: each section saves alone, errors come back in French next to the field without
losing anything, only the owner edits, and the page costs the same queries for any profile size."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advisors.enums import AdvisorRole, Visibility
from advisors.models import Advisor, Cohort, Language, Permanence
from skills.models import Public
from tests.advisors.factories import (
    AdvisorFactory,
    CohortFactory,
    LieuFactory,
    MembershipFactory,
    PermanenceFactory,
    StructureFactory,
    UserFactory,
)
from tests.pages import field_errors, page_text
from tests.territories.factories import CommuneFactory, EPCIFactory

MY_PROFILE = reverse("advisors:my_profile")


def section_url(slug):
    return reverse("advisors:my_profile_section", args=[slug])


@pytest.fixture
def structure(saint_etienne):
    return StructureFactory(name="Médiathèque de Tarentaize", commune=saint_etienne)


@pytest.fixture
def lieux(structure):
    return [
        LieuFactory(structure=structure, name="Espace numérique Tarentaize"),
        LieuFactory(structure=structure, name="Bus numérique"),
    ]


@pytest.fixture
def advisor(member, loire, structure, saint_etienne, lieux):
    """The member's complete profile: every section has something saved."""
    advisor = AdvisorFactory(
        user=member,
        departement=loire,
        role=AdvisorRole.MEDIATEUR,
        structure=structure,
        commune=saint_etienne,
        cohort=CohortFactory(name="Promo printemps 2025"),
        bio="J’anime des ateliers pour les seniors.",
        contact_email="ines.pro@exemple.fr",
        phone="04 77 12 34 56",
        mattermost="ines.moulin",
        available_for_co_animation=True,
    )
    member.first_name, member.last_name = "Inès", "Moulin"
    member.save()
    advisor.languages.set(["fr", "lsf"])
    advisor.intervention_communes.set([saint_etienne])
    PermanenceFactory(advisor=advisor, lieu=lieux[0], weekday=1, opens="14:00", closes="17:00")
    return advisor


def snapshot(advisor):
    """Everything a profile holds, to check that a section changed only its own part."""
    advisor = Advisor.objects.select_related("user").get(pk=advisor.pk)
    return {
        "identity": (
            advisor.user.first_name,
            advisor.user.last_name,
            advisor.role,
            advisor.structure_id,
            advisor.commune_id,
            advisor.arrival_date,
            advisor.cohort_id,
        ),
        "presentation": (advisor.bio, advisor.photo.name),
        "places": (
            sorted(advisor.permanences.values_list("lieu", "weekday", "opens", "closes")),
            sorted(advisor.intervention_communes.values_list("code", flat=True)),
        ),
        "languages": sorted(advisor.languages.values_list("code", flat=True)),
        "contact": (
            advisor.contact_email,
            advisor.phone,
            advisor.mattermost,
            advisor.discord,
            advisor.linkedin,
            advisor.available_for_co_animation,
        ),
        "visibility": advisor.visibility,
    }


def places_data(rows, *, initial=0, **extra):
    """The "Où j’interviens" form as a browser sends it: the permanence rows and their management form."""
    data = {
        "permanences-TOTAL_FORMS": str(len(rows)),
        "permanences-INITIAL_FORMS": str(initial),
        "permanences-MIN_NUM_FORMS": "0",
        "permanences-MAX_NUM_FORMS": "20",
        "add_commune": "",
        **extra,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"permanences-{index}-{name}"] = value
    return data


def identity_data(advisor, **overrides):
    return {
        "first_name": "Inès",
        "last_name": "Moulin",
        "role": advisor.role,
        "structure": str(advisor.structure_id or ""),
        "commune": "Saint-Étienne (42) — 42218",
        "arrival_date": advisor.arrival_date.isoformat(),
        "cohort": str(advisor.cohort_id or ""),
        **overrides,
    }


# Who gets the page


def test_anonymous_is_sent_to_login(client):
    for url, method in [(MY_PROFILE, client.get), (section_url("contact"), client.post)]:
        response = method(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("who", ["outsider", "pending"])
def test_without_an_active_membership_one_is_told_to_join_first(client, loire, outsider, pending_member, who):
    person = {"outsider": outsider, "pending": pending_member}[who]
    client.force_login(person)
    response = client.get(MY_PROFILE)
    assert response.status_code == 200
    text = page_text(response)
    assert "Rejoignez d’abord le réseau de votre département" in text
    assert reverse("advisors:membership_request") in response.content.decode()
    assert not Advisor.objects.filter(user=person).exists()
    # And nothing can be saved.
    assert client.post(section_url("contact"), {"contact_email": "x@exemple.fr"}).status_code == 403
    assert not Advisor.objects.filter(user=person).exists()


def test_an_active_member_without_a_profile_gets_one(client, member):
    client.force_login(member)
    response = client.get(MY_PROFILE)
    assert response.status_code == 200
    advisor = Advisor.objects.get(user=member)
    assert advisor.departement_id == "42"
    assert advisor.visibility == Visibility.NETWORK
    text = page_text(response)
    for title in ["Identité et rôle", "Présentation", "Où j’interviens", "Langues", "Contact", "Visibilité"]:
        assert f"{title} " in text
    assert f"Dernière mise à jour le {timezone.localdate().day} " in text


def test_the_header_links_to_my_profile(client, member):
    client.force_login(member)
    response = client.get(reverse("advisors:my_network"))
    assert f'href="{MY_PROFILE}"' in response.content.decode()


@pytest.mark.parametrize("who", ["other_member", "coordinator", "other_coordinator"])
def test_only_the_owner_edits_their_profile(client, advisor, savoie, coordinator, other_coordinator, who):
    """A POST always edits the profile of the person logged in: nobody reaches someone else's."""
    person = {
        "other_member": MembershipFactory(departement=savoie).user,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
    }[who]
    before = snapshot(advisor)
    client.force_login(person)
    response = client.post(section_url("contact"), {"contact_email": "intrus@exemple.fr", "phone": ""})
    assert response.status_code == 302
    assert snapshot(advisor) == before
    assert Advisor.objects.get(user=person).contact_email == "intrus@exemple.fr"


def test_unknown_section_and_wrong_method(client, advisor):
    client.force_login(advisor.user)
    assert client.post(section_url("mot-de-passe"), {}).status_code == 404
    assert client.get(section_url("contact")).status_code == 405


# Each section saves alone


def section_posts(advisor, saint_etienne, lieux):
    other = CommuneFactory(departement=saint_etienne.departement, code="42207", name="Saint-Chamond")
    return {
        "identite": (
            identity_data(advisor, first_name="Inès-Marie", role=AdvisorRole.CONSEILLER, structure=""),
            lambda a: (a.user.first_name, a.role, a.structure_id) == ("Inès-Marie", AdvisorRole.CONSEILLER, None),
        ),
        "presentation": (
            {"bio": "  Ateliers seniors et parentalité.  "},
            lambda a: a.bio == "Ateliers seniors et parentalité.",
        ),
        "lieux": (
            places_data(
                [
                    {"lieu": lieux[0].pk, "weekday": "1", "opens": "14:00", "closes": "17:00"},
                    {"lieu": lieux[1].pk, "weekday": "4", "opens": "09:30", "closes": "12:00"},
                ],
                initial=1,
                add_commune="Saint-Chamond",
            ),
            lambda a: a.permanences.count() == 2 and set(a.intervention_communes.all()) == {saint_etienne, other},
        ),
        "langues": (
            {"languages": ["fr", "ar"], "publics": [Public.objects.get(slug="surdite").pk]},
            lambda a: (
                set(a.languages.values_list("code", flat=True)) == {"fr", "ar"}
                and list(a.publics.values_list("slug", flat=True)) == ["surdite"]
            ),
        ),
        "contact": (
            {"contact_email": "ines@exemple.fr", "phone": "06 12 34 56 78", "linkedin": "linkedin.com/in/ines"},
            lambda a: (
                (a.contact_email, a.phone, a.linkedin, a.mattermost, a.available_for_co_animation)
                == ("ines@exemple.fr", "06 12 34 56 78", "https://linkedin.com/in/ines", "", False)
            ),
        ),
        "visibilite": ({"visibility": Visibility.PUBLIC}, lambda a: a.visibility == Visibility.PUBLIC),
    }


SECTION_TITLES = {
    "identite": "Identité et rôle",
    "presentation": "Présentation",
    "lieux": "Où j’interviens",
    "langues": "Langues et publics",
    "contact": "Contact",
    "visibilite": "Visibilité",
}
SECTION_KEYS = {
    "identite": "identity",
    "presentation": "presentation",
    "lieux": "places",
    "langues": "languages",
    "contact": "contact",
    "visibilite": "visibility",
}


@pytest.mark.parametrize("slug", list(SECTION_KEYS))
def test_each_section_saves_alone(client, advisor, saint_etienne, lieux, slug):
    data, check = section_posts(advisor, saint_etienne, lieux)[slug]
    before = snapshot(advisor)
    Advisor.objects.filter(pk=advisor.pk).update(updated_at=timezone.now() - timedelta(days=3))
    client.force_login(advisor.user)

    response = client.post(section_url(slug), data)

    assert response.status_code == 302
    assert response.url == f"{MY_PROFILE}?enregistre={slug}#{slug}"
    saved = Advisor.objects.select_related("user").get(pk=advisor.pk)
    assert check(saved)
    after = snapshot(advisor)
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {SECTION_KEYS[slug]}
    assert saved.updated_at > timezone.now() - timedelta(minutes=1)

    page = page_text(client.get(response.url))
    title = SECTION_TITLES[slug]
    assert f"Section « {title} » enregistrée." in page
    assert page.count("enregistrée.") == 1


def test_the_directory_search_column_follows_the_profile(client, advisor, structure):
    client.force_login(advisor.user)
    client.post(section_url("presentation"), {"bio": "Ateliers de parentalité numérique."})
    client.post(section_url("identite"), identity_data(advisor, last_name="Écharde"))
    search_text = Advisor.objects.get(pk=advisor.pk).search_text
    assert "ines echarde" in search_text
    assert "mediatheque de tarentaize" in search_text
    assert "parentalite numerique" in search_text


def test_saved_values_are_shown_in_every_section(client, advisor, lieux):
    client.force_login(advisor.user)
    html = client.get(MY_PROFILE).content.decode()
    assert 'value="Inès"' in html
    assert 'value="Saint-Étienne (42) — 42218"' in html
    assert f'<option value="{advisor.structure_id}" selected>Médiathèque de Tarentaize</option>' in html
    assert "J’anime des ateliers pour les seniors.</textarea>" in html
    assert f'<option value="{lieux[0].pk}" selected>Espace numérique Tarentaize</option>' in html
    assert 'value="14:00"' in html
    assert re.search(r'<input type="checkbox" name="languages" value="lsf"[^>]*checked', html)
    assert 'value="ines.pro@exemple.fr"' in html
    assert re.search(r'name="visibility" value="reseau"[^>]*checked', html)
    assert "Retirer Saint-Étienne (42)" in page_text(client.get(MY_PROFILE))


# Errors: in French, next to the field, nothing lost


def test_an_error_keeps_what_was_typed_and_the_other_sections(client, advisor):
    before = snapshot(advisor)
    client.force_login(advisor.user)

    response = client.post(section_url("identite"), identity_data(advisor, first_name="", last_name="Moulin-Roux"))

    assert response.status_code == 200
    assert field_errors(response, "first_name") == ["Indiquez votre prénom."]
    html = response.content.decode()
    assert "<title>Erreur — Mon profil" in html
    assert "La section « Identité et rôle » n’a pas été enregistrée" in page_text(response)
    # What was typed stays in the failed section…
    assert 'value="Moulin-Roux"' in html
    # …the other sections show what is saved…
    assert "J’anime des ateliers pour les seniors.</textarea>" in html
    assert 'value="ines.pro@exemple.fr"' in html
    # …and nothing changed in the database.
    assert snapshot(advisor) == before


@pytest.mark.parametrize(
    ("slug", "data", "field", "message"),
    [
        ("contact", {"phone": "appelez-moi"}, "phone", "Numéro de téléphone non valide (exemple : 04 77 12 34 56)."),
        (
            "contact",
            {"contact_email": "ines@", "phone": ""},
            "contact_email",
            "Cette adresse électronique n’est pas valide (exemple : prenom.nom@exemple.fr).",
        ),
        (
            "contact",
            {"linkedin": "https://exemple.fr/ines"},
            "linkedin",
            "Indiquez l’adresse de votre profil LinkedIn (https://www.linkedin.com/in/…).",
        ),
        ("visibilite", {"visibility": "tout-le-monde"}, "visibility", "Choisissez une des trois possibilités."),
        ("visibilite", {}, "visibility", "Choisissez qui peut voir votre profil."),
        ("langues", {"languages": ["klingon"]}, "languages", "Choisissez des langues de la liste."),
        (
            "presentation",
            {"bio": "x" * 1501},
            "bio",
            "Votre présentation dépasse 1 500 caractères (elle en compte 1501).",
        ),
    ],
)
def test_bad_input_gets_a_french_message_next_to_the_field(client, advisor, slug, data, field, message):
    before = snapshot(advisor)
    client.force_login(advisor.user)
    response = client.post(section_url(slug), data)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert snapshot(advisor) == before


def test_arrival_date_checks(client, advisor):
    client.force_login(advisor.user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(section_url("identite"), identity_data(advisor, arrival_date=tomorrow.isoformat()))
    assert field_errors(response, "arrival_date") == ["La date d’arrivée ne peut pas être dans le futur."]
    response = client.post(section_url("identite"), identity_data(advisor, arrival_date="31/02/2025"))
    assert field_errors(response, "arrival_date") == ["Saisissez une date valide, par exemple 15/09/2025."]
    # A date typed the French way, where the browser has no date picker.
    response = client.post(section_url("identite"), identity_data(advisor, arrival_date="15/09/2025"))
    assert response.status_code == 302
    assert str(Advisor.objects.get(pk=advisor.pk).arrival_date) == "2025-09-15"


def test_structure_choices_are_those_of_the_departement(client, advisor, savoie):
    elsewhere = StructureFactory(name="Tiers-lieu savoyard", commune=CommuneFactory(departement=savoie))
    client.force_login(advisor.user)
    assert "Tiers-lieu savoyard" not in client.get(MY_PROFILE).content.decode()
    response = client.post(section_url("identite"), identity_data(advisor, structure=str(elsewhere.pk)))
    assert field_errors(response, "structure") == ["Choisissez une structure de la liste."]


def test_commune_ambiguous_then_chosen(client, advisor, loire):
    first = CommuneFactory(departement=loire, code="42001", name="Saint-Jean", postal_codes="42110")
    CommuneFactory(departement=loire, code="42002", name="Saint-Jean", postal_codes="42560")
    client.force_login(advisor.user)
    response = client.post(section_url("identite"), identity_data(advisor, commune="Saint-Jean"))
    assert field_errors(response, "commune") == [
        "2 communes correspondent à « Saint-Jean » : choisissez la vôtre dans la liste."
    ]
    response = client.post(
        section_url("identite"), identity_data(advisor, commune="Saint-Jean", commune_choice="42001")
    )
    assert response.status_code == 302
    assert Advisor.objects.get(pk=advisor.pk).commune == first


def test_a_new_cohort_is_created_and_chosen(client, advisor):
    client.force_login(advisor.user)
    data = identity_data(
        advisor,
        new_cohort_name="Promo automne 2025",
        new_cohort_training_body="Simplon Saint-Étienne",
        new_cohort_start_date="2025-09-15",
    )
    response = client.post(section_url("identite"), data)
    assert response.status_code == 302
    cohort = Advisor.objects.get(pk=advisor.pk).cohort
    assert (cohort.name, cohort.training_body, str(cohort.start_date)) == (
        "Promo automne 2025",
        "Simplon Saint-Étienne",
        "2025-09-15",
    )
    assert cohort.slug == "promo-automne-2025-simplon-saint-etienne-2025-09"
    # The same promo typed again is the same promo, not a duplicate.
    client.post(section_url("identite"), {**data, "new_cohort_name": "promo automne 2025"})
    assert Cohort.objects.filter(training_body="Simplon Saint-Étienne").count() == 1


def test_a_half_typed_cohort_says_what_is_missing(client, advisor):
    before = snapshot(advisor)
    client.force_login(advisor.user)
    response = client.post(section_url("identite"), identity_data(advisor, new_cohort_name="Promo hiver"))
    assert field_errors(response, "new_cohort_training_body") == ["Indiquez l’organisme qui a formé cette promo."]
    assert field_errors(response, "new_cohort_start_date") == ["Indiquez la date de début de la formation."]
    # The "add a promo" box stays open to show its errors.
    assert '<details class="new-cohort" open>' in response.content.decode()
    assert snapshot(advisor) == before
    assert not Cohort.objects.filter(name="Promo hiver").exists()


# Où j’interviens: permanences and communes


def test_permanence_rows_are_checked(client, advisor, lieux):
    before = snapshot(advisor)
    client.force_login(advisor.user)
    response = client.post(
        section_url("lieux"),
        places_data(
            [
                {"lieu": lieux[0].pk, "weekday": "1", "opens": "14:00", "closes": "17:00"},
                {"lieu": lieux[1].pk, "weekday": "2", "opens": "17:00", "closes": "09:00"},
                {"lieu": lieux[1].pk, "weekday": "", "opens": "9h", "closes": "midi"},
            ],
            initial=1,
        ),
    )
    assert response.status_code == 200
    assert field_errors(response, "permanences-1-closes") == ["L’heure de fin doit être après l’heure de début."]
    assert field_errors(response, "permanences-2-weekday") == ["Choisissez le jour."]
    assert field_errors(response, "permanences-2-opens") == []
    assert field_errors(response, "permanences-2-closes") == ["Saisissez une heure valide, par exemple 14:30."]
    assert snapshot(advisor) == before


def test_permanences_are_removed_by_checkbox_or_by_emptying_the_row(client, advisor, lieux):
    PermanenceFactory(advisor=advisor, lieu=lieux[1], weekday=3, opens="09:00", closes="12:00")
    client.force_login(advisor.user)
    response = client.post(
        section_url("lieux"),
        places_data(
            [
                {"lieu": lieux[0].pk, "weekday": "1", "opens": "14:00", "closes": "17:00", "DELETE": "on"},
                {"lieu": "", "weekday": "", "opens": "", "closes": ""},
                {"lieu": lieux[1].pk, "weekday": "5", "opens": "10h30", "closes": "12 h"},
            ],
            initial=2,
        ),
    )
    assert response.status_code == 302
    assert list(Permanence.objects.filter(advisor=advisor).values_list("lieu", "weekday", "opens", "closes")) == [
        (lieux[1].pk, 5, time(10, 30), time(12, 0))
    ]


def test_a_lieu_of_another_departement_is_refused(client, advisor, savoie):
    elsewhere = LieuFactory(structure=StructureFactory(commune=CommuneFactory(departement=savoie)))
    client.force_login(advisor.user)
    response = client.post(
        section_url("lieux"),
        places_data([{"lieu": elsewhere.pk, "weekday": "1", "opens": "14:00", "closes": "17:00"}]),
    )
    assert field_errors(response, "permanences-0-lieu") == ["Choisissez un lieu de la liste."]


def test_a_broken_management_form_is_an_error_not_a_crash(client, advisor):
    client.force_login(advisor.user)
    response = client.post(section_url("lieux"), {"add_commune": ""})
    assert response.status_code == 200
    assert "La section « Où j’interviens » n’a pas été enregistrée" in page_text(response)


def test_communes_of_intervention_added_and_removed(client, advisor, saint_etienne, loire):
    firminy = CommuneFactory(departement=loire, code="42095", name="Firminy", postal_codes="42700")
    client.force_login(advisor.user)
    rows = [{"lieu": advisor.permanences.get().lieu_id, "weekday": "1", "opens": "14:00", "closes": "17:00"}]

    response = client.post(section_url("lieux"), places_data(rows, initial=1, add_commune="42700"))
    assert response.status_code == 302
    assert set(advisor.intervention_communes.all()) == {saint_etienne, firminy}

    response = client.post(
        section_url("lieux"), places_data(rows, initial=1, remove_communes=[saint_etienne.pk, firminy.pk])
    )
    assert response.status_code == 302
    assert not advisor.intervention_communes.exists()
    # With none left, the page says where they come from now.
    text = page_text(client.get(MY_PROFILE))
    assert (
        "Aucune commune indiquée : Maillage retient la commune de vos lieux et de votre structure : Saint-Étienne."
        in text
    )


def test_an_unknown_commune_is_an_error(client, advisor):
    before = snapshot(advisor)
    client.force_login(advisor.user)
    rows = [{"lieu": advisor.permanences.get().lieu_id, "weekday": "1", "opens": "14:00", "closes": "17:00"}]
    response = client.post(section_url("lieux"), places_data(rows, initial=1, add_commune="Nulle-Part"))
    assert field_errors(response, "add_commune") == [
        "Aucune commune ne correspond à « Nulle-Part ». Vérifiez l’orthographe ou tapez le code postal."
    ]
    assert snapshot(advisor) == before


# Completeness


def test_completeness_lists_what_is_missing_with_links(client, member):
    client.force_login(member)
    member.first_name = member.last_name = ""
    member.save()
    response = client.get(MY_PROFILE)
    html = response.content.decode()
    assert "Profil complet à 0 %" in page_text(response)
    assert '<progress max="100" value="0"' in html
    for anchor, label in [
        ("identite", "vos prénom et nom"),
        ("identite", "votre structure"),
        ("identite", "votre commune de rattachement"),
        ("presentation", "une photo"),
        ("presentation", "une courte présentation"),
        ("lieux", "une permanence ou des communes d’intervention"),
        ("langues", "les langues que vous parlez"),
        ("contact", "un moyen de vous contacter"),
    ]:
        assert f'<a href="#{anchor}">{label}</a>' in html
        assert f'id="{anchor}"' in html


def test_completeness_of_a_fuller_profile(client, advisor):
    client.force_login(advisor.user)
    response = client.get(MY_PROFILE)
    # Everything but the photo: 7 of 8.
    assert "Profil complet à 88 %" in page_text(response)
    assert '<a href="#presentation">une photo</a>' in response.content.decode()


# Queries


def test_my_profile_queries_do_not_grow_with_the_profile(client, advisor, structure, loire, django_assert_num_queries):
    client.force_login(advisor.user)
    # Session, user, memberships, profile, permanences, languages, communes, own skills, cohorts, structures,
    # lieux, languages and skills to choose from, the advisor's skills for peer matching (no skill: no peer query).
    with django_assert_num_queries(16):
        client.get(MY_PROFILE)

    epci = EPCIFactory()
    communes = [CommuneFactory(departement=loire, epci=epci) for _ in range(15)]
    lieux = [LieuFactory(structure=structure, commune=communes[i]) for i in range(12)]
    for index, lieu in enumerate(lieux):
        PermanenceFactory(advisor=advisor, lieu=lieu, weekday=index % 7)
    advisor.intervention_communes.add(*communes)
    advisor.languages.set(Language.objects.all()[:12])
    CohortFactory.create_batch(5)
    StructureFactory.create_batch(5, commune=communes[0])

    with django_assert_num_queries(16):
        response = client.get(MY_PROFILE)
    assert response.content.decode().count("Supprimer cette permanence") == 13


def test_my_profile_queries_with_derived_communes(client, advisor, django_assert_num_queries):
    advisor.intervention_communes.clear()
    client.force_login(advisor.user)
    # One more: the communes derived from the lieux and the structure.
    with django_assert_num_queries(17):
        response = client.get(MY_PROFILE)
    assert "Saint-Étienne" in page_text(response)


def test_a_second_account_is_independent(client, advisor, loire):
    """Two members edit their own profiles; neither sees the other's saved data in their form."""
    other = AdvisorFactory(departement=loire, user=UserFactory(first_name="Paul"), bio="Autre bio")
    client.force_login(other.user)
    html = client.get(MY_PROFILE).content.decode()
    assert "Autre bio</textarea>" in html
    assert "J’anime des ateliers" not in html
    assert 'value="Paul"' in html
    assert 'value="Inès"' not in html
