"""manage.py make_coordinator."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from advisors.enums import MembershipRole, MembershipStatus
from advisors.models import Membership, User
from tests.advisors.factories import MembershipFactory, UserFactory
from tests.territories.factories import DepartementFactory


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


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
