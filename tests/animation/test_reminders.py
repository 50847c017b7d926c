"""The « mettre à jour votre profil » reminders: one person or a whole list, through the mail queue,
never twice in a month, and one email when two coordinators click at once."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor
from animation.models import ProfileReminder
from animation.services import reminders as reminder_service
from animation.services.reminders import profile_reminders_send
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.territories.factories import DepartementFactory
from tests.test_races import run_at_once

DAY = timedelta(days=1)


def age(advisor, days):
    Advisor.objects.filter(pk=advisor.pk).update(updated_at=timezone.now() - days * DAY)
    advisor.refresh_from_db()
    return advisor


@pytest.fixture
def stale(loire):
    """Three members of the Loire whose profiles were last updated 13, 19 and 25 months ago."""
    return [
        age(AdvisorFactory(departement=loire, user__first_name=name), days)
        for name, days in (("Alice", 400), ("Bruno", 580), ("Chloé", 760))
    ]


def remind_url(code="42"):
    return reverse("animation:profile_remind", args=[code])


def test_a_reminder_emails_the_person_a_link_to_her_profile(
    loire, coordinator, stale, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminded, skipped = profile_reminders_send(departement=loire, advisor_ids=[stale[0].pk], by=coordinator)
    assert (reminded, skipped) == ([stale[0]], [])
    [message] = mail.outbox
    assert message.to == [stale[0].user.email]
    assert "Pensez à mettre à jour votre profil" in message.subject
    assert "http://testserver/profil/" in message.body
    assert "Bonjour Alice" in message.body
    reminder = ProfileReminder.objects.get()
    assert (reminder.advisor, reminder.departement, reminder.sent_by) == (stale[0], loire, coordinator)


def test_never_twice_in_a_month(loire, coordinator, stale, django_capture_on_commit_callbacks):
    ProfileReminder.objects.create(advisor=stale[0], departement=loire, created_at=timezone.now() - 20 * DAY)
    ProfileReminder.objects.create(advisor=stale[1], departement=loire, created_at=timezone.now() - 40 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        reminded, skipped = profile_reminders_send(
            departement=loire, advisor_ids=[advisor.pk for advisor in stale], by=coordinator
        )
    assert [advisor.pk for advisor in reminded] == [stale[1].pk, stale[2].pk]
    assert [advisor.pk for advisor in skipped] == [stale[0].pk]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([stale[1].user.email, stale[2].user.email])
    # A second click the same day sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        reminded, skipped = profile_reminders_send(
            departement=loire, advisor_ids=[advisor.pk for advisor in stale], by=coordinator
        )
    assert reminded == [] and len(skipped) == 3 and len(mail.outbox) == 2


def test_only_stale_profiles_of_the_network_members_are_reminded(loire, savoie, coordinator, stale):
    fresh = AdvisorFactory(departement=loire)
    elsewhere = age(AdvisorFactory(departement=savoie), 600)
    former = age(AdvisorFactory(departement=loire, membership=False), 600)
    reminded, skipped = profile_reminders_send(
        departement=loire, advisor_ids=[fresh.pk, elsewhere.pk, former.pk, 10**12], by=coordinator
    )
    assert reminded == [] and skipped == []
    assert not ProfileReminder.objects.exists()


def test_the_whole_list_at_once_from_the_page(client, loire, coordinator, stale, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    page = client.get(reverse("animation:dashboard_list", args=["42", "profils-18-mois"]))
    assert "Relancer les 2 personnes de la liste" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            remind_url(), {"tous": "1", "mois": "18", "next": "/reseau/42/tableau-de-bord/profils-18-mois/"}
        )
    assert response.status_code == 302 and response["Location"] == "/reseau/42/tableau-de-bord/profils-18-mois/"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(a.user.email for a in stale[1:])
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Relance envoyée à" in text
    assert text.count("relancé ce mois-ci") == 2


def test_one_person_from_the_page(client, loire, coordinator, stale, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(), {"conseiller": stale[0].pk})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[stale[0].user.email]]
    response = client.post(remind_url(), {"conseiller": stale[0].pk}, follow=True)
    assert "déjà relancée depuis moins d’un mois" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"conseiller": "abc"}, {"conseiller": "\x00"}, {"conseiller": "-4"}, {"tous": "1", "mois": "7"}],
)
def test_bad_input_is_a_message_never_a_500(client, coordinator, stale, data):
    client.force_login(coordinator)
    response = client.post(remind_url(), data, follow=True)
    # NUL bytes: the site's middleware answers 400 before the view.
    assert response.status_code == (400 if any("\x00" in value for value in data.values()) else 200)
    assert not ProfileReminder.objects.exists()


@pytest.mark.parametrize("who", ["member", "outsider", "other_coordinator", "pending_member"])
def test_only_the_departement_coordinators_send_reminders(client, request, stale, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(remind_url(), {"conseiller": stale[0].pk}).status_code == 403
    assert not ProfileReminder.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, stale):
    response = client.post(remind_url(), {"conseiller": stale[0].pk})
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_get_is_not_allowed(client, coordinator):
    client.force_login(coordinator)
    assert client.get(remind_url()).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_clicking_at_once_send_one_reminder(monkeypatch):
    loire = DepartementFactory()
    first, second = (MembershipFactory(departement=loire, coordinator=True).user for _ in range(2))
    advisor = age(AdvisorFactory(departement=loire), 600)
    real_bulk_create = ProfileReminder.objects.bulk_create

    def slow_bulk_create(objs, *args, **kwargs):
        # Widen the window between the check and the insert, where a real race lands.
        time.sleep(0.3)
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(ProfileReminder.objects, "bulk_create", slow_bulk_create)
    sent = []
    monkeypatch.setattr(reminder_service, "email_send", lambda **kwargs: sent.append(kwargs["to"]))

    def click(by):
        return profile_reminders_send(departement=loire, advisor_ids=[advisor.pk], by=by)

    results, errors = run_at_once(click, [(first,), (second,)])
    assert errors == []
    assert sorted(len(reminded) for reminded, _ in results) == [0, 1]
    assert ProfileReminder.objects.filter(advisor=advisor).count() == 1
    assert sent == [advisor.user.email]
