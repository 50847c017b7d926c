"""manage.py make_coordinator and manage.py seed_demo."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from advisors import demo
from advisors.enums import MembershipRole, MembershipStatus
from advisors.models import Membership, User
from territories.models import EPCI, Commune
from tests.advisors.factories import MembershipFactory, UserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


# make_coordinator


def test_make_coordinator_creates_the_account_and_says_how_to_log_in(loire, client, mailoutbox):
    output = run("make_coordinator", "Claire.Vernay@Exemple.fr", "42")

    user = User.objects.get()
    assert user.email == "claire.vernay@exemple.fr"
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("claire.vernay@exemple.fr", True, True)
    membership = Membership.objects.get(user=user)
    assert (membership.departement_id, membership.role, membership.status) == (
        "42",
        MembershipRole.COORDINATOR,
        MembershipStatus.ACTIVE,
    )
    assert "Compte créé pour claire.vernay@exemple.fr, sans mot de passe." in output
    assert "claire.vernay@exemple.fr est maintenant coordinateur ou coordinatrice du réseau Loire (42)." in output
    assert "« Mot de passe oublié »" in output
    assert "http://testserver/compte/password/reset/" in output

    # The advice works: the reset form sends the link to an account that has no password yet.
    response = client.post(reverse("account_reset_password"), {"email": "claire.vernay@exemple.fr"})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["claire.vernay@exemple.fr"]]


def test_make_coordinator_is_idempotent(loire):
    run("make_coordinator", "claire@exemple.fr", "42")
    output = run("make_coordinator", "CLAIRE@exemple.fr", "42")

    assert "claire@exemple.fr coordonne déjà le réseau Loire (42) : rien à changer." in output
    assert "Compte créé" not in output
    assert User.objects.count() == 1
    assert Membership.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    # Still no password: the advice to choose one stays.
    assert "Mot de passe oublié" in output


@pytest.mark.parametrize(
    ("status", "before"), [("active", "membre actif"), ("pending", "en attente"), ("refused", "refusée")]
)
def test_make_coordinator_promotes_an_existing_account(loire, status, before):
    membership = MembershipFactory(departement=loire, status=status, user__email="lea@exemple.fr")
    password = membership.user.password

    output = run("make_coordinator", "lea@exemple.fr", "42")

    assert (
        f"lea@exemple.fr est maintenant coordinateur ou coordinatrice du réseau Loire (42) (auparavant : {before})."
        in (output)
    )
    assert "Mot de passe oublié" not in output
    assert "Compte créé" not in output
    membership.refresh_from_db()
    assert membership.is_coordinator
    user = User.objects.get(email="lea@exemple.fr")
    assert user.password == password
    assert EmailAddress.objects.filter(user=user).count() == 1


def test_make_coordinator_keeps_the_other_departements(loire, savoie):
    user = MembershipFactory(departement=savoie).user
    run("make_coordinator", user.email, "42")
    assert dict(user.memberships.values_list("departement", "role")) == {
        "42": MembershipRole.COORDINATOR,
        "73": MembershipRole.MEMBER,
    }


def test_make_coordinator_vouches_for_an_address_never_recorded(loire):
    """An account made with createsuperuser has no allauth address: the command records it, verified."""
    user = UserFactory(email="admin@exemple.fr", verified=False)
    run("make_coordinator", "admin@exemple.fr", "42")
    assert EmailAddress.objects.filter(user=user, email="admin@exemple.fr", verified=True, primary=True).exists()


def test_make_coordinator_accepts_the_usual_departement_spellings(db):
    DepartementFactory(code="2A", name="Corse-du-Sud")
    DepartementFactory(code="01", name="Ain")
    run("make_coordinator", "corse@exemple.fr", "2a")
    run("make_coordinator", "ain@exemple.fr", "1")
    assert set(Membership.objects.values_list("user__email", "departement")) == {
        ("corse@exemple.fr", "2A"),
        ("ain@exemple.fr", "01"),
    }


def test_make_coordinator_with_an_unknown_departement(loire):
    with pytest.raises(CommandError, match=r"Département inconnu : « 99 »\. .*manage\.py import_territories"):
        run("make_coordinator", "claire@exemple.fr", "99")
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["claire", "claire@", "@exemple.fr", "claire exemple.fr"])
def test_make_coordinator_with_an_invalid_email(loire, email):
    with pytest.raises(CommandError, match="Adresse électronique invalide"):
        run("make_coordinator", email, "42")
    assert not User.objects.exists()


def test_make_coordinator_needs_both_arguments(loire):
    with pytest.raises(CommandError):
        run("make_coordinator", "claire@exemple.fr")


# seed_demo


@pytest.fixture
def loire_territories(db):
    """The real communes and EPCI of the Loire, from the vendored extract."""
    run("import_territories", "--departements", "42")
    return Commune.objects.filter(departement="42")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def demo_memberships():
    return Membership.objects.filter(user__email__endswith="@demo.maillage.fr").select_related("user", "commune")


def test_seed_demo_refuses_to_run_without_debug(loire_territories, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG est désactivé.*--force"):
        run("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_runs_without_debug_when_forced(loire_territories, settings):
    settings.DEBUG = False
    output = run("seed_demo", "--force")
    assert "67 comptes créés" in output
    assert demo_memberships().count() == 67


@pytest.mark.parametrize("with_departement", [True, False])
def test_seed_demo_needs_the_loire_territories(db, debug, with_departement):
    if with_departement:
        DepartementFactory()
    with pytest.raises(CommandError, match=r"Aucune commune de la Loire \(42\).*manage\.py import_territories"):
        run("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_builds_the_loire_network(loire_territories, debug):
    output = run("seed_demo")

    assert "Réseau de démonstration Loire (42) : 67 comptes créés, 2 coordinateurs, 60 membres actifs, " in output
    assert "5 demandes en attente." in output
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

    # Structures of the field, in communes of the Loire spread over all its EPCI.
    kinds = (
        r"^(Médiathèque|France Services|Centre social|CCAS|Espace public numérique|Association|Mairie|MJC"
        r"|Tiers-lieu|Bibliothèque) "
    )
    structures = [m.structure_name for m in by_kind["members"] + by_kind["pending"]]
    assert all(re.match(kinds, name) for name in structures), structures
    assert len(set(structures)) > 50
    assert all(m.commune is not None and m.commune.departement_id == "42" for m in memberships)
    epcis_of_members = {m.commune.epci_id for m in by_kind["members"]}
    assert epcis_of_members == set(EPCI.objects.in_departement("42").values_list("siren", flat=True))
    per_epci = Membership.objects.filter(pk__in=[m.pk for m in by_kind["members"]]).values("commune__epci")
    assert max(row["n"] for row in per_epci.annotate(n=Count("pk"))) <= 7


def test_seed_demo_accounts_have_verified_addresses_and_the_demo_password(loire_territories, debug):
    run("seed_demo")
    users = User.objects.filter(email__endswith="@demo.maillage.fr")
    assert users.count() == 67
    verified = EmailAddress.objects.filter(user__in=users, verified=True, primary=True)
    assert set(verified.values_list("email", flat=True)) == set(users.values_list("email", flat=True))
    # One hash for everybody: hashing is slow on purpose.
    assert users.values("password").distinct().count() == 1
    assert users.first().check_password(settings.DEMO_PASSWORD)


def test_seed_demo_hashes_the_password_once(loire_territories, debug, monkeypatch):
    calls = []
    real = demo.make_password
    monkeypatch.setattr(demo, "make_password", lambda password: calls.append(password) or real(password))
    run("seed_demo")
    assert calls == [settings.DEMO_PASSWORD]
    run("seed_demo")
    assert calls == [settings.DEMO_PASSWORD]


def test_seed_demo_twice_creates_nothing(loire_territories, debug, django_assert_max_num_queries):
    run("seed_demo")
    before = list(demo_memberships().order_by("pk").values_list("pk", "user__email", "status", "structure_name"))

    with django_assert_max_num_queries(10):
        output = run("seed_demo")

    assert "Réseau de démonstration Loire (42) : déjà en place, rien à créer." in output
    assert "comptes créés" not in output
    assert list(demo_memberships().order_by("pk").values_list("pk", "user__email", "status", "structure_name")) == (
        before
    )
    assert User.objects.count() == 67
    assert EmailAddress.objects.count() == 67


def test_seed_demo_completes_a_partial_demo(loire_territories, debug):
    run("seed_demo")
    User.objects.filter(email__in=["membre@demo.maillage.fr", "ines.martin@demo.maillage.fr"]).delete()
    Membership.objects.filter(user__email="coordination2@demo.maillage.fr").delete()

    output = run("seed_demo")

    assert "2 comptes créés, 1 coordinateur, 2 membres actifs, 0 demande en attente." in output
    assert demo_memberships().count() == 67


def test_seed_demo_is_deterministic(loire_territories, debug):
    def snapshot():
        return sorted(
            demo_memberships().values_list(
                "user__email", "user__first_name", "role", "status", "structure_name", "commune"
            )
        )

    run("seed_demo")
    first = snapshot()
    User.objects.filter(email__endswith="@demo.maillage.fr").delete()
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
    structures = set(demo_memberships().values_list("structure_name", flat=True))
    assert "Médiathèque du Chambon-Feugerolles" in structures
    assert "Médiathèque d’Andrézieux-Bouthéon" in structures
    assert "Centre social de Pélussin" in structures
    assert "France Services du Chambon-Feugerolles" in structures
    assert set(demo_memberships().values_list("commune", flat=True)) == {"42022", "42005", "42172"}


def test_seed_demo_prints_accounts_that_log_in(loire_territories, debug, client):
    output = run("seed_demo")

    password = re.search(r"mot de passe : (\S+)\)", output)[1]
    assert password == settings.DEMO_PASSWORD
    accounts = re.findall(r"^\s+(coordination|membre)\s+: (\S+@demo\.maillage\.fr)$", output, re.M)
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
        assert "Réseau Loire (42)" in text

    # The demo coordinators have requests to review, with their messages.
    client.logout()
    client.login(email="coordination1@demo.maillage.fr", password=password)
    response = client.get(reverse("advisors:membership_requests", args=["42"]))
    assert response.context["page"].paginator.count == 5
    assert "je viens d’être recrutée comme conseillère numérique" in response.content.decode()
    # And the members see each other in the directory.
    client.cookies["maillage_dep"] = "42"
    response = client.get(reverse("advisors:directory"))
    assert response.context["page"].paginator.count == 62
