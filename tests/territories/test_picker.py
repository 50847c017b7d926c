"""The commune picker: text to exactly one commune, accents and case ignored, homonyms told apart."""

import pytest

from territories.forms import CommuneField, CommuneLookupForm
from territories.models import Commune
from territories.text import normalize
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(loire, savoie):
    metropole = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    return {
        "saint_etienne": CommuneFactory(
            code="42218",
            name="Saint-Étienne",
            departement=loire,
            epci=metropole,
            population=172718,
            postal_codes="42000 42100",
        ),
        "saint_etienne_de_cuines": CommuneFactory(
            code="73234", name="Saint-Étienne-de-Cuines", departement=savoie, population=1300, postal_codes="73130"
        ),
        "saint_chamond": CommuneFactory(
            code="42207",
            name="Saint-Chamond",
            departement=loire,
            epci=metropole,
            population=35000,
            postal_codes="42400",
        ),
        "sainte_colombe_42": CommuneFactory(
            code="42199", name="Sainte-Colombe", departement=loire, population=300, postal_codes="42540"
        ),
        "sainte_colombe_73": CommuneFactory(
            code="73220", name="Sainte-Colombe", departement=savoie, population=200, postal_codes="73100"
        ),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("st etienne", "saint etienne"),
        ("SAINT ÉTIENNE", "saint etienne"),
        ("L'Île-d'Yeu", "l ile d yeu"),
        ("Œuilly", "oeuilly"),
        ("  ", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("query", ["st etienne", "saint-étienne", "Saint Etienne", "SAINT-ETIENNE", "42000", "42100"])
def test_every_way_of_typing_finds_saint_etienne_first(communes, query):
    assert Commune.objects.search(query).first() == communes["saint_etienne"]


def test_search_is_ordered_exact_name_then_prefix_then_population(communes):
    names = [commune.name for commune in Commune.objects.search("saint")]
    assert names[0] == "Saint-Étienne"  # largest population among prefix matches
    assert set(names) == {"Saint-Étienne", "Saint-Étienne-de-Cuines", "Saint-Chamond", "Sainte-Colombe"}


def test_empty_query_finds_nothing(communes):
    assert not Commune.objects.search(" - ").exists()


def test_field_resolves_an_unambiguous_name(communes):
    assert CommuneField().clean("saint-etienne") == communes["saint_etienne"]


def test_field_resolves_a_suggestion_label_by_its_code(communes):
    label = communes["sainte_colombe_73"].label
    assert label == "Sainte-Colombe (73) — 73220"
    assert CommuneField().clean(label) == communes["sainte_colombe_73"]


def test_homonyms_ask_to_choose_and_show_their_departement(communes):
    form = CommuneLookupForm({"commune": "Sainte-Colombe"})
    assert not form.is_valid()
    assert form.errors["commune"] == [
        "2 communes correspondent à « Sainte-Colombe » : choisissez la vôtre dans la liste."
    ]
    html = str(form["commune"])
    assert 'type="radio" name="commune_choice"' in html
    assert "Loire (42)" in html and "Savoie (73)" in html


def test_the_server_side_choice_resolves_the_commune(communes):
    form = CommuneLookupForm({"commune": "Sainte-Colombe", "commune_choice": "73220"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == communes["sainte_colombe_73"]


def test_unknown_commune_gets_a_french_error(communes):
    form = CommuneLookupForm({"commune": "Xyzzyville"})
    assert not form.is_valid()
    assert "Aucune commune ne correspond à « Xyzzyville »" in form.errors["commune"][0]


def test_required_error_is_french(communes):
    form = CommuneLookupForm({"commune": ""})
    assert form.errors["commune"] == ["Indiquez une commune."]


def test_field_can_be_limited_to_a_departement(communes):
    field = CommuneField(queryset=Commune.objects.filter(departement_id="73"))
    assert field.clean("Sainte-Colombe") == communes["sainte_colombe_73"]


def test_widget_shows_the_label_of_an_initial_commune(communes):
    form = CommuneLookupForm(initial={"commune": communes["saint_etienne"]})
    assert 'value="Saint-Étienne (42) — 42218"' in str(form["commune"])


def test_lookup_with_one_match_redirects_to_the_commune(client, communes):
    response = client.get("/territoires/communes/", {"commune": "st etienne"})
    assert response.status_code == 302
    assert response["Location"] == "/territoires/communes/42218/"


def test_lookup_with_homonyms_lists_them_without_javascript(client, communes, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/territoires/communes/", {"commune": "sainte colombe"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "choisissez la vôtre dans la liste" in content
    assert 'value="42199"' in content and 'value="73220"' in content


def test_suggestions_answer_json_with_labels(client, communes, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/territoires/communes/suggestions/", {"q": "st eti"})
    assert response.status_code == 200
    labels = [result["label"] for result in response.json()["results"]]
    assert labels == ["Saint-Étienne (42) — 42218", "Saint-Étienne-de-Cuines (73) — 73234"]


def test_suggestions_are_capped(client, loire):
    epci = EPCIFactory()
    for index in range(15):
        CommuneFactory(code=f"42{index:03d}", name=f"Saint-Test {index}", departement=loire, epci=epci)
    response = client.get("/territoires/communes/suggestions/", {"q": "saint test"})
    assert len(response.json()["results"]) == 10


def test_overseas_departement_factory_has_its_timezone(db):
    assert DepartementFactory(reunion=True).timezone == "Indian/Reunion"
