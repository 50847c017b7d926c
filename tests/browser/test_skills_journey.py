"""Skills in a real browser, with axe-core on every page.

A Loire advisor sets five skill levels in Mon profil and proposes a missing skill; the Loire
coordinator merges that proposal into an existing skill, then looks at the skills map and the
project cards board; another advisor of the same commune, who wants to learn a skill the first
one masters, finds her under « Qui peut m’aider ».
"""

import re

import pytest
from playwright.sync_api import expect

from advisors.enums import AdvisorRole
from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Skill
from territories.models import Commune, Departement
from tests.advisors.factories import DEFAULT_PASSWORD, AdvisorFactory, MembershipFactory, UserFactory
from tests.skills.factories import AdvisorSkillFactory, ProjectCardFactory

pytestmark = pytest.mark.browser

ADVISOR_EMAIL = "agnes.perriere@exemple.fr"
LEARNER_EMAIL = "yanis.ferrand@exemple.fr"
COORDINATOR_EMAIL = "dominique.coordo@exemple.fr"
PROPOSAL = "Accompagnement aux démarches CAF"
SURVIVOR = "Social - Santé"
MASTER, PRACTICE, LEARN = (label for _, label in SkillLevel.choices)
SAVE_SKILLS = "Enregistrer la section « Compétences »"
# Five levels, as a person reads them on the page.
LEVELS = {
    "E-mail": MASTER,
    "Navigation sur internet": MASTER,
    "Bureautique": PRACTICE,
    SURVIVOR: PRACTICE,
    "Intelligence artificielle": LEARN,
}


@pytest.fixture
def loire_network(loire_territories):
    """Two advisors of Saint-Étienne — the second wants to learn e-mail — and the Loire coordinator."""
    loire = Departement.objects.get(code="42")
    saint_etienne = Commune.objects.get(code="42218")
    advisor = AdvisorFactory(
        user=UserFactory(email=ADVISOR_EMAIL, first_name="Agnès", last_name="Perrière"),
        departement=loire,
        commune=saint_etienne,
        role=AdvisorRole.CONSEILLER,
    )
    learner = AdvisorFactory(
        user=UserFactory(email=LEARNER_EMAIL, first_name="Yanis", last_name="Ferrand"),
        departement=loire,
        commune=saint_etienne,
    )
    AdvisorSkillFactory(advisor=learner, skill=Skill.objects.get(slug="e-mail"), learn=True)
    coordinator = MembershipFactory(
        departement=loire,
        coordinator=True,
        user=UserFactory(email=COORDINATOR_EMAIL, first_name="Dominique", last_name="Coordo"),
    ).user
    ProjectCardFactory(author=learner, title="Un café numérique le samedi matin")
    return advisor, learner, coordinator


