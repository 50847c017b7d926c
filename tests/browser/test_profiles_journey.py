"""Profiles in a real browser, with axe-core on every page.

A Loire member fills in three sections of Mon profil (one with a deliberate error, corrected)
and opens it to the public; a newcomer of the same network finds that member from their
commune, then through the directory. Mon profil is also walked with the keyboard alone and
looked at on a 320 px wide phone.
"""

import re

import pytest
from playwright.sync_api import expect

from advisors.enums import AdvisorRole, StructureKind, Weekday
from territories.models import Commune, Departement
from tests.advisors.factories import (
    DEFAULT_PASSWORD,
    AdvisorFactory,
    LieuFactory,
    OpeningSlotFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

MEMBER_EMAIL = "agnes.perriere@exemple.fr"
NEWCOMER_EMAIL = "yanis.ferrand@exemple.fr"
BIO = "J’accompagne les seniors de la vallée de l’Ondaine dans leurs démarches en ligne."
PHONE = "04 77 10 20 30"
PHONE_ERROR = "Numéro de téléphone non valide (exemple : 04 77 12 34 56)."
SAVE = "Enregistrer la section « {} »"


@pytest.fixture
def loire_network(loire_territories):
    """A member without much of a profile yet, the structure in Firminy she registered (so choosing it
    needs nobody's approval) with a lieu open every weekday, and a newcomer in Saint-Étienne who joined
    the Loire network last week."""
    loire = Departement.objects.get(code="42")
    firminy = Commune.objects.get(code="42095")
    member_user = UserFactory(email=MEMBER_EMAIL, first_name="Agnès", last_name="Perrière")
    structure = StructureFactory(
        name="Centre social de l’Ondaine", kind=StructureKind.CENTRE_SOCIAL, commune=firminy, created_by=member_user
    )
    lieu = LieuFactory(structure=structure, name="Espace numérique du Centre social")
    for weekday in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY):
        OpeningSlotFactory(lieu=lieu, weekday=weekday, opens="09:00", closes="12:00")
        OpeningSlotFactory(lieu=lieu, weekday=weekday, opens="14:00", closes="17:30")
    member = AdvisorFactory(
        user=member_user,
        departement=loire,
        role=AdvisorRole.CONSEILLER,
    )
    newcomer = AdvisorFactory(
        user=UserFactory(email=NEWCOMER_EMAIL, first_name="Yanis", last_name="Ferrand"),
        departement=loire,
        commune=Commune.objects.get(code="42218"),
        newcomer=True,
    )
    return member, newcomer


def completeness(page):
    """The percentage the completeness indicator shows."""
    heading = page.get_by_role("heading", name=re.compile(r"^Profil complet à \d+\s%$"))
    return int(re.search(r"\d+", heading.inner_text())[0])


def section(page, slug):
    return page.locator(f"section#{slug}")


def focused(page):
    """What the keyboard focus is on: its id, its text, and whether its focus ring shows."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                id: element.id,
                text: element.textContent.trim(),
                section: element.closest("section") ? element.closest("section").id : null,
                ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
            };
        }"""
    )


