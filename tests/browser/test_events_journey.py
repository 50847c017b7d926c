"""A Fête du numérique from its creation to the calendar feed, in a real browser, axe-core on every page.

The Loire coordinator creates a public Fête du numérique at Montbrison (two places, so that the
waiting list shows), adds three slots in two rooms, invites a co-organiser who accepts from the
emailed link; two members offer to animate (the second, overlapping offer of one of them is refused)
and the coordinator confirms one; a visitor without an account registers with the keyboard alone and
confirms from the email, a second one lands on the waiting list; the event is in the département's
iCalendar feed, the calendar list and the month view, and its page holds at 320 px.
"""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar
from playwright.sync_api import expect

from advisors.enums import AdvisorRole
from events.enums import AnimatorStatus, EventKind, EventStatus, EventVisibility, OrganiserStatus, RegistrationStatus
from events.models import AnimatorSignup, Event, Registration
from territories.models import Commune, Departement
from tests.advisors.factories import DEFAULT_PASSWORD, AdvisorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TITLE = "Fête du numérique du Forez"
COORDINATOR_EMAIL = "dominique.coordo@exemple.fr"
CO_ORGANISER_EMAIL = "ines.faure@exemple.fr"
VISITOR_EMAIL = "lucie.martin@exemple.fr"
# Three slots, two rooms; the stand overlaps the first workshop (and wants two animators).
SLOTS = [
    ("Atelier smartphone", "10:00", "11:00", "Salle Coignet", "1"),
    ("Stand France Services", "10:30", "12:00", "Hall d’accueil", "2"),
    ("Atelier démarches en ligne", "14:00", "15:30", "Salle Coignet", "1"),
]


@pytest.fixture
def loire_people(loire_territories):
    loire = Departement.objects.get(code="42")
    montbrison = Commune.objects.get(code="42147")
    coordinator = MembershipFactory(
        departement=loire,
        coordinator=True,
        user=UserFactory(email=COORDINATOR_EMAIL, first_name="Dominique", last_name="Coordo"),
    ).user
    co_organiser = AdvisorFactory(
        user=UserFactory(email=CO_ORGANISER_EMAIL, first_name="Inès", last_name="Faure"),
        departement=loire,
        commune=montbrison,
        role=AdvisorRole.CONSEILLER,
    )
    agnes = AdvisorFactory(
        user=UserFactory(email="agnes.perriere@exemple.fr", first_name="Agnès", last_name="Perrière"),
        departement=loire,
        commune=montbrison,
    )
    yanis = AdvisorFactory(
        user=UserFactory(email="yanis.ferrand@exemple.fr", first_name="Yanis", last_name="Ferrand"),
        departement=loire,
        commune=Commune.objects.get(code="42218"),
    )
    return coordinator, co_organiser, agnes, yanis


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def as_user(page, force_login, user, url):
    """Another person, in the same browser: a fresh session for ``user``, on ``url``."""
    page.context.clear_cookies()
    force_login(page, user)
    page.goto(url)


def status_message(page):
    return page.get_by_role("main").locator(".message, [role=status], [role=alert]")


def slot_item(page, title):
    return page.locator("li.programme-slot", has=page.get_by_role("heading", name=title, exact=True))


def link_in(message, path_pattern):
    return re.search(rf"https?://\S+{path_pattern}", message.body)[0]


