"""The calendar: upcoming events with their filters, the month view and the past events (issue 10)."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.enums import Audience, EventKind, EventMode, EventStatus, RegistrationStatus
from tests.advisors.factories import AdvisorFactory, LieuFactory
from tests.events.factories import (
    AnimatorSignupFactory,
    EventFactory,
    OrganiserFactory,
    RegistrationFactory,
    SlotFactory,
)
from tests.pages import field_errors, page_text
from tests.skills.factories import SkillFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(year, month, day, hour, tz=PARIS):
    return datetime.datetime(year, month, day, hour, tzinfo=tz)


def titles(response):
    return [event.title for event in response.context["page"].object_list]


@pytest.fixture
def visitor_client(client):
    return client


# --- The list -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upcoming_public_events_for_a_visitor(client, loire, saint_etienne):
    soon = EventFactory(departement=loire, public=True, title="Café-visio de décembre", commune=saint_etienne)
    EventFactory(departement=loire, title="Réservée au réseau")
    EventFactory(departement=loire, public=True, draft=True, title="Brouillon")
    EventFactory(departement=loire, public=True, past=True, title="Déjà passée")
    response = client.get("/evenements/")
    assert response.status_code == 200
    assert titles(response) == [soon.title]
    text = page_text(response)
    assert "1 événement à venir" in text
    assert "Saint-Étienne" in text
    assert f'href="/evenements/{soon.pk}/"' in response.content.decode()


@pytest.mark.django_db
def test_list_item_shows_date_kind_place_status_and_places(client, loire, saint_etienne):
    lieu = LieuFactory(structure__commune=saint_etienne, name="Médiathèque Tarentaize")
    start = timezone.localtime() + datetime.timedelta(days=20)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    event = EventFactory(
        departement=loire,
        public=True,
        kind=EventKind.ATELIER,
        lieu=lieu,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=12,
    )
    RegistrationFactory.create_batch(3, event=event)
    RegistrationFactory(event=event, waitlisted=True)
    RegistrationFactory(event=event, slot=SlotFactory(event=event))  # a slot's place is not the event's
    EventFactory(departement=loire, public=True, cancelled=True, title="Annulée")
    EventFactory(departement=loire, public=True, status=EventStatus.POSTPONED, title="Reportée")
    EventFactory(departement=loire, public=True, mode=EventMode.DISTANCIEL, title="En visio")
    response = client.get("/evenements/")
    text, html = page_text(response), response.content.decode()
    day = f"{start:%d}".lstrip("0")
    assert ", 10 h – 12 h" in text and day in text
    assert "Atelier co-animé" in text
    assert "Médiathèque Tarentaize, Saint-Étienne" in text
    assert "9 places restantes" in text
    assert html.count('<span class="badge badge-no">Annulé</span>') == 1
    assert html.count('<span class="badge badge-wait">Reporté</span>') == 1
    assert "À distance" in text


@pytest.mark.django_db
def test_dates_read_in_french_with_the_weekday(client, loire):
    EventFactory(departement=loire, public=True, starts_at=at(2036, 12, 9, 10), ends_at=at(2036, 12, 9, 12))
    assert "mardi 9 décembre 2036, 10 h – 12 h" in page_text(client.get("/evenements/"))


@pytest.mark.django_db
def test_an_event_in_la_reunion_shows_its_local_time(client):
    reunion = DepartementFactory(code="974", name="La Réunion", timezone="Indian/Reunion")
    local = zoneinfo.ZoneInfo("Indian/Reunion")
    EventFactory(
        departement=reunion, public=True, starts_at=at(2036, 6, 2, 14, local), ends_at=at(2036, 6, 2, 16, local)
    )
    text = page_text(client.get("/evenements/?departement=974"))
    # 14 h in La Réunion is noon in Paris: the page shows the time of the event's département.
    assert "lundi 2 juin 2036, 14 h – 16 h (heure locale)" in text
    assert "12 h" not in text


@pytest.mark.django_db
def test_events_over_several_days(client, loire):
    EventFactory(departement=loire, public=True, starts_at=at(2036, 6, 2, 14), ends_at=at(2036, 6, 3, 12))
    assert "du lundi 2 juin 2036 à 14 h au mardi 3 juin 2036 à 12 h" in page_text(client.get("/evenements/"))


# --- Visibility -----------------------------------------------------------------------------------


@pytest.fixture
def mixed_events(loire, savoie):
    return {
        "public": EventFactory(departement=loire, public=True, title="Publique"),
        "reseau": EventFactory(departement=loire, title="Réseau"),
        "draft": EventFactory(departement=loire, draft=True, title="Brouillon de la Loire"),
        "savoie_draft": EventFactory(departement=savoie, draft=True, title="Brouillon de Savoie"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, {"Publique"}),
        ("member", {"Publique", "Réseau"}),
        # Drafts are never in the calendar, not even for the coordination: only their page exists.
        ("other_coordinator", {"Publique", "Réseau"}),
        ("coordinator", {"Publique", "Réseau"}),
        ("outsider", {"Publique"}),
    ],
)
def test_who_sees_which_event(client, request, mixed_events, who, expected):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get("/evenements/?departement=")
    assert set(titles(response)) == expected


@pytest.mark.django_db
def test_a_draft_is_not_in_the_calendar_even_for_its_organisers(client, loire):
    advisor = AdvisorFactory(departement=loire)
    draft = EventFactory(departement=loire, draft=True, title="Mon brouillon", lead=advisor)
    client.force_login(advisor.user)
    assert titles(client.get("/evenements/")) == []
    assert titles(client.get("/evenements/?mes_evenements=on")) == []
    assert client.get(f"/evenements/{draft.pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "member", "coordinator", "other_coordinator"])
def test_list_and_page_agree_on_visibility(client, request, mixed_events, who):
    """What the list shows and what the event page lets in are the same rule (drafts aside: never listed,
    their page open to their organisers and their département's coordination)."""
    user = request.getfixturevalue(who) if who else None
    if user:
        client.force_login(user)
    listed = set(titles(client.get("/evenements/?departement=")))
    for event in mixed_events.values():
        status = client.get(f"/evenements/{event.pk}/").status_code
        if event.status == EventStatus.DRAFT:
            coordinates = who and user.memberships.filter(departement=event.departement, role="coordinator").exists()
            assert status == (200 if coordinates else 404), event.title
        else:
            assert (status == 200) == (event.title in listed), event.title


# --- Filters --------------------------------------------------------------------------------------


@pytest.fixture
def territory_events(loire, savoie, saint_etienne, saint_etienne_metropole, chambery):
    firminy = CommuneFactory(departement=loire, code="42095", name="Firminy", epci=saint_etienne_metropole)
    roanne = CommuneFactory(departement=loire, code="42187", name="Roanne", epci=EPCIFactory(name="Roannais"))
    return {
        "saint_etienne": EventFactory(departement=loire, public=True, commune=saint_etienne, title="À Saint-Étienne"),
        "firminy": EventFactory(departement=loire, public=True, commune=firminy, title="À Firminy"),
        "metropole": EventFactory(
            departement=loire, public=True, epci=saint_etienne_metropole, title="Pour la métropole"
        ),
        "roanne": EventFactory(departement=loire, public=True, commune=roanne, title="À Roanne"),
        "loire": EventFactory(departement=loire, public=True, title="Départemental"),
        "savoie": EventFactory(departement=savoie, public=True, commune=chambery, title="À Chambéry"),
    }


@pytest.mark.django_db
def test_territory_filter_at_three_levels(client, territory_events, saint_etienne_metropole):
    everything = set(titles(client.get("/evenements/?departement=")))
    assert len(everything) == 6
    assert set(titles(client.get("/evenements/?departement=42"))) == everything - {"À Chambéry"}
    assert set(titles(client.get(f"/evenements/?departement=42&epci={saint_etienne_metropole.siren}"))) == {
        "À Saint-Étienne",
        "À Firminy",
        "Pour la métropole",
    }
    # The commune wins over its département and EPCI.
    query = f"departement=42&epci={saint_etienne_metropole.siren}&commune=Saint-Étienne"
    assert titles(client.get(f"/evenements/?{query}")) == ["À Saint-Étienne"]
    assert titles(client.get("/evenements/?departement=&commune=Chambéry")) == ["À Chambéry"]


@pytest.mark.django_db
def test_the_visitors_departement_is_the_default(client, territory_events):
    client.cookies["maillage_dep"] = "73"
    assert titles(client.get("/evenements/")) == ["À Chambéry"]
    assert len(titles(client.get("/evenements/?departement="))) == 6


@pytest.mark.django_db
def test_kind_audience_and_skill_filters(client, loire):
    skill = SkillFactory(name="Intelligence artificielle")
    cafe = EventFactory(departement=loire, public=True, kind=EventKind.CAFE_VISIO, title="Café")
    cafe.skills.add(skill)
    EventFactory(departement=loire, public=True, kind=EventKind.FETE, audience=Audience.GRAND_PUBLIC, title="Fête")
    assert titles(client.get("/evenements/?type=cafe_visio")) == ["Café"]
    assert titles(client.get("/evenements/?public=grand_public")) == ["Fête"]
    assert titles(client.get(f"/evenements/?competence={skill.slug}")) == ["Café"]
    response = client.get("/evenements/?type=nimporte")
    assert response.status_code == 200 and field_errors(response, "type")


@pytest.mark.django_db
def test_date_range_filter(client, loire):
    for day in (1, 10, 20):
        EventFactory(
            departement=loire,
            public=True,
            starts_at=at(2036, 3, day, 10),
            ends_at=at(2036, 3, day, 12),
            title=f"Le {day}",
        )
    assert titles(client.get("/evenements/?du=2036-03-05")) == ["Le 10", "Le 20"]
    assert titles(client.get("/evenements/?au=2036-03-10")) == ["Le 1", "Le 10"]
    assert titles(client.get("/evenements/?du=2036-03-10&au=2036-03-10")) == ["Le 10"]
    assert titles(client.get("/evenements/?du=10/03/2036&au=10/03/2036")) == ["Le 10"]


@pytest.mark.django_db
def test_date_range_days_begin_at_midnight_in_the_departement_chosen(client, django_assert_num_queries):
    """An event at 20 h in Guadeloupe (1 h the next day in Paris) is on the 10th there; in La Réunion, an event at
    2 h (23 h the day before in Paris) is on its own day too."""
    guadeloupe = zoneinfo.ZoneInfo("America/Guadeloupe")
    reunion = zoneinfo.ZoneInfo("Indian/Reunion")
    DepartementFactory(code="971", name="Guadeloupe", timezone="America/Guadeloupe")
    DepartementFactory(code="974", name="La Réunion", timezone="Indian/Reunion")
    EventFactory(
        departement_id="971",
        public=True,
        starts_at=at(2036, 3, 10, 20, guadeloupe),
        ends_at=at(2036, 3, 10, 22, guadeloupe),
        title="Soirée",
    )
    EventFactory(
        departement_id="974",
        public=True,
        starts_at=at(2036, 3, 10, 2, reunion),
        ends_at=at(2036, 3, 10, 4, reunion),
        title="Nuit",
    )
    assert titles(client.get("/evenements/?departement=971&du=2036-03-10&au=2036-03-10")) == ["Soirée"]
    assert titles(client.get("/evenements/?departement=971&du=2036-03-11")) == []
    assert titles(client.get("/evenements/?departement=971&au=2036-03-09")) == []
    assert titles(client.get("/evenements/?departement=974&du=2036-03-10&au=2036-03-10")) == ["Nuit"]
    assert titles(client.get("/evenements/?departement=974&au=2036-03-09")) == []
    # Without a département, days are those of Paris.
    assert titles(client.get("/evenements/?du=2036-03-11&au=2036-03-11")) == ["Soirée"]
    assert titles(client.get("/evenements/?du=2036-03-09&au=2036-03-09")) == ["Nuit"]
    # The zone comes with the département the form reads anyway: no query more than without dates.
    client.get("/evenements/?departement=971")
    with django_assert_num_queries(len(_queries(client, "/evenements/?departement=971"))):
        client.get("/evenements/?departement=971&du=2036-03-10&au=2036-03-10")


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return context.captured_queries


@pytest.mark.django_db
def test_bad_dates_get_a_message_next_to_the_field(client, loire):
    EventFactory(departement=loire, public=True)
    response = client.get("/evenements/?du=2036-03-10&au=2036-03-01")
    assert response.status_code == 200
    assert field_errors(response, "au") == [
        "Cette date précède la date «\u00a0du\u00a0»\u00a0: choisissez une date postérieure."
    ]
    for bad in ("abc", "0001-01-01", "99999-01-01", "2036-02-30"):
        response = client.get(f"/evenements/?du={bad}")
        assert response.status_code == 200 and field_errors(response, "du"), bad


@pytest.mark.django_db
def test_my_events(client, loire):
    me = AdvisorFactory(departement=loire)
    organised = EventFactory(departement=loire, title="J’organise", lead=me)
    animated = EventFactory(departement=loire, title="J’anime")
    AnimatorSignupFactory(slot=SlotFactory(event=animated), advisor=me)
    attended = EventFactory(departement=loire, title="Je participe")
    RegistrationFactory(event=attended, user=me.user)
    waiting = EventFactory(departement=loire, title="J’attends")
    RegistrationFactory(event=waiting, user=me.user, waitlisted=True)
    cancelled = EventFactory(departement=loire, title="Je me suis désinscrit")
    RegistrationFactory(event=cancelled, user=me.user, status=RegistrationStatus.CANCELLED)
    invited = EventFactory(departement=loire, title="Invité seulement")
    OrganiserFactory(event=invited, advisor=me, invited=True)
    EventFactory(departement=loire, title="Rien à voir")
    client.force_login(me.user)
    assert set(titles(client.get("/evenements/?mes_evenements=on"))) == {
        organised.title,
        animated.title,
        attended.title,
        waiting.title,
    }
    assert len(titles(client.get("/evenements/"))) == 7


@pytest.mark.django_db
def test_my_events_is_not_offered_to_visitors(client, loire):
    EventFactory(departement=loire, public=True)
    response = client.get("/evenements/?mes_evenements=on")
    assert 'name="mes_evenements"' not in response.content.decode()
    assert len(titles(response)) == 1


@pytest.mark.django_db
def test_the_result_block_renders_alone(client, loire):
    EventFactory(departement=loire, public=True, title="Seule")
    response = client.get("/evenements/?partial=1")
    html = response.content.decode()
    assert "Seule" in html and "<html" not in html


@pytest.mark.django_db
def test_pages(client, loire, settings):
    settings.PAGE_SIZES = {**settings.PAGE_SIZES, "default": 2}
    for _ in range(5):
        EventFactory(departement=loire, public=True)
    response = client.get("/evenements/?page=3")
    assert len(titles(response)) == 1
    assert client.get("/evenements/?page=abc").status_code == 200
    assert client.get("/evenements/?page=99999999999999999999").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "departement=%00",
        "commune=%00",
        "epci=%00",
        "competence=%00",
        "du=%00",
        "type=%00",
        "departement=" + "9" * 50,
        "commune=" + "a" * 5000,
        "page=%00",
    ],
)
def test_fuzzed_filters_never_break_the_list(client, loire, query):
    for url in ("/evenements/", "/evenements/passes/", "/evenements/mois/"):
        assert client.get(f"{url}?{query}").status_code in (200, 400), (url, query)


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "coordinator"])
def test_list_queries_do_not_grow(client, request, loire, saint_etienne, django_assert_num_queries, who):
    # The département asked for, the choices of the département, EPCI and skill fields, the count, the
    # events; logged in: session, user, memberships (once, for the visibility and the filter form).
    expected = 9 if who else 6
    if who:
        client.force_login(request.getfixturevalue(who))

    def fill(count):
        for _ in range(count):
            event = EventFactory(
                departement=loire, public=True, capacity=20, lieu=LieuFactory(structure__commune=saint_etienne)
            )
            RegistrationFactory.create_batch(2, event=event)

    fill(2)
    with django_assert_num_queries(expected):
        client.get("/evenements/?departement=42")
    fill(8)
    with django_assert_num_queries(expected):
        response = client.get("/evenements/?departement=42")
    assert len(titles(response)) == 10


