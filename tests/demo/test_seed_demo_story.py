"""The Loire demo tells a story: the coverage of its services (zones blanches in the Monts du Pilat
and the Pays d'Urfé, an empilement of « aide aux démarches » in Saint-Étienne), lieux with public
contacts, positions and exceptional closures, and orientations in every state."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from advisors.enums import AccessMode, PositionSource, Visibility, Weekday
from advisors.models import AdvisorCommune, Lieu, LieuClosure, Membership, Permanence
from orientations.enums import OrientationStatus
from orientations.models import Orientation
from overview.coverage import CoverageClass, coverage
from skills.models import Domain
from territories.geo import distance_km
from territories.models import Commune

ZONE_BLANCHE, COVERED, EMPILEMENT = CoverageClass.ZONE_BLANCHE, CoverageClass.COVERED, CoverageClass.EMPILEMENT

# Monts du Pilat: Pélussin and Chavanay (CC du Pilat Rhodanien), Bourg-Argental and Marlhes (CC des
# Monts du Pilat). Pays d'Urfé: Saint-Just-en-Chevalet, Saint-Romain-d'Urfé, Champoly (CC du Pays
# d'Urfé) and Noirétable (Loire Forez).
PELUSSIN, CHAVANAY, BOURG_ARGENTAL, MARLHES = "42168", "42056", "42023", "42139"
SAINT_JUST, SAINT_ROMAIN, CHAMPOLY, NOIRETABLE = "42248", "42282", "42047", "42159"
SAINT_ETIENNE = "42218"
PAYS_D_URFE, PILAT_RHODANIEN, MONTS_DU_PILAT = "244200820", "244200895", "244200622"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real Loire and the demo, built once for the module (seed_demo takes a few seconds) in a
    transaction rolled back at its end; its resource files go to a temporary folder."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("import_territories", "--departements", "42", stdout=StringIO())
            call_command("seed_demo", "--force", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loire(demo, db):
    return Commune.objects.filter(departement="42").order_by("code")


def classes(loire, service, **filters):
    result = coverage(loire, domain=Domain.objects.get(slug=service), **filters)
    return {row.commune.code: row for row in result.rows}


@pytest.mark.parametrize(
    "service",
    ["parentalite-et-education-avec-le-numerique", "loisirs-et-creations-numeriques"],
)
def test_the_pilat_and_the_pays_d_urfe_are_zones_blanches(loire, service):
    rows = classes(loire, service)
    for code in [PELUSSIN, CHAVANAY, BOURG_ARGENTAL, SAINT_JUST, SAINT_ROMAIN, CHAMPOLY, NOIRETABLE]:
        row = rows[code]
        assert row.category == ZONE_BLANCHE, (row.commune.name, row.structures, row.nearest)
        assert row.structures == [] and row.nearest is None
    # Whole EPCIs, not a lone commune: the Pays d'Urfé entirely, most of the Pilat.
    urfe = [row for row in rows.values() if row.commune.epci_id == PAYS_D_URFE]
    assert sum(row.category == ZONE_BLANCHE for row in urfe) >= 10
    pilat = [row for row in rows.values() if row.commune.epci_id in {PILAT_RHODANIEN, MONTS_DU_PILAT}]
    assert sum(row.category == ZONE_BLANCHE for row in pilat) >= len(pilat) // 2


def test_several_services_are_missing_there(loire):
    services = Domain.objects.filter(kind="service")
    missing = {code: set() for code in [PELUSSIN, BOURG_ARGENTAL, MARLHES, SAINT_JUST, NOIRETABLE]}
    for service in services:
        rows = classes(loire, service.slug)
        for code in missing:
            if rows[code].category == ZONE_BLANCHE:
                missing[code].add(service.slug)
    assert all(len(slugs) >= 3 for slugs in missing.values()), missing
    assert "utilisation-securisee-du-numerique" in missing[BOURG_ARGENTAL] & missing[SAINT_JUST]


def test_some_services_still_reach_them(loire):
    demarches = classes(loire, "aide-aux-demarches-administratives")
    # The bus France Services stops in the Monts du Pilat and covers its whole communauté de communes.
    for code in [BOURG_ARGENTAL, MARLHES]:
        assert demarches[code].category == COVERED
        assert [s.name for s in demarches[code].structures] == [
            "Communauté de communes des Monts du Pilat — bus France Services"
        ]
    # The Pays d'Urfé is reached within 15 km (Saint-Martin-la-Sauveté), with no structure covering it.
    assert demarches[SAINT_ROMAIN].category == COVERED and demarches[SAINT_ROMAIN].structures == []
    assert demarches[SAINT_ROMAIN].nearest < 15
    internet = classes(loire, "acces-internet-et-materiel-informatique")
    assert internet[SAINT_JUST].category == COVERED and internet[SAINT_JUST].lieux == 1
    assert [s.name for s in internet[PELUSSIN].structures] == ["Association Coup de pouce numérique"]


def test_saint_etienne_piles_up_the_aide_aux_demarches(loire):
    row = classes(loire, "aide-aux-demarches-administratives")[SAINT_ETIENNE]
    assert row.category == EMPILEMENT
    assert {s.name for s in row.structures} >= {
        "Médiathèque de Saint-Étienne",
        "Centre social Les Passerelles",
        "PIMMS Médiation de Rive-de-Gier",
    }
    # While it is only « couverte » for parenting: the pile-up is of démarches.
    assert classes(loire, "parentalite-et-education-avec-le-numerique")[SAINT_ETIENNE].category == COVERED


def test_the_coverage_counts_only_the_profiles_the_viewer_may_see(loire):
    """A visitor is told of the public profiles serving Saint-Étienne, not of the others (in a small commune
    a larger figure would tell of a hidden profile); a coordinator of the Loire counts them all."""
    serving = AdvisorCommune.objects.filter(commune_id=SAINT_ETIENNE)
    public = serving.filter(advisor__visibility=Visibility.PUBLIC).count()
    assert 0 < public < serving.count()
    visitor = coverage(loire, viewer=None).rows
    assert next(row for row in visitor if row.commune.code == SAINT_ETIENNE).advisors == public
    coordinator = Membership.objects.coordinators().filter(departement="42").first().user
    everyone = coverage(loire, viewer=coordinator).rows
    assert next(row for row in everyone if row.commune.code == SAINT_ETIENNE).advisors == serving.count()


def test_a_portuguese_speaker_is_helped_with_demarches_on_saturday(loire):
    """What the browser journey orients: help in Portuguese, on a Saturday, for démarches."""
    permanences = Permanence.objects.filter(
        weekday=Weekday.SATURDAY,
        advisor__languages="pt",
        lieu__structure__services__slug="aide-aux-demarches-administratives",
        lieu__opening_slots__weekday=Weekday.SATURDAY,
    ).select_related("lieu", "advisor__user")
    assert {(p.lieu.name, p.advisor.user.email) for p in permanences} == {
        ("France Services de Firminy", "yasmina.cellier@demo.maillage.fr")
    }


def test_lieux_have_public_contacts_typed_positions_and_closures(loire):
    lieux = list(Lieu.objects.select_related("commune").prefetch_related("closures"))
    phone = re.compile(r"^04 65 71 \d\d \d\d$")
    assert all(phone.match(lieu.public_phone) for lieu in lieux)
    assert len({lieu.public_phone for lieu in lieux}) == len(lieux)
    assert sum(bool(lieu.public_email) for lieu in lieux) >= 20
    booking = [lieu for lieu in lieux if lieu.booking_url]
    assert booking and all(AccessMode.ONLINE_BOOKING in lieu.access_modes for lieu in booking)
    for lieu in lieux:
        lieu.full_clean()
        assert lieu.point is not None

    typed = [lieu for lieu in lieux if lieu.position_source == PositionSource.TYPED]
    assert len(typed) >= 3
    # Real addresses: a few km from the commune's point at most, never at it.
    assert all(0.1 < distance_km(lieu.point, lieu.commune.point) < 5 for lieu in typed)
    assert all(lieu.point == lieu.commune.point for lieu in lieux if lieu.position_source == PositionSource.COMMUNE)

    today = timezone.localdate()
    closures = LieuClosure.objects.select_related("lieu")
    assert closures.count() >= 3
    assert closures.filter(starts_on__lte=today, ends_on__gte=today).exists()  # one today
    year_end = closures.get(lieu__name="Espace multimédia de la médiathèque")
    assert (year_end.starts_on.month, year_end.starts_on.day, year_end.ends_on.month, year_end.ends_on.day) == (
        12,
        22,
        1,
        2,
    )
    assert year_end.ends_on >= today and year_end.ends_on.year == year_end.starts_on.year + 1


def test_orientations_in_every_state(loire):
    orientations = list(Orientation.objects.select_related("receiver_advisor__user", "sender", "receiver_lieu"))
    assert 10 <= len(orientations) <= 15
    assert {o.status for o in orientations} == set(OrientationStatus.values)
    assert all(o.departement_id == "42" and o.receiver_structure_id and o.sender_structure_id for o in orientations)
    for o in orientations:
        if o.status == OrientationStatus.SENT:
            assert o.status_changed_at is None
        else:
            assert o.created_at < o.status_changed_at < timezone.now() and o.status_changed_by is not None

    now = timezone.now()
    erased = [o for o in orientations if o.personal_data_erased_at]
    assert len(erased) == 1
    [old] = erased
    assert old.created_at < now - timedelta(days=settings.ORIENTATION_RETENTION_DAYS)
    assert (old.person_first_name, old.person_phone, old.person_email, old.message) == ("", "", "", "")
    # The others are of the last three months, some carrying the consented, fictitious personal data.
    recent = [o for o in orientations if o not in erased]
    assert all(now - timedelta(days=92) < o.created_at < now for o in recent)
    with_data = [o for o in recent if o.person_first_name]
    assert len(with_data) >= 5 and all(o.consent for o in with_data)
    assert all(re.match(r"^06 00 00 00 \d\d$", o.person_phone) for o in with_data if o.person_phone)
    assert all(o.person_email.endswith("@example.org") for o in with_data if o.person_email)
    assert any(not o.consent and not o.person_first_name for o in recent)

    # The demo member's inbox has some, and one person speaks Portuguese and is free on Saturday.
    member = "membre@demo.maillage.fr"
    inbox = [o for o in orientations if o.receiver_advisor and o.receiver_advisor.user.email == member]
    assert len(inbox) >= 3 and {o.status for o in inbox} >= {OrientationStatus.SENT, OrientationStatus.TAKEN}
    portuguese = [o for o in orientations if o.language_id == "pt"]
    assert len(portuguese) == 1 and portuguese[0].free_days == [Weekday.SATURDAY]
    assert portuguese[0].sender.email == member
    # Both kinds of receivers: an advisor, a lieu.
    assert any(o.receiver_lieu_id for o in orientations) and any(o.receiver_advisor_id for o in orientations)
