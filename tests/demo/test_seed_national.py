"""manage.py seed_national: national volumes for the benchmark, on a few real départements."""

from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from advisors.enums import LieuApproval, MembershipRole, MembershipStatus, PositionSource, StructureKind, Visibility
from advisors.models import (
    Advisor,
    Cohort,
    Lieu,
    LieuClosure,
    Membership,
    OpeningSlot,
    Permanence,
    Structure,
    User,
)
from advisors.services.network import advisor_search_text
from advisors.validators import luhn_ok
from animation.enums import LetterStatus, PartnerStatus
from animation.models import (
    Channel,
    Departure,
    Letter,
    LetterDelivery,
    Partner,
    PartnerAcquaintance,
    ProfileReminder,
)
from animation.queries.letters import SECTIONS, letter_recipients
from events.enums import OrganiserRole, RegistrationStatus
from events.models import Event, Registration
from orientations.enums import OrientationStatus
from orientations.models import Orientation
from resources.enums import Licence, ResourceKind, ResourceStatus
from resources.models import Resource
from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, ProjectCard
from territories.geo import distance_km
from territories.models import Commune
from territories.text import normalize
from tests.advisors.factories import UserFactory
from tests.resources.factories import ResourceFactory

DOMAIN = "@national.maillage.test"
SCALE = "0.2"
DEPARTEMENTS = ("42", "43", "971")


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def territories(db):
    """The real communes and EPCI of the Loire, the Haute-Loire and the Guadeloupe."""
    run("import_territories", "--departements", *DEPARTEMENTS)


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def seeded(territories, debug):
    return run("seed_national", "--scale", SCALE, "--departements", *DEPARTEMENTS)


def national_advisors():
    return Advisor.objects.filter(user__email__endswith=DOMAIN)


def snapshot():
    """What the generator made, in a form two runs can be compared with."""
    return {
        "users": sorted(User.objects.filter(email__endswith=DOMAIN).values_list("email", "first_name", "last_name")),
        "structures": sorted(Structure.objects.filter(email__endswith=DOMAIN).values_list("name", "commune", "siret")),
        "levels": sorted(
            AdvisorSkill.objects.filter(advisor__in=national_advisors()).values_list(
                "advisor__user__email", "skill__slug", "level"
            )
        ),
        "orientations": sorted(
            tuple(value or "" for value in row)
            for row in Orientation.objects.values_list(
                "sender__email", "receiver_advisor__user__email", "receiver_lieu__name", "commune", "status"
            )
        ),
        "closures": sorted(LieuClosure.objects.values_list("lieu__name", "reason")),
        "partners": sorted(Partner.objects.values_list("departement", "name", "status", "contact_email")),
        "letters": sorted(
            (letter.departement_id, str(letter.period), letter.editorial, letter.recipients_count)
            for letter in Letter.objects.all()
        ),
        "departures": Departure.objects.count(),
    }


