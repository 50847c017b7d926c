"""French forms of territory names and counts, as pages print them."""

import gzip
import json
from pathlib import Path

import pytest

from territories.french import of_departement, of_word, plural_of
from territories.models import Departement

DATA = Path(__file__).resolve().parents[2] / "data" / "territories.json.gz"


def departements():
    with gzip.open(DATA, "rt", encoding="utf-8") as data:
        rows = json.load(data)["departements"]["rows"]
    return {code: Departement(code=code, name=name) for code, name, *_ in rows}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("42", "de la Loire"),
        ("69", "du Rhône"),
        ("01", "de l’Ain"),
        ("13", "des Bouches-du-Rhône"),
        ("75", "de Paris"),
        ("35", "d’Ille-et-Vilaine"),
        ("41", "de Loir-et-Cher"),
        ("2A", "de la Corse-du-Sud"),
        ("974", "de La Réunion"),
        ("22", "des Côtes-d'Armor"),
    ],
)
def test_departement_name_after_de_takes_its_article(code, expected):
    assert of_departement(departements()[code]) == expected


def test_every_departement_has_one_form():
    forms = {code: of_departement(departement) for code, departement in departements().items()}
    assert len(forms) == 101
    # No form repeats an article the name already has, nor forgets the one it needs.
    assert not [form for form in forms.values() if form.startswith(("de Le ", "de Les ", "de La Loire"))]
    assert forms["90"] == "du Territoire de Belfort"


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("association", "associations"),
        ("commune", "communes"),
        ("centre social", "centres sociaux"),
        ("tiers-lieu", "tiers-lieux"),
        ("espace public numérique", "espaces publics numériques"),
        ("médiathèque / bibliothèque", "médiathèques / bibliothèques"),
        ("EPCI", "EPCI"),
        ("France Services", "France Services"),
        ("lieu d’accueil", "lieux d’accueil"),
        ("maison de quartier", "maisons de quartier"),
    ],
)
def test_plural_of_a_label(singular, plural):
    assert plural_of(singular) == plural


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("novembre 2026", "de novembre 2026"),
        ("octobre 2026", "d’octobre 2026"),
        ("avril 2027", "d’avril 2027"),
        ("août 2027", "d’août 2027"),
        ("Hubert", "d’Hubert"),
    ],
)
def test_de_elides_before_a_vowel_or_an_h(word, expected):
    assert of_word(word) == expected
