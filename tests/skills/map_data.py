"""A hand-computed territory for the skills map, its exports and peer matching.

Loire (42): EPCI A = communes A1 and A2, EPCI B = commune B1. Three validated skills, one proposed.

| advisor | home commune            | visibility    | s1 | s2 | s3 |
|---------|-------------------------|---------------|----|----|----|
| Arnaud  | A1                      | réseau        | M  | A  | A  |
| Béatrice| A2                      | réseau        | P  | A  | A  |
| Charles | B1                      | réseau        | M  | A  | M  |
| Denise  | none; structure in A1   | réseau        |    | A  | A  |
| Émile   | A1                      | coordinateurs | M  | M  |    |

A member sees the first four: in the Loire s1 = 2 M, 1 P, 0 A; s2 = 0 M, 0 P, 4 A; s3 = 1 M, 0 P, 3 A.
In EPCI A (Arnaud, Béatrice, Denise): s1 = 1 M, 1 P, 0 A; s2 = 0, 0, 3; s3 = 0, 0, 3.
A Loire coordinator also sees Émile: s1 has 3 masters and s2 one in the Loire.
"""

from dataclasses import dataclass

from advisors.enums import Visibility
from skills.enums import SkillLevel
from skills.models import Skill
from tests.advisors.factories import AdvisorFactory, StructureFactory, UserFactory
from tests.skills.factories import AdvisorSkillFactory, SkillFactory
from tests.territories.factories import CommuneFactory, EPCIFactory

M, P, A = SkillLevel.MASTER, SkillLevel.PRACTICE, SkillLevel.LEARN


@dataclass
class Territory:
    epci_a: object
    epci_b: object
    a1: object
    a2: object
    b1: object
    s1: Skill
    s2: Skill
    s3: Skill
    advisors: dict


def advisor(departement, name, commune=None, structure_commune=None, visibility=Visibility.NETWORK):
    structure = StructureFactory(commune=structure_commune) if structure_commune else None
    return AdvisorFactory(
        user=UserFactory(first_name=name, last_name=f"{name}son"),
        departement=departement,
        commune=commune,
        structure=structure,
        visibility=visibility,
    )


def build(loire):
    epci_a = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    epci_b = EPCIFactory(siren="200065886", name="Forez-Est", kind="CC")
    a1 = CommuneFactory(departement=loire, code="42218", name="Saint-Étienne", epci=epci_a)
    a2 = CommuneFactory(departement=loire, code="42095", name="Firminy", epci=epci_a)
    b1 = CommuneFactory(departement=loire, code="42094", name="Feurs", epci=epci_b)
    s1 = SkillFactory(name="Aaa Bureautique test", slug="aaa-bureautique-test", position=0)
    s2 = SkillFactory(name="Aab Intelligence artificielle test", slug="aab-ia-test", position=0)
    s3 = SkillFactory(name="Aac Réseaux sociaux test", slug="aac-reseaux-test", position=0)
    proposed = SkillFactory(name="Aad Proposée test", slug="aad-proposee-test", proposed=True)
    people = {
        "arnaud": (advisor(loire, "Arnaud", a1), {s1: M, s2: A, s3: A, proposed: M}),
        "beatrice": (advisor(loire, "Béatrice", a2), {s1: P, s2: A, s3: A}),
        "charles": (advisor(loire, "Charles", b1), {s1: M, s2: A, s3: M}),
        "denise": (advisor(loire, "Denise", structure_commune=a1), {s2: A, s3: A}),
        "emile": (advisor(loire, "Émile", a1, visibility=Visibility.COORDINATORS), {s1: M, s2: M}),
    }
    for person, levels in people.values():
        for skill, level in levels.items():
            AdvisorSkillFactory(advisor=person, skill=skill, level=level)
    return Territory(
        epci_a=epci_a,
        epci_b=epci_b,
        a1=a1,
        a2=a2,
        b1=b1,
        s1=s1,
        s2=s2,
        s3=s3,
        advisors={key: person for key, (person, _) in people.items()},
    )


def add_crowd(departement, commune, skills, count):
    """``count`` more visible advisors, each with a level in every skill: for query counts."""
    levels = [M, P, A]
    for index in range(count):
        person = AdvisorFactory(departement=departement, commune=commune)
        for position, skill in enumerate(skills):
            AdvisorSkillFactory(advisor=person, skill=skill, level=levels[(index + position) % 3])
