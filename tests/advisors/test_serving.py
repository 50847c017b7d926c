"""The serving tables (``AdvisorCommune``, ``LieuCommune``) agree with what "serves a territory" means.

The reference is the predicate that read the sources directly before the tables existed (kept
here, below): for many generated situations, changed through the services one step at a time, every
commune, EPCI and département is matched by the same advisors and lieux both ways, with the same
proximity on the near-me page; and ``rebuild_serving`` recomputes the same rows from data written
around the services.
"""

import random
from datetime import time

import pytest
from django.core.management import call_command
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from advisors.enums import LieuApproval, MembershipStatus, StructureKind
from advisors.models import Advisor, AdvisorCommune, Lieu, LieuCommune, Membership, Permanence, Structure
from advisors.queries import territory as territory_queries
from advisors.services import account, network, places, profiles
from advisors.services.serving import serving_rebuild
from territories.models import EPCI, Commune, Departement
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    MembershipFactory,
    PermanenceFactory,
    StructureFactory,
    UserFactory,
)
from tests.territories.factories import CommuneFactory, EPCIFactory

# The reference: "serves" computed from the sources on every read.


def _in_territory(path, territory):
    if isinstance(territory, Commune):
        return Q(**{path: territory.pk})
    if isinstance(territory, EPCI):
        return Q(**{f"{path}__epci": territory.pk})
    return Q(**{f"{path}__departement": territory.pk})


def _perimeter_covers(territory, structure_ref):
    return Exists(
        Structure.perimeter.through.objects.filter(_in_territory("commune", territory), structure=structure_ref)
    )


def advisors_serving_reference(territory):
    condition = (
        _in_territory("commune", territory)
        | _in_territory("structure__commune", territory)
        | Q(
            Exists(
                Permanence.objects.filter(
                    _in_territory("lieu__commune", territory),
                    lieu__approval=LieuApproval.ACCEPTED,
                    advisor=OuterRef("pk"),
                )
            )
        )
        | Q(
            Exists(
                Advisor.intervention_communes.through.objects.filter(
                    _in_territory("commune", territory), advisor=OuterRef("pk")
                )
            )
        )
        | Q(_perimeter_covers(territory, OuterRef("structure")))
    )
    if isinstance(territory, Departement):
        condition |= Q(departement=territory.pk)
    return condition


def lieux_serving_reference(territory):
    return Q(approval=LieuApproval.ACCEPTED) & (
        _in_territory("commune", territory) | Q(_perimeter_covers(territory, OuterRef("structure")))
    )


def proximity_reference(commune, serving):
    whens = [When(serving(commune), then=Value(0))]
    if commune.epci_id:
        whens.append(When(serving(commune.epci), then=Value(1)))
    return Case(*whens, default=Value(2), output_field=IntegerField())


def assert_tables_agree():
    communes = list(Commune.objects.select_related("epci", "departement"))
    territories = [*communes, *EPCI.objects.all(), *Departement.objects.all()]
    for territory in territories:
        for model, serving, reference in (
            (Advisor, territory_queries.advisors_serving, advisors_serving_reference),
            (Lieu, territory_queries.lieux_serving, lieux_serving_reference),
        ):
            expected = set(model.objects.filter(reference(territory)).values_list("pk", flat=True))
            assert set(model.objects.filter(serving(territory)).values_list("pk", flat=True)) == expected, territory
    for commune in communes:
        for model, near, reference in (
            (Advisor, territory_queries.advisors_near, advisors_serving_reference),
            (Lieu, territory_queries.lieux_near, lieux_serving_reference),
        ):
            expected = dict(
                model.objects.filter(reference(commune.departement))
                .annotate(proximity=proximity_reference(commune, reference))
                .values_list("pk", "proximity")
            )
            assert dict(near(commune, model.objects.all()).values_list("pk", "proximity")) == expected, commune


# Generated situations: two départements, an EPCI across both, communes without EPCI.


