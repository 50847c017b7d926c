"""A retour d'expérience from its publication to its moderation, in a real browser, axe-core on every page.

A member who led a past atelier publishes its retour d'expérience with a PDF, tied to the event; another
member finds it by searching without accents (« securiser smartphone »), opens it and marks it useful; a
third reports an error in it; the Loire coordinator finds the report in the network's moderation list and
resolves it.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.resources import pdf_bytes
from events.models import Event
from resources.enums import Licence, ReportReason, ReportStatus, ResourceKind, ResourceStatus
from resources.models import Resource, ResourceReport, ResourceUseful
from territories.models import Commune, Departement
from tests.advisors.factories import DEFAULT_PASSWORD, AdvisorFactory, MembershipFactory, UserFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.browser

EVENT_TITLE = "Atelier co-animé : sécuriser son smartphone"
TITLE = "Retour d’expérience : atelier « Sécuriser son smartphone » à Montbrison"
AUTHOR_EMAIL = "agnes.perriere@exemple.fr"


@pytest.fixture
def loire_people(loire_territories, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    loire = Departement.objects.get(code="42")
    montbrison = Commune.objects.get(code="42147")

    def member(email, first, last):
        return AdvisorFactory(
            user=UserFactory(email=email, first_name=first, last_name=last), departement=loire, commune=montbrison
        )

    author = member(AUTHOR_EMAIL, "Agnès", "Perrière")
    reader = member("yanis.ferrand@exemple.fr", "Yanis", "Ferrand")
    reporter = member("ines.faure@exemple.fr", "Inès", "Faure")
    coordinator = MembershipFactory(
        departement=loire,
        coordinator=True,
        user=UserFactory(email="dominique.coordo@exemple.fr", first_name="Dominique", last_name="Coordo"),
    ).user
    starts = timezone.now() - timedelta(days=12)
    event = EventFactory(
        departement=loire, title=EVENT_TITLE, lead=author, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    return author, reader, reporter, coordinator, event


def as_user(page, force_login, user, url):
    """Another person, in the same browser: a fresh session for ``user``, on ``url``."""
    page.context.clear_cookies()
    force_login(page, user)
    page.goto(url)


def test_retour_d_experience_published_found_useful_reported_and_resolved(
    page, axe, log_in, force_login, loire_people, tmp_path
):
    author, reader, reporter, coordinator, event = loire_people
    pdf = tmp_path / "bilan-atelier-smartphone.pdf"
    pdf.write_bytes(pdf_bytes("Bilan de l'atelier securiser son smartphone"))

    # 1. The member who led the atelier publishes its retour d'expérience with a PDF.
    page.goto("/ressources/")
    axe(page, "bibliotheque-anonyme")
    log_in(page, AUTHOR_EMAIL, DEFAULT_PASSWORD)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto("/ressources/")
    page.get_by_role("link", name="Partager une ressource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partager une ressource")
    axe(page, "partager")
    page.get_by_label("Type de ressource").select_option(label="retour d’expérience")
    page.get_by_label(re.compile(r"^Titre\b")).fill(TITLE)
    page.get_by_label("Résumé").fill(
        "Douze participants, deux animateurs : ce qui a marché, ce qu’on changerait et le support utilisé."
    )
    page.get_by_label("Fichiers").set_input_files(str(pdf))
    expect(page.get_by_label("Licence Ouverte / Etalab 2.0")).to_be_checked()
    page.get_by_text("Détails facultatifs").click()
    page.get_by_label(re.compile(r"^Contenu\b")).fill(
        "## Ce qui a marché\n\nLes démonstrations sur les téléphones des participants : verrouillage, mises à jour."
    )
    page.get_by_label("Événement d’origine").select_option(value=str(event.pk))
    axe(page, "partager-rempli")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text(f"La ressource « {TITLE} » est publiée.")
    resource = Resource.objects.get(title=TITLE)
    assert (resource.kind, resource.status, resource.licence, resource.event_id) == (
        ResourceKind.RETOUR,
        ResourceStatus.PUBLISHED,
        Licence.ETALAB,
        event.pk,
    )
    stored = resource.files.get()
    assert (stored.original_name, stored.content_type) == ("bilan-atelier-smartphone.pdf", "application/pdf")
    expect(page.get_by_role("link", name="Télécharger bilan-atelier-smartphone.pdf")).to_be_visible()
    expect(page.get_by_role("link", name=EVENT_TITLE)).to_be_visible()
    axe(page, "ressource-publiee")

    # 2. Another member searches without accents, finds it first and marks it useful.
    as_user(page, force_login, reader.user, "/ressources/")
    page.get_by_label("Rechercher", exact=True).fill("securiser smartphone")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator(".resource-list > li")
    expect(results.first).to_contain_text(TITLE)
    axe(page, "recherche-sans-accents")
    results.first.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="C’est utile").click()
    expect(page.get_by_role("main")).to_contain_text("Merci, c’est noté.")
    expect(page.locator("#utile")).to_contain_text("1 membre l’a trouvée utile.")
    expect(page.get_by_role("button", name=re.compile("^Retirer ma mention"))).to_be_visible()
    assert ResourceUseful.objects.filter(resource=resource, user=reader.user).exists()
    axe(page, "utile")

    # 3. A third member reports an error.
    as_user(page, force_login, reporter.user, resource.get_absolute_url())
    page.get_by_role("link", name="Signaler", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signaler « {TITLE} »")
    axe(page, "signaler")
    page.get_by_label("erreur", exact=True).check()
    page.get_by_label("Précisions (facultatif)").fill("Le support parle de l’ancienne version d’Android.")
    page.get_by_role("main").get_by_role("button", name="Signaler").click()
    expect(page.get_by_role("main")).to_contain_text("Merci, la coordination du réseau est prévenue.")
    report = ResourceReport.objects.get(resource=resource)
    assert (report.reason, report.status, report.user_id) == (ReportReason.ERROR, ReportStatus.OPEN, reporter.user_id)
    axe(page, "signalement-envoye")

    # 4. The coordinator finds it in the network's moderation list and resolves it.
    as_user(page, force_login, coordinator, resource.get_absolute_url())
    page.get_by_role("link", name="Signalements du réseau").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signalements à traiter")
    card = page.locator("article.card", has=page.get_by_role("link", name=TITLE))
    expect(card).to_contain_text("Erreur")
    expect(card).to_contain_text("Le support parle de l’ancienne version d’Android.")
    axe(page, "signalements")
    card.get_by_role("button", name="Classer le signalement").click()
    expect(page.get_by_role("main")).to_contain_text("Le signalement est traité.")
    expect(page.get_by_role("main")).to_contain_text("Aucun signalement à traiter.")
    report.refresh_from_db()
    assert (report.status, report.resolved_by_id) == (ReportStatus.RESOLVED, coordinator.pk)
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.PUBLISHED
    axe(page, "signalement-traite")
    assert Event.objects.get(pk=event.pk).resources.get() == resource


def test_the_demo_library_passes_axe(page, axe, force_login, loire_territories, settings, tmp_path):
    """seed_demo's resources in the browser: a PDF previewed, an image, an OpenDocument file to download, the
    library searched and the coordination's moderation list — what a demo visitor opens first."""
    import io

    from django.core.management import call_command

    from advisors.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    ameli = Resource.objects.get(title="Créer son compte ameli pas à pas")
    photos = Resource.objects.get(title="Sauvegarder les photos de son téléphone")
    seminaire = Resource.objects.get(event__title="Séminaire départemental : l’accueil des publics éloignés")

    page.goto(ameli.get_absolute_url())
    expect(page.locator("object[type='application/pdf']")).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile(r"^Télécharger .*\.pdf$"))).to_be_visible()
    axe(page, "demo-fiche-pdf")
    response = page.request.get(page.get_by_role("link", name=re.compile(r"^Télécharger")).get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-1.4")
    page.goto(photos.get_absolute_url())
    expect(page.locator(".resource-files img")).to_have_count(1)
    assert page.locator(".resource-files img").evaluate("image => image.naturalWidth") == 320
    axe(page, "demo-fiche-image")
    page.goto("/ressources/?q=accueil+publics+eloignes")
    expect(page.locator(".resource-list > li").first).to_contain_text(seminaire.title)
    axe(page, "demo-recherche")

    force_login(page, User.objects.get(email="coordination1@demo.maillage.fr"))
    page.goto(seminaire.get_absolute_url())
    expect(page.get_by_role("link", name=re.compile(r"^Télécharger .*\.odt$"))).to_be_visible()
    axe(page, "demo-retour-odt")
    page.goto("/ressources/signalements/?departement=42")
    expect(page.locator("article.card")).to_have_count(3)
    axe(page, "demo-signalements")
