"""The structures' accent-free search column: every writer fills it, the list's search reads it."""

import pytest

from advisors.enums import StructureKind
from advisors.models import Structure
from advisors.services.places import structure_create, structure_update
from tests.advisors.factories import StructureFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_creating_and_renaming_a_structure_fills_its_search_column(saint_etienne):
    structure = structure_create(commune=saint_etienne, name="Médiathèque Œuvre", kind=StructureKind.MEDIATHEQUE)
    assert Structure.objects.get(pk=structure.pk).search_text == "mediatheque oeuvre"
    structure_update(structure=structure, name="Tiers-lieu L’Élan")
    assert Structure.objects.get(pk=structure.pk).search_text == "tiers lieu l elan"


def test_bulk_created_and_partly_saved_structures_have_their_search_column_too(saint_etienne):
    (created,) = Structure.objects.bulk_create(
        [Structure(name="Espace Numérique Émile", kind=StructureKind.EPN, commune=saint_etienne, departement_id="42")]
    )
    assert Structure.objects.get(pk=created.pk).search_text == "espace numerique emile"
    created.name = "Fablab Étoile"
    created.save(update_fields=["name"])
    assert Structure.objects.get(pk=created.pk).search_text == "fablab etoile"


def test_the_list_finds_a_renamed_structure_by_its_new_name_without_accents(client, saint_etienne):
    structure = StructureFactory(name="Centre social", commune=saint_etienne)
    structure_update(structure=structure, name="Médiathèque Tarentaize")
    text = page_text(client.get("/structures/", {"q": "MEDIATHEQUE tarentaize"}))
    assert "1 structure" in text
    assert "Médiathèque Tarentaize" in text
    assert "0 structure" in page_text(client.get("/structures/", {"q": "centre social"}))
