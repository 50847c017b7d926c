"""Opening hours: the OpenStreetMap string, the French weekly summary and the open/closed status."""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from advisors.opening_hours import (
    closure_label,
    french_time,
    lieu_status,
    osm_opening_hours,
    parse_time,
    public_holiday,
    public_holidays_between,
    status_at,
    week_summary,
)
from tests.advisors.factories import LieuFactory, OpeningSlotFactory, StructureFactory
from tests.territories.factories import CommuneFactory, DepartementFactory

PARIS = ZoneInfo("Europe/Paris")
MO, TU, WE, TH, FR, SA, SU = range(7)


def slot(weekday, opens, closes):
    return SimpleNamespace(weekday=weekday, opens=time.fromisoformat(opens), closes=time.fromisoformat(closes))


def week(*days, hours=(("09:00", "12:00"), ("14:00", "17:00"))):
    return [slot(day, opens, closes) for day in days for opens, closes in hours]


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


# French times


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (time(9), "9 h"),
        (time(14, 30), "14 h 30"),
        (time(9, 5), "9 h 05"),
        (time(0, 0), "0 h"),
        (time(23, 59), "23 h 59"),
    ],
)
def test_french_time(value, text):
    assert french_time(value) == text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9", time(9)),
        ("9h", time(9)),
        ("9 h 30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("14H05", time(14, 5)),
        ("9.30", time(9, 30)),
        ("24h", None),
        ("9 h 3", None),
        ("9h75", None),
        ("midi", None),
        ("", None),
    ],
)
def test_parse_time(typed, expected):
    assert parse_time(typed) == expected


# OpenStreetMap


def test_osm_groups_consecutive_days_with_identical_hours():
    assert osm_opening_hours(week(MO, TU, WE, TH, FR)) == "Mo-Fr 09:00-12:00,14:00-17:00; PH off"


def test_osm_two_consecutive_days_are_listed_and_other_hours_get_their_own_rule():
    slots = week(MO, TU) + [slot(WE, "14:00", "18:00")]
    assert osm_opening_hours(slots) == "Mo,Tu 09:00-12:00,14:00-17:00; We 14:00-18:00; PH off"


def test_osm_days_apart_share_one_rule():
    slots = week(MO, TU, WE, FR) + [slot(SA, "10:00", "12:00")]
    assert osm_opening_hours(slots) == "Mo-We,Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off"


def test_osm_sorts_slots_and_ignores_their_order_and_duplicates():
    slots = [slot(SU, "10:00", "12:00"), slot(MO, "14:00", "17:00"), slot(MO, "09:00", "12:00")]
    slots.append(slot(MO, "09:00", "12:00"))
    assert osm_opening_hours(slots) == "Mo 09:00-12:00,14:00-17:00; Su 10:00-12:00; PH off"


def test_osm_without_slot_is_empty():
    assert osm_opening_hours([]) == ""


def test_osm_whole_week():
    assert osm_opening_hours(week(*range(7), hours=[("08:30", "19:45")])) == "Mo-Su 08:30-19:45; PH off"


# Weekly summary


def test_week_summary_in_french():
    summary = week_summary(week(MO) + [slot(WE, "14:00", "18:30")])
    assert [str(day) for day in summary] == [
        "lundi : 9 h – 12 h, 14 h – 17 h",
        "mardi : fermé",
        "mercredi : 14 h – 18 h 30",
        "jeudi : fermé",
        "vendredi : fermé",
        "samedi : fermé",
        "dimanche : fermé",
    ]
    assert [day.is_closed for day in summary] == [False, True, False, True, True, True, True]


# Status

TUESDAY_MORNING = week(TU, hours=[("09:00", "12:00")])


@pytest.mark.parametrize(
    ("now", "label"),
    [
        (paris(2026, 11, 24, 10, 0), "Ouvert maintenant — ferme à 12 h"),  # Tuesday 10 h
        (paris(2026, 11, 24, 9, 0), "Ouvert maintenant — ferme à 12 h"),  # opening minute
        (paris(2026, 11, 24, 12, 0), "Fermé — ouvre mardi prochain à 9 h"),  # closing minute
        (paris(2026, 11, 24, 8, 59), "Fermé — ouvre aujourd’hui à 9 h"),
        (paris(2026, 11, 23, 18, 0), "Fermé — ouvre demain à 9 h"),  # Monday evening
        (paris(2026, 11, 27, 15, 0), "Fermé — ouvre mardi à 9 h"),  # Friday
        (paris(2026, 11, 29, 23, 59), "Fermé — ouvre mardi à 9 h"),  # Sunday night
    ],
)
def test_status(now, label):
    assert str(status_at(TUESDAY_MORNING, now)) == label