def test_seed_national_refuses_to_run_without_debug(territories, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG est désactivé.*--force"):
        run("seed_national", "--scale", SCALE)
    assert not User.objects.exists()
    assert not Structure.objects.exists()


def test_seed_national_needs_the_territories(db, debug):
    with pytest.raises(CommandError, match=r"Aucune commune.*import_territories"):
        run("seed_national", "--scale", SCALE)
    run("import_territories", "--departements", "42")
    with pytest.raises(CommandError, match=r"Aucune commune pour 43 .*import_territories"):
        run("seed_national", "--departements", "42", "43")
    assert not User.objects.exists()


def test_every_departement_gets_its_share_of_the_national_volumes(seeded):
    population = {
        code: sum(Commune.objects.filter(departement=code).values_list("population", flat=True))
        for code in DEPARTEMENTS
    }
    advisors = Counter(national_advisors().values_list("departement", flat=True))
    # 25,000 advisors for the 68.35 million people of France, at the scale asked for.
    assert advisors == {code: round(25_000 * 0.2 * population[code] / 68_350_798) for code in DEPARTEMENTS}
    assert advisors == {"42": 57, "43": 17, "971": 28}

    total = sum(advisors.values())
    structures = Structure.objects.filter(email__endswith=DOMAIN)
    assert 0.25 * total <= structures.count() <= 0.4 * total  # 8,000 for 25,000
    lieux = Lieu.objects.filter(structure__in=structures)
    assert 1.5 * structures.count() <= lieux.count() <= 2.4 * structures.count()  # 15,000 for 8,000
    levels = AdvisorSkill.objects.filter(advisor__in=national_advisors())
    assert 11 * total <= levels.count() <= 18 * total  # 360,000 for 25,000
    assert Counter(structures.values_list("departement", flat=True)).most_common(1)[0][0] == "42"

    assert "Réseau national généré en " in seeded
    assert "(3 départements, échelle 0.2, graine 2026)" in seeded
    assert f"profils de conseillers : {total}, dont " in seeded
    assert f"niveaux de compétence : {levels.count():,}".replace(",", "\u202f") in seeded  # 1 541


def test_events_with_organisers_registrations_and_waiting_lists(seeded):
    events = Event.objects.filter(created_by__email__endswith=DOMAIN)
    advisors = national_advisors().count()
    assert 0.6 * advisors <= events.count() <= 1.0 * advisors  # tens of thousands at scale 1
    assert Counter(events.values_list("departement", flat=True)).keys() == set(DEPARTEMENTS)
    assert (
        events.filter(starts_at__lt=timezone.now()).exists() and events.filter(starts_at__gt=timezone.now()).exists()
    )
    assert not events.exclude(organisers__role=OrganiserRole.LEAD).exists()  # every event has its lead
    over = [
        event
        for event in events.filter(capacity__isnull=False).annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
        )
        if event.confirmed > event.capacity
    ]
    assert over == []  # capacity never exceeded, the rest wait
    assert Registration.objects.filter(event__in=events, status=RegistrationStatus.WAITLISTED).exists()
    guadeloupe = events.filter(departement="971").select_related("departement").first()
    assert timezone.localtime(guadeloupe.starts_at, guadeloupe.tzinfo).hour in (9, 10, 14, 18)  # local wall-clock
    assert f"événements : {events.count():,}".replace(",", "\u202f") in seeded


def test_resources_with_authors_skills_and_varied_titles(seeded):
    resources = Resource.objects.filter(created_by__email__endswith=DOMAIN)
    advisors = national_advisors().count()
    assert 1.0 * advisors <= resources.count() <= 1.4 * advisors  # tens of thousands at scale 1
    assert Counter(resources.values_list("departement", flat=True)).keys() == set(DEPARTEMENTS)
    assert set(resources.values_list("kind", flat=True)) == set(ResourceKind.values)
    assert set(resources.values_list("licence", flat=True)) == set(Licence.values)
    assert not resources.filter(authors=None).exists()  # every resource has its author
    assert resources.annotate(n=Count("authors")).filter(n__gte=2).exists()  # some co-authored
    assert not resources.filter(skills=None).exists()
    assert resources.values("title").distinct().count() >= 0.5 * resources.count()  # variety for the search
    assert not resources.filter(status=ResourceStatus.DRAFT, published_at__isnull=False).exists()
    assert resources.filter(kind=ResourceKind.RETOUR, event__isnull=False).exists()
    sample = resources.order_by("pk").first()
    assert sample.search_text == normalize(f"{sample.title} {sample.summary} {sample.body}")
    assert resources.filter(search_text__contains="demarches").exists()
    assert f"ressources : {resources.count():,}".replace(",", "\u202f") in seeded


def test_national_resources_go_with_reset(seeded):
    someone = ResourceFactory(title="Une vraie ressource", authors=[])
    run("seed_national", "--scale", "0.02", "--departements", "42", "--reset")
    assert Resource.objects.filter(pk=someone.pk).exists()
    assert Resource.objects.exclude(pk=someone.pk).exclude(created_by__email__endswith=DOMAIN).count() == 0
    assert not Resource.objects.filter(created_by__email__endswith=DOMAIN).exclude(departement="42").exists()


