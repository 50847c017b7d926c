"""A lieu's position (typed, or its commune's point) and its public contacts: the form, the page, and the
lieux that follow their commune when an import of the territories moves its point."""

import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisors.enums import PositionSource
from advisors.models import Lieu
from advisors.services import places as services
from territories.enums import OutlineKind
from territories.models import Commune, Outline
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    OpeningSlotFactory,
    PermanenceFactory,
    StructureFactory,
)
from tests.advisors.test_places_edit import hours_rows, lieu_data
from tests.pages import field_errors, page_text

TOWN_HALL = (45.4397, 4.3872)
CARNOT = (45.4446, 4.3861)


def square(lon_min, lat_min, lon_max, lat_max):
    """A contour in the vendored encoding: one polygon, one ring, delta-encoded 1e-4 degrees."""
    x0, y0, x1, y1 = (round(value * 10_000) for value in (lon_min, lat_min, lon_max, lat_max))
    return f"[[[{x0},{y0},{x1 - x0},0,0,{y1 - y0},{x0 - x1},0,0,{y0 - y1}]]]"


@pytest.fixture
def placed_saint_etienne(saint_etienne):
    saint_etienne.latitude, saint_etienne.longitude = TOWN_HALL
    saint_etienne.save()
    Outline.objects.create(key=Outline.key_for(OutlineKind.COMMUNE, "42218"), contour=square(4.30, 45.38, 4.46, 45.48))
    return saint_etienne


@pytest.fixture
def lieu(placed_saint_etienne):
    structure = StructureFactory(name="Médiathèque Tarentaize", commune=placed_saint_etienne)
    return LieuFactory(structure=structure, name="Salle informatique", commune=placed_saint_etienne)


def edit(client, lieu, **overrides):
    return client.post(reverse("advisors:lieu_edit", args=[lieu.pk]), {**lieu_data(**overrides), **hours_rows()})


def position_of(lieu):
    lieu.refresh_from_db()
    return lieu.point, lieu.position_source


def test_a_new_lieu_sits_at_its_commune_point(lieu):
    assert position_of(lieu) == (TOWN_HALL, PositionSource.COMMUNE)


def test_an_editor_types_a_position_with_a_decimal_comma(client, coordinator, lieu):
    client.force_login(coordinator)
    response = edit(client, lieu, latitude="45,4446", longitude=" 4.3861° ")
    assert response.status_code == 302
    assert position_of(lieu) == (CARNOT, PositionSource.TYPED)
    # Shown again in the form, and on the page.
    form = client.get(reverse("advisors:lieu_edit", args=[lieu.pk])).content.decode()
    assert 'name="latitude" value="45.4446"' in form
    assert "Position saisie par la structure" in page_text(client.get(lieu.get_absolute_url()))


def test_clearing_the_position_puts_the_lieu_back_at_its_commune_point(client, coordinator, lieu):
    services.lieu_update(lieu=lieu, latitude=CARNOT[0], longitude=CARNOT[1])
    assert position_of(lieu) == (CARNOT, PositionSource.TYPED)
    client.force_login(coordinator)
    assert edit(client, lieu, latitude="", longitude="").status_code == 302
    assert position_of(lieu) == (TOWN_HALL, PositionSource.COMMUNE)


def test_the_commune_point_is_not_offered_as_a_typed_position(client, coordinator, lieu):
    """Sent back untouched, the commune's point would become a « saisie » position."""
    client.force_login(coordinator)
    form = client.get(reverse("advisors:lieu_edit", args=[lieu.pk])).content.decode()
    assert 'name="latitude" value=' not in form and 'name="longitude" value=' not in form
    assert "Aujourd’hui : centre de la commune." in page_text(
        client.get(reverse("advisors:lieu_edit", args=[lieu.pk]))
    )
    assert edit(client, lieu).status_code == 302
    assert position_of(lieu) == (TOWN_HALL, PositionSource.COMMUNE)


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        ("45,4446", "", "longitude", "Indiquez aussi la longitude, ou videz la latitude."),
        ("", "4,3861", "latitude", "Indiquez aussi la latitude, ou videz la longitude."),
        ("95", "4,3861", "latitude", "La latitude est comprise entre -90 et 90 degrés."),
        ("45,4446", "-181", "longitude", "La longitude est comprise entre -180 et 180 degrés."),
        ("45 deg", "4,3861", "latitude", "Latitude non valide : écrivez des degrés décimaux, par exemple 45,4397."),
        ("nan", "4,3861", "latitude", "Latitude non valide : écrivez des degrés décimaux, par exemple 45,4397."),
        ("45,4446", "inf", "longitude", "Longitude non valide : écrivez des degrés décimaux, par exemple 4,3872."),
        # Swapped: a point in the Indian Ocean, not in Saint-Étienne.
        (
            "4,3861",
            "45,4446",
            "latitude",
            "Cette position est loin de Saint-Étienne : vérifiez la latitude et la longitude "
            "(inversées, ou un signe moins oublié ?).",
        ),
    ],
)
def test_a_bad_position_is_explained_next_to_its_field(client, coordinator, lieu, latitude, longitude, field, message):
    client.force_login(coordinator)
    response = edit(client, lieu, name="Nom changé", latitude=latitude, longitude=longitude)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    lieu.refresh_from_db()
    assert (lieu.name, lieu.point, lieu.position_source) == ("Salle informatique", TOWN_HALL, PositionSource.COMMUNE)


