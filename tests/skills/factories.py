import factory

from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Domain, ProjectCard, ProjectInterest, Skill
from tests.advisors.factories import AdvisorFactory


class SkillFactory(factory.django.DjangoModelFactory):
    """A validated skill in a seeded domain (the national services are seeded by migration)."""

    class Meta:
        model = Skill

    domain = factory.LazyFunction(lambda: Domain.objects.order_by("position").first())
    slug = factory.Sequence(lambda n: f"competence-{n}")
    name = factory.Sequence(lambda n: f"Compétence n° {n}")
    status = SkillStatus.VALIDATED

    class Params:
        proposed = factory.Trait(status=SkillStatus.PROPOSED)


class AdvisorSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisorSkill

    advisor = factory.SubFactory(AdvisorFactory)
    skill = factory.SubFactory(SkillFactory)
    level = SkillLevel.PRACTICE

    class Params:
        master = factory.Trait(level=SkillLevel.MASTER)
        learn = factory.Trait(level=SkillLevel.LEARN)


class ProjectCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCard

    author = factory.SubFactory(AdvisorFactory)
    departement = factory.SelfAttribute("author.departement")
    title = factory.Sequence(lambda n: f"Projet n° {n}")
    body = "Un atelier numérique pour les familles, le mercredi après-midi."


class ProjectInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectInterest

    card = factory.SubFactory(ProjectCardFactory)
    advisor = factory.SubFactory(AdvisorFactory)