def test_status_between_two_slots_of_the_day():
    status = status_at(week(MO), paris(2026, 11, 30, 12, 30))
    assert status.label == "Fermé — ouvre aujourd’hui à 14 h"
    assert status.is_open is False
    assert status.changes_at == paris(2026, 11, 30, 14, 0)


def test_status_with_minutes():
    slots = [slot(TU, "09:30", "12:15")]
    assert status_at(slots, paris(2026, 11, 23, 20, 0)).label == "Fermé — ouvre demain à 9 h 30"
    assert status_at(slots, paris(2026, 11, 24, 10, 0)).label == "Ouvert maintenant — ferme à 12 h 15"


def test_touching_slots_close_at_the_end_of_the_last_one():
    slots = [slot(MO, "09:00", "12:00"), slot(MO, "12:00", "14:00")]
    status = status_at(slots, paris(2026, 11, 30, 11, 0))
    assert status.label == "Ouvert maintenant — ferme à 14 h"
    assert status.is_open is True


def test_status_without_hours():
    status = status_at([], paris(2026, 11, 30, 11, 0))
    assert status.label == "Horaires non renseignés"
    assert status.is_open is None


def test_status_reads_the_clock_of_the_time_zone_given():
    """10 h in Paris is 13 h in La Réunion: the morning slot there is already closed."""
    slots = week(MO, hours=[("09:00", "12:00")])
    now = paris(2026, 11, 30, 10, 0)
    assert status_at(slots, now, "Europe/Paris").label == "Ouvert maintenant — ferme à 12 h"
    assert status_at(slots, now, "Indian/Reunion").label == "Fermé — ouvre lundi prochain à 9 h"


def test_status_across_summer_time_change():
    """The night clocks go forward (29 March 2026): Monday 9 h is still 9 h on the wall."""
    slots = week(MO, hours=[("09:00", "12:00")])
    status = status_at(slots, paris(2026, 3, 28, 20, 0))
    assert status.label == "Fermé — ouvre lundi à 9 h"
    assert status.changes_at.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


# A lieu overseas: its status is computed in the time zone of its département


@pytest.fixture
def lieu_in_reunion(db):
    reunion = DepartementFactory(reunion=True)
    saint_denis = CommuneFactory(departement=reunion, code="97411", name="Saint-Denis", postal_codes="97400")
    lieu = LieuFactory(structure=StructureFactory(commune=saint_denis))
    OpeningSlotFactory(lieu=lieu, weekday=MO, opens="09:00", closes="12:00")
    return lieu


def _status(lieu, when):
    lieu = type(lieu).objects.select_related("departement").prefetch_related("opening_slots").get(pk=lieu.pk)
    return lieu_status(lieu, when).label


def test_reunion_lieu_is_open_while_paris_clocks_say_it_is_not_yet(lieu_in_reunion):
    # Monday 30 November 2026, 6 h 30 UTC: 7 h 30 in Paris, 10 h 30 in Saint-Denis.
    now = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)
    assert status_at(lieu_in_reunion.opening_slots.all(), now, "Europe/Paris").label == (
        "Fermé — ouvre aujourd’hui à 9 h"
    )
    assert _status(lieu_in_reunion, now) == "Ouvert maintenant — ferme à 12 h"


def test_reunion_lieu_is_already_on_monday_while_paris_is_on_sunday(lieu_in_reunion):
    # Sunday 29 November 2026, 21 h UTC: Sunday 22 h in Paris, Monday 1 h in Saint-Denis.
    now = datetime(2026, 11, 29, 21, 0, tzinfo=UTC)
    assert status_at(lieu_in_reunion.opening_slots.all(), now, "Europe/Paris").label == "Fermé — ouvre demain à 9 h"
    assert _status(lieu_in_reunion, now) == "Fermé — ouvre aujourd’hui à 9 h"


# Public holidays, by département (the ``holidays`` package's France calendar)


