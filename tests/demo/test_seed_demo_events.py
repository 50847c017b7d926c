"""seed_demo's events: the Fête du numérique and its programme, rencontres, the café-visio series,
past events, La Réunion — what a coordinator opening the calendar of the demo expects to find."""

import zoneinfo
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.enums import EventKind, EventStatus, RegistrationStatus
from events.models import AnimatorSignup, Event, Need, Organiser, Registration, Slot


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    run("import_territories", "--departements", "42", "974")
    return run("seed_demo")


def test_fete_du_numerique_has_its_programme_animators_and_waiting_lists(seeded):
    fete = Event.objects.get(kind=EventKind.FETE)
    assert fete.status == EventStatus.PUBLISHED and fete.capacity == 300
    slots = list(Slot.objects.filter(event=fete).prefetch_related("animators", "registrations"))
    assert len(slots) == 12
    assert sorted({slot.room for slot in slots}) == ["Espace stands", "Grande salle", "Salle des ateliers"]
    missing = [slot.title for slot in slots if len(slot.animators.all()) < slot.animators_wanted]
    assert 2 <= len(missing) < 12  # most have animators, some still look for them
    waiting = Counter(
        slot.title for slot in slots for r in slot.registrations.all() if r.status == RegistrationStatus.WAITLISTED
    )
    assert waiting == {"Démarches en ligne : créer son compte ameli": 2}
    assert Registration.objects.filter(event=fete, slot=None, status=RegistrationStatus.CONFIRMED).count() == 24
    assert Organiser.objects.filter(event=fete).count() == 4  # a lead, two co-organisers, a structure
    assert Need.objects.filter(event=fete, covered=False).count() == 2


def test_rencontres_in_two_epci_one_with_a_waiting_list(seeded):
    rencontres = Event.objects.filter(kind=EventKind.RENCONTRE, departement="42").order_by("starts_at")
    assert len({event.epci_id for event in rencontres}) == 2
    first = rencontres[0]
    assert first.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 12
    assert first.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 3


def test_cafe_visio_series_stays_at_ten_local_time(seeded):
    occurrences = list(Event.objects.filter(kind=EventKind.CAFE_VISIO).order_by("starts_at"))
    assert len(occurrences) >= 6
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    for event in occurrences:
        local = timezone.localtime(event.starts_at, paris)
        assert (local.weekday(), local.hour, local.minute) == (1, 10, 0)  # Tuesday, 10:00
        assert 8 <= local.day <= 14  # the second Tuesday
        assert event.series_id == occurrences[0].series_id


def test_past_events_have_attendance_and_bilan(seeded):
    past = Event.objects.past().filter(departement="42")
    assert past.count() == 2
    assert all(event.attendance_count and event.report for event in past)


def test_an_event_in_la_reunion_at_two_pm_local_time(seeded):
    event = Event.objects.get(departement="974")
    assert timezone.localtime(event.starts_at, zoneinfo.ZoneInfo("Indian/Reunion")).hour == 14


def test_events_seeded_once(seeded):
    before = (Event.objects.count(), Registration.objects.count(), AnimatorSignup.objects.count())
    output = run("seed_demo")
    assert (Event.objects.count(), Registration.objects.count(), AnimatorSignup.objects.count()) == before
    assert "déjà en place" in output
