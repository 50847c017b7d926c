"""An advisor's skills: the "Compétences" section of Mon profil, the profile page, the directory."""

import pytest
from django.urls import reverse

from skills.enums import SkillLevel
from skills.models import AdvisorSkill, Skill
from tests.advisors.factories import AdvisorFactory, UserFactory
from tests.pages import page_text
from tests.skills.factories import AdvisorSkillFactory, SkillFactory

MY_PROFILE = reverse("advisors:my_profile")
SECTION = reverse("advisors:my_profile_section", args=["competences"])
DIRECTORY = reverse("advisors:directory")


@pytest.fixture
def advisor(loire):
    return AdvisorFactory(departement=loire, user__first_name="Inès", user__last_name="Bernard")


@pytest.fixture
def skills(db):
    return {name: Skill.objects.get(name=name) for name in ("Bureautique", "E-mail", "Réseaux sociaux", "Santé")}


# Mon profil


def test_the_section_lists_every_validated_skill_by_domain_and_the_own_proposals(client, advisor, loire):
    mine = SkillFactory(proposed=True, name="Fablab mobile", proposed_by=advisor.user, proposed_in=loire)
    SkillFactory(proposed=True, name="Proposition d’un autre", proposed_in=loire)
    client.force_login(advisor.user)
    response = client.get(MY_PROFILE)
    html = response.content.decode()
    section = html.split('id="competences"')[1].split("</section>")[0]
    for skill in Skill.objects.validated():
        assert f"<legend>{skill.name}" in section
    assert mine.name in section and "Proposition d’un autre" not in section
    assert section.count('<fieldset class="skill-domain">') == len({s.domain_id for s in Skill.objects.validated()})
    assert 'type="radio"' in section and "je maîtrise et peux transmettre" in section


def test_saving_replaces_the_skills(client, advisor, skills):
    AdvisorSkillFactory(advisor=advisor, skill=skills["Santé"], learn=True)
    AdvisorSkillFactory(advisor=advisor, skill=skills["E-mail"], level=SkillLevel.PRACTICE)
    client.force_login(advisor.user)
    response = client.post(
        SECTION,
        {
            f"level_{skills['Bureautique'].pk}": SkillLevel.MASTER,
            f"note_{skills['Bureautique'].pk}": " ateliers Pix le mardi ",
            f"level_{skills['E-mail'].pk}": SkillLevel.LEARN,
            f"level_{skills['Santé'].pk}": "",
        },
    )
    assert response.status_code == 302
    assert response.url == f"{MY_PROFILE}?enregistre=competences#competences"
    saved = {(link.skill.name, link.level, link.note) for link in AdvisorSkill.objects.filter(advisor=advisor)}
    assert saved == {("Bureautique", SkillLevel.MASTER, "ateliers Pix le mardi"), ("E-mail", SkillLevel.LEARN, "")}
    page = page_text(client.get(response.url))
    assert "Section « Compétences » enregistrée." in page