# --- Month view -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_month_view_is_an_accessible_table(client, loire):
    reunion = DepartementFactory(reunion=True)
    local = zoneinfo.ZoneInfo("Indian/Reunion")
    fete = EventFactory(
        departement=loire,
        public=True,
        starts_at=at(2036, 12, 9, 10),
        ends_at=at(2036, 12, 9, 17),
        title="Fête du numérique",
    )
    # 1 h in La Réunion on 1 December is still 30 November in Paris: it belongs to 1 December.
    EventFactory(
        departement=reunion,
        public=True,
        starts_at=at(2036, 12, 1, 1, local),
        ends_at=at(2036, 12, 1, 3, local),
        title="Tôt à La Réunion",
    )
    EventFactory(
        departement=loire,
        public=True,
        starts_at=at(2036, 11, 28, 10),
        ends_at=at(2036, 11, 28, 12),
        title="En novembre",
    )
    response = client.get("/evenements/mois/2036-12/?departement=")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>Calendrier des événements de décembre 2036</caption>" in html
    assert html.count('<th scope="col">') == 7
    assert '<abbr title="lundi">lun.</abbr>' in html
    text = page_text(response)
    assert "9 décembre 10 h · Fête du numérique" in text
    assert "1 décembre 1 h · Tôt à La Réunion" in text
    assert "En novembre" not in text
    assert f'href="/evenements/{fete.pk}/"' in html
    assert 'href="/evenements/mois/2036-11/?departement="' in html
    assert 'href="/evenements/mois/2037-01/?departement="' in html
    assert "2 événements ce mois-ci" in text