def tab_until(page, wanted, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focused(page)
        if wanted(focus):
            return focus
    raise AssertionError(f"{limit} appuis sur Tab sans atteindre l’élément attendu (dernier : {focus})")


def test_member_edits_profile_and_newcomer_finds_her(page, axe, log_in, loire_network):
    # 1. The member logs in and opens Mon profil from the header.
    page.goto("/")
    log_in(page, MEMBER_EMAIL, DEFAULT_PASSWORD, axe=axe)
    page.get_by_role("banner").get_by_role("link", name="Mon profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    axe(page, "mon-profil")
    start = completeness(page)

    # Identité et rôle: role, structure and the commune typed as people type it.
    identity = section(page, "identite")
    identity.get_by_label("Rôle").select_option(label="médiation numérique")
    identity.get_by_label("Structure").select_option(label="Centre social de l’Ondaine")
    identity.get_by_label("Commune de rattachement").fill("firminy")
    identity.get_by_role("button", name=SAVE.format("Identité et rôle")).click()
    expect(identity.get_by_role("status")).to_have_text("Section « Identité et rôle » enregistrée.")
    expect(identity.get_by_label("Commune de rattachement")).to_have_value("Firminy (42) — 42095")
    after_identity = completeness(page)
    assert after_identity > start
    axe(page, "mon-profil-identite-enregistree")

    # Présentation: a short bio.
    presentation = section(page, "presentation")
    presentation.get_by_label("Présentation").fill(BIO)
    presentation.get_by_role("button", name=SAVE.format("Présentation")).click()
    expect(presentation.get_by_role("status")).to_have_text("Section « Présentation » enregistrée.")
    assert completeness(page) > after_identity

    # Contact: a phone that is not one. The error is French and next to the field, what was
    # typed in this section comes back, and the other sections keep their saved values.
    contact = section(page, "contact")
    contact.get_by_label("Adresse électronique professionnelle").fill("a.perriere@centre-ondaine.fr")
    contact.get_by_label("Téléphone professionnel").fill("pas un numéro")
    contact.get_by_role("button", name=SAVE.format("Contact")).click()
    expect(page).to_have_title(re.compile("^Erreur — Mon profil"))
    expect(page.get_by_role("alert").filter(has_text="La section « Contact » n’a pas été enregistrée")).to_be_visible()
    expect(contact.get_by_role("alert")).to_contain_text("Le formulaire contient 1 erreur")
    phone_field = contact.locator(".field", has=page.get_by_label("Téléphone professionnel"))
    expect(phone_field.locator(".errors")).to_have_text(PHONE_ERROR)
    expect(contact.get_by_label("Téléphone professionnel")).to_have_value("pas un numéro")
    expect(contact.get_by_label("Téléphone professionnel")).to_have_accessible_description(PHONE_ERROR)
    expect(contact.get_by_label("Adresse électronique professionnelle")).to_have_value("a.perriere@centre-ondaine.fr")
    expect(section(page, "presentation").get_by_label("Présentation")).to_have_value(BIO)
    expect(identity.get_by_label("Rôle")).to_have_value(AdvisorRole.MEDIATEUR.value)
    expect(identity.get_by_label("Commune de rattachement")).to_have_value("Firminy (42) — 42095")
    axe(page, "mon-profil-erreur-telephone")
    contact.get_by_label("Téléphone professionnel").fill(PHONE)
    contact.get_by_role("button", name=SAVE.format("Contact")).click()
    expect(contact.get_by_role("status")).to_have_text("Section « Contact » enregistrée.")
    expect(contact.get_by_label("Téléphone professionnel")).to_have_value(PHONE)
    expect(page.locator(".completeness")).not_to_contain_text("un moyen de vous contacter")

    # Visibility: public, so that even visitors find her (without her contact details).
    visibility = section(page, "visibilite")
    visibility.get_by_label("Public : tout le monde").check()
    visibility.get_by_role("button", name=SAVE.format("Visibilité")).click()
    expect(visibility.get_by_role("status")).to_have_text("Section « Visibilité » enregistrée.")

    # Seen as a visitor: the profile and the bio, never the phone.
    page.get_by_role("link", name="Voir comme un visiteur").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("votre profil tel que le voit un visiteur sans compte")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agnès Perrière")
    expect(main).to_contain_text(BIO)
    expect(main).to_contain_text("Les coordonnées des conseillers sont réservées aux personnes connectées.")
    expect(main).not_to_contain_text(PHONE)
    axe(page, "apercu-visiteur")
    page.get_by_role("link", name="Voir comme un membre").click()
    expect(main).to_contain_text(PHONE)
    axe(page, "apercu-membre")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()

    # 2. The newcomer, from the home page picker to the member's commune.
    page.goto("/")
    log_in(page, NEWCOMER_EMAIL, DEFAULT_PASSWORD)
    page.goto("/")
    page.get_by_label("Votre commune ou votre code postal").fill("firminy")
    page.get_by_role("button", name="Voir ma commune").click()
    expect(page).to_have_url(re.compile(r"/territoires/communes/42095/$"))
    axe(page, "commune-firminy")
    page.get_by_role("link", name="Voir qui fait quoi près de Firminy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Qui fait quoi près de Firminy ?")
    # The lieux by distance (Firminy's own first), then the people who intervene there.
    lieux = page.locator("section[aria-labelledby=near-lieux]")
    expect(lieux.get_by_role("heading", level=2)).to_have_text("Les lieux d’accueil à Firminy et à moins de 30 km")
    expect(lieux).to_contain_text("Espace numérique du Centre social")
    expect(lieux).to_contain_text(re.compile(r"Ouvert|Fermé", re.IGNORECASE))
    people = page.locator("section[aria-labelledby=near-advisors]")
    expect(people.get_by_role("heading", level=2)).to_have_text("Les personnes qui interviennent à Firminy")
    expect(people.get_by_role("heading", name="Agnès Perrière")).to_be_visible()
    expect(people).to_contain_text("Médiation numérique")
    axe(page, "pres-de-firminy")

    people.get_by_role("link", name="Agnès Perrière").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agnès Perrière")
    main = page.get_by_role("main")
    expect(main).to_contain_text(BIO)
    expect(main.get_by_role("link", name=PHONE)).to_have_attribute("href", "tel:0477102030")
    expect(main).to_contain_text("a.perriere@centre-ondaine.fr")
    expect(main).not_to_contain_text("Modifier mon profil")
    axe(page, "profil-vu-par-un-membre")

    # Her structure and the lieu where people are welcomed.
    main.get_by_role("link", name="Centre social de l’Ondaine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social de l’Ondaine")
    expect(main).to_contain_text("Agnès Perrière")
    axe(page, "structure")
    main.get_by_role("link", name="Espace numérique du Centre social").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace numérique du Centre social")
    expect(main).to_contain_text("9 h – 12 h, 14 h – 17 h 30")
    axe(page, "lieu")

    # The directory: her commune, and her name typed without accents.
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Conseillers").click()
    axe(page, "annuaire")
    page.get_by_label("Commune").fill("Firminy")
    page.get_by_label("Rechercher un nom, une structure, un mot de la présentation").fill("agnes perriere")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="1 conseiller", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="Agnès Perrière")).to_be_visible()
    expect(main).not_to_contain_text("Yanis Ferrand")
    axe(page, "annuaire-firminy-recherche")


def test_my_profile_with_the_keyboard_alone_and_on_a_phone(page, axe, log_in, loire_network):
    page.goto("/")
    log_in(page, MEMBER_EMAIL, DEFAULT_PASSWORD)
    page.goto("/profil/")

    # 3. Tab reaches the first section's first field, then its save button, each with a visible ring.
    first_field = tab_until(page, lambda focus: focus["section"] == "identite")
    assert first_field["id"] == "id_first_name", first_field
    assert first_field["ring"], "pas d’anneau de focus visible sur le prénom"
    save = tab_until(page, lambda focus: focus["text"].startswith("Enregistrer"), limit=20)
    assert save["section"] == "identite", save
    assert save["text"] == "Enregistrer la section « Identité et rôle »"
    assert save["ring"], "pas d’anneau de focus visible sur le bouton Enregistrer"
    # Enter on the focused button saves the section.
    page.keyboard.press("Enter")
    expect(section(page, "identite").get_by_role("status")).to_have_text("Section « Identité et rôle » enregistrée.")

    # On a 320 px wide phone nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/profil/")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"Mon profil défile horizontalement de {overflow} px à 320 px de large"
    axe(page, "mon-profil-320px")
