"""manage.py seed_demo: the Loire demo network, its directory and its skills."""

import itertools
import re
import time
from collections import Counter
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from advisors.enums import (
    AccessMode,
    AdvisorRole,
    Dispositif,
    Fees,
    MembershipRole,
    MembershipStatus,
    StructureKind,
    SupportMode,
    Visibility,
)
from advisors.models import Advisor, Cohort, Lieu, LieuClosure, Membership, OpeningSlot, Permanence, Structure, User
from advisors.services.network import advisor_search_text
from advisors.validators import luhn_ok
from demo import network
from orientations.models import Orientation
from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, ProjectCard, ProjectInterest, Skill
from territories.models import EPCI, Commune
from territories.text import normalize
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def loire_territories(db):
    """The real communes and EPCI of the Loire, from the vendored extract."""
    run("import_territories", "--departements", "42")
    return Commune.objects.filter(departement="42")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def seeded(loire_territories, debug):
    return run("seed_demo")


def demo_memberships():
    return Membership.objects.filter(user__email__endswith="@demo.maillage.fr").select_related("user", "commune")


def demo_structures():
    return Structure.objects.filter(email__endswith="@demo.maillage.fr")


def demo_advisors():
    return (
        Advisor.objects.filter(user__email__endswith="@demo.maillage.fr")
        .select_related("user", "structure", "commune", "cohort")
        .prefetch_related("languages", "intervention_communes", "permanences__lieu__opening_slots")
    )