@pytest.mark.parametrize(
    ("departement", "day", "name"),
    [
        ("42", date(2026, 12, 25), "Noël"),
        ("42", date(2026, 12, 26), None),
        ("67", date(2026, 12, 26), "Saint-Étienne"),
        ("68", date(2026, 12, 26), "Saint-Étienne"),
        ("57", date(2026, 12, 26), "Saint-Étienne"),
        ("57", date(2026, 4, 3), "Vendredi saint"),
        ("67", date(2026, 4, 3), "Vendredi saint"),
        ("42", date(2026, 4, 3), None),
        ("42", date(2026, 4, 6), "Lundi de Pâques"),
        ("974", date(2026, 12, 20), "Abolition de l’esclavage"),
        ("42", date(2026, 12, 20), None),
        ("971", date(2026, 5, 27), "Abolition de l’esclavage"),
        ("972", date(2026, 5, 22), "Abolition de l’esclavage"),
        ("973", date(2026, 6, 10), "Abolition de l’esclavage"),
        ("976", date(2026, 4, 27), "Abolition de l’esclavage"),
        ("974", date(2026, 5, 27), None),
        ("2A", date(2026, 7, 14), "Fête nationale"),
        ("42", date(2027, 1, 1), "Jour de l’an"),
        ("42", date(2026, 12, 1), None),
    ],
)
def test_public_holiday_of_a_departement(departement, day, name):
    assert public_holiday(departement, day) == name


def test_public_holidays_between_two_days_across_the_new_year():
    assert public_holidays_between("974", date(2026, 11, 30), date(2027, 1, 1)) == [
        (date(2026, 12, 20), "Abolition de l’esclavage"),
        (date(2026, 12, 25), "Noël"),
        (date(2027, 1, 1), "Jour de l’an"),
    ]
    assert public_holidays_between("42", date(2026, 12, 2), date(2026, 12, 24)) == []


WEEKDAYS = week(MO, TU, WE, TH, FR, hours=[("09:00", "12:00")])


def test_closed_on_a_public_holiday_and_the_next_opening_after_it():
    # Friday 25 December 2026, 10 h: open on Fridays, but it is Noël; next opening Monday 28.
    status = status_at(WEEKDAYS, paris(2026, 12, 25, 10, 0), departement_code="42")
    assert status.is_open is False
    assert status.label == "Fermé — jour férié (Noël)"
    assert status.changes_at == paris(2026, 12, 28, 9, 0)
    # Without a département, no holiday is known: the weekly hours alone.
    assert status_at(WEEKDAYS, paris(2026, 12, 25, 10, 0)).label == "Ouvert maintenant — ferme à 12 h"


def test_next_opening_skips_a_public_holiday():
    # Thursday 24 December, 18 h: Friday 25 is Noël, so Monday.
    assert status_at(WEEKDAYS, paris(2026, 12, 24, 18, 0), departement_code="42").label == "Fermé — ouvre lundi à 9 h"
    assert status_at(WEEKDAYS, paris(2026, 12, 24, 18, 0)).label == "Fermé — ouvre demain à 9 h"
    # Thursday 31 December, 18 h: le jour de l'an is a Friday.
    status = status_at(WEEKDAYS, paris(2026, 12, 31, 18, 0), departement_code="42")
    assert status.label == "Fermé — ouvre lundi à 9 h"
    assert status.changes_at == paris(2027, 1, 4, 9, 0)


def test_alsace_closes_on_saint_etienne_and_the_loire_does_not():
    saturday = week(SA, hours=[("09:00", "12:00")])
    when = paris(2026, 12, 26, 10, 0)  # Saturday 26 December
    assert status_at(saturday, when, departement_code="67").label == "Fermé — jour férié (Saint-Étienne)"
    assert status_at(saturday, when, departement_code="42").label == "Ouvert maintenant — ferme à 12 h"
    # Good Friday in Moselle; an ordinary Friday in the Loire.
    good_friday = paris(2026, 4, 3, 10, 0)
    assert status_at(WEEKDAYS, good_friday, departement_code="57").label == "Fermé — jour férié (Vendredi saint)"
    assert status_at(WEEKDAYS, good_friday, departement_code="42").is_open is True


def test_reunion_closes_on_20_december_in_its_own_calendar():
    every_day = week(*range(7), hours=[("09:00", "12:00")])
    # Sunday 20 December 2026, 6 h UTC: 10 h in Saint-Denis, 7 h in Paris.
    when = datetime(2026, 12, 20, 6, 0, tzinfo=UTC)
    status = status_at(every_day, when, "Indian/Reunion", departement_code="974")
    assert status.label == "Fermé — jour férié (Abolition de l’esclavage)"
    assert status.changes_at == datetime(2026, 12, 21, 9, 0, tzinfo=ZoneInfo("Indian/Reunion"))
    assert status_at(every_day, when, "Europe/Paris", departement_code="42").label == "Fermé — ouvre aujourd’hui à 9 h"


# Exceptional closures


def closure(starts_on, ends_on, reason=""):
    return SimpleNamespace(starts_on=starts_on, ends_on=ends_on, reason=reason)


