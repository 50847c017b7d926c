"""Reminders two days and one hour before: sent once, even by two runs at the same time; re-planned
for the new time of a rescheduled event; never for a cancelled one; never absurdly late."""

import threading
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from events.enums import AnimatorStatus, EventMode, RegistrationStatus, ReminderKind
from events.models import Event, ReminderSent
from events.services.events import event_update
from events.services.reminders import reminders_send
from tests.advisors.factories import AdvisorFactory, UserFactory
from tests.events.factories import AnimatorSignupFactory, EventFactory, RegistrationFactory, SlotFactory
from tests.territories.factories import DepartementFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
START = datetime(2027, 3, 9, 14, tzinfo=PARIS)
LINK = "https://visio.exemple.fr/atelier"


@pytest.fixture
def event(loire):
    """A Loire atelier on 9 March 2027 at 14 h: two confirmed registrants (one of them a visitor),
    one waiting, one cancelled, one pending, and an animator."""
    lead = AdvisorFactory(departement=loire)
    event = EventFactory(
        departement=loire,
        title="Atelier IA",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        lead=lead,
        mode=EventMode.HYBRIDE,
        online_url=LINK,
        address="Médiathèque, 1 place Jean-Jaurès",
    )
    RegistrationFactory(event=event, user=UserFactory(email="alice@exemple.fr"), name="Alice")
    RegistrationFactory(event=event, visitor=True, email="visiteur@exemple.fr", name="Vic Visiteur")
    RegistrationFactory(event=event, user=UserFactory(email="attente@exemple.fr"), waitlisted=True)
    RegistrationFactory(event=event, user=UserFactory(email="parti@exemple.fr"), status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=event, visitor=True, email="pas-confirme@exemple.fr", pending=True)
    animator = AdvisorFactory(departement=loire, user=UserFactory(email="anim@exemple.fr"))
    AnimatorSignupFactory(slot=SlotFactory(event=event), advisor=animator, status=AnimatorStatus.CONFIRMED)
    return event


def _send(now, capture):
    with capture(execute=True):
        return reminders_send(now=now)


def _recipients(reminders):
    return sorted(reminder.email for reminder in reminders)


EVERYONE = ["alice@exemple.fr", "anim@exemple.fr", "visiteur@exemple.fr"]


