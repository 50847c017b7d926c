"""Proposing, validating, renaming and merging skills: the services and the predicates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from skills import perms
from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Domain, Skill
from skills.services import advisor_skills_set, skill_merge, skill_propose, skill_rename, skill_validate
from tests.advisors.factories import AdvisorFactory, MembershipFactory, UserFactory
from tests.skills.factories import AdvisorSkillFactory, ProjectCardFactory, SkillFactory


@pytest.fixture
def domain(db):
    return Domain.objects.order_by("position").first()


def test_a_member_proposes_a_skill_in_their_departement(member, loire, domain):
    skill = skill_propose(user=member, domain=domain, name="  Accompagner   la déclaration d’impôts ")
    assert skill.name == "Accompagner la déclaration d’impôts"
    assert skill.slug == "accompagner-la-declaration-dimpots"
    assert skill.status == SkillStatus.PROPOSED
    assert skill.proposed_by == member
    assert skill.proposed_in == loire


def test_a_profile_decides_the_network_of_the_proposal(loire, savoie, domain):
    advisor = AdvisorFactory(departement=savoie)
    MembershipFactory(user=advisor.user, departement=loire)
    assert skill_propose(user=advisor.user, domain=domain, name="Fablab").proposed_in == savoie


def test_same_name_twice_gets_a_unique_slug_after_a_rename(member, domain):
    first = skill_propose(user=member, domain=domain, name="Impression 3D")
    skill_rename(skill=first, name="Impression 3D avancée", by=member)
    second = skill_propose(user=member, domain=domain, name="Impression 3D")
    assert (first.slug, second.slug) == ("impression-3d", "impression-3d-2")


def test_a_reserved_path_is_never_a_slug(member, domain):
    assert skill_propose(user=member, domain=domain, name="Proposer").slug == "proposer-2"


@pytest.mark.parametrize("name", ["diagnostic numerique", "DIAGNOSTIC NUMÉRIQUE", "Diagnostic-numérique !"])
def test_a_duplicate_name_points_at_the_existing_skill(member, domain, name):
    with pytest.raises(ValidationError) as error:
        skill_propose(user=member, domain=domain, name=name)
    message = error.value.message_dict["name"][0]
    assert "«\u00a0Diagnostic numérique\u00a0» existe déjà" in message
    assert not Skill.objects.filter(status=SkillStatus.PROPOSED).exists()


def test_a_duplicate_of_a_pending_proposal_says_so(member, domain):
    SkillFactory(proposed=True, name="Robotique éducative")
    with pytest.raises(ValidationError, match="en attente de validation"):
        skill_propose(user=member, domain=domain, name="robotique educative")


def test_an_empty_name_is_refused(member, domain):
    with pytest.raises(ValidationError) as error:
        skill_propose(user=member, domain=domain, name="  ?! ")
    assert error.value.message_dict["name"] == ["Le nom doit contenir des lettres ou des chiffres."]


def test_validate_and_rename(coordinator, member, domain):
    skill = skill_propose(user=member, domain=domain, name="Jeux vidéo")
    skill = skill_validate(skill=skill, by=coordinator)
    assert skill.status == SkillStatus.VALIDATED
    renamed = skill_rename(skill=skill, name="Jeux vidéo et e-sport", by=coordinator)
    assert renamed.name == "Jeux vidéo et e-sport"
    assert renamed.slug == "jeux-video", "the address stays"


def test_rename_refuses_an_existing_name_but_accepts_its_own(coordinator):
    skill = SkillFactory(name="Podcast")
    skill_rename(skill=skill, name="podcast", by=coordinator)
    with pytest.raises(ValidationError, match="existe déjà"):
        skill_rename(skill=skill, name="E-mail", by=coordinator)
    skill.refresh_from_db()
    assert skill.name == "podcast"


def test_merge_moves_every_link_and_keeps_the_highest_level_and_the_notes(loire):
    source, target = SkillFactory(name="Mails"), SkillFactory(name="Messagerie")
    only_source = AdvisorSkillFactory(skill=source, master=True, note="Thunderbird", advisor__departement=loire)
    both_higher_on_source = AdvisorFactory(departement=loire)
    AdvisorSkillFactory(advisor=both_higher_on_source, skill=source, master=True, note="Gmail")
    AdvisorSkillFactory(advisor=both_higher_on_source, skill=target, learn=True)
    both_higher_on_target = AdvisorFactory(departement=loire)
    AdvisorSkillFactory(advisor=both_higher_on_target, skill=source, learn=True, note="Outlook")
    AdvisorSkillFactory(advisor=both_higher_on_target, skill=target, level=SkillLevel.PRACTICE, note="La Poste")
    only_target = AdvisorSkillFactory(skill=target, learn=True, advisor__departement=loire)
    card_on_source = ProjectCardFactory(author=only_target.advisor)
    card_on_source.skills.add(source)
    card_on_both = ProjectCardFactory(author=only_target.advisor)
    card_on_both.skills.add(source, target)
    earlier = SkillFactory(name="Courriel", merged_into=source)

    skill_merge(source=source, target=target, by=UserFactory(is_staff=True))

    assert not AdvisorSkill.objects.filter(skill=source).exists()
    links = {link.advisor_id: (link.level, link.note) for link in AdvisorSkill.objects.filter(skill=target)}
    assert links == {
        only_source.advisor_id: (SkillLevel.MASTER, "Thunderbird"),
        both_higher_on_source.pk: (SkillLevel.MASTER, "Gmail"),
        both_higher_on_target.pk: (SkillLevel.PRACTICE, "La Poste"),
        only_target.advisor_id: (SkillLevel.LEARN, ""),
    }
    assert list(card_on_source.skills.all()) == [target]
    assert list(card_on_both.skills.all()) == [target]
    source.refresh_from_db()
    earlier.refresh_from_db()
    assert source.merged_into == target
    assert earlier.merged_into == target, "no chain of redirects"


def test_merge_refuses_itself_and_merged_skills(coordinator):
    skill, gone = SkillFactory(), SkillFactory()
    skill_merge(source=gone, target=skill, by=coordinator)
    with pytest.raises(ValidationError):
        skill_merge(source=skill, target=skill, by=coordinator)
    with pytest.raises(ValidationError):
        skill_merge(source=gone, target=SkillFactory(), by=coordinator)
    with pytest.raises(ValidationError):
        skill_merge(source=SkillFactory(), target=gone, by=coordinator)


def test_advisor_skills_set_replaces_everything(loire):
    advisor = AdvisorFactory(departement=loire)
    old, kept, new = SkillFactory(), SkillFactory(), SkillFactory()
    AdvisorSkillFactory(advisor=advisor, skill=old)
    AdvisorSkillFactory(advisor=advisor, skill=kept, learn=True)
    advisor_skills_set(
        advisor=advisor, levels={kept.pk: (SkillLevel.MASTER, " Pix "), new.pk: (SkillLevel.PRACTICE, "")}
    )
    assert {(link.skill_id, link.level, link.note) for link in advisor.advisor_skills.all()} == {
        (kept.pk, SkillLevel.MASTER, "Pix"),
        (new.pk, SkillLevel.PRACTICE, ""),
    }


def test_advisor_skills_set_with_a_bad_level_changes_nothing(loire):
    link = AdvisorSkillFactory(advisor__departement=loire)
    with pytest.raises(ValidationError):
        advisor_skills_set(advisor=link.advisor, levels={link.skill_id: ("expert", "")})
    assert AdvisorSkill.objects.get() == link


# Predicates


@pytest.fixture
def people(loire, savoie, member, coordinator, other_coordinator):
    author = MembershipFactory(departement=loire).user
    return {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "member": member,
        "member_elsewhere": MembershipFactory(departement=savoie).user,
        "author": author,
        "coordinator": coordinator,
        "coordinator_elsewhere": other_coordinator,
        "staff": UserFactory(is_staff=True),
    }


@pytest.mark.parametrize(
    ("who", "propose", "moderate_proposed", "moderate_validated", "view_proposed"),
    [
        ("anonymous", False, False, False, False),
        ("outsider", False, False, False, False),
        ("member", True, False, False, False),
        ("member_elsewhere", True, False, False, False),
        ("author", True, False, False, True),
        ("coordinator", True, True, False, True),
        ("coordinator_elsewhere", True, False, False, False),
        ("staff", False, True, True, True),
    ],
)
def test_permission_matrix(people, loire, who, propose, moderate_proposed, moderate_validated, view_proposed):
    user = people[who]
    proposed = SkillFactory(proposed=True, proposed_by=people["author"], proposed_in=loire)
    validated = SkillFactory()
    assert perms.can_propose_skill(user) is propose
    assert perms.can_moderate_skill(user, proposed) is moderate_proposed
    assert perms.can_moderate_skill(user, validated) is moderate_validated
    assert perms.can_view_skill(user, proposed) is view_proposed
    assert perms.can_view_skill(user, validated) is True
    assert Skill.objects.visible_to(user).filter(pk=proposed.pk).exists() is (view_proposed and who != "staff")


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_merging_the_same_skill_at_once_merge_it_once(monkeypatch):
    """Each merge locks the source row: the second one waits, then sees the skill already merged
    (without the lock both would succeed and the links would end up on whichever wrote last)."""
    import threading
    import time

    from django.db import connection

    from skills import services
    from territories.models import Departement
    from tests.territories.factories import DepartementFactory

    loire = Departement.objects.filter(code="42").first() or DepartementFactory()
    source = SkillFactory(name="Courriels")
    targets = [SkillFactory(name="Messagerie"), SkillFactory(name="E-mails")]
    for _ in range(5):
        AdvisorSkillFactory(skill=source, master=True, advisor__departement=loire)
    barrier = threading.Barrier(2)
    done, errors = [], []
    move = services._move_advisor_links

    def slow_move(source, target):
        # Widens the window between checking the source and moving its links.
        time.sleep(0.3)
        move(source, target)

    monkeypatch.setattr(services, "_move_advisor_links", slow_move)

    def merge(target):
        try:
            barrier.wait(timeout=10)
            skill_merge(source=source, target=target, by=None)
            done.append(target)
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=merge, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(done) == 1 and len(errors) == 1
    assert "déjà été fusionnée" in errors[0].messages[0]
    source.refresh_from_db()
    assert source.merged_into == done[0]
    assert AdvisorSkill.objects.filter(skill=done[0]).count() == 5
    assert AdvisorSkill.objects.count() == 5
