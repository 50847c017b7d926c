"""The letter shows only what it may still show: a draft is composed once, but what leaves (and what the draft
page and the test show) is read again against today's data; and a newcomer who withdraws her consent or deletes
her account disappears from every letter, the sent ones in the archive too."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advisors.enums import Visibility
from advisors.models import Advisor
from advisors.services.account import account_delete
from animation.enums import LetterStatus
from animation.models import Letter
from animation.services import letters as services
from events.enums import EventStatus
from events.models import Event
from resources.enums import ResourceStatus
from resources.models import Resource
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.animation.factories import LetterFactory
from tests.events.factories import EventFactory
from tests.pages import page_text
from tests.resources.factories import ResourceFactory

THIS_MONTH = timezone.localdate().replace(day=1)


def url(name, letter):
    return reverse(name, args=[letter.departement_id, f"{letter.period:%Y-%m}"])


@pytest.fixture
def awa(loire):
    return AdvisorFactory(
        departement=loire, newcomer=True, introduce_in_letter=True, user__first_name="Awa", user__last_name="Diallo"
    )


@pytest.fixture
def draft(loire, coordinator, awa):
    MembershipFactory(departement=loire, user__first_name="Lectrice")
    EventFactory(departement=loire, title="Café-visio du réseau", starts_at=timezone.now() + timedelta(days=5))
    ResourceFactory(departement=loire, title="Fiche France Services", authors=[])
    letter = services.letter_create(departement=loire, period=THIS_MONTH, by=coordinator)[0]
    assert [item["name"] for item in letter.content["newcomers"]] == ["Awa Diallo"]
    assert letter.content["newcomers"][0]["id"] == awa.pk
    return letter


def send(letter, by, capture):
    with capture(execute=True):
        services.letter_send(letter=letter, by=by)
    letter.refresh_from_db()
    return letter


def emails():
    return "".join(message.body + message.alternatives[0][0] for message in mail.outbox)


def everything(letter):
    """The sent letter's content and its emails, as one text."""
    return str(letter.content) + emails()


def test_consent_withdrawn_in_mon_profil_before_sending(
    client, coordinator, draft, awa, django_capture_on_commit_callbacks
):
    client.force_login(awa.user)
    response = client.post(reverse("advisors:my_profile_section", args=["lettre"]), {"receives_letter": "on"})
    assert response.status_code == 302

    draft.refresh_from_db()
    assert draft.content["newcomers"] == []  # the draft forgets her at once
    client.force_login(coordinator)
    assert "Awa Diallo" not in page_text(client.get(url("animation:letter", draft)))
    assert "Awa Diallo" not in page_text(client.get(url("animation:letter_edit", draft)))

    sent = send(draft, coordinator, django_capture_on_commit_callbacks)
    assert mail.outbox and "Awa Diallo" not in everything(sent)
    assert "Café-visio du réseau" in everything(sent)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda awa: Advisor.objects.filter(pk=awa.pk).update(introduce_in_letter=False), id="consent"),
        pytest.param(
            lambda awa: Advisor.objects.filter(pk=awa.pk).update(visibility=Visibility.COORDINATORS),
            id="coordinators-only",
        ),
        pytest.param(lambda awa: awa.user.memberships.update(status="refused"), id="membership-gone"),
        pytest.param(lambda awa: awa.user.memberships.all().delete(), id="membership-deleted"),
    ],
)
def test_a_newcomer_who_may_no_longer_be_introduced_does_not_leave(
    client, coordinator, draft, awa, change, django_capture_on_commit_callbacks
):
    # Changed without any signal (a bulk update): the sending itself reads the data again.
    change(awa)
    client.force_login(coordinator)
    assert "Awa Diallo" not in page_text(client.get(url("animation:letter", draft)))
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_test_send(letter=Letter.objects.get(pk=draft.pk), by=coordinator)
    assert mail.outbox[0].subject.startswith("[Test]") and "Awa Diallo" not in emails()
    mail.outbox.clear()

    sent = send(draft, coordinator, django_capture_on_commit_callbacks)
    assert sent.status == LetterStatus.SENT and mail.outbox
    assert sent.content["newcomers"] == [] and "Awa Diallo" not in everything(sent)
    assert "Awa Diallo" not in page_text(client.get(url("animation:letter", sent)))


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.DRAFT])
def test_an_event_cancelled_or_unpublished_before_sending_does_not_leave(
    client, coordinator, draft, status, django_capture_on_commit_callbacks
):
    Event.objects.filter(title="Café-visio du réseau").update(status=status)

    client.force_login(coordinator)
    assert "Café-visio du réseau" not in page_text(client.get(url("animation:letter", draft)))
    sent = send(draft, coordinator, django_capture_on_commit_callbacks)
    assert sent.content["events"] == [] and "Café-visio du réseau" not in everything(sent)
    assert "Fiche France Services" in everything(sent)


