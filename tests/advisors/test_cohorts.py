"""Promo pages: /promos/ and /promos/<slug>/, visible members only, grouped by département."""

import pytest
from django.urls import reverse

from tests.advisors.directory_data import make_advisor
from tests.advisors.factories import CohortFactory
from tests.pages import page_text

COHORTS = reverse("advisors:cohorts")


@pytest.fixture
def promo(loire, savoie):
    promo = CohortFactory(slug="simplon-2025", name="Promo Simplon 2025", training_body="Simplon")
    make_advisor("Publique", "Loire", departement=loire, cohort=promo, public=True)
    make_advisor("Réseau", "Loire", departement=loire, cohort=promo)
    make_advisor("Coordination", "Loire", departement=loire, cohort=promo, coordinators_only=True)
    make_advisor("Publique", "Savoie", departement=savoie, cohort=promo, public=True)
    make_advisor("Autre", "Promo", departement=loire, cohort=CohortFactory(name="Autre promo"), public=True)
    return promo


VISIBLE = {
    None: ["Publique Loire", "Publique Savoie"],
    "outsider": ["Publique Loire", "Publique Savoie"],
    "member": ["Publique Loire", "Réseau Loire", "Publique Savoie"],
    "coordinator": ["Coordination Loire", "Publique Loire", "Réseau Loire", "Publique Savoie"],
    "other_coordinator": ["Publique Loire", "Réseau Loire", "Publique Savoie"],
}


@pytest.mark.parametrize("who", list(VISIBLE))
def test_a_promo_lists_its_visible_members_by_departement(client, request, promo, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(promo.get_absolute_url())
    assert response.status_code == 200
    shown = [advisor.user.get_full_name() for advisor in response.context["page"].object_list]
    assert shown == VISIBLE[who]
    text = page_text(response)
    count = len(VISIBLE[who])
    assert f"{count} membre{'s' if count > 1 else ''}" in text
    assert text.index("Loire (42)") < text.index("Publique Loire") < text.index("Savoie (73)")
    assert text.index("Savoie (73)") < text.index("Publique Savoie")
    assert "Autre Promo" not in text
    for hidden in set(VISIBLE["coordinator"]) - set(VISIBLE[who]):
        assert hidden not in text


@pytest.mark.parametrize("who", list(VISIBLE))
def test_the_promos_count_only_visible_members(client, request, promo, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    CohortFactory(name="Promo vide")
    text = page_text(client.get(COHORTS))
    count = len(VISIBLE[who])
    assert "Promo Simplon 2025 Simplon, depuis le" in text
    assert f"{count} membre{'s' if count > 1 else ''}" in text
    assert "Autre promo" in text and "Promo vide" in text and "0 membre" in text


def test_dates_of_a_promo_in_french(client, db):
    from datetime import date

    CohortFactory(slug="p", name="Promo de printemps", start_date=date(2026, 3, 2), end_date=date(2026, 11, 28))
    text = page_text(client.get(reverse("advisors:cohort", args=["p"])))
    assert "du 2 mars 2026 au 28 novembre 2026" in text
    assert "Aucun membre de cette promo n’est visible pour vous." in text


def test_an_unknown_promo_is_a_404(client, db):
    assert client.get(reverse("advisors:cohort", args=["inconnue"])).status_code == 404


def test_a_promo_is_paginated(client, loire, savoie):
    promo = CohortFactory(slug="grande")
    for index in range(25):
        make_advisor(f"L{index:02d}", departement=loire, cohort=promo, public=True)
    for index in range(5):
        make_advisor(f"S{index:02d}", departement=savoie, cohort=promo, public=True)
    first = client.get(promo.get_absolute_url())
    assert len(first.context["page"].object_list) == 20
    assert "Savoie (73)" not in page_text(first)
    second = page_text(client.get(promo.get_absolute_url(), {"page": 2}))
    assert "Loire (42)" in second and "Savoie (73)" in second
    assert "L20 Martin" in second and "S04 Martin" in second
    assert "30 membres" in second


@pytest.mark.parametrize(("who", "expected"), [(None, 3), ("member", 6)])
def test_promo_pages_queries(client, request, loire, savoie, who, expected, django_assert_num_queries):
    # Cohort, count, page (one cohort); count, page (the list). Logged in: session, user, memberships.
    if who:
        client.force_login(request.getfixturevalue(who))
    promo = CohortFactory(slug="mesure")

    def fill(count):
        for index in range(count):
            make_advisor(f"P{index}", departement=[loire, savoie][index % 2], cohort=promo, public=True)
            CohortFactory()

    fill(3)
    with django_assert_num_queries(expected):
        client.get(promo.get_absolute_url())
    with django_assert_num_queries(expected - 1):
        client.get(COHORTS)
    fill(30)
    with django_assert_num_queries(expected):
        response = client.get(promo.get_absolute_url())
    assert len(response.context["page"].object_list) == 20
    with django_assert_num_queries(expected - 1):
        response = client.get(COHORTS)
    assert len(response.context["page"].object_list) == 20
