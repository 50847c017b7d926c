"""From a zone blanche to a person taken in charge, in a real browser, axe-core on every page.

In the Loire's real communes (their points and outlines, as ``import_territories`` loads them), four
structures offer « aide aux démarches administratives »: a département-wide association covering every
commune but the Pays d'Urfé's, France Services in Montbrison, the médiathèque of Savigneux and a centre
social in Boën-sur-Lignon. The Loire coordinator opens the coverage for that service, finds
Saint-Priest-la-Prugne among the zones blanches and opens it from the map with the keyboard. An advisor
then orients a person of Savigneux who speaks Portuguese and is free on Saturdays: the centre social,
17 km away, farther than the médiathèque (no Portuguese) and France Services (closed on Saturdays), comes first and
says why; the advisor sends the orientation there, a counsellor of the centre social takes it in charge
from « Mes orientations », and the sender sees it in the orientations sent.
"""

import re

import pytest
from playwright.sync_api import expect

from advisors.enums import StructureKind, Weekday
from advisors.models import Language
from orientations.enums import OrientationStatus
from orientations.models import Orientation
from skills.models import Domain
from territories.geo import distance_km, format_distance
from territories.models import EPCI, Commune, Departement
from tests.advisors.factories import (
    DEFAULT_PASSWORD,
    AdvisorFactory,
    LieuFactory,
    MembershipFactory,
    OpeningSlotFactory,
    StructureFactory,
    UserFactory,
)
from tests.orientations.factories import OrientationFactory

pytestmark = pytest.mark.browser

SERVICE = "Aide aux démarches administratives"
SERVICE_SLUG = "aide-aux-demarches-administratives"
PAYS_D_URFE = "244200820"  # CC du Pays d'Urfé
ZONE_BLANCHE = "Saint-Priest-la-Prugne"  # 42276, in the Pays d'Urfé's mountains
COORDINATOR_EMAIL = "claire.coordo@exemple.fr"
NEAR = "Médiathèque de Savigneux"  # in her commune, open on Saturdays, nobody speaks Portuguese
PORTUGUESE_WEEKDAYS = "France Services de Montbrison"  # 1.5 km, a Portuguese speaker, closed on Saturdays
FITTING = "Centre social du Lignon"  # Boën-sur-Lignon, 17 km: open on Saturday mornings, Portuguese spoken