def test_the_network_life_partners_channels_letters_reminders_departures(seeded):
    for code in DEPARTEMENTS:
        partners = Partner.objects.filter(departement=code)
        assert partners.filter(status=PartnerStatus.PUBLISHED).count() == 8
        assert partners.filter(status=PartnerStatus.SUGGESTED, suggested_by__email__endswith=DOMAIN).count() == 2
        assert "\u2019" in " ".join(partners.values_list("name", flat=True))  # « Préfecture de l’… », « Ordi’… »
        space = Channel.objects.get(departement=code, parent=None, position=0)
        assert space.children.count() == 3
        assert Channel.objects.filter(departement=code, parent=None).count() == 3
        letters = Letter.objects.filter(departement=code)
        assert letters.count() == 12
        assert set(letters.values_list("status", flat=True)) == {LetterStatus.SENT}
        recipients = set(letter_recipients(code).values_list("pk", flat=True))
        newest = letters.order_by("-period").first()
        delivered = set(LetterDelivery.objects.filter(letter=newest).values_list("user_id", flat=True))
        assert delivered and delivered <= recipients
        assert newest.recipients_count == len(delivered)
        assert newest.subject.startswith("La lettre du réseau ")
        # Shaped as letter_sections composes them: the web version reads them.
        assert set(SECTIONS) <= set(newest.content)
        assert newest.content["skills"] and {"key", "id", "name", "learn", "master", "url"} <= set(
            newest.content["skills"][0]
        )
        for letter in letters:
            for item in letter.content["resources"]:
                assert {"key", "id", "title", "kind", "published", "summary", "url"} <= set(item)
        assert Departure.objects.filter(departement=code).exists()
    assert any(letter.content["events"] for letter in Letter.objects.all())
    assert any(letter.content["newcomers"] for letter in Letter.objects.all())
    assert PartnerAcquaintance.objects.filter(advisor__user__email__endswith=DOMAIN).exists()
    assert ProfileReminder.objects.exists()
    assert LetterDelivery.objects.count() > 12 * len(DEPARTEMENTS) * 10


def test_the_network_life_goes_with_reset(seeded):
    run("seed_national", "--scale", "0.02", "--departements", "42", "--reset")
    assert set(Partner.objects.values_list("departement", flat=True)) == {"42"}
    assert set(Letter.objects.values_list("departement", flat=True)) == {"42"}
    assert set(Channel.objects.values_list("departement", flat=True)) == {"42"}
    assert set(Departure.objects.values_list("departement", flat=True)) == {"42"}


def test_every_account_has_its_place_in_a_network(seeded):
    memberships = Membership.objects.filter(user__email__endswith=DOMAIN).select_related("user")
    assert memberships.count() == User.objects.filter(email__endswith=DOMAIN).count()
    advisors = {advisor.user_id: advisor for advisor in national_advisors()}

    by_departement = defaultdict(Counter)
    for membership in memberships:
        kind = membership.role if membership.is_active else membership.status
        by_departement[membership.departement_id][kind] += 1
        if membership.is_active:
            # An active member has their profile in the network they joined, where they work.
            advisor = advisors[membership.user_id]
            assert advisor.departement_id == membership.departement_id
            assert membership.commune_id == advisor.commune_id
            assert membership.decided_at is not None
        else:
            assert membership.status == MembershipStatus.PENDING
            assert membership.user_id not in advisors
    assert len(advisors) == sum(
        counts[MembershipRole.MEMBER] + counts[MembershipRole.COORDINATOR] for counts in by_departement.values()
    )
    for code in DEPARTEMENTS:
        assert 1 <= by_departement[code][MembershipRole.COORDINATOR] <= 3
        assert by_departement[code][MembershipStatus.PENDING] >= 1
        # Mostly active members.
        assert by_departement[code][MembershipRole.MEMBER] > 5 * by_departement[code][MembershipStatus.PENDING]
    assert by_departement["42"][MembershipRole.COORDINATOR] == 2  # a bigger département has more coordination

    # The accounts of the benchmark, with the demo password.
    member = Membership.objects.get(user__email="bench-membre" + DOMAIN)
    assert (member.departement_id, member.role, member.status) == ("42", MembershipRole.MEMBER, "active")
    coordinator = Membership.objects.get(user__email="bench-coord" + DOMAIN)
    assert (coordinator.departement_id, coordinator.is_coordinator) == ("42", True)
    assert member.user.check_password(settings.DEMO_PASSWORD)
    assert national_advisors().get(user=member.user).advisor_skills.exists()
    assert "bench-membre@national.maillage.test" in seeded


