"""Writes of structures, perimeters, lieux and opening hours (advisors.services_places)."""

import threading
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisors.enums import AccessMode, Dispositif, StructureKind
from advisors.models import Advisor, Lieu, OpeningSlot, PerimeterRequest, Structure
from advisors.services import places as services
from skills.enums import DomainKind
from skills.models import Domain, Public
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    MembershipFactory,
    OpeningSlotFactory,
    StructureFactory,
)
from tests.territories.factories import CommuneFactory, EPCIFactory

VALID_SIRET = "44306184100047"
OTHER_VALID_SIRET = "21420218600018"


def create(commune, **overrides):
    fields = {"name": "Médiathèque Tarentaize", "kind": StructureKind.MEDIATHEQUE, "commune": commune}
    return services.structure_create(**{**fields, **overrides})


# Structures


def test_structure_create_with_services_publics_and_dispositifs(saint_etienne):
    services_offered = list(Domain.objects.filter(kind=DomainKind.SERVICE)[:2])
    publics = list(Public.objects.all()[:3])
    structure = create(
        saint_etienne,
        siret="443 061 841 00047",
        services=services_offered,
        publics=publics,
        dispositifs=[Dispositif.PIX, Dispositif.CONSEILLERS_NUMERIQUES],
    )
    structure.refresh_from_db()
    assert structure.siret == VALID_SIRET
    assert structure.departement_id == "42"
    assert set(structure.services.all()) == set(services_offered)
    assert set(structure.publics.all()) == set(publics)
    # Stored in the order of the national list, whatever order they came in.
    assert structure.dispositifs == [Dispositif.CONSEILLERS_NUMERIQUES, Dispositif.PIX]


@pytest.mark.parametrize("siret", ["1234", "44306184100048", "4430618410004A"])
def test_structure_create_refuses_an_invalid_siret(saint_etienne, siret):
    with pytest.raises(ValidationError) as error:
        create(saint_etienne, siret=siret)
    assert "siret" in error.value.message_dict
    assert not Structure.objects.exists()


def test_a_siret_belongs_to_one_structure(saint_etienne):
    first = create(saint_etienne, siret=VALID_SIRET)
    with pytest.raises(ValidationError) as error:
        create(saint_etienne, name="Autre", siret=VALID_SIRET)
    assert error.value.message_dict["siret"] == ["Ce SIRET est déjà celui de la structure « Médiathèque Tarentaize »."]
    # Keeping one's own SIRET is no conflict.
    services.structure_update(structure=first, siret=VALID_SIRET, name="Médiathèque de Tarentaize")
    assert Structure.objects.get().name == "Médiathèque de Tarentaize"


def test_structures_without_siret_are_many(saint_etienne):
    create(saint_etienne)
    create(saint_etienne, name="Autre")
    assert Structure.objects.filter(siret="").count() == 2


def test_unknown_dispositif_is_refused(saint_etienne):
    with pytest.raises(ValidationError):
        create(saint_etienne, dispositifs=["minitel"])


def test_unknown_field_is_a_programming_error(saint_etienne):
    with pytest.raises(TypeError):
        create(saint_etienne, colour="bleu")


def test_the_creator_joins_the_structure_only_if_they_have_none(loire, saint_etienne):
    newcomer = AdvisorFactory(departement=loire)
    settled = AdvisorFactory(departement=loire, structure=StructureFactory(commune=saint_etienne))
    created = create(saint_etienne, member=newcomer.user)
    create(saint_etienne, name="Autre", member=settled.user)
    newcomer.refresh_from_db()
    settled.refresh_from_db()
    assert newcomer.structure == created
    assert settled.structure.name != "Autre"


def test_a_member_without_a_profile_yet_gets_one(member, saint_etienne):
    created = create(saint_etienne, member=member)
    assert Advisor.objects.get(user=member).structure == created


def test_structure_update_moves_the_departement_with_the_commune(saint_etienne, savoie):
    structure = create(saint_etienne)
    chambery = CommuneFactory(departement=savoie, code="73065", name="Chambéry")
    publics = list(Public.objects.all()[:1])
    services.structure_update(structure=structure, commune=chambery, publics=publics, services=[])
    structure.refresh_from_db()
    assert structure.departement_id == "73"
    assert list(structure.publics.all()) == publics


def test_structure_update_with_a_bad_phone_changes_nothing(saint_etienne):
    structure = create(saint_etienne, phone="04 77 00 00 00")
    with pytest.raises(ValidationError):
        services.structure_update(structure=structure, name="Nouveau nom", phone="appelez-nous")
    structure.refresh_from_db()
    assert (structure.name, structure.phone) == ("Médiathèque Tarentaize", "04 77 00 00 00")


# Perimeter


@pytest.fixture
def two_departement_epci(loire, savoie, saint_etienne_metropole):
    """An EPCI with 3 communes in the Loire and 2 in Savoie (as 89 real EPCI span départements)."""
    here = [CommuneFactory(departement=loire, epci=saint_etienne_metropole) for _ in range(3)]
    there = [CommuneFactory(departement=savoie, epci=saint_etienne_metropole) for _ in range(2)]
    return here, there


