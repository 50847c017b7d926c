"""Exceptional closures of a lieu (« fermé du 22 décembre au 2 janvier ») and public holidays on its page:
who records and removes them, what wrong dates get, what the page and its status say, and the queries."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisors.models import LieuClosure
from advisors.opening_hours import closure_label, public_holidays_between
from advisors.queries.places import lieux_with_status
from advisors.services import places as services
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    MembershipFactory,
    OpeningSlotFactory,
    StructureFactory,
)
from tests.pages import field_errors, page_text
from tests.territories.factories import CommuneFactory, DepartementFactory


@pytest.fixture
def structure(saint_etienne):
    return StructureFactory(name="Médiathèque Tarentaize", commune=saint_etienne)


@pytest.fixture
def lieu(structure):
    lieu = LieuFactory(structure=structure, name="Salle informatique")
    for weekday in range(7):
        OpeningSlotFactory(lieu=lieu, weekday=weekday, opens="00:00", closes="23:59")
    return lieu


@pytest.fixture
def owner(loire, structure):
    """An attached advisor of the structure: an editor of its lieux."""
    return AdvisorFactory(departement=loire, structure=structure).user


def today():
    return timezone.localdate()


def add_url(lieu):
    return reverse("advisors:lieu_closure_add", args=[lieu.pk])


def delete_url(closure):
    return reverse("advisors:lieu_closure_delete", args=[closure.lieu_id, closure.pk])


def lieu_url(lieu):
    return reverse("advisors:lieu", args=[lieu.pk])


def form(starts_on, ends_on, reason="congés de fin d’année"):
    return {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "reason": reason}


# Permissions: the lieu's editors (its structure's attached advisors, the coordination)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", "login"), ("elsewhere", 403), ("member", 403), ("owner", 302), ("coordinator", 302)],
)
def test_who_may_add_and_delete_a_closure(client, request, lieu, owner, savoie, who, expected):
    users = {
        "anonymous": None,
        "elsewhere": lambda: AdvisorFactory(departement=savoie).user,
        "member": lambda: request.getfixturevalue("member"),
        "owner": lambda: owner,
        "coordinator": lambda: request.getfixturevalue("coordinator"),
    }
    if users[who] is not None:
        client.force_login(users[who]())
    start = today() + timedelta(days=3)
    response = client.post(add_url(lieu), form(start, start + timedelta(days=4)))
    existing = LieuClosure.objects.create(lieu=lieu, starts_on=start, ends_on=start)
    deleted = client.post(delete_url(existing))
    if expected == "login":
        assert response.status_code == deleted.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        assert LieuClosure.objects.filter(reason="congés de fin d’année").count() == 0
        assert LieuClosure.objects.filter(pk=existing.pk).exists()
    elif expected == 403:
        assert response.status_code == deleted.status_code == 403
        assert LieuClosure.objects.filter(reason="congés de fin d’année").count() == 0
        assert LieuClosure.objects.filter(pk=existing.pk).exists()
    else:
        assert response.status_code == deleted.status_code == 302
        assert response.url == lieu_url(lieu) + "#fermetures"
        added = LieuClosure.objects.get(reason="congés de fin d’année")
        assert (added.lieu, added.starts_on, added.ends_on) == (lieu, start, start + timedelta(days=4))
        assert not LieuClosure.objects.filter(pk=existing.pk).exists()


def test_the_views_only_take_post(client, lieu, owner):
    closure = LieuClosure.objects.create(lieu=lieu, starts_on=today(), ends_on=today())
    client.force_login(owner)
    assert client.get(add_url(lieu)).status_code == 405
    assert client.get(delete_url(closure)).status_code == 405


def test_a_closure_of_another_lieu_is_not_found_through_this_one(client, lieu, owner, structure):
    other = LieuClosure.objects.create(lieu=LieuFactory(structure=structure), starts_on=today(), ends_on=today())
    client.force_login(owner)
    response = client.post(reverse("advisors:lieu_closure_delete", args=[lieu.pk, other.pk]))
    assert response.status_code == 404
    assert LieuClosure.objects.filter(pk=other.pk).exists()


def test_the_form_shows_to_editors_only(client, lieu, owner, member):
    assert "Annoncer une fermeture exceptionnelle" not in page_text(client.get(lieu_url(lieu)))
    client.force_login(member)
    assert "Annoncer une fermeture exceptionnelle" not in page_text(client.get(lieu_url(lieu)))
    client.force_login(owner)
    text = page_text(client.get(lieu_url(lieu)))
    assert "Annoncer une fermeture exceptionnelle" in text
    assert "Fermé du" in text and "au (inclus)" in text


# Bad input: a French message next to the field, nothing saved


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            form(today() + timedelta(days=5), today() + timedelta(days=4)),
            "ends_on",
            "La fermeture doit finir le jour où elle commence ou après.",
        ),
        (
            form(today(), today() + timedelta(days=366)),
            "ends_on",
            "Une fermeture exceptionnelle dure un an au plus.",
        ),
        (
            form(today() - timedelta(days=10), today() - timedelta(days=1)),
            "ends_on",
            "Cette fermeture est déjà passée : indiquez une fin à partir d’aujourd’hui.",
        ),
        (
            form(today() + timedelta(days=800), today() + timedelta(days=801)),
            "starts_on",
            "Une fermeture s’annonce au plus deux ans à l’avance.",
        ),
        (
            {"starts_on": "32/13/2026", "ends_on": "2026-12-24"},
            "starts_on",
            "Saisissez une date valide, par exemple 22/12/2026.",
        ),
        ({"starts_on": "", "ends_on": "2026-12-24"}, "starts_on", "Indiquez le premier jour de fermeture."),
        ({"starts_on": "2026-12-24", "ends_on": ""}, "ends_on", "Indiquez le dernier jour de fermeture."),
        (
            form(today(), today(), reason="x" * 121),
            "reason",
            "Le motif tient en 120 caractères au plus.",
        ),
        (
            {"starts_on": "9999-12-31", "ends_on": "9999-12-31"},
            "starts_on",
            "Une fermeture s’annonce au plus deux ans à l’avance.",
        ),
    ],
)
def test_bad_dates_get_a_french_error_next_to_their_field(client, lieu, owner, data, field, message):
    client.force_login(owner)
    response = client.post(add_url(lieu), data)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert not LieuClosure.objects.exists()
    # What was typed is still there, on the lieu's page.
    assert "Salle informatique" in page_text(response)


def test_a_closure_that_ends_today_and_one_a_year_long_are_accepted(client, lieu, owner):
    client.force_login(owner)
    assert client.post(add_url(lieu), form(today() - timedelta(days=3), today())).status_code == 302
    assert client.post(add_url(lieu), form(today(), today() + timedelta(days=365))).status_code == 302
    assert LieuClosure.objects.filter(lieu=lieu).count() == 2


def test_the_service_refuses_what_the_form_refuses(lieu):
    with pytest.raises(ValidationError) as error:
        services.lieu_closure_add(lieu=lieu, starts_on=today(), ends_on=today() - timedelta(days=1))
    assert error.value.message_dict == {"ends_on": ["La fermeture doit finir le jour où elle commence ou après."]}
    assert not LieuClosure.objects.exists()


def test_the_lieus_today_is_on_its_own_clocks(db):
    reunion = DepartementFactory(reunion=True)
    saint_denis = CommuneFactory(departement=reunion, code="97411", name="Saint-Denis", postal_codes="97400")
    lieu = type(LieuFactory(structure=StructureFactory(commune=saint_denis))).objects.select_related("departement")
    lieu = lieu.get()
    assert services.lieu_today(lieu) == timezone.now().astimezone(ZoneInfo("Indian/Reunion")).date()


# What the page and the status say


def test_the_page_lists_current_and_upcoming_closures_and_the_status_says_closed(client, lieu):
    current = LieuClosure.objects.create(
        lieu=lieu, starts_on=today() - timedelta(days=1), ends_on=today() + timedelta(days=2), reason="travaux"
    )
    upcoming = LieuClosure.objects.create(
        lieu=lieu, starts_on=today() + timedelta(days=20), ends_on=today() + timedelta(days=33), reason="congés"
    )
    over = LieuClosure.objects.create(
        lieu=lieu, starts_on=today() - timedelta(days=9), ends_on=today() - timedelta(days=2), reason="inventaire"
    )
    text = page_text(client.get(lieu_url(lieu)))
    assert closure_label(current, today=today()) in text
    assert closure_label(upcoming, today=today()) in text
    assert "inventaire" not in text and closure_label(over, today=today()) not in text
    assert "Fermé jusqu’au" in text and "— travaux" in text  # the status, open every day but closed today
    assert "Ouvert maintenant" not in text
    starts = current.starts_on
    osm = f"{starts.year} {starts:%b} {starts.day:02d}-"
    assert osm in text and "PH off" in text


def test_the_page_shows_the_public_holidays_of_the_next_30_days(client, lieu):
    text = page_text(client.get(lieu_url(lieu)))
    coming = public_holidays_between("42", today(), today() + timedelta(days=30))
    if coming:
        for _day, name in coming:
            assert name in text
        assert "Fermé les jours fériés, dans les 30 prochains jours" in text
    else:
        assert "Fermé les jours fériés (aucun dans les 30 prochains jours)." in text


def test_the_reunion_page_shows_its_own_holidays(client, db):
    reunion = DepartementFactory(reunion=True)
    saint_denis = CommuneFactory(departement=reunion, code="97411", name="Saint-Denis", postal_codes="97400")
    lieu = LieuFactory(structure=StructureFactory(commune=saint_denis))
    OpeningSlotFactory(lieu=lieu, weekday=0)
    local_today = services.lieu_today(lieu)
    coming = public_holidays_between("974", local_today, local_today + timedelta(days=30))
    text = page_text(client.get(lieu_url(lieu)))
    for _day, name in coming:
        assert name in text


def test_a_deleted_closure_leaves_the_page(client, lieu, owner):
    closure = LieuClosure.objects.create(
        lieu=lieu, starts_on=today() + timedelta(days=4), ends_on=today() + timedelta(days=6), reason="formation"
    )
    client.force_login(owner)
    assert "— formation" in page_text(client.get(lieu_url(lieu)))
    response = client.post(delete_url(closure), follow=True)
    assert "Fermeture retirée" in page_text(response)
    assert "— formation" not in page_text(client.get(lieu_url(lieu)))


# Queries: one more per list for the closures, whatever their number


@pytest.mark.parametrize("rows", [1, 5])
def test_lieu_page_reads_closures_in_one_query(client, lieu, owner, rows):
    for index in range(rows):
        LieuClosure.objects.create(
            lieu=lieu, starts_on=today() + timedelta(days=10 * index), ends_on=today() + timedelta(days=10 * index + 2)
        )
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(lieu_url(lieu))
    assert response.status_code == 200
    assert sum("advisors_lieuclosure" in query["sql"] for query in queries.captured_queries) == 1


def _count_lieu_page(client, lieu):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lieu_url(lieu)).status_code == 200
    return len(queries)


def test_lieu_page_query_count_does_not_grow_with_closures(client, lieu, owner):
    client.force_login(owner)
    LieuClosure.objects.create(lieu=lieu, starts_on=today() + timedelta(days=3), ends_on=today() + timedelta(days=4))
    one = _count_lieu_page(client, lieu)
    for index in range(1, 5):
        LieuClosure.objects.create(
            lieu=lieu, starts_on=today() + timedelta(days=10 * index), ends_on=today() + timedelta(days=10 * index + 2)
        )
    assert _count_lieu_page(client, lieu) == one


def _structure_lieux_queries(structure):
    with CaptureQueriesContext(connection) as queries:
        lieux = lieux_with_status(structure)
        [lieu.status.label for lieu in lieux]
    return len(queries), lieux


def test_lieux_with_status_reads_closures_in_one_query_for_1_and_5_lieux(structure, loire):
    def add_lieu():
        lieu = LieuFactory(structure=structure)
        OpeningSlotFactory(lieu=lieu, weekday=0)
        LieuClosure.objects.create(
            lieu=lieu, starts_on=today() - timedelta(days=1), ends_on=today() + timedelta(days=1)
        )
        LieuClosure.objects.create(
            lieu=lieu, starts_on=today() - timedelta(days=9), ends_on=today() - timedelta(days=5)
        )

    add_lieu()
    one, lieux = _structure_lieux_queries(structure)
    assert one == 3  # lieux (commune, département), slots, closures not over
    assert all(lieu.status.label.startswith("Fermé jusqu’au") for lieu in lieux)
    for _ in range(4):
        add_lieu()
    five, lieux = _structure_lieux_queries(structure)
    assert (five, len(lieux)) == (one, 5)
    assert all(len(lieu.closures.all()) == 1 for lieu in lieux)


def test_structure_page_query_count_with_1_and_5_lieux_closed(client, structure, member):
    client.force_login(member)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("advisors:structure", args=[structure.pk]))
        assert response.status_code == 200
        return len(queries), page_text(response)

    def add_lieu():
        lieu = LieuFactory(structure=structure)
        OpeningSlotFactory(lieu=lieu, weekday=0)
        LieuClosure.objects.create(
            lieu=lieu, starts_on=today() - timedelta(days=1), ends_on=today() + timedelta(days=1)
        )

    add_lieu()
    one, text = count()
    assert "Fermé jusqu’au" in text
    for _ in range(4):
        add_lieu()
    five, text = count()
    assert five == one
    assert text.count("Fermé jusqu’au") == 5


def test_a_coordinator_of_the_departement_is_an_editor(client, lieu, loire):
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    client.force_login(coordinator)
    assert "Annoncer une fermeture exceptionnelle" in page_text(client.get(lieu_url(lieu)))