def test_profiles_have_the_variety_of_the_field(seeded):
    advisors = list(national_advisors().select_related("user", "structure", "commune"))
    today = timezone.localdate()
    visibilities = Counter(advisor.visibility for advisor in advisors)
    assert set(visibilities) == set(Visibility.values)
    assert visibilities[Visibility.NETWORK] > visibilities[Visibility.COORDINATORS]
    newcomers = [advisor for advisor in advisors if advisor.arrival_date >= today - timedelta(days=183)]
    assert 0 < len(newcomers) < len(advisors) / 3
    assert all(advisor.arrival_date <= today for advisor in advisors)
    with_cohort = [advisor for advisor in advisors if advisor.cohort_id]
    assert len(with_cohort) > len(advisors) / 3
    cohorts = {cohort.pk: cohort for cohort in Cohort.objects.all()}
    assert all(cohorts[advisor.cohort_id].end_date <= advisor.arrival_date for advisor in with_cohort)
    # The directory's search column, computed as the services compute it.
    assert all(advisor.search_text == advisor_search_text(advisor) for advisor in advisors)
    assert all(advisor.commune.departement_id == advisor.departement_id for advisor in advisors)
    assert Advisor.languages.through.objects.filter(advisor__in=national_advisors(), language="gcf").exists()
    assert Advisor.intervention_communes.through.objects.filter(advisor__in=national_advisors()).exists()

    permanences = defaultdict(list)
    for permanence in Permanence.objects.filter(advisor__in=national_advisors()).select_related("lieu"):
        assert permanence.closes > permanence.opens
        # At one of their structure's lieux, during one of its openings.
        assert permanence.lieu.structure_id == next(a for a in advisors if a.pk == permanence.advisor_id).structure_id
        assert OpeningSlot.objects.filter(
            lieu=permanence.lieu,
            weekday=permanence.weekday,
            opens__lte=permanence.opens,
            closes__gte=permanence.closes,
        ).exists()
        permanences[permanence.advisor_id].append(permanence)
    assert len(permanences) > len(advisors) / 2
    for held in permanences.values():  # never two places at once
        for first in held:
            assert not any(
                other is not first
                and other.weekday == first.weekday
                and other.opens < first.closes
                and first.opens < other.closes
                for other in held
            )

    levels = AdvisorSkill.objects.filter(advisor__in=national_advisors()).select_related("skill")
    assert all(level.skill.status == SkillStatus.VALIDATED and level.skill.merged_into_id is None for level in levels)
    mix = Counter(level.level for level in levels)
    assert set(mix) == set(SkillLevel.values)
    assert mix[SkillLevel.PRACTICE] > mix[SkillLevel.LEARN]
    assert ProjectCard.objects.filter(author__in=national_advisors()).count() >= len(DEPARTEMENTS)


def test_structures_and_lieux_sit_in_real_territories(seeded):
    structures = list(Structure.objects.filter(email__endswith=DOMAIN).prefetch_related("perimeter", "lieux"))
    assert {structure.kind for structure in structures} >= {StructureKind.DEPARTEMENT, StructureKind.ASSOCIATION}
    assert len({structure.name for structure in structures}) == len(structures)
    for structure in structures:
        assert structure.search_text == normalize(structure.name)
        assert not structure.siret or (len(structure.siret) == 14 and luhn_ok(structure.siret))
        assert structure.departement_id == structure.commune.departement_id
        assert structure.lieux.all(), structure
        for lieu in structure.lieux.all():
            assert lieu.departement_id == Commune.objects.get(pk=lieu.commune_id).departement_id
            assert lieu.approval == LieuApproval.ACCEPTED
    assert any(structure.siret for structure in structures)

    # Perimeters from one commune to a real EPCI and a whole département.
    sizes = Counter()
    for structure in structures:
        perimeter = {commune.code for commune in structure.perimeter.all()}
        assert structure.commune_id in perimeter
        departement = set(Commune.objects.filter(departement=structure.departement_id).values_list("code", flat=True))
        epci = set(Commune.objects.filter(epci=structure.commune.epci_id).values_list("code", flat=True))
        if perimeter == departement:
            sizes["departement"] += 1
        elif perimeter == epci:
            sizes["epci"] += 1
        elif len(perimeter) == 1:
            sizes["commune"] += 1
        else:
            sizes["several"] += 1
            assert perimeter <= epci
    assert sizes["departement"] >= len(DEPARTEMENTS)
    assert sizes["epci"] and sizes["commune"] and sizes["several"]