def perimeter_codes(structure):
    return set(structure.perimeter.values_list("code", flat=True))


def requested_codes(structure):
    return set(PerimeterRequest.objects.filter(structure=structure).values_list("commune", flat=True))


def test_adding_an_epci_adds_its_communes_here_and_asks_for_the_others(
    saint_etienne, saint_etienne_metropole, two_departement_epci
):
    structure = create(saint_etienne)
    here, there = two_departement_epci
    change = services.structure_perimeter_add(structure=structure, epci=saint_etienne_metropole)
    # Saint-Étienne and the 3 others in the Loire; the 2 in Savoie wait for the Savoie coordination.
    assert change == services.PerimeterChange(added=4, requested=2)
    assert perimeter_codes(structure) == {c.code for c in [saint_etienne, *here]}
    assert requested_codes(structure) == {c.code for c in there}


def test_a_coordinator_of_the_other_departement_adds_its_communes_at_once(
    savoie, saint_etienne, saint_etienne_metropole, two_departement_epci
):
    structure = create(saint_etienne)
    coordinator = MembershipFactory(departement=savoie, coordinator=True).user
    change = services.structure_perimeter_add(structure=structure, epci=saint_etienne_metropole, by=coordinator)
    assert change == services.PerimeterChange(added=6, requested=0)
    assert requested_codes(structure) == set()


def test_adding_twice_adds_nothing(saint_etienne, saint_etienne_metropole, two_departement_epci):
    structure = create(saint_etienne)
    services.structure_perimeter_add(structure=structure, communes=[saint_etienne])
    assert services.structure_perimeter_add(structure=structure, epci=saint_etienne_metropole).added == 3
    again = services.structure_perimeter_add(structure=structure, epci=saint_etienne_metropole)
    assert again == services.PerimeterChange(added=0, requested=0)
    assert services.structure_perimeter_add(structure=structure, communes=[saint_etienne]).added == 0
    assert structure.perimeter.count() == 4
    assert PerimeterRequest.objects.filter(structure=structure).count() == 2


def test_adding_a_departement(loire, savoie, saint_etienne, two_departement_epci):
    structure = create(saint_etienne)
    assert services.structure_perimeter_add(structure=structure, departement=savoie).requested == 2
    assert services.structure_perimeter_add(structure=structure, departement=loire).added == 4
    assert structure.perimeter.count() == 4


def test_deciding_the_requests_of_one_departement(
    savoie, saint_etienne, saint_etienne_metropole, two_departement_epci
):
    here, there = two_departement_epci
    structure, refused = create(saint_etienne), create(saint_etienne, name="Refusée")
    for one in (structure, refused):
        services.structure_perimeter_add(structure=one, epci=saint_etienne_metropole)
    assert services.perimeter_requests_decide(structure=structure, departement=savoie, accept=True) == 2
    assert services.perimeter_requests_decide(structure=refused, departement=savoie, accept=False) == 2
    assert perimeter_codes(structure) == {c.code for c in [saint_etienne, *here, *there]}
    assert perimeter_codes(refused) == {c.code for c in [saint_etienne, *here]}
    assert PerimeterRequest.objects.count() == 0


def test_removing_an_epci_or_some_communes(saint_etienne, saint_etienne_metropole, two_departement_epci):
    structure = create(saint_etienne)
    here, there = two_departement_epci
    other = CommuneFactory(departement=saint_etienne.departement)
    services.structure_perimeter_add(structure=structure, epci=saint_etienne_metropole)
    services.structure_perimeter_add(structure=structure, communes=[other])
    assert services.structure_perimeter_remove(structure=structure, communes=[here[0], here[1]]) == 2
    assert services.structure_perimeter_remove(structure=structure, epci=saint_etienne_metropole) == 2
    assert perimeter_codes(structure) == {other.code}
    assert requested_codes(structure) == set()  # The requests for the Savoie communes are withdrawn too.
    # Another structure's perimeter is untouched.
    neighbour = create(saint_etienne, name="Voisine")
    services.structure_perimeter_add(structure=neighbour, epci=saint_etienne_metropole)
    services.structure_perimeter_remove(structure=structure, epci=saint_etienne_metropole)
    assert neighbour.perimeter.count() == 4
    assert requested_codes(neighbour) == {c.code for c in there}


def test_perimeter_writes_cost_the_same_queries_for_5_or_300_communes(loire, saint_etienne):
    structure = create(saint_etienne)
    small, large = EPCIFactory(), EPCIFactory()
    for n in range(5):
        CommuneFactory(departement=loire, epci=small, code=f"42{900 + n}")
    for n in range(300):
        CommuneFactory(departement=loire, epci=large, code=f"42{500 + n}")
    counts = []
    for chosen in (small, large):
        with CaptureQueriesContext(connection) as add:
            services.structure_perimeter_add(structure=structure, epci=chosen)
        with CaptureQueriesContext(connection) as remove:
            services.structure_perimeter_remove(structure=structure, epci=chosen)
        counts.append((len(add), len(remove)))
    assert counts[0] == counts[1]
    assert structure.perimeter.count() == 0