@pytest.fixture
def loire_network(loire_territories):
    loire = Departement.objects.get(code="42")
    commune = {c.code: c for c in Commune.objects.filter(departement=loire)}
    montbrison, savigneux, boen, roanne = (commune[c] for c in ("42147", "42299", "42019", "42187"))
    assert all(c.point for c in (montbrison, savigneux, boen, roanne)), "les points des communes ne sont pas chargés"
    service = Domain.objects.get(slug=SERVICE_SLUG)
    portuguese, spanish = Language.objects.get(code="pt"), Language.objects.get(code="es")
    urfe = EPCI.objects.get(siren=PAYS_D_URFE)

    def structure(name, kind, where, perimeter=()):
        created = StructureFactory(name=name, kind=kind, commune=where)
        created.services.add(service)
        created.perimeter.set(perimeter)
        return created

    def lieu(owner, name, where, slots):
        created = LieuFactory(structure=owner, name=name, commune=where, address="1 place de la Mairie")
        for weekday, opens, closes in slots:
            OpeningSlotFactory(lieu=created, weekday=weekday, opens=opens, closes=closes)
        return created

    def advisor(owner, email, first, last, where, languages):
        created = AdvisorFactory(
            user=UserFactory(email=email, first_name=first, last_name=last),
            departement=loire,
            structure=owner,
            commune=where,
        )
        created.languages.set(languages)
        return created

    weekdays = [(day, "09:00", "12:00") for day in range(Weekday.MONDAY, Weekday.SATURDAY)]
    # Every commune of the Loire but the Pays d'Urfé's, without a lieu there.
    association = structure(
        "Loire Numérique Solidaire",
        StructureKind.ASSOCIATION,
        roanne,
        [c for c in commune.values() if c.epci_id != urfe.pk],
    )
    lieu(association, "Point numérique de Roanne", roanne, weekdays)
    france_services = structure("France Services Loire Forez", StructureKind.FRANCE_SERVICES, montbrison)
    lieu(france_services, PORTUGUESE_WEEKDAYS, montbrison, weekdays)
    advisor(france_services, "lucas.moreira@exemple.fr", "Lucas", "Moreira", montbrison, [portuguese])
    # Montbrison: the association's perimeter, France Services' lieu and the médiathèque's perimeter.
    mediatheque = structure("Commune de Savigneux", StructureKind.MEDIATHEQUE, savigneux, [montbrison, savigneux])
    lieu(mediatheque, NEAR, savigneux, [(Weekday.WEDNESDAY, "14:00", "18:00"), (Weekday.SATURDAY, "10:00", "12:00")])
    advisor(mediatheque, "paula.garcia@exemple.fr", "Paula", "Garcia", savigneux, [spanish])
    centre = structure("Association du centre social du Lignon", StructureKind.CENTRE_SOCIAL, boen)
    fitting = lieu(centre, FITTING, boen, [(Weekday.TUESDAY, "14:00", "17:00"), (Weekday.SATURDAY, "09:00", "12:00")])
    receiver = advisor(centre, "joana.ribeiro@exemple.fr", "Joana", "Ribeiro", boen, [portuguese])

    # An earlier orientation to the centre social, from someone else: the receiver picks the right one.
    OrientationFactory(
        receiver_advisor=None,
        receiver_lieu=fitting,
        commune=boen,
        domain=service,
        person_first_name="Gérard",
        sender=AdvisorFactory(departement=loire, commune=boen).user,
    )

    sender = AdvisorFactory(
        user=UserFactory(email="samir.benali@exemple.fr", first_name="Samir", last_name="Benali"),
        departement=loire,
        structure=StructureFactory(name="CCAS de Feurs", kind=StructureKind.CCAS, commune=commune["42094"]),
        commune=commune["42094"],
    )
    coordinator = MembershipFactory(
        departement=loire,
        coordinator=True,
        user=UserFactory(email=COORDINATOR_EMAIL, first_name="Claire", last_name="Coordo"),
    ).user
    return {
        "communes": commune,
        "urfe": urfe,
        "lieux_points": [
            lieu.point for s in (association, france_services, mediatheque, centre) for lieu in s.lieux.all()
        ],
        "fitting": fitting,
        "receiver": receiver,
        "sender": sender,
        "coordinator": coordinator,
        "portuguese": portuguese,
        "service": service,
    }


def as_user(page, force_login, user, url):
    """Another person, in the same browser: a fresh session for ``user``, on ``url``."""
    page.context.clear_cookies()
    force_login(page, user)
    page.goto(url)