@pytest.mark.parametrize(
    ("level", "note", "message"),
    [
        ("expert", "", "Choisissez un des niveaux proposés."),
        ("", "le mardi", "Choisissez un niveau pour cette compétence ou effacez la précision."),
        (SkillLevel.MASTER, "x" * 141, "La précision tient en 140 caractères au plus (141)."),
    ],
)
def test_a_mistake_is_shown_next_to_the_skill_and_nothing_is_lost(client, advisor, skills, level, note, message):
    AdvisorSkillFactory(advisor=advisor, skill=skills["Santé"], master=True, note="Ameli")
    client.force_login(advisor.user)
    bureautique, sante = skills["Bureautique"].pk, skills["Santé"].pk
    response = client.post(
        SECTION,
        {
            f"level_{bureautique}": level,
            f"note_{bureautique}": note,
            f"level_{sante}": SkillLevel.LEARN,
            f"level_{skills['E-mail'].pk}": SkillLevel.PRACTICE,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "La section « Compétences » n’a pas été enregistrée" in page_text(response)
    field = html.split(f'id="id_level_{bureautique}_error"')[1].split("</ul>")[0]
    assert message in field
    # What was typed stays on screen; what was saved is untouched.
    assert f'value="appetence" id="id_level_{sante}_3" checked' in html
    assert [(link.skill_id, link.level, link.note) for link in AdvisorSkill.objects.filter(advisor=advisor)] == [
        (sante, SkillLevel.MASTER, "Ameli")
    ]


def test_someone_else_cannot_save_my_skills(client, advisor, skills):
    client.post(SECTION, {f"level_{skills['Santé'].pk}": SkillLevel.MASTER})
    assert not AdvisorSkill.objects.exists()
    client.force_login(UserFactory())
    response = client.post(SECTION, {f"level_{skills['Santé'].pk}": SkillLevel.MASTER})
    assert response.status_code == 403
    assert not AdvisorSkill.objects.exists()


def test_a_skill_held_but_not_proposed_to_me_is_kept(client, advisor, loire, skills):
    """A skill merged into someone else's pending proposal stays on the profile when saving."""
    theirs = SkillFactory(proposed=True, name="Proposition voisine", proposed_in=loire)
    AdvisorSkillFactory(advisor=advisor, skill=theirs, master=True)
    client.force_login(advisor.user)
    assert "Proposition voisine" in page_text(client.get(MY_PROFILE))
    client.post(SECTION, {f"level_{theirs.pk}": SkillLevel.MASTER, f"level_{skills['Santé'].pk}": SkillLevel.LEARN})
    assert AdvisorSkill.objects.filter(advisor=advisor).count() == 2


# Profile page


def test_the_profile_page_shows_the_skills_by_level(client, advisor, member, skills):
    AdvisorSkillFactory(advisor=advisor, skill=skills["Bureautique"], master=True, note="LibreOffice")
    AdvisorSkillFactory(advisor=advisor, skill=skills["Santé"], learn=True)
    AdvisorSkillFactory(advisor=advisor, skill=SkillFactory(proposed=True, name="Pas encore validée"), master=True)
    client.force_login(member)
    text = page_text(client.get(advisor.get_absolute_url()))
    skills_part = text.split("Communes d’intervention")[1].split("En bref")[0]
    assert "Je maîtrise et peux transmettre Bureautique — LibreOffice" in skills_part
    assert "Je veux apprendre Santé" in skills_part
    assert "Pas encore validée" not in text


# Directory


def test_the_directory_finds_who_masters_a_skill_in_a_departement(client, loire, savoie, member, skills):
    bureautique = skills["Bureautique"]
    alice = AdvisorFactory(departement=loire, user__first_name="Alice", user__last_name="Masters")
    AdvisorSkillFactory(advisor=alice, skill=bureautique, master=True)
    AdvisorSkillFactory(advisor=alice, skill=skills["Santé"], master=True)
    AdvisorSkillFactory(skill=bureautique, advisor__departement=loire, advisor__user__last_name="Praticien")
    AdvisorSkillFactory(
        skill=bureautique, master=True, advisor__departement=savoie, advisor__user__last_name="Savoyard"
    )
    AdvisorSkillFactory(
        skill=bureautique,
        master=True,
        advisor__departement=loire,
        advisor__coordinators_only=True,
        advisor__user__last_name="Cache",
    )
    client.force_login(member)
    response = client.get(
        DIRECTORY, {"departement": loire.code, "competence": bureautique.slug, "niveau": SkillLevel.MASTER}
    )
    names = [advisor.user.last_name for advisor in response.context["page"].object_list]
    assert names == ["Masters"]
    assert "1 conseiller" in page_text(response)
    response = client.get(DIRECTORY, {"departement": loire.code, "competence": bureautique.slug})
    assert sorted(a.user.last_name for a in response.context["page"].object_list) == ["Masters", "Praticien"]
    response = client.get(DIRECTORY, {"departement": "", "niveau": SkillLevel.MASTER})
    assert sorted(a.user.last_name for a in response.context["page"].object_list) == ["Masters", "Savoyard"]


def test_directory_cards_show_the_skill_searched_for_with_its_level(client, loire, member, skills):
    bureautique = skills["Bureautique"]
    alice = AdvisorFactory(departement=loire, user__last_name="Masters")
    AdvisorSkillFactory(advisor=alice, skill=bureautique, learn=True)
    # Her mastered skills are not what the visitor looks for: the card shows the one searched.
    for name in ("E-mail", "Réseaux sociaux", "Santé"):
        AdvisorSkillFactory(advisor=alice, skill=skills[name], master=True)
    client.force_login(member)
    html = client.get(DIRECTORY, {"departement": loire.code, "competence": bureautique.slug}).content.decode()
    card = html.split('class="advisor-card-skills"')[1].split("</p>")[0]
    assert "Bureautique" in card and "je veux apprendre" in card
    assert "Santé" not in card and "E-mail" not in card


def test_an_unknown_skill_in_the_directory_is_explained(client, member):
    client.force_login(member)
    response = client.get(DIRECTORY, {"competence": "nexiste-pas"})
    assert response.status_code == 200
    assert "Un filtre n’a pas pu être appliqué" in page_text(response)


def test_directory_cards_show_up_to_three_mastered_skills(client, loire, member):
    advisor = AdvisorFactory(departement=loire)
    for name in ("Bureautique", "E-mail", "Réseaux sociaux", "Santé"):
        AdvisorSkillFactory(advisor=advisor, skill=Skill.objects.get(name=name), master=True)
    AdvisorSkillFactory(advisor=advisor, skill=Skill.objects.get(name="Parentalité"), learn=True)
    client.force_login(member)
    html = client.get(DIRECTORY, {"departement": loire.code}).content.decode()
    card = html.split('class="advisor-card-skills"')[1].split("</p>")[0]
    assert [name for name in ("Bureautique", "E-mail", "Réseaux sociaux", "Santé", "Parentalité") if name in card] == [
        "Bureautique",
        "E-mail",
        "Réseaux sociaux",
    ]


def test_directory_filtered_by_skill_queries_do_not_grow(client, loire, member, django_assert_num_queries):
    skills = list(Skill.objects.validated()[:5])

    def grow(count):
        for _ in range(count):
            advisor = AdvisorFactory(departement=loire)
            for skill in skills:
                AdvisorSkillFactory(advisor=advisor, skill=skill, master=True)

    client.force_login(member)
    params = {"departement": loire.code, "competence": skills[0].slug, "niveau": SkillLevel.MASTER}
    # Session, user, memberships (visibility), the département and skill asked for, the lists of
    # départements, EPCI, languages, services, skills and promos, count, page, the cards' mastered
    # skills, the skill searched for on each card.
    grow(2)
    with django_assert_num_queries(16):
        client.get(DIRECTORY, params)
    grow(30)
    with django_assert_num_queries(16):
        response = client.get(DIRECTORY, params)
    assert response.context["page"].paginator.count == 32
    assert response.content.decode().count('class="advisor-card-skills"') == 20