def skill_row(page, name):
    """The radio group of one skill in Mon profil (its legend is the skill's name)."""
    return page.locator("section#competences").get_by_role("group", name=re.compile(rf"^{re.escape(name)}(\s|$)"))


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_advisor_sets_skills_proposes_one_coordinator_merges_it_and_a_peer_finds_her(page, axe, log_in, loire_network):
    advisor, learner, coordinator = loire_network

    # 1. Advisor A logs in and opens Mon profil.
    page.goto("/")
    axe(page, "accueil")
    log_in(page, ADVISOR_EMAIL, DEFAULT_PASSWORD, axe=axe)
    page.get_by_role("banner").get_by_role("link", name="Mon profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    axe(page, "mon-profil")

    # Five levels, by their visible labels; the last one with the keyboard alone.
    skills = page.locator("section#competences")
    for name, level in list(LEVELS.items())[:-1]:
        skill_row(page, name).get_by_label(level, exact=True).check()
    learn = skill_row(page, "Intelligence artificielle").get_by_label(LEARN, exact=True)
    learn.focus()
    page.keyboard.press("Space")
    expect(learn).to_be_checked()
    skills.get_by_role("button", name=SAVE_SKILLS).click()
    expect(skills.get_by_role("status")).to_have_text("Section « Compétences » enregistrée.")
    for name, level in LEVELS.items():
        expect(skill_row(page, name).get_by_label(level, exact=True)).to_be_checked()
    axe(page, "mon-profil-competences-enregistrees")
    saved = dict(AdvisorSkill.objects.filter(advisor=advisor).values_list("skill__name", "level"))
    assert saved == {
        "E-mail": SkillLevel.MASTER,
        "Navigation sur internet": SkillLevel.MASTER,
        "Bureautique": SkillLevel.PRACTICE,
        SURVIVOR: SkillLevel.PRACTICE,
        "Intelligence artificielle": SkillLevel.LEARN,
    }

    # She proposes a missing skill from the list of skills.
    skills.get_by_role("link", name="Proposez-la").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compétences")
    axe(page, "competences")
    proposer = page.locator("section#proposer")
    proposer.get_by_label("Domaine").select_option(label="Aide aux démarches administratives")
    proposer.get_by_label("Nom de la compétence").fill(PROPOSAL)
    proposer.get_by_role("button", name="Proposer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL)
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Merci ! « {PROPOSAL} » est proposée")
    expect(main).to_contain_text("Compétence proposée par Agnès Perrière, en attente de validation")
    axe(page, "competence-proposee")
    proposal = Skill.objects.get(name=PROPOSAL)
    assert proposal.status == SkillStatus.PROPOSED
    old_url = proposal.get_absolute_url()

    # Back in Mon profil the proposal is there, marked « proposée »: she masters it.
    page.get_by_role("banner").get_by_role("link", name="Mon profil").click()
    row = skill_row(page, PROPOSAL)
    expect(row.locator(".badge")).to_have_text("proposée")
    row.get_by_label(MASTER, exact=True).check()
    skills.get_by_role("button", name=SAVE_SKILLS).click()
    expect(skills.get_by_role("status")).to_have_text("Section « Compétences » enregistrée.")
    axe(page, "mon-profil-competence-proposee")
    log_out(page)

    # 2. The coordinator sees the proposal on /competences/ and merges it into « Social - Santé ».
    log_in(page, COORDINATOR_EMAIL, DEFAULT_PASSWORD)
    page.goto("/competences/")
    queue = page.locator("section#propositions")
    expect(queue.get_by_role("heading", name="Propositions à examiner")).to_be_visible()
    item = queue.locator("li.skill-proposal", has_text=PROPOSAL)
    expect(item).to_contain_text("proposée par Agnès Perrière (Loire)")
    axe(page, "competences-coordinateur")
    item.get_by_label("Fusionner dans").select_option(label=SURVIVOR)
    item.get_by_label("Je confirme la fusion, qui ne peut pas être défaite").check()
    item.get_by_role("button", name=f"Fusionner « {PROPOSAL} »").click()
    expect(page.get_by_role("main")).to_contain_text(f"« {PROPOSAL} » est fusionnée dans « {SURVIVOR} ».")
    expect(page.locator("section#propositions")).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("link", name=PROPOSAL)).to_have_count(0)
    axe(page, "competences-apres-fusion")

    # The link moved, at the highest level she had; nothing is left on the old skill.
    survivor = Skill.objects.get(name=SURVIVOR)
    assert AdvisorSkill.objects.get(advisor=advisor, skill=survivor).level == SkillLevel.MASTER
    assert not AdvisorSkill.objects.filter(skill__name=PROPOSAL).exists()
    assert AdvisorSkill.objects.filter(advisor=advisor).count() == 5

    # The old address leads to the surviving skill, where she now masters it.
    page.goto(old_url)
    expect(page).to_have_url(re.compile(rf"{re.escape(survivor.get_absolute_url())}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SURVIVOR)
    masters = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Maîtrisent")))
    expect(masters.get_by_role("heading", name=re.compile(r"^Maîtrisent.*\(1\)$"))).to_be_visible()
    expect(masters.get_by_role("link", name="Agnès Perrière")).to_be_visible()
    axe(page, "competence-survivante")

    # The skills map of the Loire and its project cards board.
    page.goto("/competences/carte/?territoire=42")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte des compétences — Loire (42)")
    axe(page, "carte-loire")
    page.goto("/competences/cartes/?departement=42")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Cartes projets\s+— Loire$"))
    expect(page.get_by_role("main")).to_contain_text("Un café numérique le samedi matin")
    axe(page, "cartes-projets-loire")
    log_out(page)

    # 3. Advisor B, who wants to learn e-mail, finds A under « Qui peut m’aider ».
    log_in(page, LEARNER_EMAIL, DEFAULT_PASSWORD)
    page.get_by_role("banner").get_by_role("link", name="Mon profil").click()
    peers = page.locator("section#pairs")
    expect(peers.get_by_role("heading", name="Qui peut m’aider")).to_be_visible()
    helpers = peers.locator("ul.peer-list").first.locator(":scope > li", has_text="E-mail")
    expect(helpers.locator(".peer-skill")).to_have_text("E-mail")
    expect(helpers).to_contain_text("Agnès Perrière (même commune)")
    axe(page, "mon-profil-pairs")
    helpers.get_by_role("link", name="Agnès Perrière").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agnès Perrière")
    by_level = page.locator(".skills-by-level")
    mastered = by_level.locator("div", has=page.locator("dt", has_text="Je maîtrise et peux transmettre"))
    for name in ("E-mail", "Navigation sur internet", SURVIVOR):
        expect(mastered.get_by_role("link", name=name, exact=True)).to_be_visible()
    practised = by_level.locator("div", has=page.locator("dt", has_text="Je pratique"))
    expect(practised.get_by_role("link", name="Bureautique", exact=True)).to_be_visible()
    wanted = by_level.locator("div", has=page.locator("dt", has_text="Je veux apprendre"))
    expect(wanted.get_by_role("link", name="Intelligence artificielle", exact=True)).to_be_visible()
    axe(page, "profil-agnes")
