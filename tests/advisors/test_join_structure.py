"""The structure typed in a join request follows the member into Mon profil."""

import re

import pytest
from django.urls import reverse

from advisors.services import network as services
from tests.advisors.factories import MembershipFactory, StructureFactory, UserFactory
from tests.pages import page_text

MY_PROFILE = reverse("advisors:my_profile")


def join(loire, structure_name):
    person = UserFactory(first_name="Inès", last_name="Moulin")
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    membership = services.membership_request(user=person, departement=loire, structure_name=structure_name)
    services.membership_decide(membership=membership, by=coordinator, approve=True)
    return person


def selected_structure(html):
    select = re.search(r'<select name="structure".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)" selected>', select)


@pytest.mark.django_db
def test_a_structure_of_the_departement_is_chosen_in_advance(client, loire, saint_etienne):
    tarentaize = StructureFactory(name="Médiathèque de Tarentaize", commune=saint_etienne)
    StructureFactory(name="Médiathèque Carnot", commune=saint_etienne)
    person = join(loire, "mediatheque de tarentaize ")
    client.force_login(person)
    response = client.get(MY_PROFILE)
    assert selected_structure(response.content.decode()) == [str(tarentaize.pk)]
    assert "vous avez indiqué « mediatheque de tarentaize » : la voici choisie" in page_text(response)


@pytest.mark.django_db
def test_a_structure_not_in_the_list_stays_named(client, loire, saint_etienne):
    StructureFactory(name="Médiathèque Carnot", commune=saint_etienne)
    person = join(loire, "Association Connect’Ondaine")
    client.force_login(person)
    response = client.get(MY_PROFILE)
    assert selected_structure(response.content.decode()) == [""]
    assert "vous avez indiqué « Association Connect’Ondaine » : choisissez-la si elle est dans la liste." in (
        page_text(response)
    )