# Lieux and opening hours


def test_lieu_create_with_hours(saint_etienne):
    structure = create(saint_etienne)
    lieu = services.lieu_create(
        structure=structure,
        name="Salle informatique",
        commune=saint_etienne,
        access_modes=[AccessMode.PHONE, AccessMode.WALK_IN],
        slots=[(0, time(9), time(12)), (0, time(14), time(17))],
    )
    lieu.refresh_from_db()
    assert lieu.departement_id == "42"
    assert lieu.access_modes == [AccessMode.WALK_IN, AccessMode.PHONE]
    assert [str(s) for s in lieu.opening_slots.all()] == ["lundi 09:00–12:00", "lundi 14:00–17:00"]


def test_lieu_hours_set_replaces_every_slot(db):
    lieu = LieuFactory()
    OpeningSlotFactory.create_batch(3, lieu=lieu)
    services.lieu_hours_set(lieu=lieu, slots=[(4, time(14), time(18))])
    assert list(lieu.opening_slots.values_list("weekday", "opens", "closes")) == [(4, time(14), time(18))]


@pytest.mark.parametrize(
    ("slots", "message"),
    [
        ([(0, time(12), time(9))], "Le lundi, l’heure de fermeture (9 h) doit suivre l’heure d’ouverture (12 h)."),
        ([(2, time(9), time(9))], "Le mercredi, l’heure de fermeture (9 h) doit suivre l’heure d’ouverture (9 h)."),
        (
            [(1, time(9), time(12)), (1, time(11, 30), time(14))],
            "Le mardi, les créneaux 9 h – 12 h et 11 h 30 – 14 h se chevauchent.",
        ),
        ([(7, time(9), time(12))], "Jour inconnu : choisissez un jour de lundi à dimanche."),
    ],
)
def test_bad_hours_change_nothing(db, slots, message):
    lieu = LieuFactory()
    OpeningSlotFactory(lieu=lieu, weekday=3, opens="10:00", closes="11:00")
    with pytest.raises(ValidationError) as error:
        services.lieu_hours_set(lieu=lieu, slots=slots)
    assert error.value.messages == [message]
    assert list(lieu.opening_slots.values_list("weekday", flat=True)) == [3]


def test_touching_slots_are_allowed(db):
    lieu = LieuFactory()
    services.lieu_hours_set(lieu=lieu, slots=[(0, time(9), time(12)), (0, time(12), time(14))])
    assert lieu.opening_slots.count() == 2


def test_lieu_update_is_all_or_nothing(db):
    lieu = LieuFactory(name="Avant")
    OpeningSlotFactory(lieu=lieu)
    with pytest.raises(ValidationError):
        services.lieu_update(lieu=lieu, name="Après", slots=[(0, time(12), time(9))])
    lieu.refresh_from_db()
    assert lieu.name == "Avant"
    assert OpeningSlot.objects.filter(lieu=lieu).count() == 1
    services.lieu_update(lieu=lieu, name="Après")  # without slots: the hours stay
    assert Lieu.objects.get(pk=lieu.pk).name == "Après"
    assert OpeningSlot.objects.filter(lieu=lieu).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_hours_at_once_leave_one_week_not_a_mix(monkeypatch):
    """Each save replaces the week: the lieu ends with one of the two, never both merged."""
    lieu = LieuFactory()
    original = OpeningSlot.objects.bulk_create

    def slow_bulk_create(*args, **kwargs):
        # Between deleting the old slots and writing the new ones: where an unlocked save interleaves.
        threading.Event().wait(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(OpeningSlot.objects, "bulk_create", slow_bulk_create)
    weeks = {
        "morning": [(0, time(9), time(12))],
        "afternoons": [(1, time(14), time(17)), (3, time(14), time(17))],
    }
    barrier = threading.Barrier(len(weeks))
    errors = []

    def save(slots):
        try:
            barrier.wait(timeout=10)
            services.lieu_hours_set(lieu=lieu, slots=slots)
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(slots,)) for slots in weeks.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    saved = list(OpeningSlot.objects.filter(lieu=lieu).values_list("weekday", "opens", "closes"))
    assert saved in weeks.values()


def test_renaming_a_structure_lets_the_directory_find_its_advisors_by_the_new_name(saint_etienne):
    structure = StructureFactory(name="Médiathèque du Centre", commune=saint_etienne)
    advisor = AdvisorFactory(structure=structure, departement=saint_etienne.departement)
    services.structure_update(structure=structure, name="Médiathèque de Tarentaize")
    advisor.refresh_from_db()
    assert "tarentaize" in advisor.search_text
