"""The /competences/ list, a skill's page and their moderation forms, as people see them."""

import pytest
from django.urls import reverse

from advisors.models import Advisor
from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Domain, Skill
from territories.scope import COOKIE_NAME
from tests.advisors.factories import MembershipFactory, UserFactory
from tests.pages import page_text
from tests.skills.factories import AdvisorSkillFactory, ProjectCardFactory, SkillFactory

INDEX = reverse("skills:index")


@pytest.fixture
def author(loire):
    return MembershipFactory(departement=loire).user


@pytest.fixture
def proposal(loire, author):
    return SkillFactory(proposed=True, name="Robotique éducative", proposed_by=author, proposed_in=loire)


@pytest.fixture
def who(request, loire, savoie):
    """Log in as the person named by the test's parameter; returns the client's user or None."""

    def login(client, name):
        if name == "anonymous":
            return None
        if name == "member_elsewhere":
            user = MembershipFactory(departement=savoie).user
        elif name == "staff":
            user = UserFactory(is_staff=True)
        else:
            user = request.getfixturevalue(name)
        client.force_login(user)
        return user

    return login


# The list


def test_the_list_shows_every_domain_and_its_validated_skills(client, db):
    response = client.get(INDEX)
    text = page_text(response)
    assert response.status_code == 200
    for domain in Domain.objects.all():
        assert domain.name in text
    assert "Diagnostic numérique" in text
    assert "Choisissez un département" in text
    assert "Proposer une compétence" not in text


def test_counts_per_level_in_the_current_departement_leave_hidden_profiles_out(client, loire, savoie, member):
    skill = Skill.objects.get(name="Diagnostic numérique")
    AdvisorSkillFactory.create_batch(2, skill=skill, master=True, advisor__departement=loire)
    AdvisorSkillFactory(skill=skill, learn=True, advisor__departement=loire)
    AdvisorSkillFactory(skill=skill, master=True, advisor__departement=loire, advisor__coordinators_only=True)
    AdvisorSkillFactory(skill=skill, master=True, advisor__departement=savoie)
    client.force_login(member)
    client.cookies[COOKIE_NAME] = loire.code
    response = client.get(INDEX)
    row = next(r for r in page_text(response).split("Diagnostic numérique")[1:] if r.strip())
    assert row.split()[:3] == ["2", "0", "1"]
    assert "Proposer une compétence" in page_text(response)


def test_the_list_queries_do_not_grow(client, loire, coordinator, django_assert_num_queries):
    client.force_login(coordinator)
    client.cookies[COOKIE_NAME] = loire.code
    skills = list(Skill.objects.validated()[:10])

    def grow(count):
        for index in range(count):
            AdvisorSkillFactory(skill=skills[index % 10], advisor__departement=loire)
            SkillFactory(proposed=True, proposed_in=loire, proposed_by=coordinator)

    # Session, user, département, domains, skills, counts, memberships (once, for visibility and
    # predicates), proposals, domains of the propose form.
    grow(2)
    with django_assert_num_queries(9):
        client.get(INDEX)
    grow(20)
    with django_assert_num_queries(9):
        response = client.get(INDEX)
    assert page_text(response).count("Fusionner dans") == 22


# Proposing


@pytest.mark.parametrize(
    ("name", "status"),
    [("anonymous", 302), ("outsider", 403), ("pending_member", 403), ("member", 302), ("member_elsewhere", 302)],
)
def test_who_may_propose(client, who, name, status):
    user = who(client, name)
    domain = Domain.objects.first()
    response = client.post(reverse("skills:propose"), {"domain": domain.pk, "name": "Radio associative"})
    assert response.status_code == status
    created = Skill.objects.filter(name="Radio associative").first()
    if status == 302 and user:
        assert created.status == SkillStatus.PROPOSED and created.proposed_by == user
        assert response.url == created.get_absolute_url()
    else:
        assert created is None


def test_a_duplicate_proposal_is_explained_next_to_the_field(client, member):
    client.force_login(member)
    response = client.post(reverse("skills:propose"), {"domain": Domain.objects.first().pk, "name": "e-mail"})
    assert response.status_code == 400
    text = page_text(response)
    assert "« E-mail » existe déjà" in text
    assert "«\u00a0E-mail\u00a0» existe déjà" in response.content.decode(), "French no-break spaces"
    assert 'value="e-mail"' in response.content.decode()


def test_a_proposal_without_domain_or_name(client, member):
    client.force_login(member)
    response = client.post(reverse("skills:propose"), {"domain": "", "name": ""})
    text = page_text(response)
    assert "Choisissez un domaine." in text and "Indiquez le nom de la compétence." in text


