"""Organising an event together, in a browser: create it (errors first), invite a co-organiser who
accepts, post a need that a member offers to cover. axe-core on each page."""

import re

import pytest
from django.core import mail

from advisors.enums import LieuApproval
from events.enums import OrganiserStatus
from events.models import Event, NeedOffer
from tests.advisors.factories import AdvisorFactory, LieuFactory, StructureFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_organising_an_event_together(page, axe, force_login, site):
    loire = DepartementFactory()
    epci = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    saint_etienne = CommuneFactory(departement=loire, code="42218", name="Saint-Étienne", epci=epci)
    LieuFactory(
        structure=StructureFactory(commune=saint_etienne, name="Médiathèque Tarentaize"),
        name="Médiathèque Tarentaize",
        approval=LieuApproval.ACCEPTED,
    )
    lead = AdvisorFactory(departement=loire, user__first_name="Camille", user__last_name="Roux")
    guest = AdvisorFactory(
        departement=DepartementFactory(savoie=True), user__first_name="Noé", user__last_name="Blanc"
    )
    helper = AdvisorFactory(departement=loire, user__first_name="Inès", user__last_name="Faure")

    force_login(page, lead.user)
    page.goto("/evenements/nouveau/")
    page.get_by_label("Type d’événement").select_option("rencontre")
    page.get_by_label("Titre").fill("Rencontre des conseillers du Forez")
    page.get_by_label(re.compile(r"^Date\b")).fill("2030-03-12")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Heure de fin").fill("12:00")
    page.get_by_label("hybride (sur place et à distance)").check()
    page.get_by_label("Nombre de places").fill("9999999")
    page.get_by_role("button", name="Publier").click()
    assert page.get_by_text("L’heure de fin doit être après l’heure de début.").is_visible()
    assert page.get_by_text("Indiquez le lien de connexion").is_visible()
    assert page.get_by_text("Choisissez un lieu, ou indiquez une adresse").is_visible()
    axe(page, "creation-avec-erreurs")

    page.get_by_label("Heure de fin").fill("17:00")
    page.get_by_label(re.compile(r"^Lieu\b")).select_option(label="Médiathèque Tarentaize — Saint-Étienne")
    page.get_by_label("Lien de connexion").fill("https://visio.exemple.fr/forez")
    page.get_by_label("Nombre de places").fill("40")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(re.compile(r"/evenements/\d+/$"))
    event = Event.objects.get()
    assert event.capacity == 40

    # The lead invites a member of another network, and posts a need.
    page.get_by_label("Adresse électronique de la personne à inviter").fill(guest.user.email)
    page.get_by_role("button", name="Inviter à co-organiser").click()
    assert page.get_by_text("Invitation envoyée à Noé Blanc.").is_visible()
    assert any(guest.user.email in message.to for message in mail.outbox)
    page.goto(event.get_absolute_url())
    page.get_by_label("Type de besoin").select_option("materiel")
    page.get_by_label("Ce qu’il vous faut").fill("Un vidéoprojecteur et une rallonge")
    page.get_by_role("button", name="Publier le besoin").click()
    assert page.locator(".need p").filter(has_text="Un vidéoprojecteur et une rallonge").is_visible()

    # A member offers to cover it.
    page.context.clear_cookies()
    force_login(page, helper.user)
    page.goto(event.get_absolute_url())
    page.get_by_label("Ce que vous pouvez apporter").fill("Je peux apporter un vidéoprojecteur")
    page.get_by_role("button", name=re.compile("^Proposer mon aide")).click()
    assert NeedOffer.objects.get().user == helper.user
    axe(page, "page-membre-apres-proposition")

    # The guest accepts from « Mes invitations », then sees the panel.
    page.context.clear_cookies()
    force_login(page, guest.user)
    page.goto("/evenements/mes-invitations/")
    axe(page, "mes-invitations")
    page.get_by_role("button", name=re.compile("^Accepter")).click()
    assert event.organisers.get(advisor=guest).status == OrganiserStatus.ACCEPTED

    # The lead's panel: the offer and the actions.
    page.context.clear_cookies()
    force_login(page, lead.user)
    page.goto(event.get_absolute_url())
    assert page.locator(".need-offers").get_by_text("Je peux apporter un vidéoprojecteur").is_visible()
    axe(page, "panneau-organisateurs")
