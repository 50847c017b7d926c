"""The directory's commune filter falls back to « les plus proches » when no one is in the commune itself."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisors.models import Language
from advisors.queries.directory import NEAREST_RADIUS_KM
from tests.advisors.directory_data import make_advisor
from tests.advisors.factories import StructureFactory
from tests.overview.near_data import MONTBRISON, SAINT_ANTHEME, build_geo, expected_distance
from tests.pages import page_text


def directory(client, commune, **query):
    return client.get(reverse("advisors:directory"), {"departement": "", "commune": commune.label, **query})


def nearest_names(response):
    return [advisor.user.first_name for advisor in response.context["nearest"]]


@pytest.fixture
def geo(loire):
    return build_geo(loire)


@pytest.fixture
def around_montbrison(geo, loire):
    """No one in Montbrison; people in Saint-Anthème (Puy-de-Dôme), Boën and Saint-Étienne."""
    puy_de_dome = geo.saint_antheme.departement
    return {
        "antheme": make_advisor("Anthème", departement=puy_de_dome, commune=geo.saint_antheme, public=True),
        # Placed by their structure's commune.
        "boen": make_advisor(
            "Boën", departement=loire, structure=StructureFactory(commune=geo.boen, name="MJC de Boën"), public=True
        ),
        "etienne": make_advisor("Étienne", departement=loire, commune=geo.saint_etienne, public=True),
        "hidden": make_advisor("Réservée", departement=loire, commune=geo.savigneux),  # members only
    }


def test_no_one_in_the_commune_shows_the_nearest_by_distance_across_the_border(client, geo, around_montbrison):
    response = directory(client, geo.montbrison)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert nearest_names(response) == ["Anthème", "Boën", "Étienne"]
    text = page_text(response)
    assert "Aucun conseiller trouvé à Montbrison" in text
    assert "Les plus proches de Montbrison" in text
    assert f"Anthème Martin Conseil numérique Saint-Anthème (63) {expected_distance(MONTBRISON, SAINT_ANTHEME)}" in (
        text
    )
    assert "MJC de Boën Boën-sur-Lignon (42) À 16 km" in text and "À 31 km" in text
    assert "Réservée" not in text  # what a visitor may not see stays hidden


def test_the_nearest_keep_the_other_filters(client, geo, around_montbrison):
    around_montbrison["boen"].languages.add(Language.objects.get(code="pt"))
    response = directory(client, geo.montbrison, langue="pt")
    assert nearest_names(response) == ["Boën"]


def test_someone_in_the_commune_means_no_fallback(client, geo, loire, around_montbrison):
    make_advisor("Ici", departement=loire, commune=geo.montbrison, public=True)
    response = directory(client, geo.montbrison)
    assert response.context["nearest"] is None
    assert "Les plus proches" not in page_text(response)
    assert "1 conseiller" in page_text(response)


def test_no_one_within_the_radius_says_so(client, geo, around_montbrison):
    response = directory(client, geo.montbrison, role="coordinateur")
    assert response.context["nearest"] == []
    assert f"ni à Montbrison ni à moins de {NEAREST_RADIUS_KM} km" in page_text(response)


def test_the_fallback_queries(client, geo, loire, member):
    client.force_login(member)
    communes = [geo.saint_antheme, geo.boen, geo.saint_etienne, geo.champdieu]

    def populate(count):
        for index in range(count):
            commune = communes[index % len(communes)]
            make_advisor(f"P{index}", departement=commune.departement, commune=commune, public=True)

    populate(3)
    with CaptureQueriesContext(connection) as small:
        directory(client, geo.montbrison)
    populate(30)
    with CaptureQueriesContext(connection) as large:
        response = directory(client, geo.montbrison)
    assert len(small) == len(large), "\n".join(q["sql"][:150] for q in large.captured_queries)
    assert len(response.context["nearest"]) == 20