# Visibility of a proposed skill


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("anonymous", False),
        ("member", False),
        ("member_elsewhere", False),
        ("author", True),
        ("coordinator", True),
        ("other_coordinator", False),
        ("staff", True),
    ],
)
def test_a_proposed_skill_page(client, who, proposal, name, visible):
    who(client, name)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert "en attente de validation" in page_text(response)
    listed = client.get(INDEX)
    assert ("Robotique éducative" in page_text(listed)) is (name in ("coordinator", "staff"))


# Moderation


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("member_elsewhere", False),
        ("author", False),
        ("coordinator", True),
        ("other_coordinator", False),
        ("staff", True),
    ],
)
def test_who_may_moderate_a_proposal(client, who, loire, author, proposal, name, allowed):
    who(client, name)
    target = Skill.objects.get(name="E-mail")
    other = SkillFactory(proposed=True, name="Mails", proposed_by=author, proposed_in=loire)
    responses = [
        client.post(reverse("skills:rename", args=[proposal.slug]), {"name": "Robotique"}),
        client.post(reverse("skills:validate", args=[proposal.slug])),
        client.post(reverse("skills:merge", args=[other.slug]), {"target": target.pk, "confirm": "on"}),
    ]
    proposal.refresh_from_db()
    other.refresh_from_db()
    if allowed:
        assert [response.status_code for response in responses] == [302, 302, 302]
        assert (proposal.name, proposal.status) == ("Robotique", SkillStatus.VALIDATED)
        assert other.merged_into == target
    else:
        expected = 302 if name == "anonymous" else 403
        assert [response.status_code for response in responses] == [expected] * 3
        if name == "anonymous":
            assert responses[0].url.startswith(reverse("account_login"))
        assert (proposal.name, proposal.status) == ("Robotique éducative", SkillStatus.PROPOSED)
        assert other.merged_into is None


@pytest.mark.parametrize(("name", "allowed"), [("coordinator", False), ("other_coordinator", False), ("staff", True)])
def test_only_staff_rename_or_merge_a_validated_skill(client, who, name, allowed):
    who(client, name)
    skill = Skill.objects.get(name="E-mail")
    response = client.post(reverse("skills:rename", args=[skill.slug]), {"name": "Messagerie"})
    assert response.status_code == (302 if allowed else 403)
    skill.refresh_from_db()
    assert skill.name == ("Messagerie" if allowed else "E-mail")


def test_a_bad_rename_or_merge_comes_back_with_the_message(client, coordinator, proposal):
    client.force_login(coordinator)
    response = client.post(reverse("skills:rename", args=[proposal.slug]), {"name": "bureautique"})
    assert response.status_code == 400
    assert "« Bureautique » existe déjà" in page_text(response)
    response = client.post(reverse("skills:merge", args=[proposal.slug]), {"target": ""})
    assert "Choisissez la compétence qui reste." in page_text(response)
    response = client.post(reverse("skills:merge", args=[proposal.slug]), {"target": proposal.pk})
    assert "Choisissez une compétence de la liste." in page_text(response)
    # Without the confirmation box, nothing is merged.
    target = Skill.objects.get(name="E-mail")
    response = client.post(reverse("skills:merge", args=[proposal.slug]), {"target": target.pk})
    assert "Cochez la case pour confirmer la fusion : elle ne peut pas être défaite." in page_text(response)
    proposal.refresh_from_db()
    assert (proposal.name, proposal.merged_into) == ("Robotique éducative", None)


def test_merging_from_the_list_moves_people_and_cards_and_redirects_the_old_address(
    client, loire, coordinator, proposal
):
    target = (
        Skill.objects.get(name="Fabriquer, bricoler, réparer")
        if Skill.objects.filter(name="Fabriquer, bricoler, réparer").exists()
        else SkillFactory(name="Robotique")
    )
    link = AdvisorSkillFactory(skill=proposal, master=True, note="Thymio", advisor__departement=loire)
    card = ProjectCardFactory(author=link.advisor)
    card.skills.add(proposal)
    client.force_login(coordinator)
    response = client.post(
        reverse("skills:merge", args=[proposal.slug]), {"target": target.pk, "confirm": "on", "from": "index"}
    )
    assert response.url == INDEX + "#propositions"
    assert AdvisorSkill.objects.get(advisor=link.advisor).skill == target
    assert list(card.skills.all()) == [target]
    old = client.get(proposal.get_absolute_url() + "?departement=42")
    assert old.status_code == 301
    assert old.url == target.get_absolute_url() + "?departement=42"


# A skill's page


