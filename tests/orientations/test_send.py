"""Orienting a person through the pages: the search, the message with consent, the email, the detail and the slip."""

import re
from datetime import time
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from advisors.enums import PositionSource
from advisors.models import Language
from orientations.models import Orientation
from skills.enums import DomainKind
from skills.models import Domain
from tests.advisors.factories import (
    AdvisorFactory,
    LieuFactory,
    MembershipFactory,
    OpeningSlotFactory,
    PermanenceFactory,
    StructureFactory,
)
from tests.orientations.factories import OrientationFactory
from tests.pages import field_errors, page_text
from tests.territories.factories import CommuneFactory

HOME = (45.4340, 4.3900)
KM = 1 / 111.2


@pytest.fixture
def service(db):
    return Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position").first()


@pytest.fixture
def home(saint_etienne):
    saint_etienne.latitude, saint_etienne.longitude = HOME
    saint_etienne.save()
    return saint_etienne


@pytest.fixture
def sender(loire, home):
    structure = StructureFactory(commune=home, name="Centre social Beaubrun")
    return AdvisorFactory(departement=loire, commune=home, structure=structure, user__first_name="Sam").user


def make_lieu(service, km, name, **fields):
    commune = CommuneFactory(latitude=HOME[0] + km * KM, longitude=HOME[1], name=f"Commune de {name}")
    structure = StructureFactory(commune=commune, name=f"Structure {name}")
    structure.services.add(service)
    return LieuFactory(
        structure=structure,
        name=name,
        address="3 rue de la Paix",
        latitude=HOME[0] + km * KM,
        longitude=HOME[1],
        position_source=PositionSource.TYPED,
        **fields,
    )


def criteria(service, home, **extra):
    return {"service": service.slug, "commune": home.label, **extra}


def normalized(response):
    return page_text(response).replace("\u00a0", " ")


# ---- The search ----


def test_search_lists_who_fits_with_reasons(client, sender, service, home, django_assert_max_num_queries):
    lieu = make_lieu(service, 4, "Espace Tarentaize", public_phone="04 77 00 00 00")
    OpeningSlotFactory(lieu=lieu, weekday=5, opens=time(9), closes=time(12))
    make_lieu(service, 2, "Fermé le samedi")
    client.force_login(sender)

    url = reverse("orientations:new")
    response = client.get(url, criteria(service, home, jours=[5], moment="morning"))

    assert response.status_code == 200
    text = normalized(response)
    assert "Espace Tarentaize" in text
    assert "à 4 km" in text and "ouvert le samedi matin" in text
    assert "pas ouvert le samedi matin" in text  # the nearer one, marked
    assert text.index("Espace Tarentaize") < text.index("Fermé le samedi")
    html = response.content.decode()
    assert f"?lieu={lieu.pk}&amp;service={service.slug}" in html


def test_search_query_count_is_constant(client, sender, service, home, loire):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(sender)
    counts = []
    for size in (2, 12):
        for index in range(size):
            lieu = make_lieu(service, index % 25, f"Lieu {size}-{index}")
            AdvisorFactory(departement=loire, structure=lieu.structure, commune=home).languages.add(
                Language.objects.get(code="pt")
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("orientations:new"), criteria(service, home, langue="pt", jours=[1]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 14


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"commune": "Zzzyx"}, "commune", "Aucune commune ne correspond à « Zzzyx »"),
        ({"service": "inconnu"}, "service", "Choisissez un service de la liste."),
        ({"jours": ["9"]}, "jours", "Choisissez des jours de la semaine."),
        ({"langue": "zz"}, "langue", "Choisissez une langue de la liste."),
    ],
)
def test_search_bad_input_says_why_in_french(client, sender, service, home, data, field, message):
    client.force_login(sender)
    response = client.get(reverse("orientations:new"), {**criteria(service, home), **data})
    assert response.status_code == 200
    assert any(error.startswith(message) for error in field_errors(response, field))
    assert "Qui peut l’aider" not in page_text(response)


def test_search_without_a_need_asks_for_one(client, sender, home):
    client.force_login(sender)
    response = client.get(reverse("orientations:new"), {"commune": home.label})
    assert "Indiquez le besoin : un service ou une thématique précise." in normalized(response)


def test_search_is_for_members_only(client, outsider, pending_member):
    for user in (outsider, pending_member):
        client.force_login(user)
        assert client.get(reverse("orientations:new")).status_code == 403


