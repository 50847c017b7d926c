"""Every page the journey does not visit, once, through axe-core; small screens; the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from territories.models import Commune, Outline
from tests.advisors.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory, RegionFactory
from tests.territories.test_maps import square

pytestmark = pytest.mark.browser


@pytest.fixture
def territories(transactional_db):
    """A little of the Loire, and two homonym communes (Saint-Marcel) in two other départements."""
    loire = DepartementFactory()
    metropole = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    CommuneFactory(
        code="42218", name="Saint-Étienne", departement=loire, epci=metropole, population=172718, postal_codes="42000"
    )
    CommuneFactory(code="42207", name="Saint-Chamond", departement=loire, epci=metropole, postal_codes="42400")
    CommuneFactory(code="42095", name="Firminy", departement=loire, epci=metropole, postal_codes="42700")
    savoie = DepartementFactory(savoie=True)
    saone = DepartementFactory(
        code="71", name="Saône-et-Loire", region=RegionFactory(code="27", name="Bourgogne-Franche-Comté")
    )
    CommuneFactory(code="73253", name="Saint-Marcel", departement=savoie, postal_codes="73600")
    CommuneFactory(code="71445", name="Saint-Marcel", departement=saone, population=6211, postal_codes="71380")
    # Outlines and points, so that the home, département, EPCI and commune pages draw their maps.
    MembershipFactory(departement=loire, coordinator=True)
    for index, code in enumerate(["42", "73", "71"]):
        Outline.objects.create(key=f"departement:{code}", contour=square(4 + index * 0.5, 45.0, 0.5))
    for index, code in enumerate(["42218", "42207", "42095"]):
        Outline.objects.create(key=f"commune:{code}", contour=square(4.3 + index * 0.05, 45.4))
    Commune.objects.filter(code__in=["42218", "42207", "42095"]).update(latitude=45.43, longitude=4.39)
    return loire


# One test for all of them: a browser context and a database per test cost more than a page.
PUBLIC_PAGES = [
    ("accueil", "/", "Qui fait quoi près de chez moi", 200),
    ("territoires", "/territoires/", "Territoires", 200),
    ("departement", "/territoires/42/", "Loire (42)", 200),
    ("epci", "/territoires/epci/244200770/", "Saint-Étienne Métropole", 200),
    ("commune", "/territoires/communes/42218/", "Saint-Étienne", 200),
    ("conseillers", "/conseillers/", "Conseillers et médiateurs", 200),
    ("competences", "/competences/", "Compétences", 200),
    ("evenements", "/evenements/", "Événements", 200),
    ("ressources", "/ressources/", "Ressources", 200),
    ("accessibilite", "/accessibilite/", "Déclaration d’accessibilité", 200),
    ("mentions-legales", "/mentions-legales/", "Mentions légales", 200),
    ("sources", "/sources-des-donnees/", "Sources des données", 200),
    ("404", "/territoires/communes/99999/", "Page introuvable", 404),
]


def test_public_pages_pass_axe(page, axe, territories):
    failures = []
    for name, path, title, status in PUBLIC_PAGES:
        response = page.goto(path)
        try:
            assert response.status == status, f"statut {response.status}, attendu {status}"
            expect(page.get_by_role("heading", level=1)).to_contain_text(title)
            axe(page, name)
        except AssertionError as error:
            failures.append(f"{path} : {error}")
    # Every page is checked before failing: one report lists all the pages to fix.
    assert not failures, "\n\n".join(failures)


def test_ambiguous_commune_lists_the_homonyms(page, axe, territories):
    page.goto("/territoires/communes/?commune=saint+marcel")
    choices = page.get_by_role("group", name="Choisissez la commune").get_by_role("radio")
    expect(choices).to_have_count(2)
    expect(page.get_by_role("main")).to_contain_text("2 communes correspondent à « saint marcel »")
    axe(page, "communes-homonymes")
    page.get_by_label("Saint-Marcel — Savoie (73)").check()
    page.get_by_role("button", name="Voir la commune").click()
    expect(page).to_have_url(re.compile(r"/territoires/communes/73253/$"))
    axe(page, "commune-choisie")


def test_account_forms_with_errors(page, axe, territories):
    page.goto("/compte/login/")
    page.get_by_label("Courriel").fill("personne@exemple.fr")
    page.get_by_label(re.compile(r"^Mot de passe(?!\s*\()")).fill("pas-le-bon-mot-de-passe")
    page.get_by_role("main").get_by_role("button", name=re.compile("^(Se connecter|Connexion)$")).click()
    expect(page.get_by_role("main")).to_contain_text(
        re.compile("(adresse|mot de passe).*(incorrect|ne sont pas)", re.I)
    )
    axe(page, "connexion-erreur")

    page.goto("/compte/signup/")
    page.get_by_label("Courriel").fill("pas-une-adresse")
    page.get_by_label(re.compile(r"^Mot de passe(?!\s*\()")).fill("court")
    page.get_by_role("main").get_by_role("button", name=re.compile("compte")).click()
    expect(page.locator(".errors, .errorlist").first).to_be_visible()
    axe(page, "inscription-erreur")

    page.goto("/compte/password/reset/")
    axe(page, "mot-de-passe-oublie")


def test_membership_request_with_errors(page, axe, force_login, territories):
    force_login(page, UserFactory(first_name="", last_name=""))
    page.goto("/reseau/rejoindre/")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(page.get_by_text("Indiquez la structure pour laquelle vous travaillez.")).to_be_visible()
    axe(page, "demande-erreurs")

    # An ambiguous commune: the choice list appears inside the form, the rest is kept.
    page.get_by_label("Réseau départemental").select_option("73")
    page.get_by_label("Prénom").fill("Alex")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Durand")
    page.get_by_label("Votre structure").fill("Centre social")
    page.get_by_label("Commune où vous exercez").fill("saint marcel")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("group", name="Choisissez la commune").get_by_role("radio")).to_have_count(2)
    expect(page.get_by_label("Votre structure")).to_have_value("Centre social")
    axe(page, "demande-choix-commune")


def test_coordinator_invitations_page(page, axe, force_login, territories):
    coordinator = MembershipFactory(departement=territories, coordinator=True).user
    InvitationFactory(departement=territories, created_by=coordinator, email="deja.invitee@exemple.fr")
    force_login(page, coordinator)
    page.goto("/reseau/42/invitations/")
    expect(page.get_by_role("table")).to_contain_text("deja.invitee@exemple.fr")
    axe(page, "invitations")
    page.get_by_label("Adresse électronique de la personne invitée").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text("Cette adresse électronique n’est pas valide")).to_be_visible()
    axe(page, "invitations-erreur")
    page.goto("/reseau/42/demandes/")
    expect(page.get_by_role("main")).to_contain_text("Aucune demande en attente.")
    axe(page, "demandes-vide")


def test_invitation_landing_page(page, axe, territories):
    invitation = InvitationFactory(departement=territories)
    page.goto(f"/invitation/{invitation.token}/")
    expect(page.get_by_role("main")).to_contain_text("Loire")
    axe(page, "invitation")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 320, "height": 640}}], ids=["320px"])
def test_no_horizontal_scroll_on_a_small_phone(page, axe, territories):
    for name, path in [
        ("accueil", "/"),
        ("departement", "/territoires/42/"),
        ("commune", "/territoires/communes/42218/"),
        ("communes-homonymes", "/territoires/communes/?commune=saint+marcel"),
    ]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=axe.folder / f"320-{name}.png", full_page=True)
        assert width <= 320, f"{path} : {width} px de large à 320 px, la page défile horizontalement"
    page.goto("/")
    axe(page, "accueil-320")


def test_first_tab_reaches_the_visible_skip_link(page, territories):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    viewport = page.viewport_size
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_map_shapes_are_reached_with_tab_show_their_focus_and_print(page, axe, territories):
    """The département map: each commune a link the keyboard reaches, with the site's focus colours; printed,
    the map and its legend stay."""
    page.goto("/territoires/42/")
    drawn = page.get_by_role("group", name="Qui sert les communes du département : Loire (42)")
    expect(drawn.get_by_role("link")).to_have_count(3)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.map')"):
            break
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("aria-label", re.compile(r"^(Firminy|Saint-Chamond|Saint-Étienne)"))
    shape = focused.locator("path")
    assert shape.evaluate("path => getComputedStyle(path).fill") == "rgb(255, 191, 71)"
    assert shape.evaluate("path => getComputedStyle(path).strokeWidth") == "4px"
    name = focused.get_attribute("aria-label").split("\u00a0:")[0]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    page.goto("/territoires/42/")
    page.emulate_media(media="print")
    expect(drawn).to_be_visible()
    assert drawn.bounding_box()["height"] > 100
    expect(page.locator(".map-legend").first).to_be_visible()
    page.pdf(path=str(axe.folder / "departement-impression.pdf"))
