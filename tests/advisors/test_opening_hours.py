"""Opening hours: the OpenStreetMap string, the French weekly summary and the open/closed status."""

from datetime import UTC, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from advisors.opening_hours import french_time, lieu_status, osm_opening_hours, parse_time, status_at, week_summary
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
    assert osm_opening_hours(week(MO, TU, WE, TH, FR)) == "Mo-Fr 09:00-12:00,14:00-17:00"


def test_osm_two_consecutive_days_are_listed_and_other_hours_get_their_own_rule():
    slots = week(MO, TU) + [slot(WE, "14:00", "18:00")]
    assert osm_opening_hours(slots) == "Mo,Tu 09:00-12:00,14:00-17:00; We 14:00-18:00"


def test_osm_days_apart_share_one_rule():
    slots = week(MO, TU, WE, FR) + [slot(SA, "10:00", "12:00")]
    assert osm_opening_hours(slots) == "Mo-We,Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00"


def test_osm_sorts_slots_and_ignores_their_order_and_duplicates():
    slots = [slot(SU, "10:00", "12:00"), slot(MO, "14:00", "17:00"), slot(MO, "09:00", "12:00")]
    slots.append(slot(MO, "09:00", "12:00"))
    assert osm_opening_hours(slots) == "Mo 09:00-12:00,14:00-17:00; Su 10:00-12:00"


def test_osm_without_slot_is_empty():
    assert osm_opening_hours([]) == ""


def test_osm_whole_week():
    assert osm_opening_hours(week(*range(7), hours=[("08:30", "19:45")])) == "Mo-Su 08:30-19:45"


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
