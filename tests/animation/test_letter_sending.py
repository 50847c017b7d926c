"""Sending the monthly letter: a test to oneself, then once to the network's members who did not opt out, with
a plain-text and an HTML part, a personal one-click unsubscribe link and the RFC 8058 headers. Sending twice the
same letter is impossible: twice in a row, two coordinators at once, or a retried task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from animation.enums import LetterStatus
from animation.models import Letter, LetterDelivery
from animation.services import letters as services
from common.mail import send_email
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.events.factories import EventFactory
from tests.pages import page_text
from tests.test_races import run_at_once

THIS_MONTH = timezone.localdate().replace(day=1)


def url(name, letter):
    return reverse(name, args=[letter.departement_id, f"{letter.period:%Y-%m}"])


@pytest.fixture
def draft(loire, coordinator):
    EventFactory(departement=loire, title="Café-visio du réseau", starts_at=timezone.now() + timedelta(days=5))
    letter = services.letter_create(departement=loire, period=THIS_MONTH, by=coordinator)[0]
    letter.editorial = "Bonjour à toutes et à tous,\n\nLa **Fête du numérique** approche."
    letter.save()
    return letter


@pytest.fixture
def network(loire, savoie, coordinator):
    """Three Loire members who receive the letter, one who opted out, one pending, one of the Savoie."""
    receivers = [MembershipFactory(departement=loire, user__first_name=f"Membre{n}").user for n in range(3)]
    MembershipFactory(departement=loire, user__receives_letter=False)
    MembershipFactory(departement=loire, pending=True)
    MembershipFactory(departement=savoie)
    return [coordinator, *receivers]


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def test_coordinator_sends_a_test_to_themselves(
    client, coordinator, draft, network, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("animation:letter_test", draft), follow=True)

    assert f"Un test vous a été envoyé à {coordinator.email}" in page_text(response)
    assert recipients(mail.outbox) == [coordinator.email]
    assert mail.outbox[0].subject.startswith("[Test] [Maillage] La lettre du réseau de la Loire")
    draft.refresh_from_db()
    assert draft.test_sent_at is not None and draft.status == LetterStatus.DRAFT
    assert not LetterDelivery.objects.exists()
    assert "Dernier test envoyé le" in page_text(client.get(url("animation:letter_edit", draft)))


def test_the_confirmation_counts_the_recipients(client, coordinator, draft, network):
    client.force_login(coordinator)
    response = client.get(url("animation:letter_send", draft))
    assert response.status_code == 200
    assert "partira vers 4 membres du réseau de la Loire" in page_text(response)


def test_send_to_members_who_receive_it_with_both_parts_and_headers(
    client, coordinator, draft, network, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("animation:letter_send", draft))

    assert response.status_code == 302 and response["Location"] == url("animation:letter", draft)
    assert recipients(mail.outbox) == sorted(user.email for user in network)
    draft.refresh_from_db()
    assert draft.status == LetterStatus.SENT and draft.sent_by == coordinator and draft.sent_at
    assert draft.recipients_count == 4
    assert LetterDelivery.objects.filter(letter=draft).count() == 4

    member = network[1]
    message = next(message for message in mail.outbox if message.to == [member.email])
    token = services.unsubscribe_token(member)
    link = f"http://testserver/lettre/desinscription/{token}/"
    assert message.subject == f"[Maillage] {draft.subject}"
    # The plain-text part, then the HTML one.
    assert "Café-visio du réseau" in message.body and "LE MOT DE LA COORDINATION" in message.body
    assert f"Ne plus la recevoir (un clic)\u00a0: {link}" in message.body
    assert "http://testserver" + draft.get_absolute_url() in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>Fête du numérique</strong>" in html and link in html
    # RFC 8058: the personal link, and the one-click POST.
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    sent = message.message()
    assert str(sent["List-Unsubscribe"]).replace("\n ", "").replace("\n", "") == f"<{link}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Every person gets their own link.
    other = next(message for message in mail.outbox if message.to == [network[2].email])
    assert other.extra_headers["List-Unsubscribe"] != message.extra_headers["List-Unsubscribe"]


def test_sending_twice_sends_once(coordinator, draft, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=draft, by=coordinator)
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=draft, by=coordinator)
    assert len(mail.outbox) == 4


def test_a_second_click_says_it_is_sent_already(
    client, coordinator, draft, network, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("animation:letter_send", draft))
        response = client.post(url("animation:letter_send", draft), follow=True)
    assert "Cette lettre est déjà envoyée" in page_text(response)
    assert len(mail.outbox) == 4


def test_a_retried_delivery_task_sends_nothing_more(coordinator, draft, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=draft, by=coordinator)
    user_ids = [user.pk for user in network]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.letter_deliver.call(letter_id=draft.pk, user_ids=user_ids) == 0
    assert len(mail.outbox) == 4


def test_the_delivery_task_skips_whoever_unsubscribed_since_the_click(coordinator, draft, network):
    services.letter_send(letter=draft, by=coordinator)  # the tasks wait for the commit: not run here
    services.letter_unsubscribe(user=network[1])
    sent = services.letter_deliver.call(letter_id=draft.pk, user_ids=[user.pk for user in network])
    assert sent == 3
    assert not LetterDelivery.objects.filter(user=network[1]).exists()


def test_a_draft_is_never_delivered_by_a_stray_task(draft, network):
    assert services.letter_deliver.call(letter_id=draft.pk, user_ids=[user.pk for user in network]) == 0
    assert services.letter_deliver.call(letter_id=0, user_ids=[1]) == 0


def test_large_networks_are_sent_in_batches(
    monkeypatch, coordinator, draft, loire, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "DELIVERY_BATCH", 2)
    for _ in range(4):
        MembershipFactory(departement=loire)
    batches = []
    real = services.letter_deliver

    class Spy:
        def enqueue(self, **kwargs):
            batches.append(kwargs["user_ids"])
            return real.call(**kwargs)

    monkeypatch.setattr(services, "letter_deliver", Spy())
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=draft, by=coordinator)
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert len(mail.outbox) == 5


def test_unsubscribed_members_get_no_more_letters(coordinator, draft, network, django_capture_on_commit_callbacks):
    member = network[1]
    link = reverse("animation:letter_unsubscribe", args=[services.unsubscribe_token(member)])
    Client(enforce_csrf_checks=True).post(link, "List-Unsubscribe=One-Click", content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=draft, by=coordinator)
    assert member.email not in recipients(mail.outbox)
    assert len(mail.outbox) == 3


def test_the_sent_letter_keeps_only_the_items_kept(coordinator, draft, network, client):
    event = draft.content["events"][0]
    services.letter_update(letter=draft, subject="Objet", editorial="", kept=[])
    sent = services.letter_send(letter=draft, by=coordinator)
    assert sent.content["events"] == [] and sent.content["left_out"] == []
    client.force_login(network[1])
    assert event["title"] not in page_text(client.get(url("animation:letter", draft)))


def test_a_sent_letter_cannot_be_updated_by_the_service(coordinator, draft, network):
    services.letter_send(letter=draft, by=coordinator)
    with pytest.raises(ValidationError):
        services.letter_update(letter=draft, subject="Trop tard", editorial="", kept=[])
    assert Letter.objects.get(pk=draft.pk).subject != "Trop tard"


def test_member_reads_the_sent_letter_on_the_web(client, coordinator, draft, network):
    services.letter_send(letter=draft, by=coordinator)
    client.force_login(network[1])
    response = client.get(url("animation:letter", draft))
    assert response.status_code == 200
    assert "Café-visio du réseau" in page_text(response) and "Brouillon" not in page_text(response)


# Two coordinators clicking « Envoyer » at the same time --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_sending_at_once_send_one_email_each(monkeypatch):
    from tests.territories.factories import DepartementFactory

    loire = DepartementFactory()
    first, second = (MembershipFactory(departement=loire, coordinator=True).user for _ in range(2))
    members = [MembershipFactory(departement=loire).user for _ in range(3)]
    letter = services.letter_create(departement=loire, period=THIS_MONTH, by=first)[0]
    # Widen the window between reading the recipients and saving the letter.
    real = services.letter_recipients

    def slow(departement):
        import time

        time.sleep(0.3)
        return real(departement)

    monkeypatch.setattr(services, "letter_recipients", slow)

    results, errors = run_at_once(
        lambda by: services.letter_send(letter=Letter.objects.get(pk=letter.pk), by=by), [(first,), (second,)]
    )

    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        user.email for user in [first, second, *members]
    )
    assert LetterDelivery.objects.count() == 5
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_two_delivery_tasks_for_the_same_people_at_once_send_once():
    from tests.territories.factories import DepartementFactory

    loire = DepartementFactory()
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    members = [MembershipFactory(departement=loire).user for _ in range(3)]
    letter = services.letter_create(departement=loire, period=THIS_MONTH, by=coordinator)[0]
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.SENT, sent_at=timezone.now())
    ids = [user.pk for user in [coordinator, *members]]

    results, errors = run_at_once(lambda: services.letter_deliver.call(letter_id=letter.pk, user_ids=ids), [()] * 3)

    assert errors == [] and sorted(results) == [0, 0, 4]
    assert len(mail.outbox) == 4


# common.mail: the optional headers ---------------------------------------------------------------------------


def test_send_email_without_headers_is_unchanged(mailoutbox):
    send_email.call(subject="Objet", body="Texte", to=["a@exemple.fr"])
    assert mailoutbox[0].extra_headers == {}


def test_send_email_carries_headers_and_keeps_them_on_retry(monkeypatch, settings, mailoutbox):
    settings.EMAIL_SEND_ATTEMPTS = 2
    calls = []
    real_send = mail.EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        calls.append(dict(self.extra_headers))
        if len(calls) == 1:
            raise OSError("serveur indisponible")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky)
    headers = {"List-Unsubscribe": "<https://exemple.fr/x/>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    send_email.call(subject="Objet", body="Texte", to=["a@exemple.fr"], html="<p>Texte</p>", headers=headers)
    assert calls == [headers, headers]
    assert mailoutbox[0].extra_headers == headers


def test_an_advisor_fixture_is_a_recipient(loire):
    advisor = AdvisorFactory(departement=loire)
    assert advisor.user in list(services.letter_recipients(loire.code))


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_composing_the_same_month_at_once_get_one_letter(monkeypatch):
    from tests.territories.factories import DepartementFactory

    loire = DepartementFactory()
    first, second = (MembershipFactory(departement=loire, coordinator=True).user for _ in range(2))
    real = services.letter_sections

    def slow(**kwargs):
        import time

        time.sleep(0.3)  # both have found no letter for the month before either saves one
        return real(**kwargs)

    monkeypatch.setattr(services, "letter_sections", slow)

    results, errors = run_at_once(
        lambda by: services.letter_create(departement=loire, period=THIS_MONTH, by=by), [(first,), (second,)]
    )

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert {letter.pk for letter, _ in results} == {Letter.objects.get().pk}