def test_coordinator_finds_a_zone_blanche_then_a_person_is_oriented_and_taken_in_charge(
    page, axe, log_in, force_login, loire_network, mailoutbox
):
    network = loire_network
    # What the page must call zones blanches, computed here from the points: the Pays d'Urfé's communes
    # (no structure covers them) farther than 15 km from every lieu.
    expected_blanches = sorted(
        (
            c
            for c in network["communes"].values()
            if c.epci_id == network["urfe"].pk and min(distance_km(c.point, p) for p in network["lieux_points"]) > 15
        ),
        key=lambda c: -c.population,
    )
    assert ZONE_BLANCHE in [c.name for c in expected_blanches]
    assert len(expected_blanches) < len([c for c in network["communes"].values() if c.epci_id == network["urfe"].pk])

    # 1. The coordinator logs in and opens the Loire's coverage, then narrows it to the service.
    page.goto("/")
    log_in(page, COORDINATOR_EMAIL, DEFAULT_PASSWORD, axe=axe)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto("/couverture/?territoire=42")
    expect(page.get_by_role("heading", level=1)).to_have_text("Couverture du territoire : Loire (42)")
    axe(page, "couverture-tous-services")
    page.get_by_label("Service", exact=True).select_option(label=SERVICE)
    page.get_by_role("button", name="Afficher la couverture").click()
    expect(page).to_have_url(re.compile(rf"service={SERVICE_SLUG}"))
    expect(page.get_by_role("heading", level=2, name=re.compile("^En résumé"))).to_have_text(
        "En résumé, pour l’aide aux démarches administratives"
    )
    summary = page.locator(".coverage-summary")
    population = f"{sum(c.population for c in expected_blanches):,}".replace(",", "\u00a0")
    expect(summary.locator(".coverage-zone_blanche")).to_contain_text(
        f"{len(expected_blanches)} communes, {population} habitants, sans lieu à moins de 15 km "
        "pour l’aide aux démarches administratives"
    )
    # Montbrison: three structures overlap there, and the coordinator may propose a rencontre.
    empilements = page.locator(".coverage-empilements")
    expect(empilements.get_by_role("heading", level=3)).to_have_count(1)
    expect(empilements).to_contain_text("Montbrison")
    expect(
        empilements.get_by_role("link", name="Proposer une rencontre d’inter-connaissance à Montbrison")
    ).to_be_visible()
    # The table lists the zones blanches first, the most populated first.
    table = page.get_by_role("table", name=re.compile("^Couverture des 320 communes"))
    rows = table.locator("tbody tr")
    for index, expected in enumerate(expected_blanches):
        expect(rows.nth(index).get_by_role("rowheader")).to_have_text(expected.name)
        expect(rows.nth(index)).to_contain_text("zone blanche")
    row = rows.filter(has=page.get_by_role("rowheader", name=ZONE_BLANCHE, exact=True))
    expect(row.locator("td")).to_have_text(["402", "0", "0", "0", "aucun à moins de 15\u00a0km", "zone blanche"])
    axe(page, "couverture-zones-blanches")

    # 2. She opens the commune from the map, with the keyboard.
    shape = page.get_by_role(
        "link", name=re.compile(rf"^{ZONE_BLANCHE}\s: zone blanche, aucun lieu à moins de 15\skm")
    )
    shape.focus()
    expect(shape).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/territoires/communes/42276/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ZONE_BLANCHE)
    expect(page.get_by_role("main")).to_contain_text("Pays d'Urfé")
    expect(page.get_by_role("main")).to_contain_text(
        f"Aucun conseiller ni lieu d’accueil n’est encore inscrit à {ZONE_BLANCHE} même"
    )
    axe(page, "commune-zone-blanche")

    # 3. An advisor of Feurs orients a person of Savigneux, Portuguese-speaking, free on Saturdays.
    sender = network["sender"]
    as_user(page, force_login, sender.user, "/")
    page.get_by_role("link", name="Mon réseau").click()
    page.get_by_role("link", name="Orienter une personne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter une personne")
    axe(page, "orienter")
    page.get_by_label("Service", exact=True).select_option(label=SERVICE)
    page.get_by_label("Commune de la personne").fill("Savigneux")
    page.get_by_label("Langue", exact=True).select_option(label="portugais")
    page.get_by_role("group", name=re.compile("^Jours où elle est disponible")).get_by_label("samedi").check()
    page.get_by_role("button", name="Voir qui peut l’aider").click()
    savigneux = network["communes"]["42299"]
    expect(page.get_by_role("heading", level=2, name="Qui peut l’aider autour de Savigneux")).to_be_visible()
    lieux = page.get_by_role("list", name="Lieux d’accueil").locator(":scope > li")
    # The one that fits everything first, though 17 km away; then the two nearer ones, each saying what fails.
    expect(lieux.get_by_role("heading", level=4)).to_have_text([FITTING, NEAR, PORTUGUESE_WEEKDAYS])
    first = lieux.first
    expect(first.locator(".match-fits")).to_contain_text(
        [
            format_distance(distance_km(savigneux.point, network["fitting"].point)),
            "propose\u00a0: aide aux démarches administratives",
            "ouvert le samedi",
            "on y parle portugais",
        ]
    )
    expect(first.locator(".match-miss")).to_have_count(0)
    expect(lieux.nth(1).locator(".match-miss")).to_contain_text(
        ["Ne convient pas\u00a0: personne n’y parle portugais"]
    )
    expect(lieux.nth(2).locator(".match-miss")).to_contain_text(["Ne convient pas\u00a0: pas ouvert le samedi"])
    axe(page, "orienter-resultats")

    # 4. The advisor orients her to the centre social, with her first name and phone, with her consent.
    first.get_by_role("link", name=f"Orienter vers ce lieu ({FITTING})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Orienter vers {FITTING}")
    expect(page.locator(".facts")).to_contain_text("portugais")
    expect(page.locator(".facts")).to_contain_text("le samedi")
    axe(page, "orienter-message")
    page.get_by_label("Message au destinataire").fill(
        "Mme Ana a reçu un courrier de la CAF qu’elle ne comprend pas ; elle parle portugais, un peu français."
    )
    page.get_by_label("Prénom de la personne").fill("Ana")
    page.get_by_label("Son téléphone").fill("06 12 34 56 78")
    page.get_by_label("La personne accepte que ces coordonnées soient transmises au destinataire").check()
    page.get_by_role("button", name="Envoyer l’orientation").click()
    orientation = Orientation.objects.get(sender=sender.user)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Orientation n°\u00a0{orientation.pk} vers {FITTING}")
    expect(page.get_by_role("main")).to_contain_text(f"L’orientation vers {FITTING} est envoyée")
    assert (
        orientation.receiver_lieu_id,
        orientation.language_id,
        list(orientation.free_days),
        orientation.person_first_name,
        orientation.consent,
        orientation.status,
    ) == (network["fitting"].pk, "pt", [Weekday.SATURDAY], "Ana", True, OrientationStatus.SENT)
    # The slip sends her on a Saturday, when she is free, not to Tuesday's opening.
    expect(page.get_by_label(re.compile("^Texte du SMS"))).to_have_value(re.compile(r"\b(Ouvre|Ouvert) le samedi "))
    receiver = network["receiver"]
    assert receiver.user.email in {address for message in mailoutbox for address in message.to}
    axe(page, "orientation-envoyee")

    # 5. The centre social's counsellor finds it in « Mes orientations » and takes it in charge.
    as_user(page, force_login, receiver.user, "/")
    page.get_by_role("link", name="Mes orientations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes orientations")
    cards = page.locator(".orientation-list > li")
    expect(cards).to_have_count(2)
    card = cards.filter(has=page.get_by_role("link", name=f"{SERVICE} à Savigneux"))
    expect(card).to_contain_text("Samir Benali")
    expect(card).to_contain_text("Ana")
    axe(page, "orientations-recues")
    card.get_by_role("link", name=f"{SERVICE} à Savigneux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Orientation n°\u00a0{orientation.pk} vers {FITTING}")
    expect(page.locator(".facts")).to_contain_text("Mme Ana a reçu un courrier de la CAF")
    expect(page.get_by_role("link", name="06 12 34 56 78")).to_be_visible()
    axe(page, "orientation-recue")
    sent_before = len(mailoutbox)
    page.get_by_role("button", name=f"Prise en charge (orientation n° {orientation.pk})").click()
    expect(page.get_by_role("main")).to_contain_text(f"Orientation n° {orientation.pk} marquée « prise en charge ».")
    orientation.refresh_from_db()
    assert (orientation.status, orientation.status_changed_by_id) == (OrientationStatus.TAKEN, receiver.user_id)
    assert [message.to for message in mailoutbox[sent_before:]] == [[sender.user.email]]
    axe(page, "prise-en-charge")

    # 6. The sender sees it taken in charge among the orientations sent.
    as_user(page, force_login, sender.user, "/")
    page.get_by_role("link", name="Mes orientations").click()
    page.get_by_role("navigation", name="Mes orientations").get_by_role("link", name="Envoyées").click()
    expect(page.get_by_role("heading", level=2, name="Orientations envoyées")).to_be_visible()
    sent = page.locator(".orientation-list > li")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text(f"{FITTING} (Association du centre social du Lignon), pour Ana")
    expect(sent.locator(".badge")).to_have_text("prise en charge")
    expect(sent).to_contain_text(f"par {receiver.user.display_name}")
    axe(page, "orientations-envoyees")