@pytest.mark.parametrize("status", [ResourceStatus.HIDDEN, ResourceStatus.DRAFT])
def test_a_resource_hidden_before_sending_does_not_leave(
    coordinator, draft, status, django_capture_on_commit_callbacks
):
    Resource.objects.filter(title="Fiche France Services").update(status=status)
    sent = send(draft, coordinator, django_capture_on_commit_callbacks)
    assert sent.content["resources"] == [] and "Fiche France Services" not in everything(sent)


def test_account_deleted_after_sending_is_gone_from_the_archive(
    client, coordinator, member, draft, awa, django_capture_on_commit_callbacks
):
    sent = send(draft, coordinator, django_capture_on_commit_callbacks)
    assert "Awa Diallo" in str(sent.content)
    structure, commune = sent.content["newcomers"][0]["structure"], sent.content["newcomers"][0]["commune"]

    account_delete(user=awa.user)

    sent.refresh_from_db()
    assert sent.content["newcomers"] == []
    client.force_login(member)
    text = page_text(client.get(url("animation:letter", sent)))
    assert "Awa Diallo" not in text and "Ils et elles rejoignent le réseau" not in text
    assert str(awa.pk) not in str(sent.content["newcomers"])
    for detail in (structure, commune):
        assert not detail or detail not in str(sent.content)
    assert "Café-visio du réseau" in text  # the rest of the letter stays


def test_consent_withdrawn_after_sending_is_gone_from_every_letter(loire, savoie, awa):
    item = {
        "key": f"newcomer-{awa.pk}",
        "id": awa.pk,
        "name": "Awa Diallo",
        "role": "",
        "structure": "",
        "commune": "",
    }
    other = {**item, "key": "newcomer-999999", "id": 999999, "name": "Quelqu’un d’autre"}
    sent = LetterFactory(
        departement=loire,
        period=THIS_MONTH.replace(year=THIS_MONTH.year - 1),
        sent=True,
        content={"newcomers": [item, other], "left_out": []},
    )
    draft = LetterFactory(
        departement=savoie, period=THIS_MONTH, content={"newcomers": [item], "left_out": [item["key"]]}
    )
    untouched = LetterFactory(departement=loire, period=THIS_MONTH, content={"newcomers": [other], "left_out": []})
    stamp = untouched.updated_at

    awa.introduce_in_letter = False
    awa.save(update_fields=["introduce_in_letter"])

    sent.refresh_from_db(), draft.refresh_from_db(), untouched.refresh_from_db()
    assert sent.content["newcomers"] == [other]
    assert draft.content == {"newcomers": [], "left_out": []}
    assert untouched.content["newcomers"] == [other] and untouched.updated_at == stamp


def test_a_profile_saved_with_consent_changes_no_letter(loire, awa, django_assert_num_queries):
    LetterFactory(departement=loire, period=THIS_MONTH, sent=True, content={"newcomers": [{"id": awa.pk}]})
    with django_assert_num_queries(1):
        awa.save(update_fields=["introduce_in_letter"])
    assert Letter.objects.get().content == {"newcomers": [{"id": awa.pk}]}


def test_a_profile_hidden_from_the_network_after_sending_is_gone_from_the_archive(loire, awa):
    letter = LetterFactory(departement=loire, period=THIS_MONTH, sent=True, content={"newcomers": [{"id": awa.pk}]})
    awa.visibility = Visibility.COORDINATORS
    awa.save()
    letter.refresh_from_db()
    assert letter.content["newcomers"] == []