def test_the_service_refuses_what_the_form_refuses(lieu):
    with pytest.raises(ValidationError) as error:
        services.lieu_update(lieu=lieu, latitude=45.0, longitude=None)
    assert error.value.message_dict == {"longitude": ["Indiquez la latitude et la longitude, ou aucune des deux."]}
    with pytest.raises(ValidationError):
        services.lieu_update(lieu=lieu, latitude=43.2965, longitude=5.3698)  # Marseille
    assert position_of(lieu) == (TOWN_HALL, PositionSource.COMMUNE)


def test_a_typed_position_stays_when_other_fields_change(lieu):
    services.lieu_update(lieu=lieu, latitude=CARNOT[0], longitude=CARNOT[1])
    services.lieu_update(lieu=lieu, name="Salle 2", address="5 place Carnot")
    assert position_of(lieu) == (CARNOT, PositionSource.TYPED)


def test_creating_a_lieu_with_a_position(client, coordinator, lieu):
    client.force_login(coordinator)
    response = client.post(
        reverse("advisors:lieu_create", args=[lieu.structure.pk]),
        {**lieu_data(name="Antenne Carnot", latitude="45.4446", longitude="4.3861"), **hours_rows()},
    )
    assert response.status_code == 302
    assert position_of(Lieu.objects.get(name="Antenne Carnot")) == (CARNOT, PositionSource.TYPED)


def test_public_contacts_are_saved_and_shown_to_visitors(client, coordinator, lieu):
    advisor = AdvisorFactory(departement=lieu.departement, contact_email="perso@exemple.fr", phone="06 11 22 33 44")
    PermanenceFactory(advisor=advisor, lieu=lieu)
    client.force_login(coordinator)
    response = edit(
        client,
        lieu,
        name="Salle informatique",
        public_phone="04 77 12 34 56",
        public_email="accueil@mediatheque.fr",
        booking_url="https://rdv.exemple.fr/tarentaize",
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(lieu.get_absolute_url())
    html = page.content.decode()
    assert '<a href="tel:0477123456">04 77 12 34 56</a>' in html
    assert '<a href="mailto:accueil@mediatheque.fr">accueil@mediatheque.fr</a>' in html
    assert 'href="https://rdv.exemple.fr/tarentaize"' in html
    assert "Contacter l’accueil" in page_text(page)
    # The advisors' own contacts stay hidden from visitors.
    assert "perso@exemple.fr" not in html and "06 11 22 33 44" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("public_phone", "appelez-nous", "Numéro de téléphone non valide (exemple : 04 77 12 34 56)."),
        ("public_email", "accueil@", "Adresse électronique non valide (exemple : accueil@mediatheque.fr)."),
        (
            "booking_url",
            "javascript:alert(1)",
            "Adresse de page non valide (exemple : https://rdv.exemple.fr/mediatheque).",
        ),
    ],
)
def test_bad_public_contacts_are_explained_next_to_the_field(client, coordinator, lieu, field, value, message):
    client.force_login(coordinator)
    response = edit(client, lieu, **{field: value})
    assert response.status_code == 200
    assert field_errors(response, field) == [message]


def test_a_lieu_without_contacts_shows_no_contact_block(client, lieu):
    assert "Contacter l’accueil" not in page_text(client.get(lieu.get_absolute_url()))


