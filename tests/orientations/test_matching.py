"""Who fits a person's need: nearest first, open when she is free, speaking her language, serving her public."""

from datetime import time

import pytest

from advisors.enums import MembershipRole, PositionSource, SupportMode, Visibility
from advisors.models import Language, Membership
from orientations.enums import TimeOfDay
from orientations.queries.matching import Criteria, matching
from skills.enums import DomainKind
from skills.models import Domain, Public
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    OpeningSlotFactory,
    PermanenceFactory,
    StructureFactory,
)
from tests.skills.factories import AdvisorSkillFactory, SkillFactory
from tests.territories.factories import CommuneFactory

HOME = (45.4340, 4.3900)
KM = 1 / 111.2  # degrees of latitude per km


def text(items):
    return [item.replace("\u00a0", " ") for item in items]


@pytest.fixture
def service(db):
    return Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position").first()


@pytest.fixture
def other_service(db):
    return Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position")[1]


@pytest.fixture
def home(loire, saint_etienne):
    saint_etienne.latitude, saint_etienne.longitude = HOME
    saint_etienne.save()
    return saint_etienne


@pytest.fixture
def viewer(loire, home):
    return AdvisorFactory(departement=loire, commune=home).user


def place(name, km_north, *, services=(), commune=None, **lieu_fields):
    """A lieu ``km_north`` km north of the person's commune, its structure offering ``services``."""
    structure = StructureFactory(
        commune=commune or CommuneFactory(latitude=HOME[0] + km_north * KM, longitude=HOME[1])
    )
    structure.services.set(services)
    return LieuFactory(
        structure=structure,
        name=name,
        commune=structure.commune,
        latitude=HOME[0] + km_north * KM,
        longitude=HOME[1],
        position_source=PositionSource.TYPED,
        **lieu_fields,
    )


def names(matches):
    return [match.obj.name if match.kind == "lieu" else match.obj.user.first_name for match in matches]


def test_lieux_nearest_first_offering_the_service_within_reach(home, viewer, service, other_service):
    place("À 11 km", 11, services=[service])
    place("À 2 km", 2, services=[service])
    place("À 6 km", 6, services=[service])
    place("À 45 km", 45, services=[service])
    place("Autre service", 1, services=[other_service])

    results = matching(Criteria(commune=home, domain=service), viewer)

    assert names(results.lieux) == ["À 2 km", "À 6 km", "À 11 km"]
    first = results.lieux[0]
    assert text(first.reasons)[:2] == ["à 2 km", f"propose : {service.name.lower()}"]
    assert first.fits_all


def test_she_cannot_travel_only_her_commune_and_very_near(home, viewer, service):
    place("Dans sa commune", 0, services=[service], commune=home)
    place("À 4 km", 4, services=[service])
    place("À 8 km", 8, services=[service])

    results = matching(Criteria(commune=home, domain=service, can_travel=False), viewer)

    assert names(results.lieux) == ["Dans sa commune", "À 4 km"]
    assert text(results.lieux[0].reasons)[0] == "à Saint-Étienne"


def test_online_adds_far_lieux_that_help_remotely(home, viewer, service):
    place("Loin, à distance", 80, services=[service], support_modes=[SupportMode.REMOTE])
    place("Loin, sur place", 70, services=[service], support_modes=[SupportMode.INDIVIDUAL])

    assert matching(Criteria(commune=home, domain=service), viewer).lieux == []
    results = matching(Criteria(commune=home, domain=service, online_ok=True), viewer)

    assert names(results.lieux) == ["Loin, à distance"]
    assert "accompagne à distance" in results.lieux[0].reasons


def test_open_when_she_is_free_first_the_others_marked(home, viewer, service):
    tuesday = place("Le mardi", 1, services=[service])
    OpeningSlotFactory(lieu=tuesday, weekday=1, opens=time(9), closes=time(12))
    saturday = place("Le samedi", 9, services=[service])
    OpeningSlotFactory(lieu=saturday, weekday=5, opens=time(9, 30), closes=time(12))
    OpeningSlotFactory(lieu=saturday, weekday=5, opens=time(14), closes=time(17))  # not the afternoon she asked

    criteria = Criteria(commune=home, domain=service, days=(5,), time_of_day=TimeOfDay.MORNING)
    results = matching(criteria, viewer)

    assert names(results.lieux) == ["Le samedi", "Le mardi"]
    assert "ouvert le samedi matin" in results.lieux[0].reasons
    assert results.lieux[1].misses == ["pas ouvert le samedi matin"]


def test_language_spoken_by_an_advisor_and_at_a_lieu(home, viewer, service, loire):
    portuguese = Language.objects.get(code="pt")
    near = place("Sans portugais", 1, services=[service])
    far = place("Avec portugais", 9, services=[service])
    speaker = AdvisorFactory(departement=loire, structure=far.structure, commune=home, user__first_name="Ana")
    speaker.languages.add(portuguese)
    AdvisorFactory(departement=loire, structure=near.structure, commune=home, user__first_name="Bruno")

    results = matching(Criteria(commune=home, domain=service, language=portuguese), viewer)

    assert names(results.lieux) == ["Avec portugais", "Sans portugais"]
    assert "on y parle portugais" in results.lieux[0].reasons
    assert text(results.lieux[1].misses) == ["personne n’y parle portugais"]
    assert names(results.advisors) == ["Ana", "Bruno"]
    assert "parle portugais" in results.advisors[0].reasons
    assert results.advisors[1].misses == ["ne parle pas portugais"]


