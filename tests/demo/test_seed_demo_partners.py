"""seed_demo's partners of the Loire network: the SPIE, the CAF, France Travail, the regional hub, the
CCAS network, the médiathèques, a mission locale, known by demo members, and two suggestions waiting —
and a second run creates nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from animation.enums import PartnerKind, PartnerScope, PartnerStatus
from animation.models import Partner, PartnerAcquaintance
from demo.partners import PARTNERS


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    run("import_territories", "--departements", "42")
    return run("seed_demo")


def test_the_loire_partners_exist_with_contacts_and_members_who_know_them(seeded):
    partners = Partner.objects.filter(departement="42")
    assert partners.count() == len(PARTNERS) == 9
    published = partners.filter(status=PartnerStatus.PUBLISHED)
    assert {
        PartnerKind.SPIE,
        PartnerKind.CAF,
        PartnerKind.FRANCE_TRAVAIL,
        PartnerKind.HUB,
        PartnerKind.CCAS,
        PartnerKind.LIBRARIES,
        PartnerKind.MISSION_LOCALE,
    } <= set(published.values_list("kind", flat=True))
    for partner in partners:
        assert partner.contact_email.endswith("@example.org")
        assert partner.contact_phone.startswith("04 65 71 ")
        assert partner.search_text
    france_travail = partners.get(name="France Travail Saint-Étienne")
    assert (france_travail.scope, france_travail.commune_id) == (PartnerScope.COMMUNE, "42218")
    mission_locale = partners.get(kind=PartnerKind.MISSION_LOCALE)
    assert (mission_locale.scope, mission_locale.epci_id) == (PartnerScope.EPCI, "200035731")
    assert partners.get(kind=PartnerKind.HUB).scope == PartnerScope.REGION
    waiting = partners.filter(status=PartnerStatus.SUGGESTED)
    assert waiting.count() == 2 and all(partner.suggested_by_id for partner in waiting)
    assert not PartnerAcquaintance.objects.filter(partner__in=waiting).exists()
    assert PartnerAcquaintance.objects.filter(advisor__user__email="membre@demo.maillage.fr").count() == 3
    assert PartnerAcquaintance.objects.count() == 16
    assert "Partenaires : 9 partenaires créés (dont des propositions en attente), 16 mentions" in seeded


def test_a_second_seed_adds_no_partner(seeded):
    partners, acquaintances = Partner.objects.count(), PartnerAcquaintance.objects.count()
    assert "déjà en place, rien à créer" in run("seed_demo")
    assert (Partner.objects.count(), PartnerAcquaintance.objects.count()) == (partners, acquaintances)


def test_a_partial_demo_is_completed(seeded):
    Partner.objects.get(kind=PartnerKind.CAF).delete()
    output = run("seed_demo")
    assert "Partenaires : 1 partenaire créé" in output
    assert PartnerAcquaintance.objects.filter(partner__kind=PartnerKind.CAF).count() == 4
