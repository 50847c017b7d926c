"""Recurring events: « le 2e mardi du mois à 10 h » stays at 10 h local, occurrences are real events
that can be edited or cancelled alone, and extending a series never undoes that."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.enums import EventStatus
from events.models import Event, EventSeries, Organiser
from events.queries.series import WEEKDAY_CODES, rule_normalise, series_label
from events.services.series import series_create, series_extend
from skills.models import Skill
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.events.factories import EventFactory, SlotFactory
from tests.territories.factories import DepartementFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REUNION = zoneinfo.ZoneInfo("Indian/Reunion")
# The second Tuesdays of 2027: before and after the March change (28 March) and the October one (31 October).
SECOND_TUESDAYS_2027 = [
    date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9), date(2027, 4, 13), date(2027, 5, 11),
    date(2027, 6, 8), date(2027, 7, 13), date(2027, 8, 10), date(2027, 9, 14), date(2027, 10, 12),
    date(2027, 11, 9), date(2027, 12, 14),
]  # fmt: skip


@pytest.fixture
def lead(loire):
    return AdvisorFactory(departement=loire)


def _cafe(departement, lead, day=date(2027, 1, 12), zone=PARIS, **fields):
    starts_at = datetime.combine(day, time(10), tzinfo=zone)
    return EventFactory(
        departement=departement,
        kind="cafe_visio",
        title="Café-visio du réseau",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=30),
        online_url="https://visio.exemple.fr/cafe",
        lead=lead,
        **fields,
    )


def _occurrences(series):
    return list(series.events.select_related("departement").order_by("occurrence_date"))


def test_second_tuesday_stays_at_10_local_across_both_daylight_saving_changes(loire, lead):
    first = _cafe(loire, lead)
    series = series_create(event=first, by=lead.user, rule="FREQ=MONTHLY;BYDAY=+2TU")
    series_extend(series=series, until=date(2027, 12, 31))

    occurrences = _occurrences(series)
    assert [event.occurrence_date for event in occurrences] == SECOND_TUESDAYS_2027
    for event in occurrences:
        local = event.starts_at.astimezone(PARIS)
        assert (local.date(), local.time()) == (event.occurrence_date, time(10))
        assert event.ends_at - event.starts_at == timedelta(hours=1, minutes=30)
    utc_hours = {event.occurrence_date: event.starts_at.astimezone(UTC).hour for event in occurrences}
    assert utc_hours[date(2027, 3, 9)] == 9  # winter time, UTC+1
    assert utc_hours[date(2027, 4, 13)] == 8  # summer time after 28 March, UTC+2
    assert utc_hours[date(2027, 10, 12)] == 8  # still summer time
    assert utc_hours[date(2027, 11, 9)] == 9  # winter time again after 31 October
    assert series_label(series) == "le 2e mardi du mois à 10\u00a0h"


def test_a_reunion_cafe_visio_is_at_10_in_la_reunion_all_year(lead):
    reunion = DepartementFactory(reunion=True)
    first = _cafe(reunion, lead, zone=REUNION)
    series = series_create(event=first, by=lead.user, rule="FREQ=MONTHLY;BYDAY=+2TU")
    series_extend(series=series, until=date(2027, 12, 31))

    occurrences = _occurrences(series)
    assert len(occurrences) == 12
    assert {event.starts_at.astimezone(REUNION).time() for event in occurrences} == {time(10)}
    assert {event.starts_at.astimezone(UTC).hour for event in occurrences} == {6}  # UTC+4, no summer time
    assert {event.departement_id for event in occurrences} == {"974"}


def test_occurrences_copy_the_first_event_its_accepted_organisers_skills_and_programme(loire, lead):
    first = _cafe(loire, lead, description="Actualités, puis un thème.", capacity=40)
    Organiser.objects.create(event=first, advisor=AdvisorFactory(departement=loire), status="invite")
    skill = Skill.objects.validated().first()
    first.skills.add(skill)
    SlotFactory(
        event=first,
        title="Actualités du réseau",
        starts_at=first.starts_at,
        ends_at=first.starts_at + timedelta(minutes=30),
    )
    SlotFactory(
        event=first, title="Le thème", starts_at=first.starts_at + timedelta(minutes=30), ends_at=first.ends_at
    )

    series = series_create(event=first, by=lead.user, rule="FREQ=MONTHLY;BYDAY=+2TU")
    series_extend(series=series, until=date(2027, 6, 30))

    april = series.events.get(occurrence_date=date(2027, 4, 13))  # after the March change
    assert (april.title, april.description, april.capacity, april.online_url, april.status) == (
        "Café-visio du réseau",
        "Actualités, puis un thème.",
        40,
        "https://visio.exemple.fr/cafe",
        EventStatus.PUBLISHED,
    )
    assert [(o.advisor_id, o.role) for o in april.organisers.all()] == [(lead.pk, "responsable")]
    assert list(april.skills.all()) == [skill]
    slots = [(slot.title, slot.starts_at.astimezone(PARIS).time()) for slot in april.slots.order_by("starts_at")]
    assert slots == [("Actualités du réseau", time(10)), ("Le thème", time(10, 30))]
    assert april.sequence == 0 and april.attendance_count is None


def test_series_create_makes_the_occurrences_up_to_the_horizon(loire, lead, settings):
    settings.EVENTS_SERIES_HORIZON_DAYS = 183
    first = _cafe(loire, lead, day=timezone.localdate() + timedelta(days=7))
    weekday = WEEKDAY_CODES[first.starts_at.astimezone(PARIS).weekday()]
    series = series_create(event=first, by=lead.user, rule=f"FREQ=WEEKLY;BYDAY={weekday}")

    first.refresh_from_db()
    assert (first.series, first.occurrence_date) == (series, first.starts_at.astimezone(PARIS).date())
    last = series.events.order_by("-occurrence_date").first().occurrence_date
    horizon = timezone.localdate() + timedelta(days=183)
    assert horizon - timedelta(days=7) < last <= horizon
    assert series.events.count() == 26  # one a week, first included
    assert EventSeries.objects.get().generated_until >= last


def test_extending_is_idempotent_and_the_command_says_what_it_did(loire, lead, settings, capsys):
    settings.EVENTS_SERIES_HORIZON_DAYS = 183
    first = _cafe(loire, lead, day=timezone.localdate() + timedelta(days=1))
    series = series_create(event=first, by=lead.user, rule="FREQ=MONTHLY;BYDAY=-1TH")
    count = series.events.count()

    assert series_extend(series=series, until=timezone.localdate() + timedelta(days=183)) == []
    call_command("extend_event_series")
    call_command("extend_event_series")
    assert series.events.count() == count
    assert "0 date(s) créée(s)" in capsys.readouterr().out

    settings.EVENTS_SERIES_HORIZON_DAYS = 400
    call_command("extend_event_series")
    assert series.events.count() > count
    assert "date(s) ajoutée(s)" in capsys.readouterr().out
    call_command("extend_event_series")
    assert "0 date(s) créée(s)" in capsys.readouterr().out


def test_a_cancelled_occurrence_stays_cancelled_an_edited_one_keeps_its_edits(loire, lead):
    first = _cafe(loire, lead)
    series = series_create(event=first, by=lead.user, rule="FREQ=MONTHLY;BYDAY=+2TU")
    series_extend(series=series, until=date(2027, 4, 30))
    cancelled = series.events.get(occurrence_date=date(2027, 2, 9))
    cancelled.status = EventStatus.CANCELLED
    cancelled.save()
    edited = series.events.get(occurrence_date=date(2027, 3, 9))
    edited.title = "Café-visio spécial IA"
    edited.starts_at += timedelta(hours=4)
    edited.ends_at += timedelta(hours=4)
    edited.save()

    series_extend(series=series, until=date(2027, 12, 31))
    # The same dates again, from scratch: nothing changes (the rows are there, the dates already done).
    series.generated_until = date(2027, 1, 12)
    series.save()
    series_extend(series=series, until=date(2027, 12, 31))

    assert series.events.get(occurrence_date=date(2027, 2, 9)).status == EventStatus.CANCELLED
    edited = series.events.get(occurrence_date=date(2027, 3, 9))
    assert edited.title == "Café-visio spécial IA"
    assert edited.starts_at.astimezone(PARIS).time() == time(14)
    assert series.events.count() == 12  # one per date, none made twice


def test_a_deleted_occurrence_does_not_come_back(loire, lead):
    first = _cafe(loire, lead)
    series = series_create(event=first, by=lead.user, rule="FREQ=MONTHLY;BYDAY=+2TU")
    series_extend(series=series, until=date(2027, 4, 30))
    series.events.get(occurrence_date=date(2027, 4, 13)).delete()
    series_extend(series=series, until=date(2027, 12, 31))
    assert not series.events.filter(occurrence_date=date(2027, 4, 13)).exists()
    assert series.events.count() == 11


def test_the_end_date_of_a_series_is_kept(loire, lead):
    first = _cafe(loire, lead)
    series = series_create(event=first, by=lead.user, rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", until=date(2027, 3, 1))
    series_extend(series=series, until=date(2027, 12, 31))
    assert [e.occurrence_date for e in _occurrences(series)] == [
        date(2027, 1, 12), date(2027, 1, 26), date(2027, 2, 9), date(2027, 2, 23),
    ]  # fmt: skip
    assert series_label(series) == "toutes les deux semaines le mardi à 10\u00a0h jusqu’au 1er mars 2027"


@pytest.mark.parametrize(
    ("rule", "label"),
    [
        ("FREQ=WEEKLY;BYDAY=MO", "chaque semaine le lundi à 10\u00a0h"),
        ("FREQ=MONTHLY;BYDAY=1FR", "le 1er vendredi du mois à 10\u00a0h"),
        ("FREQ=MONTHLY;BYDAY=-1TH", "le dernier jeudi du mois à 10\u00a0h"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "selon la règle FREQ=MONTHLY;BYMONTHDAY=15 à 10\u00a0h"),
    ],
)
def test_series_label(rule, label):
    assert series_label(EventSeries(rule=rule, start_time=time(10), starts_on=date(2027, 1, 1))) == label


@pytest.mark.parametrize(
    "rule", ["", "n’importe quoi", "FREQ=HOURLY", "FREQ=MONTHLY;BYDAY=+9ZZ", "FREQ=DAILY;COUNT=99999", "x" * 300]
)
def test_a_rule_a_series_cannot_use_is_refused_in_french(loire, lead, rule):
    with pytest.raises(ValidationError) as error:
        rule_normalise(rule)
    assert error.value.messages[0][0].isupper()
    first = _cafe(loire, lead)
    with pytest.raises(ValidationError):
        series_create(event=first, by=lead.user, rule=rule)
    assert not EventSeries.objects.exists()


# The page « Répéter l’événement »


def test_an_organiser_makes_an_event_recurring_from_its_page(client, loire, lead):
    first = _cafe(loire, lead)
    client.force_login(lead.user)
    url = reverse("events:series_create", args=[first.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Répéter «&nbsp;Café-visio du réseau&nbsp;»" in page.text
    assert 'value="TU" selected' in page.text and 'value="2" selected' in page.text  # guessed from the date

    response = client.post(url, {"frequency": "monthly", "weekday": "TU", "position": "2", "until": ""})
    assert response.status_code == 302
    series = EventSeries.objects.get()
    assert (series.rule, series.start_time, series.until) == ("FREQ=MONTHLY;BYDAY=+2TU", time(10), None)
    assert series.events.count() > 1

    again = client.get(url)
    assert "fait déjà partie d’une série&nbsp;: le 2e mardi du mois à 10\u00a0h" in again.text
    client.post(url, {"frequency": "weekly", "weekday": "MO"})
    assert EventSeries.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"frequency": "monthly", "weekday": "TU", "position": ""}, "position", "Choisissez la semaine du mois"),
        ({"frequency": "zz", "weekday": "TU"}, "frequency", "Sélectionnez un choix valide"),
        ({"frequency": "weekly", "weekday": "XX"}, "weekday", "Sélectionnez un choix valide"),
        (
            {"frequency": "weekly", "weekday": "TU", "until": "2020-01-01"},
            "until",
            "La série commence le 12 janvier 2027",
        ),
        ({"frequency": "weekly", "weekday": "TU", "until": "pas une date"}, "until", "Indiquez une date valide"),
        ({"frequency": "weekly", "weekday": "TU", "until": "9999-12-31"}, "until", "cinq ans au plus"),
        ({"frequency": "monthly", "weekday": "TU", "position": "9" * 30}, "position", "Sélectionnez un choix valide"),
        ({}, "frequency", "Choisissez à quel rythme"),
    ],
)
def test_bad_input_gets_a_french_error_next_to_its_field(client, loire, lead, data, field, message):
    first = _cafe(loire, lead)
    client.force_login(lead.user)
    response = client.post(reverse("events:series_create", args=[first.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text
    assert not EventSeries.objects.exists()


def test_only_those_who_edit_the_event_make_it_recurring(client, loire, lead, member, coordinator):
    first = _cafe(loire, lead)
    url = reverse("events:series_create", args=[first.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"frequency": "weekly", "weekday": "TU"}).status_code == 403
    client.force_login(MembershipFactory(departement=DepartementFactory(savoie=True), coordinator=True).user)
    assert client.post(url, {"frequency": "weekly", "weekday": "TU"}).status_code == 403
    assert not EventSeries.objects.exists()
    client.force_login(coordinator)
    assert client.post(url, {"frequency": "weekly", "weekday": "TU"}).status_code == 302
    assert Event.objects.filter(series__isnull=False).count() > 1