def test_a_hidden_profile_does_not_show_through_its_lieu(home, viewer, service, loire, savoie):
    portuguese = Language.objects.get(code="pt")
    skill = SkillFactory(domain=service, name="Démarches en ligne")
    lieu = place("Avec une conseillère cachée", 2, services=[service])
    hidden = AdvisorFactory(
        departement=savoie, structure=lieu.structure, commune=home, visibility=Visibility.COORDINATORS
    )
    hidden.languages.add(portuguese)
    AdvisorSkillFactory(advisor=hidden, skill=skill, master=True)

    results = matching(Criteria(commune=home, domain=service, skill=skill, language=portuguese), viewer)

    assert names(results.lieux) == ["Avec une conseillère cachée"]
    assert "on y parle portugais" not in results.lieux[0].reasons
    assert text(results.lieux[0].misses) == ["personne n’y parle portugais"]
    assert not any("un conseiller" in reason for reason in results.lieux[0].reasons)
    # Her département's coordination may see her profile: for them, the lieu speaks Portuguese.
    coordinator = AdvisorFactory(departement=savoie, commune=home).user
    Membership.objects.filter(user=coordinator).update(role=MembershipRole.COORDINATOR)
    seen = matching(Criteria(commune=home, domain=service, language=portuguese), coordinator)
    assert "on y parle portugais" in seen.lieux[0].reasons


def test_skill_practised_or_mastered_not_wished(home, viewer, service, loire):
    skill = SkillFactory(domain=service, name="Démarches en ligne")
    master = AdvisorFactory(departement=loire, commune=home, user__first_name="Maîtrise")
    AdvisorSkillFactory(advisor=master, skill=skill, master=True)
    learner = AdvisorFactory(departement=loire, commune=home, user__first_name="Apprend")
    AdvisorSkillFactory(advisor=learner, skill=skill, learn=True)

    results = matching(Criteria(commune=home, domain=service, skill=skill), viewer)

    assert names(results.advisors) == ["Maîtrise"]
    assert "maîtrise : démarches en ligne" in text(results.advisors[0].reasons)


def test_public_served(home, viewer, service):
    seniors = Public.objects.order_by("pk").first()
    serving = place("Accueille", 5, services=[service])
    serving.structure.publics.add(seniors)
    place("N’indique pas", 1, services=[service])

    results = matching(Criteria(commune=home, domain=service, public=seniors), viewer)

    assert names(results.lieux) == ["Accueille", "N’indique pas"]
    assert f"accueille : {seniors.name.lower()}" in text(results.lieux[0].reasons)
    assert results.lieux[1].misses


def test_advisors_nearest_by_permanence_and_only_those_the_member_may_see(home, viewer, service, loire, savoie):
    skill = SkillFactory(domain=service)
    far_lieu = place("Loin", 20)
    near_lieu = place("Près", 3)
    based_far = AdvisorFactory(departement=loire, user__first_name="Loin")
    PermanenceFactory(advisor=based_far, lieu=far_lieu)
    based_near = AdvisorFactory(departement=loire, user__first_name="Près")
    PermanenceFactory(advisor=based_near, lieu=near_lieu)
    hidden = AdvisorFactory(
        departement=savoie, commune=home, user__first_name="Cachée", visibility=Visibility.COORDINATORS
    )
    for advisor in (based_far, based_near, hidden):
        AdvisorSkillFactory(advisor=advisor, skill=skill, master=True)

    results = matching(Criteria(commune=home, domain=service, skill=skill), viewer)

    assert names(results.advisors) == ["Près", "Loin"]
    assert text(results.advisors[0].reasons)[0] == "à 3 km"


def test_query_count_constant(home, viewer, service, loire, django_assert_num_queries):
    portuguese = Language.objects.get(code="pt")
    public = Public.objects.order_by("pk").first()
    skill = SkillFactory(domain=service)

    def grow(count):
        for index in range(count):
            lieu = place(f"Lieu {index}", index % 20, services=[service])
            OpeningSlotFactory(lieu=lieu, weekday=5)
            advisor = AdvisorFactory(departement=loire, structure=lieu.structure, commune=home)
            advisor.languages.add(portuguese)
            AdvisorSkillFactory(advisor=advisor, skill=skill, master=True)
            PermanenceFactory(advisor=advisor, lieu=lieu, weekday=5)

    criteria = Criteria(
        commune=home,
        domain=service,
        skill=skill,
        language=portuguese,
        public=public,
        days=(5,),
        time_of_day=TimeOfDay.MORNING,
        online_ok=True,
    )
    counts = []
    for size in (3, 15):
        grow(size)
        viewer = type(viewer).objects.get(pk=viewer.pk)  # a new request: memberships not cached yet
        with django_assert_num_queries(5):
            results = matching(criteria, viewer)
        counts.append((len(results.lieux), len(results.advisors)))
    assert counts == [(3, 3), (10, 10)]


def test_a_lieu_closed_today_comes_after_and_says_until_when(home, viewer, service):
    from datetime import timedelta

    from django.utils import timezone

    from advisors.models import LieuClosure

    closed = place("Fermé", 1, services=[service])
    today = timezone.localdate()
    LieuClosure.objects.create(lieu=closed, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=5))
    place("Ouvert", 8, services=[service])

    results = matching(Criteria(commune=home, domain=service), viewer)

    assert names(results.lieux) == ["Ouvert", "Fermé"]
    assert text(results.lieux[1].misses)[0].startswith("fermé exceptionnellement jusqu’au ")