@pytest.mark.django_db
def test_month_view_weeks_start_on_monday(client, loire):
    response = client.get("/evenements/mois/2036-12/")
    weeks = response.context["month"].weeks
    assert weeks[0][0].date == datetime.date(2036, 12, 1)  # a Monday
    assert all(len(week) == 7 for week in weeks)


@pytest.mark.django_db
def test_month_view_takes_the_picker_and_the_filters(client, loire):
    EventFactory(
        departement=loire,
        public=True,
        kind=EventKind.CAFE_VISIO,
        starts_at=at(2036, 5, 12, 10),
        ends_at=at(2036, 5, 12, 11),
        title="Café",
    )
    EventFactory(
        departement=loire, public=True, starts_at=at(2036, 5, 13, 10), ends_at=at(2036, 5, 13, 11), title="Rencontre"
    )
    text = page_text(client.get("/evenements/mois/?mois=2036-05&type=cafe_visio"))
    assert "Café" in text and "Rencontre" not in text


@pytest.mark.django_db
def test_a_month_too_full_to_show_whole_says_so_and_where_to_narrow_it(client, loire, monkeypatch):
    monkeypatch.setattr("events.queries.calendar.MONTH_MAX_EVENTS", 3)
    for day in (2, 9, 16, 23):
        EventFactory(departement=loire, public=True, starts_at=at(2036, 5, day, 10), ends_at=at(2036, 5, day, 11))
    response = client.get("/evenements/mois/2036-05/")
    html, text = response.content.decode(), page_text(response)
    assert "Plus de 3 événements ce mois-ci" in text
    assert "Trop d’événements pour tout afficher : choisissez un département." in text
    assert '<a href="#id_departement">choisissez un département</a>' in html
    assert 'id="id_departement"' in html and '<details class="filters-month" open>' in html
    assert [day.date.day for week in response.context["month"].weeks for day in week if day.events] == [2, 9, 16]
    # Within a département still too full, the type is what is left to choose.
    html = client.get("/evenements/mois/2036-05/?departement=42").content.decode()
    assert '<a href="#id_type">choisissez un type d’événement</a>' in html
    # A month that fits: no warning, the filters folded.
    small = client.get("/evenements/mois/2036-06/")
    assert "Trop d’événements" not in page_text(small)
    assert '<details class="filters-month">' in small.content.decode()