def test_the_skill_page_groups_people_by_level_with_their_notes(client, loire, member):
    skill = Skill.objects.get(name="Bureautique")
    AdvisorSkillFactory(
        skill=skill, master=True, note="LibreOffice", advisor__user__first_name="Alice", advisor__departement=loire
    )
    AdvisorSkillFactory(skill=skill, advisor__user__first_name="Bruno", advisor__departement=loire)
    AdvisorSkillFactory(skill=skill, learn=True, advisor__user__first_name="Chloé", advisor__departement=loire)
    AdvisorSkillFactory(
        skill=skill,
        master=True,
        advisor__user__first_name="Hidden",
        advisor__coordinators_only=True,
        advisor__departement=loire,
    )
    client.force_login(member)
    text = page_text(client.get(skill.get_absolute_url()))
    master, rest = text.split("Maîtrisent et peuvent transmettre (1)")[1].split("Pratiquent (1)")
    practice, learn = rest.split("Veulent apprendre (1)")
    assert "Alice" in master and "« LibreOffice »" in master
    assert "Bruno" in practice and "Chloé" in learn.split("Ressources partagées sur cette compétence")[0]
    assert "Hidden" not in text
    assert "Ressources partagées sur cette compétence" in text


def test_anonymous_visitors_see_only_public_profiles(client, loire):
    skill = Skill.objects.get(name="Bureautique")
    AdvisorSkillFactory(
        skill=skill, advisor__user__first_name="Publique", advisor__public=True, advisor__departement=loire
    )
    AdvisorSkillFactory(skill=skill, advisor__user__first_name="Réseau", advisor__departement=loire)
    text = page_text(client.get(skill.get_absolute_url()))
    assert "Publique" in text and "Réseau" not in text


def test_the_skill_page_filters_by_departement_and_epci(client, loire, savoie, member):
    from tests.territories.factories import CommuneFactory, EPCIFactory

    epci = EPCIFactory()
    here = CommuneFactory(departement=loire, epci=epci)
    skill = Skill.objects.get(name="Bureautique")
    AdvisorSkillFactory(
        skill=skill, advisor__user__first_name="Ici", advisor__departement=loire, advisor__commune=here
    )
    AdvisorSkillFactory(skill=skill, advisor__user__first_name="Loire", advisor__departement=loire)
    AdvisorSkillFactory(skill=skill, advisor__user__first_name="Zoé", advisor__departement=savoie)
    client.force_login(member)
    text = page_text(client.get(skill.get_absolute_url(), {"departement": loire.code}))
    assert "Ici" in text and "Loire" in text and "Zoé" not in text
    text = page_text(client.get(skill.get_absolute_url(), {"departement": loire.code, "epci": epci.siren}))
    assert "Ici" in text and " Loire " not in text.split("Maîtrisent")[1]


def test_a_long_level_is_paginated(client, loire, member):
    skill = Skill.objects.get(name="Bureautique")
    for _ in range(35):
        AdvisorSkillFactory(skill=skill, master=True, advisor__departement=loire)
    client.force_login(member)
    response = client.get(skill.get_absolute_url())
    assert len(response.context["sections"][0]["page"].object_list) == 20
    assert "Voir les 35 personnes" in page_text(response)
    response = client.get(skill.get_absolute_url(), {"niveau": SkillLevel.MASTER, "page": 2})
    assert [section["level"] for section in response.context["sections"]] == [SkillLevel.MASTER]
    assert len(response.context["sections"][0]["page"].object_list) == 5
    assert "Page 2 sur 2" in page_text(response)


@pytest.mark.parametrize("query", [{}, {"departement": "42"}], ids=["france", "departement"])
def test_each_level_shows_its_first_holders_by_name_and_counts_all_of_them(client, loire, savoie, member, query):
    skill = Skill.objects.get(name="Bureautique")
    for index in range(23):
        AdvisorSkillFactory(
            skill=skill, master=True, advisor__departement=loire, advisor__user__last_name=f"Maître {index:02}"
        )
    for name in ("Pratique B", "Pratique A"):
        AdvisorSkillFactory(
            skill=skill, level=SkillLevel.PRACTICE, advisor__departement=loire, advisor__user__last_name=name
        )
    AdvisorSkillFactory(skill=skill, master=True, advisor__departement=savoie, advisor__user__last_name="Ailleurs")
    client.force_login(member)
    sections = client.get(skill.get_absolute_url(), query).context["sections"]
    master, practice, learn = (section["page"] for section in sections)
    masters = [f"Maître {index:02}" for index in range(23)]
    if not query:  # all of France: the Savoie holder too, first by name
        masters = ["Ailleurs", *masters]
    assert [holding.advisor.user.last_name for holding in master.object_list] == masters[:20]
    assert (master.paginator.count, master.has_next()) == (len(masters), True)
    assert [holding.advisor.user.last_name for holding in practice.object_list] == ["Pratique A", "Pratique B"]
    assert (practice.paginator.count, practice.has_next()) == (2, False)
    assert (learn.paginator.count, list(learn.object_list)) == (0, [])