def test_seed_demo_refuses_to_run_without_debug(loire_territories, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG est désactivé.*--force"):
        run("seed_demo")
    assert not User.objects.exists()
    assert not Structure.objects.exists()


def test_seed_demo_runs_without_debug_when_forced(loire_territories, settings):
    settings.DEBUG = False
    output = run("seed_demo", "--force")
    assert "67 comptes créés" in output
    assert demo_memberships().count() == 67
    assert demo_advisors().count() == 62


@pytest.mark.parametrize("with_departement", [True, False])
def test_seed_demo_needs_the_loire_territories(db, debug, with_departement):
    if with_departement:
        DepartementFactory()
    with pytest.raises(CommandError, match=r"Aucune commune de la Loire \(42\).*manage\.py import_territories"):
        run("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_builds_the_loire_network(seeded):
    assert "Réseau de démonstration Loire (42) : 67 comptes créés, 2 coordinateurs, 60 membres actifs, " in seeded
    assert "5 demandes en attente." in seeded
    memberships = list(demo_memberships())
    by_kind = {
        "coordinators": [m for m in memberships if m.is_coordinator],
        "members": [m for m in memberships if m.is_active and m.role == MembershipRole.MEMBER],
        "pending": [m for m in memberships if m.is_pending],
    }
    assert {kind: len(rows) for kind, rows in by_kind.items()} == {"coordinators": 2, "members": 60, "pending": 5}
    assert len(memberships) == 67
    assert {m.user.email for m in by_kind["coordinators"]} == {
        "coordination1@demo.maillage.fr",
        "coordination2@demo.maillage.fr",
    }
    assert "membre@demo.maillage.fr" in {m.user.email for m in by_kind["members"]}

    # Every request carries a message; the decided ones say who decided.
    assert all(len(m.message) > 40 for m in by_kind["pending"])
    assert all(m.decided_by is None and m.decided_at is None for m in by_kind["pending"])
    assert all(m.decided_by in {c.user for c in by_kind["coordinators"]} for m in by_kind["members"])
    assert all(not m.message for m in by_kind["members"])

    # People with plausible, distinct names and addresses.
    users = [m.user for m in memberships]
    assert len({(user.first_name, user.last_name) for user in users}) == 67
    assert len({user.last_name for user in users}) > 30
    assert len({user.first_name for user in users}) > 30
    pattern = re.compile(r"^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*@demo\.maillage\.fr$")
    assert all(pattern.match(user.email) for user in users if not user.email.startswith(("coordination", "membre@")))
    assert User.objects.get(email="ines.martin@demo.maillage.fr").get_full_name() == "Inès Martin"

    # What a member declared when joining is what their profile says: same structure, same commune.
    advisors = {advisor.user_id: advisor for advisor in demo_advisors()}
    for membership in by_kind["coordinators"] + by_kind["members"]:
        advisor = advisors[membership.user_id]
        assert membership.structure_name == advisor.structure.name
        assert membership.commune == advisor.commune
    # The requests come from communes of the Loire, from kinds of structures of the field.
    kinds = (
        r"^(Médiathèque|France Services|Centre social|Espace public numérique|Association Familles rurales) "
        r"(de |d’|du )"
    )
    assert all(re.match(kinds, m.structure_name) for m in by_kind["pending"]), by_kind["pending"]
    assert all(m.commune is not None and m.commune.departement_id == "42" for m in memberships)
    assert len({m.commune.epci_id for m in by_kind["pending"]}) == 5


def test_seed_demo_accounts_have_verified_addresses_and_the_demo_password(seeded):
    users = User.objects.filter(email__endswith="@demo.maillage.fr")
    assert users.count() == 67
    verified = EmailAddress.objects.filter(user__in=users, verified=True, primary=True)
    assert set(verified.values_list("email", flat=True)) == set(users.values_list("email", flat=True))
    # One hash for everybody: hashing is slow on purpose.
    assert users.values("password").distinct().count() == 1
    assert users.first().check_password(settings.DEMO_PASSWORD)


def test_seed_demo_hashes_the_password_once(loire_territories, debug, monkeypatch):
    calls = []
    real = network.make_password
    monkeypatch.setattr(network, "make_password", lambda password: calls.append(password) or real(password))
    run("seed_demo")
    assert calls == [settings.DEMO_PASSWORD]
    run("seed_demo")
    assert calls == [settings.DEMO_PASSWORD]


def test_seed_demo_is_fast_bulk_work(loire_territories, debug, django_assert_max_num_queries):
    """Bulk inserts: the number of queries does not depend on how many rows the demo holds."""
    started = time.monotonic()
    # 5 of them fill the serving tables (advisors.services.serving.serving_rebuild), 15 write the events,
    # 13 write the resource library (demo.resources: 6 look-ups, 7 bulk inserts; its files cost no query),
    # 2 the exceptional closures and 7 the orientations (demo.orientations: 6 look-ups, 1 bulk insert),
    # 8 the partners (demo.partners: 4 look-ups, 2 bulk inserts, 1 update of their dates, 1 look-up),
    # 7 the channels (demo.channels: 3 look-ups, 4 bulk inserts), and 32 the drift and the letters (demo.drift:
    # the dashboard's quiet-members query, 2 updates, a reminder and the departures; demo.letters: each of the
    # two past letters composed as on its day — the composition's reads — and its deliveries in bulk).
    with django_assert_max_num_queries(135):
        output = run("seed_demo")
    assert time.monotonic() - started < 5
    assert "La démo compte 26 structures, 43 lieux et 62 profils de conseillers ;" in output


def test_seed_demo_twice_creates_nothing(seeded, django_assert_max_num_queries):
    def snapshot():
        return [
            sorted(demo_memberships().values_list("pk", "user__email", "status", "structure_name")),
            sorted(demo_structures().values_list("pk", "name")),
            sorted(Lieu.objects.values_list("pk", "name")),
            sorted(OpeningSlot.objects.values_list("pk", "weekday", "opens", "closes")),
            sorted(demo_advisors().values_list("pk", "user__email", "structure", "bio")),
            sorted(Permanence.objects.values_list("pk", "advisor", "lieu")),
            sorted(Cohort.objects.values_list("pk", "slug")),
            Structure.perimeter.through.objects.count(),
            Advisor.languages.through.objects.count(),
            Advisor.intervention_communes.through.objects.count(),
            sorted(AdvisorSkill.objects.values_list("pk", "advisor", "skill", "level", "note")),
            sorted(Skill.objects.values_list("pk", "slug", "status")),
            sorted(ProjectCard.objects.values_list("pk", "author", "title")),
            sorted(ProjectInterest.objects.values_list("pk", "card", "advisor")),
            ProjectCard.skills.through.objects.count(),
            sorted(LieuClosure.objects.values_list("pk", "lieu", "starts_on", "ends_on", "reason")),
            sorted(Orientation.objects.values_list("pk", "sender", "receiver_advisor", "receiver_lieu", "status")),
        ]

    before = snapshot()

    # 5 to recompute the serving tables, 4 to find the events (advisors, communes, titles, La Réunion),
    # 1 to find the resources by title, 1 to find the closures ahead, 6 to find the orientations, 3 to find
    # the partners and who knows them, 1 to find the channels, 10 for the drift (the quiet members, the aged
    # profiles, the reminder and the departures found) and the letters (the consenting newcomers, the months
    # already there).
    with django_assert_max_num_queries(51):
        output = run("seed_demo")

    assert "Réseau de démonstration Loire (42) : déjà en place, rien à créer." in output
    assert "créé" not in output
    assert (
        "La démo compte 26 structures, 43 lieux et 62 profils de conseillers ; 1189 niveaux de compétence, "
        "12 cartes projets et 43 marques d’intérêt." in output
    )
    assert snapshot() == before
    assert User.objects.count() == 67
    assert EmailAddress.objects.count() == 67


def test_seed_demo_completes_a_partial_demo(seeded):
    gone = ["membre@demo.maillage.fr", "ines.martin@demo.maillage.fr"]
    # Their orientations go too: the demo finds an orientation by its sender and receiver, so one left
    # without them would not be found again (a real deletion keeps it, for the network's figures).
    involving = Orientation.objects.filter(Q(sender__email__in=gone) | Q(receiver_advisor__user__email__in=gone))
    assert involving.count() == 4
    involving.delete()
    User.objects.filter(email__in=["membre@demo.maillage.fr", "ines.martin@demo.maillage.fr"]).delete()
    Membership.objects.filter(user__email="coordination2@demo.maillage.fr").delete()
    Lieu.objects.get(name="Permanence à Chavanay").delete()
    Cohort.objects.get(slug="promo-ateliers-du-forez").delete()

    output = run("seed_demo")

    assert "2 comptes créés, 1 coordinateur, 2 membres actifs, 0 demande en attente." in output
    assert (
        "Annuaire : 0 structure créée, 1 lieu créé (1 créneau d’ouverture, 0 fermeture exceptionnelle), "
        "2 profils créés, 1 promo créée." in output
    )
    assert "Orientations : 4 orientations créées" in output
    assert Orientation.objects.count() == 12
    assert demo_memberships().count() == 67
    assert demo_advisors().count() == 62
    camille = demo_advisors().get(user__email="membre@demo.maillage.fr")
    assert camille.structure.name == "Médiathèque de Saint-Étienne"
    assert [str(permanence) for permanence in camille.permanences.all()] == [
        "Espace multimédia de la médiathèque — mardi 13:30–18:00",
        "Espace multimédia de la médiathèque — jeudi 13:30–18:00",
    ]
    chavanay = Lieu.objects.get(name="Permanence à Chavanay")
    assert [str(slot) for slot in chavanay.opening_slots.all()] == ["samedi 09:30–12:00"]


def test_seed_demo_is_deterministic(loire_territories, debug):
    def snapshot():
        return [
            sorted(
                demo_memberships().values_list(
                    "user__email", "user__first_name", "role", "status", "structure_name", "commune"
                )
            ),
            sorted(
                (s.name, s.kind, s.siret, s.commune_id, s.phone, len(s.perimeter.all()))
                for s in demo_structures().prefetch_related("perimeter")
            ),
            sorted(
                (
                    lieu.structure.name,
                    lieu.name,
                    lieu.commune_id,
                    tuple(map(str, lieu.opening_slots.all())),
                    (lieu.public_phone, lieu.public_email, lieu.booking_url),
                    (lieu.latitude, lieu.longitude, lieu.position_source),
                    tuple((c.starts_on, c.ends_on, c.reason) for c in lieu.closures.all()),
                )
                for lieu in Lieu.objects.select_related("structure").prefetch_related("opening_slots", "closures")
            ),
            sorted(
                (
                    a.user.email,
                    a.role,
                    a.structure.name,
                    a.commune_id,
                    a.visibility,
                    a.arrival_date,
                    a.cohort.name if a.cohort else "",
                    tuple(sorted(language.code for language in a.languages.all())),
                    tuple(sorted(str(permanence) for permanence in a.permanences.all())),
                    len(a.intervention_communes.all()),
                )
                for a in demo_advisors()
            ),
            sorted(
                (
                    o.sender.email,
                    o.receiver_advisor.user.email if o.receiver_advisor else "",
                    o.receiver_lieu.name if o.receiver_lieu else "",
                    o.commune_id,
                    o.status,
                    o.person_first_name,
                    o.created_at.date(),
                )
                for o in Orientation.objects.select_related("sender", "receiver_advisor__user", "receiver_lieu")
            ),
        ]

    run("seed_demo")
    first = snapshot()
    Orientation.objects.all().delete()
    User.objects.filter(email__endswith="@demo.maillage.fr").delete()
    demo_structures().delete()
    Cohort.objects.all().delete()
    run("seed_demo")
    assert snapshot() == first


def test_seed_demo_works_with_whatever_communes_exist(db, debug):
    loire = DepartementFactory()
    epci = EPCIFactory(name="CC du Pilat Rhodanien")
    CommuneFactory(departement=loire, code="42022", name="Le Chambon-Feugerolles", epci=None, population=12000)
    CommuneFactory(departement=loire, code="42005", name="Andrézieux-Bouthéon", epci=epci, population=10000)
    CommuneFactory(departement=loire, code="42172", name="Pélussin", epci=epci, population=3700)

    output = run("seed_demo")

    assert "67 comptes créés" in output
    assert "La démo compte 26 structures, 43 lieux et 62 profils de conseillers ;" in output
    assert "12 cartes projets" in output
    codes = {"42022", "42005", "42172"}
    assert set(demo_memberships().values_list("commune", flat=True)) <= codes
    assert set(Lieu.objects.values_list("commune", flat=True)) <= codes
    assert set(demo_advisors().values_list("commune", flat=True)) <= codes
    # Andrézieux-Bouthéon is a real code of the list: Clic et partage is found there.
    assert Structure.objects.get(name="Association Clic et partage").commune_id == "42005"
    departement_wide = Structure.objects.get(kind=StructureKind.DEPARTEMENT)
    assert set(departement_wide.perimeter.values_list("code", flat=True)) == codes


def test_seed_demo_prints_accounts_that_log_in(seeded, client):
    password = re.search(r"mot de passe : (\S+)\)", seeded)[1]
    assert password == settings.DEMO_PASSWORD
    accounts = re.findall(r"^\s+(coordination|membre)\s+: (\S+@demo\.maillage\.fr)$", seeded, re.M)
    assert accounts == [
        ("coordination", "coordination1@demo.maillage.fr"),
        ("coordination", "coordination2@demo.maillage.fr"),
        ("membre", "membre@demo.maillage.fr"),
    ]
    for kind, email in accounts:
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": password}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("advisors:my_network"), email
        text = response.content.decode()
        expected = "Coordinateur ou coordinatrice" if kind == "coordination" else "Membre actif"
        assert expected in text
        assert "Réseau de la Loire (42)" in text

    # The demo coordinators have requests to review, with their messages.
    client.logout()
    client.login(email="coordination1@demo.maillage.fr", password=password)
    response = client.get(reverse("advisors:membership_requests", args=["42"]))
    assert response.context["page"].paginator.count == 5
    assert "je viens d’être recrutée comme conseillère numérique" in response.content.decode()
    # And the coordinators see every member in the directory.
    client.cookies["maillage_dep"] = "42"
    response = client.get(reverse("advisors:directory"))
    assert response.context["page"].paginator.count == 62


# seed_demo: the directory it fills


def test_seed_demo_structures_are_varied_and_valid(seeded):
    structures = list(demo_structures().select_related("commune").prefetch_related("services", "publics"))
    assert len(structures) == 26
    assert Structure.objects.count() == 26
    kinds = {structure.kind for structure in structures}
    assert {
        StructureKind.MEDIATHEQUE,
        StructureKind.FRANCE_SERVICES,
        StructureKind.CCAS,
        StructureKind.CENTRE_SOCIAL,
        StructureKind.ASSOCIATION,
        StructureKind.EPN,
        StructureKind.TIERS_LIEU,
        StructureKind.FABLAB,
        StructureKind.PIMMS,
        StructureKind.DEPARTEMENT,
        StructureKind.COMMUNE,
        StructureKind.EPCI,
        StructureKind.MJC,
    } <= kinds
    for structure in structures:
        # Every field passes the model's own validation: SIRET (Luhn), website, email, phone.
        structure.full_clean()
        assert structure.departement_id == "42" == structure.commune.departement_id
        assert structure.services.all(), structure
        assert set(structure.dispositifs) <= set(Dispositif.values)
        assert structure.website == "" or structure.website.endswith(".example/")
        assert structure.phone.startswith("04 65 71 ")
        assert len(structure.presentation) > 40
    sirets = [structure.siret for structure in structures if structure.siret]
    assert 5 < len(sirets) < len(structures)
    assert all(len(siret) == 14 and luhn_ok(siret) and luhn_ok(siret[:9]) for siret in sirets)
    assert len(set(sirets)) == len(sirets)
    # Placed in real communes of most EPCIs of the Loire, most of them outside Saint-Étienne.
    assert len({structure.commune.epci_id for structure in structures}) == 11
    assert sum(structure.commune_id == "42218" for structure in structures) <= 6
    assert {public.slug for structure in structures for public in structure.publics.all()} >= {"seniors", "jeunes"}


def test_seed_demo_perimeters_have_every_size(seeded):
    loire = set(Commune.objects.filter(departement="42").values_list("code", flat=True))
    assert len(loire) == 320
    perimeters = {
        structure: set(structure.perimeter.values_list("code", flat=True))
        for structure in demo_structures().select_related("commune")
    }
    departement_wide = [structure for structure, codes in perimeters.items() if len(codes) > 200]
    assert [structure.kind for structure in departement_wide] == [StructureKind.DEPARTEMENT]
    assert perimeters[departement_wide[0]] == loire

    sizes = {"commune": 0, "neighbours": 0, "epci": 0}
    for structure, codes in perimeters.items():
        assert structure.commune_id in codes, structure
        assert codes <= loire
        epci = set(
            Commune.objects.filter(departement="42", epci=structure.commune.epci_id).values_list("code", flat=True)
        )
        if codes == {structure.commune_id}:
            sizes["commune"] += 1
        elif codes == epci:
            sizes["epci"] += 1
        elif len(codes) <= 10:
            sizes["neighbours"] += 1
    assert all(count >= 3 for count in sizes.values()), sizes
    # The hub covers three whole EPCIs.
    hub = Structure.objects.get(name="Hub numérique Loire")
    assert len(perimeters[hub]) == 53 + 84 + 42


def test_seed_demo_lieux_have_valid_opening_hours(seeded):
    lieux = list(Lieu.objects.select_related("structure", "commune").prefetch_related("opening_slots"))
    assert 38 <= len(lieux) <= 45
    without_hours = []
    for lieu in lieux:
        lieu.full_clean()
        assert lieu.departement_id == "42"
        assert set(lieu.access_modes) <= set(AccessMode.values) and lieu.access_modes
        assert set(lieu.support_modes) <= set(SupportMode.values) and lieu.support_modes
        slots = list(lieu.opening_slots.all())
        if not slots:
            without_hours.append(lieu)
        for slot in slots:
            assert slot.closes > slot.opens, slot
        for first, second in itertools.combinations(slots, 2):
            overlap = first.weekday == second.weekday and first.opens < second.closes and second.opens < first.closes
            assert not overlap, (lieu, first, second)
    # One lieu works on appointment only, and says so.
    assert [lieu.name for lieu in without_hours] == ["Salle numérique de Saint-Martin-la-Sauveté"]
    assert "rendez-vous" in without_hours[0].hours_note

    def days(lieu):
        return {slot.weekday for slot in lieu.opening_slots.all()}

    # Real-looking weeks: a long Tuesday-to-Saturday, a Wednesday-only permanence, a Saturday morning.
    mediatheque = next(lieu for lieu in lieux if lieu.name == "Espace multimédia de la médiathèque")
    assert days(mediatheque) == {1, 2, 3, 4, 5}
    assert any(days(lieu) == {2} for lieu in lieux)
    assert any(
        days(lieu) == {5} and all(slot.closes.hour <= 12 for slot in lieu.opening_slots.all()) for lieu in lieux
    )
    # An itinerant bus stops in a different commune each day.
    bus = [lieu for lieu in lieux if lieu.itinerant]
    assert len(bus) == 4
    assert len({lieu.commune_id for lieu in bus}) == 4
    assert len({frozenset(days(lieu)) for lieu in bus}) == 4
    assert {lieu.fees for lieu in lieux} == set(Fees.values)
    assert any(not lieu.reduced_mobility_access for lieu in lieux)
    # Lieux away from their structure's commune: permanences in neighbouring villages.
    assert sum(lieu.commune_id != lieu.structure.commune_id for lieu in lieux) >= 10


def test_seed_demo_profiles_are_complete(seeded):
    advisors = list(demo_advisors())
    assert len(advisors) == 62
    # The pending requesters get their profile on approval, not before.
    assert not Advisor.objects.filter(user__memberships__status=MembershipStatus.PENDING).exists()
    roles = Counter(advisor.role for advisor in advisors)
    assert roles[AdvisorRole.COORDINATEUR] == 2
    assert roles[AdvisorRole.CONSEILLER] + roles[AdvisorRole.MEDIATEUR] > 40
    assert roles[AdvisorRole.AIDANT] >= 5
    assert {advisor.user.email for advisor in advisors if advisor.role == AdvisorRole.COORDINATEUR} == {
        "coordination1@demo.maillage.fr",
        "coordination2@demo.maillage.fr",
    }

    for advisor in advisors:
        advisor.full_clean()
        assert advisor.departement_id == "42"
        assert advisor.structure is not None and advisor.commune is not None
        assert len(advisor.bio) > 60
        assert advisor.contact_email == advisor.user.email
        assert "fr" in {language.code for language in advisor.languages.all()}
        # The directory's free-text search finds them by name, structure and bio.
        assert advisor.search_text == advisor_search_text(advisor)
        assert normalize(f"{advisor.user.last_name} {advisor.structure.name}") in advisor.search_text
        permanences = list(advisor.permanences.all())
        assert 1 <= len(permanences) <= 2
        # They are attached to the commune of one of their permanences.
        assert advisor.commune in {permanence.lieu.commune for permanence in permanences}
        for permanence in permanences:
            assert permanence.lieu.structure_id == advisor.structure_id
            # Within the opening hours of the lieu.
            assert any(
                slot.weekday == permanence.weekday
                and slot.opens <= permanence.opens
                and permanence.closes <= slot.closes
                for slot in permanence.lieu.opening_slots.all()
            ), permanence
        if len(permanences) == 2:
            first, second = permanences
            assert not (
                first.weekday == second.weekday and first.opens < second.closes and second.opens < first.closes
            ), permanences
        # A promo always ends before its member arrived in the network.
        if advisor.cohort:
            assert advisor.cohort.end_date <= advisor.arrival_date
            assert advisor.role in {AdvisorRole.CONSEILLER, AdvisorRole.MEDIATEUR}

    assert len({advisor.bio for advisor in advisors}) == 62
    assert len({advisor.structure_id for advisor in advisors}) == 26
    spoken = Counter(language.code for advisor in advisors for language in advisor.languages.all())
    assert {"en", "ar", "es", "lsf", "pt", "tr"} <= set(spoken)
    assert sum(bool(advisor.phone) for advisor in advisors) >= 10
    assert sum(bool(advisor.mattermost or advisor.discord) for advisor in advisors) >= 5
    assert 10 <= sum(advisor.available_for_co_animation for advisor in advisors) < 62
    assert 5 <= sum(bool(advisor.intervention_communes.all()) for advisor in advisors) < 20
    assert len({advisor.cohort for advisor in advisors if advisor.cohort}) == 5
    assert 0 < sum(advisor.cohort is None for advisor in advisors) < 20


def test_seed_demo_mixes_visibilities_newcomers_and_veterans(seeded):
    advisors = list(demo_advisors())
    visibility = Counter(advisor.visibility for advisor in advisors)
    assert visibility[Visibility.NETWORK] > visibility[Visibility.PUBLIC] > visibility[Visibility.COORDINATORS] >= 3
    assert set(visibility) == set(Visibility.values)
    # What each kind of visitor gets.
    assert Advisor.objects.visible_to(AnonymousUser()).count() == visibility[Visibility.PUBLIC]
    member = User.objects.get(email="membre@demo.maillage.fr")
    assert Advisor.objects.visible_to(member).count() == 62 - visibility[Visibility.COORDINATORS]
    coordinator = User.objects.get(email="coordination1@demo.maillage.fr")
    assert Advisor.objects.visible_to(coordinator).count() == 62

    today = timezone.localdate()
    ages = [(today - advisor.arrival_date).days for advisor in advisors]
    newcomers = [age for age in ages if age < 183]
    assert len(newcomers) >= 5
    assert all(60 <= age <= 120 for age in newcomers)
    assert all(365 <= age <= 4 * 366 for age in ages if age >= 183)
    # The newcomers were trained together: their promo has a page worth seeing.
    newest = Cohort.objects.order_by("-start_date").first()
    assert newest.advisors.count() >= 5


def test_seed_demo_has_advisors_in_every_epci(seeded):
    loire_epcis = set(EPCI.objects.in_departement("42").values_list("siren", flat=True))
    assert len(loire_epcis) == 11
    per_epci = Counter(demo_advisors().values_list("commune__epci", flat=True))
    assert set(per_epci) == loire_epcis
    # Saint-Étienne Métropole has the most, as it has most of the population, but not all.
    assert per_epci.most_common(1)[0][0] == "244200770"
    assert per_epci["244200770"] < 31


# seed_demo: the skills directory it fills


def levels_of(slug, **filters):
    """{level: count} of the demo advisors for the skill ``slug``."""
    rows = AdvisorSkill.objects.filter(skill__slug=slug, advisor__departement="42", **filters)
    return Counter(rows.values_list("level", flat=True))


def test_seed_demo_prints_what_the_skills_directory_holds(seeded):
    assert (
        "Compétences : 1189 niveaux renseignés (dont 7 avec une précision), 3 compétences proposées, "
        "12 cartes projets créées, 43 marques d’intérêt." in seeded
    )


def test_seed_demo_gives_everyone_levels_and_some_skills_are_mastered_everywhere(seeded):
    advisors = demo_advisors()
    assert advisors.count() == 62
    assert not advisors.exclude(pk__in=AdvisorSkill.objects.values("advisor")).exists()
    for slug in ("e-mail", "navigation-sur-internet"):
        assert levels_of(slug) == {SkillLevel.MASTER: 62}
    # Every EPCI with advisors has someone who can pass e-mail on.
    epcis_with_advisors = set(advisors.exclude(commune__epci=None).values_list("commune__epci", flat=True))
    epcis_with_a_master = set(
        AdvisorSkill.objects.filter(skill__slug="e-mail", level=SkillLevel.MASTER).values_list(
            "advisor__commune__epci", flat=True
        )
    )
    assert epcis_with_advisors and epcis_with_advisors <= epcis_with_a_master
    # All three levels are used, over many skills.
    assert set(AdvisorSkill.objects.values_list("level", flat=True)) == set(SkillLevel.values)
    assert AdvisorSkill.objects.values("skill").distinct().count() >= 30


def test_seed_demo_gaps_are_really_gaps(seeded):
    for slug in ("intelligence-artificielle", "justice"):
        levels = levels_of(slug)
        assert levels[SkillLevel.MASTER] == 0, slug
        assert levels[SkillLevel.LEARN] >= 10, slug  # wanted, though: a training to organise


def test_seed_demo_has_clear_training_needs_in_the_monts_du_pilat_and_the_roannais(seeded):
    pilat = Commune.objects.get(code="42023").epci
    assert "Pilat" in pilat.name
    advisors_there = demo_advisors().filter(commune__epci=pilat).count()
    assert advisors_there >= 2
    # Everyone there wants to learn it; nobody there masters it.
    assert levels_of("prevention-en-securite-numerique", advisor__commune__epci=pilat) == {
        SkillLevel.LEARN: advisors_there
    }
    roanne = levels_of("scolarite-et-numerique", advisor__commune__epci=Commune.objects.get(code="42187").epci)
    assert roanne[SkillLevel.MASTER] == 0 and roanne[SkillLevel.LEARN] >= 5
    # Elsewhere in the Loire, people master it: someone can train them.
    assert levels_of("prevention-en-securite-numerique")[SkillLevel.MASTER] >= 2


def test_seed_demo_notes_and_proposed_skills(seeded):
    noted = AdvisorSkill.objects.exclude(note="").select_related("skill", "advisor__structure")
    assert len(noted) == 7
    pix = noted.get(note="ateliers Pix chaque mardi")
    assert (pix.skill.slug, pix.level, pix.advisor.structure.name) == (
        "diagnostic-numerique",
        SkillLevel.MASTER,
        "Association Clic et partage",
    )
    proposed = Skill.objects.filter(status=SkillStatus.PROPOSED).select_related("proposed_by")
    assert len(proposed) == 3
    for skill in proposed:
        assert skill.proposed_in_id == "42"
        assert skill.proposed_by.email.endswith("@demo.maillage.fr")
        # The proposer uses it, and nobody else sees it in the validated list.
        assert AdvisorSkill.objects.filter(skill=skill, advisor__user=skill.proposed_by).exists()
    assert not Skill.objects.validated().filter(pk__in=[skill.pk for skill in proposed]).exists()


def test_seed_demo_posts_a_dozen_project_cards_with_interest(seeded):
    cards = list(
        ProjectCard.objects.filter(departement="42")
        .select_related("author__user")
        .prefetch_related("skills", "interests__advisor")
    )
    assert len(cards) == 12
    assert all(card.skills.all() for card in cards)
    assert all(len(card.body) > 80 for card in cards)
    counts = sorted(len(card.interests.all()) for card in cards)
    assert sum(counts) == 43 and counts[0] == 0 and counts[-1] == 8
    for card in cards:
        assert card.author.user.email.endswith("@demo.maillage.fr")
        assert all(interest.advisor_id != card.author_id for interest in card.interests.all())
    # Posted over the last weeks, the latest first on the board.
    dates = [card.created_at for card in sorted(cards, key=lambda card: card.created_at, reverse=True)]
    assert len(set(dates)) == 12
    assert ProjectCard.objects.filter(departement="42").first().title == "Un club photo numérique entre médiathèques"


def test_seed_demo_completes_missing_cards_and_interests(seeded):
    ProjectCard.objects.get(title="Pronote et ENT expliqués aux parents").delete()
    ProjectInterest.objects.filter(card__title="Comprendre l’intelligence artificielle, ensemble").delete()
    output = run("seed_demo")
    assert "1 carte projet créée, 12 marques d’intérêt." in output
    assert ProjectCard.objects.count() == 12 and ProjectInterest.objects.count() == 43