@pytest.mark.django_db
def test_a_bad_month_never_breaks(client, loire):
    response = client.get("/evenements/mois/?mois=abc")
    assert response.status_code == 400
    assert "Ce mois n’a pas été reconnu" in page_text(response)
    for bad in ("2036-13", "0000-01", "9999-12"):
        assert client.get(f"/evenements/mois/{bad}/").status_code == 404, bad
    for bad in ("%00", "2036-%00", "99999999999-01", "-1-01", "٢٠٣٦-٠١"):
        assert client.get(f"/evenements/mois/?mois={bad}").status_code == 400, bad
    assert client.get("/evenements/mois/99999999999-01/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "member"])
def test_month_queries_do_not_grow(client, request, loire, django_assert_num_queries, who):
    # As the list, without its count; a member's profile (may they propose an event?).
    expected = 9 if who else 5
    if who:
        client.force_login(request.getfixturevalue(who))

    def fill(count):
        for day in range(1, count + 1):
            EventFactory(
                departement=loire, public=True, starts_at=at(2036, 12, day, 10), ends_at=at(2036, 12, day, 12)
            )

    fill(2)
    with django_assert_num_queries(expected):
        client.get("/evenements/mois/2036-12/?departement=42")
    fill(8)
    with django_assert_num_queries(expected):
        response = client.get("/evenements/mois/2036-12/?departement=42")
    assert response.context["month"].count == 10


# --- Past events ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_past_events_latest_first_with_attendance_and_bilan(client, loire):
    EventFactory(
        departement=loire, public=True, starts_at=at(2025, 3, 1, 10), ends_at=at(2025, 3, 1, 12), title="Mars"
    )
    EventFactory(
        departement=loire,
        public=True,
        starts_at=at(2025, 5, 1, 10),
        ends_at=at(2025, 5, 1, 12),
        title="Mai",
        attendance_count=23,
        report="Belle rencontre.",
    )
    EventFactory(departement=loire, public=True, title="À venir")
    response = client.get("/evenements/passes/")
    assert titles(response) == ["Mai", "Mars"]
    text = page_text(response)
    assert "23 participants" in text
    assert "Bilan disponible" in text and "Pas encore de bilan" in text


@pytest.mark.django_db
def test_past_queries_do_not_grow(client, loire, django_assert_num_queries):
    def fill(count):
        for index in range(count):
            EventFactory(
                departement=loire,
                public=True,
                starts_at=at(2025, 1, index + 1, 10),
                ends_at=at(2025, 1, index + 1, 12),
                report="Bilan",
            )

    fill(2)
    with django_assert_num_queries(6):
        client.get("/evenements/passes/?departement=42")
    fill(8)
    with django_assert_num_queries(6):
        response = client.get("/evenements/passes/?departement=42")
    assert len(titles(response)) == 10


# --- « Prochains événements » on the overview pages ------------------------------------------------


@pytest.mark.django_db
def test_departement_page_shows_its_next_events(client, loire, savoie, django_assert_num_queries):
    for index in range(6):
        EventFactory(
            departement=loire,
            public=True,
            starts_at=at(2036, 1, index + 1, 10),
            ends_at=at(2036, 1, index + 1, 12),
            title=f"Loire {index}",
        )
    EventFactory(
        departement=loire, title="Réservée au réseau", starts_at=at(2035, 12, 1, 10), ends_at=at(2035, 12, 1, 12)
    )
    EventFactory(departement=savoie, public=True, title="En Savoie")
    response = client.get("/territoires/42/")
    text = page_text(response)
    assert "Prochains événements" in text
    assert [event.title for event in response.context["events"]] == ["Loire 0", "Loire 1", "Loire 2", "Loire 3"]
    assert "En Savoie" not in text and "Réservée au réseau" not in text
    assert 'href="/evenements/?departement=42"' in response.content.decode()
    assert "Tous les événements du réseau de la Loire" in text


@pytest.mark.django_db
def test_near_me_shows_the_events_of_the_epci_and_the_departement(
    client, loire, savoie, saint_etienne, saint_etienne_metropole
):
    # A commune of the métropole across the border (EPCI span départements): its events serve Saint-Étienne.
    across = CommuneFactory(departement=savoie, code="73999", name="Outre-limite", epci=saint_etienne_metropole)
    EventFactory(departement=savoie, public=True, commune=across, title="Dans la métropole, en Savoie")
    EventFactory(departement=loire, public=True, title="Dans la Loire")
    EventFactory(departement=savoie, public=True, title="Ailleurs en Savoie")
    response = client.get(f"/pres-de-chez-moi/{saint_etienne.code}/")
    assert response.status_code == 200
    assert {event.title for event in response.context["events"]} == {"Dans la métropole, en Savoie", "Dans la Loire"}
    assert "Prochains événements" in page_text(response)


@pytest.mark.django_db
def test_overview_panels_say_when_nothing_is_planned(client, loire):
    assert "Aucun événement à venir pour l’instant" in page_text(client.get("/territoires/42/"))


# --- Links above the calendar ---------------------------------------------------------------------


def _links(response):
    import re

    return set(re.findall(r'href="([^"]+)"', response.content.decode().replace("&amp;", "&")))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/evenements/", "/evenements/mois/", "/evenements/passes/"])
def test_the_calendar_links_to_proposing_invitations_agenda_feed_and_missing_animators(
    client, loire, member, coordinator, outsider, path
):
    create, invitations, agenda = (
        "/evenements/nouveau/?departement=42",
        "/evenements/mes-invitations/",
        "/evenements/mon-agenda/",
    )
    feed, missing = "/evenements/flux/42.ics", "/evenements/animateurs-manquants/?departement=42"
    query = f"{path}?departement=42"

    visitor = _links(client.get(query))
    assert feed in visitor
    assert not {create, invitations, agenda, missing} & visitor
    assert "S’abonner aux événements publics de la Loire" in page_text(client.get(query))
    assert "/evenements/flux/" not in str(_links(client.get(f"{path}?departement=")))  # all of France: no feed

    client.force_login(member)  # a member without a profile cannot publish yet
    links = _links(client.get(query))
    assert {invitations, agenda, feed, missing} <= links and create not in links
    AdvisorFactory(user=member, departement=loire)
    assert create in _links(client.get(query))
    assert "Proposer un événement" in page_text(client.get(query))

    client.force_login(coordinator)
    assert create in _links(client.get(query))

    client.force_login(outsider)  # in no network: their invitations and agenda, nothing to publish
    links = _links(client.get(query))
    assert {invitations, agenda} <= links and create not in links


@pytest.mark.django_db
def test_my_network_links_to_the_events_of_each_network_invitations_and_agenda(client, member):
    client.force_login(member)
    response = client.get("/reseau/")
    links = _links(response)
    assert {
        "/evenements/?departement=42",
        "/evenements/",
        "/evenements/mes-invitations/",
        "/evenements/mon-agenda/",
    } <= links
    assert "Les événements du réseau de la Loire" in page_text(response)