def test_seed_national_is_reproducible_and_runs_once_unless_reset(seeded):
    someone = UserFactory(email="vraie.personne@example.org")
    first = snapshot()
    with pytest.raises(CommandError, match=r"déjà des données nationales.*--reset"):
        run("seed_national", "--scale", SCALE, "--departements", *DEPARTEMENTS)
    assert snapshot() == first

    output = run("seed_national", "--scale", SCALE, "--departements", *DEPARTEMENTS, "--reset")
    assert "Données nationales précédentes supprimées" in output
    assert snapshot() == first  # same seed, same network
    assert User.objects.filter(pk=someone.pk).exists()

    run("seed_national", "--scale", SCALE, "--departements", *DEPARTEMENTS, "--reset", "--seed", "7")
    other = snapshot()
    assert len(other["users"]) == len(first["users"])  # volumes follow the population, not the seed
    assert other["users"] != first["users"]


def test_a_departement_is_the_same_alone_or_with_others(seeded):
    loire = [row for row in snapshot()["structures"] if Commune.objects.get(pk=row[1]).departement_id == "42"]
    run("seed_national", "--scale", SCALE, "--departements", "42", "--reset")
    assert snapshot()["structures"] == loire


def test_lieux_have_positions_and_some_closures(seeded):
    lieux = list(Lieu.objects.filter(structure__email__endswith=DOMAIN).select_related("commune"))
    sources = Counter(lieu.position_source for lieu in lieux)
    assert set(sources) == {PositionSource.ADDRESS, PositionSource.COMMUNE}
    assert 0.6 < sources[PositionSource.ADDRESS] / len(lieux) < 0.9
    for lieu in lieux:
        if lieu.commune.point is None:
            continue
        assert lieu.point is not None
        if lieu.position_source == PositionSource.COMMUNE:
            assert lieu.point == lieu.commune.point
        else:
            assert distance_km(lieu.point, lieu.commune.point) < 3
    closures = list(LieuClosure.objects.filter(lieu__in=lieux))
    assert 0 < len(closures) < 0.15 * len(lieux)
    today = timezone.localdate()
    # Past, current or ahead: within two months back and three months and three weeks ahead.
    assert all(today - timedelta(days=60) <= c.starts_on <= c.ends_on <= today + timedelta(days=111) for c in closures)


def test_orientations_spread_over_the_year_and_the_departements(seeded):
    advisors = Counter(national_advisors().values_list("departement", flat=True))
    orientations = Orientation.objects.select_related("receiver_advisor", "receiver_lieu", "sender__advisor")
    assert Counter(orientations.values_list("departement", flat=True)) == {
        code: 2 * count for code, count in advisors.items()
    }
    now = timezone.now()
    retention = timedelta(days=settings.ORIENTATION_RETENTION_DAYS)
    ages = [now - o.created_at for o in orientations]
    assert max(ages) < timedelta(days=366) and min(ages) >= timedelta(0)
    assert sum(age > timedelta(days=180) for age in ages) > 0.3 * len(ages)
    assert set(orientations.values_list("status", flat=True)) == set(OrientationStatus.values)
    for o in orientations:
        receiver = o.receiver_lieu or o.receiver_advisor
        assert receiver.departement_id == o.departement_id == o.sender.advisor.departement_id
        assert o.receiver_structure_id == receiver.structure_id
        if now - o.created_at > retention:
            assert o.personal_data_erased_at and not (o.person_first_name or o.person_phone or o.message)
        else:
            assert o.personal_data_erased_at is None
        assert (o.status == OrientationStatus.SENT) == (o.status_changed_at is None)
    assert orientations.filter(receiver_lieu__isnull=False).exists()
    assert orientations.exclude(person_first_name="").exists()