def test_the_level_links_keep_the_territory_and_change_only_the_level(client, loire, member):
    skill = Skill.objects.get(name="Bureautique")
    for _ in range(25):
        AdvisorSkillFactory(skill=skill, master=True, advisor__departement=loire)
    client.force_login(member)
    html = client.get(skill.get_absolute_url(), {"departement": "42"}).content.decode()
    assert f'<a href="?departement=42&amp;niveau={SkillLevel.MASTER.value}">Voir les 25 personnes</a>' in html
    html = client.get(
        skill.get_absolute_url(), {"departement": "42", "niveau": SkillLevel.MASTER, "page": 2}
    ).content.decode()
    assert '<a href="?departement=42">Voir tous les niveaux</a>' in html
    response = client.get(skill.get_absolute_url(), {"departement": "42"})
    assert [section["level"] for section in response.context["sections"]] == list(SkillLevel)


def test_an_unknown_skill_is_a_404(client, db):
    assert client.get(reverse("skills:detail", args=["nimporte-quoi"])).status_code == 404


def test_the_skill_page_queries_do_not_grow(client, loire, member, django_assert_num_queries):
    skill = Skill.objects.get(name="Bureautique")
    client.force_login(member)

    def grow(count):
        for index in range(count):
            AdvisorSkillFactory(skill=skill, level=list(SkillLevel)[index % 3], advisor__departement=loire)

    # Session, user, skill, the département asked for, memberships (visibility), the number of holders per
    # level, the first holders of the three levels, the lists of départements and EPCI, the resources panel.
    grow(3)
    with django_assert_num_queries(10):
        client.get(skill.get_absolute_url(), {"departement": loire.code})
    grow(60)
    with django_assert_num_queries(10):
        response = client.get(skill.get_absolute_url(), {"departement": loire.code})
    assert sum(len(section["page"].object_list) for section in response.context["sections"]) == 60
    assert Advisor.objects.count() >= 63


def test_an_unknown_territory_on_a_skill_page_is_explained_not_a_500(client, member):
    client.force_login(member)
    skill = Skill.objects.get(name="Bureautique")
    response = client.get(skill.get_absolute_url(), {"departement": "zz", "epci": "123", "niveau": "n’importe"})
    assert response.status_code == 200
    assert "Choisissez un département de la liste." in page_text(response)
    assert "Choisissez une intercommunalité de la liste." in page_text(response)
    assert [section["level"] for section in response.context["sections"]] == list(SkillLevel)


def test_the_list_for_an_anonymous_visitor_without_departement_costs_two_queries(
    client, db, django_assert_num_queries
):
    # Domains, their validated skills.
    with django_assert_num_queries(2):
        response = client.get(INDEX)
    assert response.content.decode().count("<h1") == 1


def test_index_leads_to_the_map_the_board_and_for_coordinators_the_pairs(client, loire, coordinator, member):
    client.cookies["maillage_dep"] = "42"
    client.force_login(member)
    content = client.get(INDEX).content.decode()
    assert 'href="/competences/carte/?territoire=42"' in content
    assert 'href="/competences/cartes/?departement=42"' in content
    assert "/competences/binomes/" not in content
    client.force_login(coordinator)
    assert 'href="/competences/binomes/?departement=42"' in client.get(INDEX).content.decode()


def test_the_skill_page_reads_the_maps_territoire(client, loire, savoie, member):
    from tests.territories.factories import CommuneFactory, EPCIFactory

    epci = EPCIFactory()
    here = CommuneFactory(departement=loire, epci=epci)
    skill = Skill.objects.get(name="Bureautique")
    AdvisorSkillFactory(
        skill=skill, advisor__user__first_name="Ici", advisor__departement=loire, advisor__commune=here
    )
    AdvisorSkillFactory(skill=skill, advisor__user__first_name="Loire", advisor__departement=loire)
    AdvisorSkillFactory(skill=skill, advisor__user__first_name="Zoé", advisor__departement=savoie)
    client.force_login(member)
    response = client.get(skill.get_absolute_url(), {"territoire": "42"})
    text = page_text(response)
    assert "Ici" in text and "Loire" in text and "Zoé" not in text
    assert '<option value="42" selected>' in response.content.decode()
    text = page_text(client.get(skill.get_absolute_url(), {"territoire": f"epci-{epci.siren}"}))
    assert "Ici" in text and " Loire " not in text.split("Maîtrisent")[1] and "Zoé" not in text
    response = client.get(skill.get_absolute_url(), {"territoire": "nulle-part"})
    assert response.status_code == 200
    assert "Choisissez un département de la liste." in page_text(response)