# ---- The message and the send ----


def compose_url(service, home, **target):
    return f"{reverse('orientations:compose')}?{urlencode({**target, **criteria(service, home, jours=5)})}"


def test_personal_data_needs_the_consent_box(client, sender, service, home):
    lieu = make_lieu(service, 3, "Espace")
    client.force_login(sender)
    url = compose_url(service, home, lieu=lieu.pk)

    response = client.post(url, {"prenom": "Maria", "telephone": "06 12 34 56 78"})

    assert response.status_code == 400
    assert field_errors(response, "consentement") == [
        "Cochez cette case si la personne est d’accord, ou n’indiquez ni son prénom ni ses coordonnées."
    ]
    assert not Orientation.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"prenom": "Maria", "courriel": "pas-une-adresse", "consentement": "on"},
            "courriel",
            "Saisissez une adresse",
        ),
        ({"prenom": "Maria", "telephone": "appelle-moi", "consentement": "on"}, "telephone", "Numéro de téléphone"),
        ({"prenom": "Maria", "consentement": "on"}, "telephone", "Avec son prénom, indiquez"),
        ({"telephone": "0612345678", "consentement": "on"}, "prenom", "Indiquez aussi son prénom"),
        ({"message": "x" * 1001}, "message", "Le message tient en 1000 caractères"),
    ],
)
def test_bad_input_in_the_message_form(client, sender, service, home, data, field, message):
    lieu = make_lieu(service, 3, "Espace")
    client.force_login(sender)
    response = client.post(compose_url(service, home, lieu=lieu.pk), data)
    assert response.status_code == 400
    assert any(error.startswith(message) for error in field_errors(response, field))


def test_sending_to_a_lieu_records_it_and_emails_its_receivers_without_personal_data(
    client, sender, service, home, loire, mailoutbox, django_capture_on_commit_callbacks
):
    lieu = make_lieu(service, 3, "Espace Tarentaize", public_email="accueil@tarentaize.fr")
    colleague = AdvisorFactory(departement=loire, structure=lieu.structure, user__email="camille@tarentaize.fr")
    portuguese = Language.objects.get(code="pt")
    client.force_login(sender)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            compose_url(service, home, lieu=lieu.pk) + "&langue=pt",
            {
                "message": "Maria vient pour son dossier de retraite.",
                "prenom": "Maria",
                "telephone": "06 12 34 56 78",
                "consentement": "on",
            },
        )

    orientation = Orientation.objects.get()
    assert response.status_code == 302 and response["Location"] == orientation.get_absolute_url()
    assert orientation.sender == sender
    assert orientation.sender_structure == sender.advisor.structure
    assert orientation.receiver_lieu == lieu and orientation.receiver_structure == lieu.structure
    assert orientation.departement_id == "42" and orientation.commune == home
    assert orientation.domain == service and orientation.language == portuguese
    assert orientation.free_days == [5]
    assert orientation.consent and orientation.person_first_name == "Maria"
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert sorted(email.to) == ["accueil@tarentaize.fr", colleague.user.email]
    assert service.name in email.body and orientation.get_absolute_url() in email.body
    for private in ("Maria", "06 12 34 56 78", "retraite"):
        assert private not in email.body and private not in email.subject

    page = client.get(response["Location"])
    assert "est envoyée" in normalized(page)
    assert "Maria, 06 12 34 56 78" in normalized(page)


def test_sending_to_an_advisor_without_personal_data(
    client, sender, service, home, loire, mailoutbox, django_capture_on_commit_callbacks
):
    receiver = AdvisorFactory(departement=loire, commune=home, user__email="ana@exemple.fr")
    client.force_login(sender)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(compose_url(service, home, conseiller=receiver.pk), {"message": "Merci !"})

    orientation = Orientation.objects.get()
    assert response.status_code == 302
    assert orientation.receiver_advisor == receiver and not orientation.consent
    assert orientation.person_first_name == "" and orientation.person_phone == ""
    assert [email.to for email in mailoutbox] == [["ana@exemple.fr"]]