class World:
    def __init__(self, rng, loire, savoie):
        self.rng = rng
        across, forez, alpes = EPCIFactory(), EPCIFactory(), EPCIFactory()
        self.communes = [
            *(CommuneFactory(departement=loire, epci=forez, code=f"42{n:03d}") for n in range(1, 4)),
            CommuneFactory(departement=loire, epci=across, code="42010"),
            CommuneFactory(departement=loire, epci=None, code="42020"),
            CommuneFactory(departement=savoie, epci=across, code="73010"),
            *(CommuneFactory(departement=savoie, epci=alpes, code=f"73{n:03d}") for n in range(1, 3)),
            CommuneFactory(departement=savoie, epci=None, code="73020"),
        ]
        self.epcis = [across, forez, alpes]
        self.departements = [loire, savoie]
        self.coordinators = {
            dep.code: MembershipFactory(departement=dep, coordinator=True).user for dep in self.departements
        }
        self.structures = []
        for _ in range(4):
            self.structure_create()
        for _ in range(6):
            self.advisor_create()

    def commune(self):
        return self.rng.choice(self.communes)

    def maybe(self, probability=0.5):
        return self.rng.random() < probability

    def by(self):
        """Sometimes a coordinator of a département, whose additions there count at once."""
        return self.coordinators[self.rng.choice(self.departements).code] if self.maybe() else None

    def structure_create(self):
        structure = places.structure_create(
            commune=self.commune(), name=f"Structure {len(self.structures)}", kind=StructureKind.ASSOCIATION
        )
        self.structures.append(structure)
        places.structure_perimeter_add(structure=structure, communes=self.rng.sample(self.communes, 2), by=self.by())
        for _ in range(self.rng.randint(0, 2)):
            self.lieu_create(structure)
        return structure

    def lieu_create(self, structure=None):
        structure = structure or self.rng.choice(self.structures)
        return places.lieu_create(structure=structure, commune=self.commune(), name="Lieu", by=self.by())

    def advisor_create(self):
        user = UserFactory()
        departement = self.rng.choice(self.departements)
        Membership.objects.create(
            user=user, departement=departement, status=MembershipStatus.ACTIVE, commune=self.commune()
        )
        advisor = network.advisor_ensure(user=user, departement=departement)
        self.places(advisor)
        return advisor

    def places(self, advisor):
        lieux = list(Lieu.objects.all())
        rows = [
            {"lieu": lieu, "weekday": 1, "opens": time(9), "closes": time(12)}
            for lieu in self.rng.sample(lieux, min(len(lieux), self.rng.randint(0, 2)))
        ]
        current = list(advisor.intervention_communes.all())
        profiles.profile_update_section(
            advisor=advisor,
            section="places",
            data={
                "permanences": rows,
                "remove_communes": current[:1] if self.maybe() else [],
                "add_commune": self.commune() if self.maybe() else None,
            },
        )

    def identity(self, advisor):
        advisor.refresh_from_db()
        profiles.profile_update_section(
            advisor=advisor,
            section="identity",
            data={
                "first_name": advisor.user.first_name,
                "last_name": advisor.user.last_name,
                "role": advisor.role,
                "structure": self.rng.choice([None, *self.structures]),
                "commune": self.rng.choice([None, *self.communes]),
                "arrival_date": advisor.arrival_date,
                "cohort": None,
            },
        )

    def step(self):
        """One change through a service, chosen at random."""
        rng = self.rng
        structure = rng.choice(self.structures)
        advisors = list(Advisor.objects.all())
        lieux = list(Lieu.objects.all())
        action = rng.randrange(12)
        if action == 0:
            self.structure_create()
        elif action == 1:
            places.structure_perimeter_add(structure=structure, epci=rng.choice(self.epcis), by=self.by())
        elif action == 2:
            places.structure_perimeter_remove(structure=structure, communes=rng.sample(self.communes, 3))
        elif action == 3:
            places.perimeter_requests_decide(
                structure=structure, departement=rng.choice(self.departements), accept=self.maybe(0.7)
            )
        elif action == 4:
            places.structure_update(structure=structure, commune=self.commune())
        elif action == 5 and lieux:
            lieu = rng.choice(lieux)
            if lieu.approval == LieuApproval.PENDING:
                places.lieu_decide(lieu=lieu, accept=self.maybe(0.7))
            else:
                places.lieu_update(lieu=lieu, commune=self.commune(), by=self.by())
        elif action == 6:
            self.lieu_create()
        elif action == 7 and advisors:
            self.places(rng.choice(advisors))
        elif action == 8 and advisors:
            self.identity(rng.choice(advisors))
        elif action == 9 and advisors:
            attachment = places.structure_attachment_request(advisor=rng.choice(advisors), structure=structure)
            if attachment is not None:
                places.structure_attachment_decide(attachment=attachment, accept=self.maybe(0.7))
        elif action == 10 and advisors:
            advisor = rng.choice(advisors)
            membership = Membership.objects.filter(user=advisor.user_id).order_by("?").first()
            if membership is not None and self.maybe():
                # Joining another network first: leaving then moves the profile instead of deleting it.
                other = next(dep for dep in self.departements if dep.code != membership.departement_id)
                Membership.objects.get_or_create(
                    user=advisor.user, departement=other, defaults={"status": MembershipStatus.ACTIVE}
                )
            if membership is not None:
                account.membership_leave(membership=membership)
        elif action == 11 and advisors:
            account.account_delete(user=rng.choice(advisors).user)
        else:
            self.advisor_create()


