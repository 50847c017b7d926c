"""The « Ressources » panels of the skill, département, profile and event pages."""

import pytest

from skills.models import Skill
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_skill_page_lists_its_resources(client, loire):
    skill = Skill.objects.get(name="Bureautique")
    shown = ResourceFactory(departement=loire, title="Tableur pas à pas")
    shown.skills.add(skill)
    hidden = ResourceFactory(departement=loire, title="Réservée au réseau", network=True)
    hidden.skills.add(skill)
    ResourceFactory(departement=loire, title="Autre sujet")
    html = client.get(skill.get_absolute_url()).content.decode()
    assert "Tableur pas à pas" in html
    assert "Réservée au réseau" not in html
    assert "Autre sujet" not in html
    assert f"/ressources/?competence={skill.slug}" in html


def test_departement_page_lists_its_resources(client, loire, savoie):
    ResourceFactory(departement=loire, title="Fiche de la Loire")
    ResourceFactory(departement=savoie, title="Fiche de Savoie")
    html = client.get("/territoires/42/").content.decode()
    assert "Fiche de la Loire" in html
    assert "Fiche de Savoie" not in html
    assert "/ressources/?departement=42" in html


def test_profile_page_lists_the_advisors_resources(client, loire, member):
    from tests.advisors.factories import AdvisorFactory

    advisor = AdvisorFactory(departement=loire, public=True)
    ResourceFactory(departement=loire, title="Sa fiche", authors=[advisor])
    ResourceFactory(departement=loire, title="Sa fiche réseau", authors=[advisor], network=True)
    ResourceFactory(departement=loire, title="Fiche d’une autre")
    html = client.get(advisor.get_absolute_url()).content.decode()
    assert "Sa fiche" in html and "Sa fiche réseau" not in html and "Fiche d’une autre" not in html
    assert f"/ressources/?auteur={advisor.pk}" in html
    client.force_login(advisor.user)
    for preview in ("visiteur", "membre"):
        html = client.get(advisor.get_absolute_url(), {"apercu": preview}).content.decode()
        assert ("Sa fiche réseau" in html) is (preview == "membre")


def test_event_page_lists_the_resources_from_it(client, loire):
    from tests.events.factories import EventFactory

    event = EventFactory(departement=loire, public=True)
    ResourceFactory(departement=loire, title="Retour d’expérience de la fête", event=event)
    ResourceFactory(departement=loire, title="Sans rapport")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Retour d’expérience de la fête" in html and "Sans rapport" not in html
    assert f"/ressources/?evenement={event.pk}" in html