def test_the_message_form_without_a_receiver_goes_back_to_the_search(client, sender, service, home):
    client.force_login(sender)
    response = client.get(reverse("orientations:compose") + "?" + urlencode(criteria(service, home)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("orientations:new") + "?service=")


def test_a_hidden_profile_cannot_be_chosen(client, sender, service, home, savoie):
    hidden = AdvisorFactory(departement=savoie, coordinators_only=True)
    client.force_login(sender)
    assert client.get(compose_url(service, home, conseiller=hidden.pk)).status_code == 404


# ---- The orientation and its slip ----


@pytest.fixture
def sent(sender, service, home):
    lieu = make_lieu(
        service, 3, "Espace Tarentaize", public_phone="04 77 12 34 56", booking_url="https://rdv.exemple.fr/t"
    )
    OpeningSlotFactory(lieu=lieu, weekday=1, opens=time(9), closes=time(12))
    OpeningSlotFactory(lieu=lieu, weekday=5, opens=time(9, 30), closes=time(12))
    return OrientationFactory(
        sender=sender, receiver_advisor=None, receiver_lieu=lieu, commune=home, person_first_name="Maria"
    )


def test_detail_for_sender_receiver_and_coordinator(client, sent, loire, django_assert_max_num_queries):
    receiver = AdvisorFactory(departement=loire, structure=sent.receiver_lieu.structure).user
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    url = sent.get_absolute_url()

    client.force_login(sent.sender)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    text = normalized(response)
    assert "Maria" in text and "Prise en charge" not in text  # the sender sees her, changes nothing

    client.force_login(receiver)
    text = normalized(client.get(url))
    assert "Maria" in text and "Prise en charge" in text

    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert "Maria" not in normalized(response)


def test_detail_query_count_does_not_grow_with_hours(client, sent):
    client.force_login(sent.sender)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for weekday in (2, 3, 4):
        OpeningSlotFactory(lieu=sent.receiver_lieu, weekday=weekday)
        with CaptureQueriesContext(connection) as queries:
            client.get(sent.get_absolute_url())
        counts.append(len(queries))
    assert len(set(counts)) == 1


def test_the_slip_fits_in_a_text_message_and_prints(client, sent):
    client.force_login(sent.sender)
    response = client.get(sent.get_absolute_url())
    sms = response.context["slip"].sms
    assert len(sms) <= 160
    assert sms.startswith(
        "Espace Tarentaize. 3 rue de la Paix, 42000 Commune de Espace Tarentaize. Tél. 04 77 12 34 56."
    )
    assert sms in response.content.decode()

    printable = client.get(reverse("orientations:slip", args=[sent.pk]))
    text = normalized(printable)
    assert printable.status_code == 200
    assert "3 rue de la Paix" in text and "04 77 12 34 56" in text and "https://rdv.exemple.fr/t" in text
    assert "samedi : 9 h 30 – 12 h" in text
    assert "css/orientations.css" in printable.content.decode()
    assert 'aria-label="QR code vers la prise de rendez-vous"' in printable.content.decode()


def test_the_slip_gives_the_next_opening_when_she_is_free(sent):
    """She said she is free on Saturdays: the slip sends her on Saturday, not to Tuesday's opening."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from orientations.enums import TimeOfDay
    from orientations.queries.slips import slip

    monday = datetime(2026, 12, 7, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert slip(sent, now=monday).next_opening == "ouvre le mardi 8 décembre à 9 h"
    sent.free_days = [5]
    assert slip(sent, now=monday).next_opening == "ouvre le samedi 12 décembre à 9 h 30"
    assert "Ouvre le samedi 12 décembre" in slip(sent, now=monday).sms
    # Free only in the afternoon, when the lieu never opens: its next opening all the same.
    sent.free_days, sent.free_time = [], TimeOfDay.AFTERNOON
    assert slip(sent, now=monday).next_opening == "ouvre le mardi 8 décembre à 9 h"


def test_a_long_lieu_name_still_fits_by_dropping_the_least_useful(client, sent):
    lieu = sent.receiver_lieu
    lieu.name = "Maison France Services et espace public numérique intercommunal du Haut-Forez"
    lieu.address = "Place de la Mairie, ancien bâtiment de la Poste, rez-de-chaussée"
    lieu.save()
    client.force_login(sent.sender)
    sms = client.get(sent.get_absolute_url()).context["slip"].sms
    assert len(sms) <= 160 and "Tél. 04 77 12 34 56" in sms


def test_others_get_no_orientation(client, sent, loire, savoie):
    for user in (AdvisorFactory(departement=loire).user, MembershipFactory(departement=savoie, coordinator=True).user):
        client.force_login(user)
        assert client.get(sent.get_absolute_url()).status_code == 403
        assert client.get(reverse("orientations:slip", args=[sent.pk])).status_code == 403


def test_mon_reseau_leads_members_to_orient(client, sender, pending_member):
    client.force_login(sender)
    assert reverse("orientations:new") in client.get(reverse("advisors:my_network")).content.decode()
    client.force_login(pending_member)
    assert reverse("orientations:new") not in client.get(reverse("advisors:my_network")).content.decode()


def test_a_coordinator_without_a_profile_orients_too(
    client, coordinator, service, home, loire, django_capture_on_commit_callbacks
):
    receiver = AdvisorFactory(departement=loire, commune=home)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(compose_url(service, home, conseiller=receiver.pk), {})
    orientation = Orientation.objects.get()
    assert response.status_code == 302
    assert orientation.sender == coordinator and orientation.sender_structure is None


def test_the_message_form_query_count(client, sender, service, home, django_assert_max_num_queries):
    lieu = make_lieu(service, 3, "Espace")
    client.force_login(sender)
    with django_assert_max_num_queries(10):
        response = client.get(compose_url(service, home, lieu=lieu.pk))
    assert response.status_code == 200
    assert "Espace" in page_text(response)


@pytest.mark.parametrize(("public", "shown"), [(True, "06 99 88 77 66"), (False, "04 77 55 55 55")])
def test_the_slip_of_an_advisor_gives_their_own_phone_only_when_their_profile_is_public(
    client, sender, home, loire, service, public, shown
):
    structure = StructureFactory(commune=home, name="Médiathèque Tarentaize", phone="04 77 55 55 55")
    lieu = make_lieu(service, 1, "Médiathèque, salle 2")
    receiver = AdvisorFactory(
        departement=loire, structure=structure, phone="06 99 88 77 66", public=public, user__first_name="Ana"
    )
    PermanenceFactory(advisor=receiver, lieu=lieu, weekday=3, opens=time(14), closes=time(17))
    orientation = OrientationFactory(sender=sender, receiver_advisor=receiver, commune=home)
    client.force_login(sender)

    text = normalized(client.get(reverse("orientations:slip", args=[orientation.pk])))

    assert shown in text
    assert "jeudi : 14 h – 17 h, Médiathèque, salle 2" in text
    if not public:
        assert "06 99 88 77 66" not in text


def test_unsaid_she_can_travel_and_the_form_shows_it(client, sender, service, home):
    client.force_login(sender)
    response = client.get(reverse("orientations:new"), criteria(service, home))
    assert response.context["results"].criteria.can_travel
    assert re.search(r'<input type="radio" name="deplacement" value="oui"[^>]*checked', response.content.decode())


def test_the_themes_are_grouped_by_service_and_one_narrows_the_search(client, sender, service, home, loire):
    from tests.skills.factories import AdvisorSkillFactory, SkillFactory

    skill = SkillFactory(domain=service, name="Dossier retraite en ligne")
    AdvisorSkillFactory(advisor=AdvisorFactory(departement=loire, commune=home, user__first_name="Ana"), skill=skill)
    client.force_login(sender)

    response = client.get(reverse("orientations:new"), {"competence": skill.slug, "commune": home.label})

    html = response.content.decode()
    assert re.search(rf'<optgroup label="{service.name}">.*?Dossier retraite en ligne', html, re.S)
    assert "pratique : dossier retraite en ligne" in normalized(response)


def test_the_21st_orientation_in_an_hour_is_refused(
    client, sender, service, home, loire, mailoutbox, django_capture_on_commit_callbacks
):
    """Each orientation emails its receivers (a lieu's public address too): a member sends 20 an hour."""
    lieu = make_lieu(service, 3, "Espace Tarentaize", public_email="accueil@tarentaize.fr")
    client.force_login(sender)
    url = compose_url(service, home, lieu=lieu.pk)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            assert client.post(url, {"message": "Bonjour"}).status_code == 302
    assert Orientation.objects.count() == len(mailoutbox) == 20

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "La 21e"})

    assert response.status_code == 429
    assert "envoyé beaucoup d’orientations en peu de temps" in normalized(response)
    assert Orientation.objects.count() == len(mailoutbox) == 20
    # Another member is not held back by it.
    other = AdvisorFactory(departement=loire, commune=home).user
    client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"message": "Bonjour"}).status_code == 302
    assert Orientation.objects.count() == 21