def test_two_days_before_confirmed_registrants_and_animators_get_one_reminder(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    sent = _send(START - timedelta(hours=47, minutes=55), django_capture_on_commit_callbacks)
    assert _recipients(sent) == EVERYONE
    assert sorted(address for message in mailoutbox for address in message.to) == EVERYONE
    alice = next(message for message in mailoutbox if message.to == ["alice@exemple.fr"])
    assert alice.subject == "[Maillage] Rappel\u00a0: Atelier IA, le mardi 9 mars 2027 à 14\u00a0h"
    assert "Bonjour Alice," in alice.body
    assert "Médiathèque, 1 place Jean-Jaurès et en ligne" in alice.body
    assert LINK in alice.body  # a confirmed place shows the link
    assert "/evenements/inscriptions/" in alice.body  # and how to cancel it
    animator = next(message for message in mailoutbox if message.to == ["anim@exemple.fr"])
    assert "animez un créneau" in animator.body
    assert {(row.kind, row.starts_at) for row in ReminderSent.objects.all()} == {(ReminderKind.TWO_DAYS, START)}

    # The next runs, ten and twenty minutes later: nothing more.
    assert _send(START - timedelta(hours=47, minutes=45), django_capture_on_commit_callbacks) == []
    assert _send(START - timedelta(hours=47, minutes=35), django_capture_on_commit_callbacks) == []
    assert len(mailoutbox) == 3


def test_one_hour_before_the_second_reminder_goes_once(event, mailoutbox, django_capture_on_commit_callbacks):
    _send(START - timedelta(hours=40), django_capture_on_commit_callbacks)
    assert _send(START - timedelta(hours=3), django_capture_on_commit_callbacks) == []  # between the two
    sent = _send(START - timedelta(minutes=58), django_capture_on_commit_callbacks)
    assert _recipients(sent) == EVERYONE
    assert {reminder.kind for reminder in sent} == {ReminderKind.ONE_HOUR}
    assert mailoutbox[-1].subject.startswith("[Maillage] C’est bientôt\u00a0: Atelier IA, à 14\u00a0h")
    assert _send(START - timedelta(minutes=48), django_capture_on_commit_callbacks) == []
    assert _send(START + timedelta(minutes=5), django_capture_on_commit_callbacks) == []  # started: nothing
    assert len(mailoutbox) == 6


def test_no_reminder_before_its_window_nor_after_it(event, mailoutbox, django_capture_on_commit_callbacks):
    assert _send(START - timedelta(hours=49), django_capture_on_commit_callbacks) == []
    # The cron was down for two days: at 40 minutes from the start, the two-day reminder is not sent
    # late, only the one-hour one.
    sent = _send(START - timedelta(minutes=40), django_capture_on_commit_callbacks)
    assert {reminder.kind for reminder in sent} == {ReminderKind.ONE_HOUR}
    assert len(mailoutbox) == 3


def test_a_rescheduled_event_gets_reminders_for_its_new_time_only(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    _send(START - timedelta(hours=47), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 3
    later = START + timedelta(days=7)
    event_update(event=event, by=event.created_by, starts_at=later, ends_at=later + timedelta(hours=2))

    # The old time's one-hour reminder never leaves.
    assert _send(START - timedelta(minutes=55), django_capture_on_commit_callbacks) == []
    sent = _send(later - timedelta(hours=47), django_capture_on_commit_callbacks)
    assert _recipients(sent) == EVERYONE
    assert "mardi 16 mars 2027 à 14\u00a0h" in mailoutbox[-1].subject
    assert _send(later - timedelta(hours=46), django_capture_on_commit_callbacks) == []
    assert {row.starts_at for row in ReminderSent.objects.all()} == {START, later}


def test_a_cancelled_event_gets_no_reminder_nor_a_draft_nor_a_postponed_one(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    for status in ("annule", "brouillon", "reporte"):
        Event.objects.filter(pk=event.pk).update(status=status)
        assert _send(START - timedelta(hours=47), django_capture_on_commit_callbacks) == []
        assert _send(START - timedelta(minutes=50), django_capture_on_commit_callbacks) == []
    assert mailoutbox == []


def test_the_online_link_goes_to_confirmed_registrants_and_animators_never_to_unconfirmed_visitors(
    event, loire, mailoutbox, django_capture_on_commit_callbacks
):
    volunteer = AdvisorFactory(departement=loire, user=UserFactory(email="volontaire@exemple.fr"))
    AnimatorSignupFactory(slot=SlotFactory(event=event), advisor=volunteer, status=AnimatorStatus.PROPOSED)
    _send(START - timedelta(hours=47), django_capture_on_commit_callbacks)
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert LINK in bodies["visiteur@exemple.fr"]
    # events.perms.can_see_online_link: the confirmed animator of a slot connects too; a member who only
    # offered to animate is reminded, without the link.
    assert LINK in bodies["anim@exemple.fr"]
    assert LINK not in bodies["volontaire@exemple.fr"]
    assert "pas-confirme@exemple.fr" not in bodies and "attente@exemple.fr" not in bodies
    assert all(LINK not in message.body for message in mailoutbox if message.to[0] not in EVERYONE)
    assert "volontaire@exemple.fr" in bodies


def test_a_reunion_event_is_announced_at_its_local_time(db, mailoutbox, django_capture_on_commit_callbacks):
    reunion = DepartementFactory(reunion=True)
    starts = datetime(2027, 3, 9, 14, tzinfo=zoneinfo.ZoneInfo("Indian/Reunion"))
    event = EventFactory(
        departement=reunion, title="Café-visio", starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    RegistrationFactory(event=event)
    _send(starts - timedelta(hours=47), django_capture_on_commit_callbacks)
    assert mailoutbox[0].subject == "[Maillage] Rappel\u00a0: Café-visio, le mardi 9 mars 2027 à 14\u00a0h"


def test_dry_run_sends_and_records_nothing(event, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        due = reminders_send(now=START - timedelta(hours=47), dry_run=True)
    assert _recipients(due) == EVERYONE
    assert mailoutbox == [] and not ReminderSent.objects.exists()


def test_the_command_lists_then_sends(event, capsys, mailoutbox, django_capture_on_commit_callbacks):
    """The command runs at the real time: an event starting in 30 hours is due for its two-day reminder."""
    soon = datetime.now(tz=PARIS).replace(microsecond=0) + timedelta(hours=30)
    Event.objects.filter(pk=event.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=2))

    call_command("send_event_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert "3 rappel(s) à envoyer (essai : rien n’est envoyé)." in out
    assert "« Atelier IA » → alice@exemple.fr (inscrit·e)" in out
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders")
        call_command("send_event_reminders")
    out = capsys.readouterr().out
    assert "3 rappel(s) envoyé(s)." in out and "0 rappel(s) envoyé(s)." in out
    assert len(mailoutbox) == 3


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_each_reminder_once(loire):
    lead = AdvisorFactory(departement=loire)
    event = EventFactory(departement=loire, starts_at=START, ends_at=START + timedelta(hours=2), lead=lead)
    for _ in range(8):
        RegistrationFactory(event=event)
    mail.outbox = []
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(reminders_send(now=START - timedelta(hours=47)))
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(len(sent) for sent in results) == 8
    assert ReminderSent.objects.count() == 8
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        event.registrations.values_list("email", flat=True)
    )


def _online_event_with_animators(loire, count):
    event = EventFactory(
        departement=loire, starts_at=START, ends_at=START + timedelta(hours=2), mode=EventMode.DISTANCIEL,
        online_url=LINK,
    )  # fmt: skip
    for index in range(count):
        status = AnimatorStatus.CONFIRMED if index % 2 else AnimatorStatus.PROPOSED
        AnimatorSignupFactory(slot=SlotFactory(event=event), advisor=AdvisorFactory(departement=loire), status=status)
        RegistrationFactory(event=event)
    return event


@pytest.mark.parametrize("count", [2, 8])
def test_the_reminders_are_found_in_the_same_queries_however_many_animators(loire, count, django_assert_num_queries):
    """Whether each animator may have the link (an organiser, a coordinator) is known without a query
    per animator."""
    _online_event_with_animators(loire, count)
    with django_assert_num_queries(6):
        due = reminders_send(now=START - timedelta(hours=47), dry_run=True)
    assert len(due) == 2 * count
    assert sum(reminder.online_link for reminder in due) == count + count // 2


def test_a_coordinator_who_offers_to_animate_has_the_link(loire, coordinator):
    event = _online_event_with_animators(loire, 0)
    AnimatorSignupFactory(slot=SlotFactory(event=event), advisor=AdvisorFactory(user=coordinator, departement=loire),
                          status=AnimatorStatus.PROPOSED)  # fmt: skip
    (reminder,) = reminders_send(now=START - timedelta(hours=47), dry_run=True)
    assert reminder.online_link
