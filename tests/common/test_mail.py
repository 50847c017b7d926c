"""Every email leaves through a task, after the transaction commits; a failed send is tried again."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from common.mail import email_send, send_email
from tests.advisors.factories import UserFactory


@pytest.fixture
def failing_smtp(monkeypatch):
    """A mail server that refuses the first ``n`` messages (the locmem backend, made to fail)."""
    state = {"failures": 0, "to_fail": 0}
    original = mail.backends.locmem.EmailBackend.send_messages

    def send_messages(self, messages):
        if state["failures"] < state["to_fail"]:
            state["failures"] += 1
            raise ConnectionRefusedError("SMTP down")
        return original(self, messages)

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", send_messages)
    return state


@pytest.mark.django_db(transaction=True)
def test_email_waits_for_the_commit_and_never_leaves_on_rollback():
    with transaction.atomic():
        email_send(template="advisors/emails/membership_refused", to="a@exemple.fr", context={"membership": None})
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Maillage] ")

    with pytest.raises(RuntimeError), transaction.atomic():
        email_send(template="advisors/emails/membership_refused", to="b@exemple.fr", context={"membership": None})
        raise RuntimeError
    assert [message.to for message in mail.outbox] == [["a@exemple.fr"]]


def test_a_failed_send_is_tried_again(failing_smtp, settings):
    settings.EMAIL_SEND_ATTEMPTS = 3
    failing_smtp["to_fail"] = 2
    send_email.enqueue(subject="Objet", body="Texte", to=["a@exemple.fr"])
    assert failing_smtp["failures"] == 2
    assert len(mail.outbox) == 1


def test_a_send_failing_every_time_is_given_up_without_raising_to_the_caller(failing_smtp, settings, caplog):
    settings.EMAIL_SEND_ATTEMPTS = 3
    failing_smtp["to_fail"] = 99
    result = send_email.enqueue(subject="Objet", body="Texte", to=["a@exemple.fr"])  # the caller goes on
    assert failing_smtp["failures"] == 3
    assert mail.outbox == []
    assert "Courriel abandonné après 3 essais" in caplog.text
    assert result.status == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_email_waits_for_the_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    send_email.enqueue(subject="Objet", body="Texte", to=["a@exemple.fr"])
    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "READY"


@pytest.mark.django_db
def test_allauth_emails_take_the_same_path(client, settings):
    """A password reset with the production backend: the email waits for the worker, in the request's
    transaction, instead of being sent (or failing) inside the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    UserFactory(email="benedicte.ravel@exemple.fr")

    response = client.post("/compte/password/reset/", {"email": "benedicte.ravel@exemple.fr"})

    assert response.status_code == 302
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["kwargs"]["to"] == ["benedicte.ravel@exemple.fr"]
    assert "/compte/password/reset/key/" in task.args_kwargs["kwargs"]["body"]
