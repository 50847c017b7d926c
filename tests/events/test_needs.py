"""Needs of an event: organisers post them and mark them covered; members offer to cover them."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from events.models import Need, NeedOffer
from events.services import organisers as services
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.events.factories import EventFactory, NeedFactory, OrganiserFactory
from tests.test_races import run_at_once


@pytest.fixture
def lead(loire):
    return AdvisorFactory(departement=loire)


@pytest.fixture
def event(lead, saint_etienne):
    return EventFactory(departement=lead.departement, commune=saint_etienne, lead=lead)


@pytest.fixture
def need(event):
    return NeedFactory(event=event, description="Un vidéoprojecteur")


def test_an_organiser_posts_a_need_shown_on_the_event_page(client, event, lead):
    client.force_login(lead.user)
    response = client.post(
        reverse("events:need_create", args=[event.pk]), {"need-kind": "salle", "need-description": "Une salle de 50"}
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.kind, need.description, need.created_by) == ("salle", "Une salle de 50", lead.user)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Une salle de 50" in page


def test_a_need_without_description_is_a_french_error(client, event, lead):
    client.force_login(lead.user)
    response = client.post(
        reverse("events:need_create", args=[event.pk]), {"need-kind": "zz", "need-description": "x" * 400}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["kind"] == ["Type de besoin inconnu."]
    assert "300 au plus" in errors["description"][0]


def test_a_member_offers_help_and_the_organisers_are_emailed(
    client, event, lead, need, savoie, django_capture_on_commit_callbacks
):
    co = OrganiserFactory(event=event)
    OrganiserFactory(event=event, invited=True)  # not an organiser yet: not emailed
    helper = AdvisorFactory(departement=savoie)
    client.force_login(helper.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:need_offer", args=[need.pk]),
            {f"besoin-{need.pk}-message": "Je peux apporter un vidéoprojecteur"},
        )

    assert response.status_code == 302
    offer = NeedOffer.objects.get()
    assert (offer.user, offer.message) == (helper.user, "Je peux apporter un vidéoprojecteur")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([lead.user.email, co.advisor.user.email])
    assert "Je peux apporter un vidéoprojecteur" in mail.outbox[0].body


def test_offering_twice_is_a_form_error_never_an_integrity_error(client, need, savoie):
    helper = AdvisorFactory(departement=savoie)
    client.force_login(helper.user)
    url = reverse("events:need_offer", args=[need.pk])
    client.post(url, {f"besoin-{need.pk}-message": "Un vidéoprojecteur"})
    response = client.post(url, {f"besoin-{need.pk}-message": "Encore un"})
    assert response.status_code == 200
    assert response.context["form"].errors["message"] == ["Vous avez déjà proposé votre aide pour ce besoin."]
    assert NeedOffer.objects.count() == 1


def test_the_service_turns_the_duplicate_race_into_a_validation_error(need, lead, monkeypatch):
    helper = AdvisorFactory(departement=lead.departement)
    services.need_offer(need=need, user=helper.user, message="Premier")
    with pytest.raises(ValidationError):
        services.need_offer(need=need, user=helper.user, message="Second, au même instant")
    # The constraint is what decides, not a check before the insert.
    with pytest.raises(IntegrityError):
        NeedOffer.objects.create(need=need, user=helper.user, message="Direct")


def test_an_empty_offer_is_a_french_error(client, need, lead):
    helper = AdvisorFactory(departement=lead.departement)
    client.force_login(helper.user)
    response = client.post(reverse("events:need_offer", args=[need.pk]), {f"besoin-{need.pk}-message": "  "})
    assert response.context["form"].errors["message"] == ["Dites en quelques mots ce que vous pouvez apporter."]


def test_a_member_withdraws_an_offer(client, need, lead):
    helper = AdvisorFactory(departement=lead.departement)
    NeedOffer.objects.create(need=need, user=helper.user, message="Un vidéoprojecteur")
    client.force_login(helper.user)
    response = client.post(reverse("events:need_offer_withdraw", args=[need.pk]))
    assert response.status_code == 302
    assert not NeedOffer.objects.exists()
    response = client.post(reverse("events:need_offer_withdraw", args=[need.pk]), follow=True)
    assert "Vous n’aviez pas proposé d’aide pour ce besoin." in response.content.decode()


def test_withdrawing_removes_only_ones_own_offer(client, need, lead):
    mine, other = AdvisorFactory(departement=lead.departement), AdvisorFactory(departement=lead.departement)
    NeedOffer.objects.create(need=need, user=other.user, message="L’autre")
    client.force_login(mine.user)
    client.post(reverse("events:need_offer_withdraw", args=[need.pk]))
    assert NeedOffer.objects.filter(user=other.user).exists()


def test_an_organiser_marks_a_need_covered_then_reopens_and_deletes_it(client, need, lead):
    client.force_login(lead.user)
    client.post(reverse("events:need_cover", args=[need.pk]))
    need.refresh_from_db()
    assert need.covered
    client.post(reverse("events:need_cover", args=[need.pk]), {"covered": "0"})
    need.refresh_from_db()
    assert not need.covered
    client.post(reverse("events:need_delete", args=[need.pk]))
    assert not Need.objects.exists()


ROLES = ("anonymous", "member_elsewhere", "member", "co_organiser", "lead", "coordinator")


def _users(event, lead, savoie):
    return {
        "anonymous": None,
        "member_elsewhere": AdvisorFactory(departement=savoie).user,
        "member": AdvisorFactory(departement=event.departement).user,
        "co_organiser": OrganiserFactory(event=event).advisor.user,
        "lead": lead.user,
        "coordinator": MembershipFactory(departement=event.departement, coordinator=True).user,
    }


@pytest.mark.parametrize(
    ("name", "on_need", "expected"),
    [
        ("events:need_create", False, ("login", 403, 403, 200, 200, 200)),
        ("events:need_cover", True, ("login", 403, 403, 302, 302, 302)),
        ("events:need_delete", True, ("login", 403, 403, 302, 302, 302)),
        # Any member of a network with a profile offers help; a coordinator without a profile cannot.
        ("events:need_offer", True, ("login", 200, 200, 200, 200, 403)),
        ("events:need_offer_withdraw", True, ("login", 302, 302, 302, 302, 302)),
    ],
)
def test_who_may(client, event, lead, savoie, need, name, on_need, expected):
    users = _users(event, lead, savoie)
    url = reverse(name, args=[need.pk if on_need else event.pk])
    for role, outcome in zip(ROLES, expected, strict=True):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.post(url, {})
        got = "login" if response.status_code == 302 and "/compte/" in response["Location"] else response.status_code
        assert got == outcome, (name, role, got)
        need.covered = False
        need.save()


def test_a_draft_s_needs_are_hidden_from_members(client, lead, saint_etienne):
    draft = EventFactory(departement=lead.departement, draft=True, lead=lead)
    need = NeedFactory(event=draft)
    client.force_login(AdvisorFactory(departement=lead.departement).user)
    assert client.post(reverse("events:need_offer", args=[need.pk]), {}).status_code == 403


# The panel on the event page


def test_the_panel_shows_offers_and_actions_to_organisers(client, event, lead, need):
    helper = AdvisorFactory(departement=lead.departement)
    NeedOffer.objects.create(need=need, user=helper.user, message="J’apporte le mien")
    client.force_login(lead.user)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Gérer l’événement" in page
    assert reverse("events:edit", args=[event.pk]) in page
    assert "J’apporte le mien" in page
    assert reverse("events:need_cover", args=[need.pk]) in page


def test_the_panel_shows_the_offer_form_to_a_member_and_no_management(client, event, need):
    member = AdvisorFactory(departement=event.departement)
    client.force_login(member.user)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:need_offer", args=[need.pk]) in page
    assert "Gérer l’événement" not in page
    assert reverse("events:edit", args=[event.pk]) not in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_panel_queries_do_not_grow(event, lead, count, django_assert_num_queries):
    from events.queries.manage import manage_panel

    for _ in range(count):
        need = NeedFactory(event=event)
        helper = AdvisorFactory(departement=event.departement)
        NeedOffer.objects.create(need=need, user=helper.user, message="Oui")
        OrganiserFactory(event=event)
        OrganiserFactory(event=event, invited=True)
    event = type(event).objects.select_related("departement").get(pk=event.pk)
    user = type(lead.user).objects.get(pk=lead.user.pk)
    # The viewer's memberships and profile, the organisers, the needs, their offers: whatever the counts.
    with django_assert_num_queries(5):
        panel = manage_panel(event, user)
        assert len(panel["needs"]) == count
        assert all(row["offers"] for row in panel["needs"])


@pytest.mark.django_db(transaction=True)
def test_an_offer_sent_while_the_need_is_deleted_is_told_it_is_gone(monkeypatch, loire, saint_etienne):
    lead = AdvisorFactory(departement=loire)
    helper = AdvisorFactory(departement=loire)
    need = NeedFactory(event=EventFactory(departement=loire, commune=saint_etienne, lead=lead))
    real_delete = Need.delete

    def slow_delete(self, *args, **kwargs):
        # The deletion holds the need's lock a while: the offer arrives in the middle.
        threading.Event().wait(0.4)
        return real_delete(self, *args, **kwargs)

    monkeypatch.setattr(Need, "delete", slow_delete)

    def offer():
        threading.Event().wait(0.1)
        return services.need_offer(need=need, user=helper.user, message="Un vidéoprojecteur")

    results, errors = run_at_once(lambda job: job(), [(lambda: services.need_delete(need=need),), (offer,)])
    assert [type(error) for error in errors] == [ValidationError]
    assert errors[0].messages == [services.NEED_GONE]
    assert not Need.objects.exists() and not NeedOffer.objects.exists()