YEAR_END = closure(date(2026, 12, 22), date(2027, 1, 2), "congés de fin d’année")


def test_closed_during_a_closure_that_spans_the_new_year():
    for when in (paris(2026, 12, 22, 10, 0), paris(2026, 12, 30, 10, 0), paris(2027, 1, 2, 11, 0)):
        status = status_at(WEEKDAYS, when, departement_code="42", closures=[YEAR_END])
        assert status.is_open is False
        assert status.label == "Fermé jusqu’au 2 janvier — congés de fin d’année"
        # 1 January is a holiday anyway, then a weekend: Monday 4 January.
        assert status.changes_at == paris(2027, 1, 4, 9, 0)
    # A closure wins over the holiday it covers, and without a reason says only when it ends.
    status = status_at(
        WEEKDAYS,
        paris(2026, 12, 25, 10, 0),
        departement_code="42",
        closures=[closure(YEAR_END.starts_on, YEAR_END.ends_on)],
    )
    assert status.label == "Fermé jusqu’au 2 janvier"


def test_open_the_day_before_a_closure_and_the_next_opening_after_it():
    monday = paris(2026, 12, 21, 10, 0)
    assert status_at(WEEKDAYS, monday, closures=[YEAR_END]).label == "Ouvert maintenant — ferme à 12 h"
    status = status_at(WEEKDAYS, paris(2026, 12, 21, 18, 0), departement_code="42", closures=[YEAR_END])
    assert status.label == "Fermé — ouvre le lundi 4 janvier à 9 h"
    assert status.changes_at == paris(2027, 1, 4, 9, 0)


def test_a_closure_over_or_to_come_changes_nothing_today():
    past = closure(date(2026, 11, 2), date(2026, 11, 6), "inventaire")
    assert status_at(WEEKDAYS, paris(2026, 11, 30, 10, 0), closures=[past, YEAR_END]).is_open is True


def test_a_closure_that_ends_far_away_says_its_year():
    long = closure(date(2026, 11, 30), date(2027, 11, 20), "travaux")
    assert status_at(WEEKDAYS, paris(2026, 11, 30, 10, 0), closures=[long]).label == (
        "Fermé jusqu’au 20 novembre 2027 — travaux"
    )


def test_closure_labels():
    assert closure_label(YEAR_END, today=date(2026, 11, 30)) == (
        "Fermé du mardi 22 décembre au samedi 2 janvier — congés de fin d’année"
    )
    assert closure_label(closure(date(2027, 5, 1), date(2027, 5, 1)), today=date(2026, 11, 30)) == (
        "Fermé le samedi 1er mai"
    )
    assert closure_label(closure(date(2028, 3, 1), date(2028, 3, 3), "travaux"), today=date(2026, 11, 30)) == (
        "Fermé du mercredi 1er mars au vendredi 3 mars 2028 — travaux"
    )


def test_osm_says_holidays_off_and_closures_as_date_ranges():
    one_day = closure(date(2026, 12, 7), date(2026, 12, 7), "formation")
    past = closure(date(2026, 11, 2), date(2026, 11, 6))
    assert osm_opening_hours(WEEKDAYS, [YEAR_END, one_day, past], today=date(2026, 11, 30)) == (
        "Mo-Fr 09:00-12:00; PH off; 2026 Dec 07 off; 2026 Dec 22-2027 Jan 02 off"
    )
    # A closure that ended yesterday is left out; one that ends today stays.
    assert osm_opening_hours(WEEKDAYS, [YEAR_END], today=date(2027, 1, 3)) == "Mo-Fr 09:00-12:00; PH off"
    assert osm_opening_hours(WEEKDAYS, [YEAR_END], today=date(2027, 1, 2)).endswith("2026 Dec 22-2027 Jan 02 off")
    # No hours, no string: closures alone say nothing of when it opens.
    assert osm_opening_hours([], [YEAR_END], today=date(2026, 11, 30)) == ""


def test_reunion_lieu_in_the_database_is_closed_on_20_december(lieu_in_reunion):
    OpeningSlotFactory(lieu=lieu_in_reunion, weekday=SU, opens="09:00", closes="12:00")
    # Sunday 20 December 2026, 10 h in Saint-Denis.
    assert _status(lieu_in_reunion, datetime(2026, 12, 20, 6, 0, tzinfo=UTC)) == (
        "Fermé — jour férié (Abolition de l’esclavage)"
    )
    # Sunday 13 December, the same hour: open.
    assert _status(lieu_in_reunion, datetime(2026, 12, 13, 6, 0, tzinfo=UTC)) == "Ouvert maintenant — ferme à 12 h"