@pytest.mark.parametrize("seed", range(4))
def test_the_services_keep_the_serving_tables_right_at_every_step(loire, savoie, seed):
    world = World(random.Random(seed), loire, savoie)
    assert_tables_agree()
    filled = set()
    for _ in range(10):
        world.step()
        assert_tables_agree()
        filled |= {model for model in (AdvisorCommune, LieuCommune) if model.objects.exists()}
    assert filled == {AdvisorCommune, LieuCommune}  # Not a comparison of empty tables.


def test_a_rebuild_changes_nothing_the_services_wrote(loire, savoie):
    world = World(random.Random(42), loire, savoie)
    for _ in range(10):
        world.step()
    before = set(AdvisorCommune.objects.values_list("advisor", "commune", "departement", "epci"))
    lieux_before = set(LieuCommune.objects.values_list("lieu", "commune", "departement", "epci"))
    serving_rebuild()
    assert set(AdvisorCommune.objects.values_list("advisor", "commune", "departement", "epci")) == before
    assert set(LieuCommune.objects.values_list("lieu", "commune", "departement", "epci")) == lieux_before


def test_the_command_rebuilds_what_was_written_around_the_services(loire, savoie, capsys):
    """Imports and generators write with the ORM: the command puts the tables right, and saying it twice
    changes nothing."""
    rng = random.Random(7)
    epci = EPCIFactory()
    communes = [
        CommuneFactory(departement=rng.choice([loire, savoie]), epci=rng.choice([epci, None])) for _ in range(8)
    ]
    for _ in range(5):
        structure = StructureFactory(commune=rng.choice(communes))
        lieu = LieuFactory(structure=structure, commune=rng.choice(communes))
        advisor = AdvisorFactory(departement=rng.choice([loire, savoie]), structure=structure)
        PermanenceFactory(advisor=advisor, lieu=lieu)
    # Written after the factories' own refresh, as a bulk import would.
    for structure in Structure.objects.all():
        structure.perimeter.add(*rng.sample(communes, 3))
    for advisor in Advisor.objects.all():
        advisor.intervention_communes.add(*rng.sample(communes, 2))
    Advisor.objects.filter(pk__in=[advisor.pk for advisor in rng.sample(list(Advisor.objects.all()), 2)]).update(
        commune=communes[0]
    )
    Lieu.objects.filter(pk=Lieu.objects.order_by("pk").first().pk).update(approval=LieuApproval.PENDING)
    AdvisorCommune.objects.filter(commune__isnull=True).delete()

    call_command("rebuild_serving")
    first = capsys.readouterr().out
    assert_tables_agree()
    call_command("rebuild_serving")
    assert capsys.readouterr().out.split(" : ")[1] == first.split(" : ")[1]
    advisor_rows, lieu_rows = AdvisorCommune.objects.count(), LieuCommune.objects.count()
    assert advisor_rows > 5 and lieu_rows > 4
    assert f"{advisor_rows} lignes pour les conseillers, {lieu_rows} pour les lieux" in first