def test_the_page_says_the_position_is_approximate_and_draws_the_lieu_in_its_commune(client, lieu):
    response = client.get(lieu.get_absolute_url())
    text = page_text(response)
    assert "Position centre de la commune (approximative)" in text
    html = response.content.decode()
    start = html.index('<svg class="map"')
    svg = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    assert svg.find("title").text == "Salle informatique dans la commune de Saint-Étienne"
    (commune_link,) = svg.iter("a")
    assert commune_link.get("aria-label") == "Saint-Étienne"
    assert commune_link.get("href") == saint_etienne_url(lieu)
    assert len(list(commune_link.iter("path"))) == 1
    (point,) = svg.iter("circle")
    label = point.find("title").text.replace("\N{NO-BREAK SPACE}", " ").replace("\N{NARROW NO-BREAK SPACE}", " ")
    assert label == "Salle informatique : position approximative, au centre de la commune"
    assert "css/maps.css" in html


def test_a_typed_position_is_not_called_approximate(client, lieu):
    services.lieu_update(lieu=lieu, latitude=CARNOT[0], longitude=CARNOT[1])
    text = page_text(client.get(lieu.get_absolute_url()))
    assert "Position saisie par la structure" in text and "approximative" not in text
    assert "Le point marque le lieu, à la position saisie par sa structure." in text


def test_a_commune_without_point_nor_outline_draws_no_map(client, saint_etienne):
    lieu = LieuFactory(structure=StructureFactory(commune=saint_etienne), commune=saint_etienne)
    response = client.get(lieu.get_absolute_url())
    assert response.context["map"] is None
    assert '<svg class="map"' not in response.content.decode()
    assert "Position inconnue" in page_text(response)


def saint_etienne_url(lieu):
    return lieu.commune.get_absolute_url()


def lieu_page_queries(client, lieu):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lieu.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_lieu_page_query_count_does_not_grow_with_contacts_and_map(client, lieu):
    services.lieu_update(lieu=lieu, public_phone="04 77 12 34 56", public_email="a@b.fr", booking_url="https://a.fr")
    small = lieu_page_queries(client, lieu)
    for index in range(12):
        OpeningSlotFactory(
            lieu=lieu, weekday=index % 7, opens=f"{8 + index // 7 * 4}:00", closes=f"{10 + index // 7 * 4}:00"
        )
        PermanenceFactory(advisor=AdvisorFactory(departement=lieu.departement), lieu=lieu)
    assert lieu_page_queries(client, lieu) == small


@pytest.fixture
def real_loire(db):
    call_command("import_territories", "--departements", "42", stdout=StringIO())
    return Commune.objects.get(code="42218")


def test_lieux_at_their_commune_point_follow_an_import_that_moves_it(real_loire):
    town_hall = real_loire.point
    Commune.objects.filter(code="42218").update(latitude=45.0, longitude=4.0)  # an older vintage's point
    structure = StructureFactory(commune=Commune.objects.get(code="42218"))
    at_commune = LieuFactory(structure=structure, name="Au centre")
    typed = LieuFactory(structure=structure, name="Saisi")
    services.lieu_update(lieu=typed, latitude=CARNOT[0], longitude=CARNOT[1])
    assert position_of(at_commune) == ((45.0, 4.0), PositionSource.COMMUNE)

    with CaptureQueriesContext(connection) as queries:
        output = StringIO()
        call_command("import_territories", "--departements", "42", stdout=output)
    assert "Communes : 0 créée, 1 modifiée, 0 supprimée." in output.getvalue()
    assert position_of(at_commune) == (town_hall, PositionSource.COMMUNE)
    assert position_of(typed) == (CARNOT, PositionSource.TYPED)
    lieu_updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "advisors_lieu"')]
    assert len(lieu_updates) == 1


def test_an_import_that_moves_no_commune_leaves_the_lieux_alone(real_loire):
    LieuFactory(structure=StructureFactory(commune=real_loire))
    with CaptureQueriesContext(connection) as queries:
        call_command("import_territories", "--departements", "42", stdout=StringIO())
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "advisors_lieu"')]


def test_a_far_position_shows_with_the_other_errors(client, coordinator, lieu):
    client.force_login(coordinator)
    response = edit(client, lieu, public_email="accueil@", latitude="4,3861", longitude="45,4446")
    assert field_errors(response, "public_email")
    assert field_errors(response, "latitude")[0].startswith("Cette position est loin de Saint-Étienne")