def test_fete_du_numerique_from_creation_to_feed(page, axe, log_in, force_login, loire_people, mailoutbox):
    coordinator, co_organiser, agnes, yanis = loire_people
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=24)
    day_label = date_format(day, "j F Y")  # « 24 décembre 2026 »

    # 1. The coordinator logs in and creates the Fête du numérique.
    page.goto("/evenements/")
    log_in(page, COORDINATOR_EMAIL, DEFAULT_PASSWORD, axe=axe)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto("/evenements/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un événement")
    axe(page, "creer-evenement")
    page.get_by_label("Type d’événement").select_option(label="fête du numérique")
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Description").fill(
        "Une journée d’ateliers et de stands pour **tout le monde** : smartphone, démarches en ligne, France Services."
    )
    page.get_by_label(re.compile(r"^Date\b")).fill(day.isoformat())
    page.get_by_label("Heure de début").fill("10:00")
    page.get_by_label("Heure de fin").fill("17:00")
    page.get_by_label("en présentiel").check()
    page.get_by_label("Adresse", exact=True).fill("Place de l’Hôtel de ville")
    page.get_by_label("Commune", exact=True).fill("Montbrison")
    page.get_by_label("le grand public").check()
    page.get_by_label("public : tout le monde").check()
    page.get_by_label("Nombre de places").fill("2")
    page.get_by_label("Accessibilité").fill("Salles de plain-pied, boucle magnétique à l’accueil.")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text(f"L’événement « {TITLE} » est publié.")
    event = Event.objects.get()
    assert (event.kind, event.status, event.visibility, event.capacity) == (
        EventKind.FETE,
        EventStatus.PUBLISHED,
        EventVisibility.PUBLIC,
        2,
    )
    assert event.commune.code == "42147"
    assert timezone.localtime(event.starts_at, PARIS).replace(tzinfo=None) == datetime.datetime.combine(
        day, datetime.time(10)
    )
    facts = page.locator(".event-facts")
    expect(facts).to_contain_text(day_label)
    expect(facts).to_contain_text("Montbrison")
    expect(page.locator(".registration-state")).to_contain_text("2 places restantes sur 2")
    axe(page, "evenement-publie")

    # 2. Three slots in local time, then the grid.
    for title, starts, ends, room, wanted in SLOTS:
        page.get_by_role("link", name=re.compile("^Ajouter un créneau")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un créneau")
        if title == SLOTS[0][0]:
            axe(page, "ajouter-creneau")
        page.get_by_label("Titre").fill(title)
        page.get_by_label("Début").fill(starts)
        page.get_by_label(re.compile(r"^Fin\b")).fill(ends)
        page.get_by_label("Salle ou stand").fill(room)
        page.get_by_label("Animateurs recherchés").fill(wanted)
        page.get_by_role("button", name="Ajouter au programme").click()
        expect(page.get_by_role("main")).to_contain_text(f"Le créneau « {title} » est ajouté au programme.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Programme — {TITLE}")
    grid = page.locator("table.programme-grid")
    expect(grid.locator("thead th")).to_have_text(["Horaire", "Hall d’accueil", "Salle Coignet"])
    for title, *_ in SLOTS:
        expect(grid.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(grid.locator("td", has_text="Atelier smartphone")).to_contain_text("10 h – 11 h")
    expect(page.locator(".programme-page .lead")).to_contain_text("3\u00a0créneaux")
    axe(page, "grille-programme")

    # 3. The coordinator invites Inès Faure, who accepts from the emailed link.
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_label("Adresse électronique de la personne à inviter").fill(CO_ORGANISER_EMAIL)
    page.get_by_role("button", name="Inviter à co-organiser").click()
    expect(page.get_by_role("main")).to_contain_text("Invitation envoyée à Inès Faure.")
    axe(page, "invitation-envoyee")
    invitation = next(message for message in mailoutbox if CO_ORGANISER_EMAIL in message.to)
    event_link = link_in(invitation, rf"/evenements/{event.pk}/")
    log_out(page)

    page.goto("/")
    log_in(page, CO_ORGANISER_EMAIL, DEFAULT_PASSWORD)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto(event_link)
    invitation_panel = page.locator("section.manage-invitation")
    expect(invitation_panel).to_contain_text("Dominique Coordo vous invite à co-organiser cet événement.")
    expect(page.get_by_role("link", name="Modifier l’événement")).to_have_count(0)
    axe(page, "invitation-recue")
    invitation_panel.get_by_role("button", name="Accepter").click()
    expect(page.get_by_role("main")).to_contain_text("Vous co-organisez maintenant cet événement")
    assert event.organisers.get(advisor=co_organiser).status == OrganiserStatus.ACCEPTED
    expect(page.get_by_role("region", name="Organisation")).to_contain_text("Inès Faure")
    axe(page, "co-organisatrice")
    page.get_by_role("link", name="Modifier l’événement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Modifier « {TITLE} »")
    expect(page.get_by_label("Titre")).to_have_value(TITLE)
    axe(page, "modifier-evenement")
    log_out(page)

    # 4. Two members offer to animate; Agnès's second, overlapping offer is refused.
    as_user(page, force_login, agnes.user, event.get_absolute_url())
    slot_item(page, "Atelier smartphone").get_by_role("button", name=re.compile("^Je peux animer")).click()
    expect(page.get_by_role("main")).to_contain_text(
        "Merci ! Vous proposez d’animer « Atelier smartphone » : les organisateurs vont confirmer."
    )
    expect(slot_item(page, "Atelier smartphone")).to_contain_text("Vous avez proposé d’animer ce créneau")
    slot_item(page, "Stand France Services").get_by_role("button", name=re.compile("^Je peux animer")).click()
    expect(page.get_by_role("main")).to_contain_text(
        "Vous animez déjà « Atelier smartphone » de 10\u00a0h à 11\u00a0h : "
        "on ne peut pas animer deux créneaux à la fois."
    )
    axe(page, "animer-refus-chevauchement")
    assert list(AnimatorSignup.objects.filter(advisor=agnes).values_list("slot__title", flat=True)) == [
        "Atelier smartphone"
    ]
    # She also takes a place at the event, in one click: one of the two left.
    page.locator("section.registration-panel").get_by_role("button", name="M’inscrire").click()
    expect(page.get_by_role("main")).to_contain_text("Votre inscription est confirmée.")
    expect(page.locator(".registration-state")).to_contain_text("1 place restante sur 2")

    as_user(page, force_login, yanis.user, event.get_absolute_url())
    slot_item(page, "Stand France Services").get_by_role("button", name=re.compile("^Je peux animer")).click()
    expect(page.get_by_role("main")).to_contain_text("Merci ! Vous proposez d’animer « Stand France Services »")
    axe(page, "animer-proposition")

    # The coordinator confirms Agnès.
    as_user(page, force_login, coordinator, event.get_absolute_url())
    workshop = slot_item(page, "Atelier smartphone")
    expect(workshop.locator(".programme-animators")).to_contain_text("Agnès Perrière")
    workshop.get_by_role("button", name=re.compile("^Confirmer Agnès Perrière")).click()
    expect(page.get_by_role("main")).to_contain_text(
        "Agnès Perrière animera « Atelier smartphone » : un courriel l’en informe."
    )
    assert AnimatorSignup.objects.get(advisor=agnes).status == AnimatorStatus.CONFIRMED
    assert any(agnes.user.email in message.to for message in mailoutbox)
    page.get_by_role("link", name=re.compile("^Voir la grille du programme")).click()
    grid = page.locator("table.programme-grid")
    expect(grid.locator("td", has_text="Atelier smartphone")).to_contain_text("Animé par Agnès Perrière")
    expect(grid.locator("td", has_text="Stand France Services")).to_contain_text(
        "Animé par Yanis Ferrand (à confirmer)"
    )
    axe(page, "grille-avec-animateurs")

    # 5. A visitor without an account registers, with the keyboard alone, and confirms by email.
    page.context.clear_cookies()
    page.goto(event.get_absolute_url())
    panel = page.locator("section.registration-panel")
    expect(panel.locator(".registration-state")).to_contain_text("1 place restante sur 2")
    axe(page, "evenement-visiteur")
    name = panel.get_by_label("Prénom et nom")
    name.focus()
    page.keyboard.type("Lucie Martin")
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Adresse électronique")).to_be_focused()
    page.keyboard.type(VISITOR_EMAIL)
    page.keyboard.press("Tab")
    register = panel.get_by_role("button", name="M’inscrire")
    expect(register).to_be_focused()
    focus_ring = register.evaluate(
        "button => { const style = getComputedStyle(button);"
        " return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth),"
        " focusVisible: button.matches(':focus-visible')}; }"
    )
    assert focus_ring["focusVisible"], focus_ring
    assert focus_ring["outline"] != "none" and focus_ring["width"] >= 2, focus_ring
    page.screenshot(path=axe.folder / "focus-bouton-inscription.png")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte de réception")
    expect(page.get_by_role("main")).to_contain_text(VISITOR_EMAIL)
    axe(page, "verifiez-votre-boite")
    registration = Registration.objects.get(email=VISITOR_EMAIL)
    assert registration.status == RegistrationStatus.PENDING and registration.user is None

    pending = next(message for message in mailoutbox if VISITOR_EMAIL in message.to)
    confirm_link = link_in(pending, r"/evenements/inscriptions/[^/\s]+/confirmer/")
    page.goto(confirm_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer mon inscription")
    expect(page.get_by_role("main")).to_contain_text("Inscription au nom de Lucie Martin")
    expect(page.locator("dl.facts")).to_contain_text(f"le {day_label} à 10 h")
    axe(page, "confirmer-inscription")
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.PENDING  # GET changes nothing
    page.get_by_role("main").get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("main")).to_contain_text("Votre inscription est confirmée\u00a0: une place vous attend.")
    axe(page, "inscription-confirmee")
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED

    # A second visitor finds it full and joins the waiting list.
    page.context.clear_cookies()
    page.goto(event.get_absolute_url())
    panel = page.locator("section.registration-panel")
    expect(panel.locator(".registration-state")).to_contain_text("Complet — liste d’attente\u00a0: 0")
    expect(panel).to_contain_text("C’est complet\u00a0: vous rejoindrez la liste d’attente.")
    axe(page, "evenement-complet")
    panel.get_by_label("Prénom et nom").fill("Paul Girard")
    panel.get_by_label("Adresse électronique").fill("paul.girard@exemple.fr")
    panel.get_by_role("button", name="M’inscrire sur la liste d’attente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte de réception")
    waiting = next(message for message in mailoutbox if "paul.girard@exemple.fr" in message.to)
    page.goto(link_in(waiting, r"/evenements/inscriptions/[^/\s]+/confirmer/"))
    page.get_by_role("main").get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("main")).to_contain_text("vous êtes sur la liste d’attente, au rang 1")
    axe(page, "liste-attente")

    # The organisers' list of registrations.
    as_user(page, force_login, coordinator, event.get_absolute_url())
    panel = page.locator("section.registration-panel")
    expect(panel.locator(".registration-state")).to_contain_text("Complet — liste d’attente\u00a0: 1")
    expect(panel).to_contain_text("2 confirmés, 1 en liste d’attente, 0 à confirmer par courriel.")
    axe(page, "panneau-inscription-organisateur")
    panel.get_by_role("link", name="Liste des inscrits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscriptions")
    crumbs = page.get_by_role("navigation", name="Fil d’Ariane")
    expect(crumbs.get_by_role("link", name=TITLE)).to_be_visible()
    expect(crumbs.locator("[aria-current=page]")).to_have_text("Inscriptions")
    at_event = page.get_by_role("region", name="À l’événement")
    lucie = at_event.locator("table.registrations-table tbody tr", has_text="Lucie Martin")
    expect(lucie).to_contain_text(VISITOR_EMAIL)
    expect(lucie).to_contain_text("sans compte")
    # « 30 novembre 2026 à 15 h 07 », as dates read elsewhere.
    expect(lucie).to_contain_text(re.compile(r"\d{4} à \d{1,2}\sh\s\d{2}"))
    expect(at_event.locator("table.registrations-table tbody tr", has_text="Agnès Perrière")).to_be_visible()
    expect(at_event.locator("ol")).to_contain_text("Paul Girard")
    axe(page, "liste-inscrits")

    # 6. The département's feed, as a calendar application fetches it (no session), then the calendar.
    page.context.clear_cookies()
    response = page.request.get("/evenements/flux/42.ics")
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    feed = Calendar.from_ical(response.body())
    vevents = [component for component in feed.walk("VEVENT") if str(component["uid"]) == event.ical_uid]
    assert len(vevents) == 1
    assert str(vevents[0]["summary"]) == TITLE
    assert vevents[0]["dtstart"].params["TZID"] == "Europe/Paris"
    assert vevents[0].decoded("dtstart") == datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS)
    assert "Montbrison" in str(vevents[0]["location"])

    page.goto("/evenements/?departement=42")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Événements à venir")
    expect(page.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    axe(page, "calendrier-liste")
    page.goto(f"/evenements/mois/{day:%Y-%m}/?departement=42")
    expect(page.get_by_role("main").get_by_role("link", name=re.compile(re.escape(TITLE))).first).to_be_visible()
    axe(page, "calendrier-mois")

    # 7. The event page on a 320 px wide phone: nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 720})
    page.goto(event.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page, "evenement-320px")
