"""The monthly letter: its composition from the network's data, the edit page, the web version, the archive,
the unsubscribe link and the preferences of Mon profil."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from advisors.models import User
from animation.enums import LetterStatus
from animation.models import Letter
from animation.queries.letters import letter_sections
from animation.services.letters import letter_create, unsubscribe_token
from skills.enums import SkillLevel
from tests.advisors.factories import AdvisorFactory, MembershipFactory, StructureFactory, UserFactory
from tests.animation.factories import LetterFactory
from tests.events.factories import EventFactory
from tests.pages import field_errors, page_text
from tests.resources.factories import ResourceFactory
from tests.skills.factories import AdvisorSkillFactory, SkillFactory
from tests.territories.factories import DepartementFactory

THIS_MONTH = timezone.localdate().replace(day=1)


def in_days(days, hour=14):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def keys(items):
    return [item["title"] if "title" in item else item["name"] for item in items]


def url(name, letter):
    return reverse(name, args=[letter.departement_id, f"{letter.period:%Y-%m}"])


# Composition -----------------------------------------------------------------------------------------------


def test_next_events_of_the_departement_that_members_see(loire, savoie):
    EventFactory(departement=loire, title="Café-visio de décembre", starts_at=in_days(5))
    EventFactory(departement=loire, title="Fête du numérique", public=True, starts_at=in_days(20))
    EventFactory(departement=loire, title="Brouillon", draft=True, starts_at=in_days(6))
    EventFactory(departement=loire, title="Annulé", cancelled=True, starts_at=in_days(7))
    EventFactory(departement=loire, title="Passé", past=True)
    EventFactory(departement=loire, title="Dans trois mois", starts_at=in_days(90))
    EventFactory(departement=savoie, title="En Savoie", starts_at=in_days(8))

    events = letter_sections(departement=loire, period=THIS_MONTH)["events"]

    assert keys(events) == ["Café-visio de décembre", "Fête du numérique"]
    cafe, fete = events
    assert cafe["network_only"] is True and fete["network_only"] is False
    assert cafe["url"].startswith("http://testserver/evenements/")
    assert cafe["starts_at"].startswith(str(in_days(5).date()))
    assert "14\u00a0h" in cafe["when"]


def test_summaries_are_plain_text_and_dates_french(loire):
    EventFactory(departement=loire, description="Des **stands** et des [ateliers](https://x.fr) <b>!</b>")
    # The first of the month in the Loire (its first minute: never in the future, always since a month ago);
    # the first of the month in UTC is the 2nd in Paris from 23:00 or 22:00 UTC.
    local = timezone.localtime(timezone.now(), ZoneInfo(loire.timezone))
    ResourceFactory(departement=loire, published_at=local.replace(day=1, hour=0, minute=0, second=0, microsecond=0))

    sections = letter_sections(departement=loire, period=THIS_MONTH)

    assert sections["events"][0]["summary"] == "Des stands et des ateliers <b>!</b>"
    assert sections["resources"][0]["published"].startswith("1er ")


def test_new_resources_since_the_last_letter(loire, savoie):
    LetterFactory(departement=loire, period=date(2020, 1, 1), sent=True, sent_at=timezone.now() - timedelta(days=10))
    ResourceFactory(departement=loire, title="Fiche publique", published_at=timezone.now() - timedelta(days=2))
    ResourceFactory(departement=loire, title="Fiche réseau", network=True)
    ResourceFactory(departement=loire, title="Avant la lettre", published_at=timezone.now() - timedelta(days=15))
    ResourceFactory(departement=loire, title="Brouillon", draft=True)
    ResourceFactory(departement=loire, title="Masquée", hidden=True)
    ResourceFactory(departement=savoie, title="En Savoie")

    resources = letter_sections(departement=loire, period=THIS_MONTH)["resources"]

    assert keys(resources) == ["Fiche réseau", "Fiche publique"]
    assert [item["network_only"] for item in resources] == [True, False]


def test_without_a_previous_letter_new_means_the_last_month(loire):
    ResourceFactory(departement=loire, title="Récente", published_at=timezone.now() - timedelta(days=20))
    ResourceFactory(departement=loire, title="Ancienne", published_at=timezone.now() - timedelta(days=40))

    assert keys(letter_sections(departement=loire, period=THIS_MONTH)["resources"]) == ["Récente"]


def test_only_newcomers_who_agreed_are_introduced(loire, savoie):
    structure = StructureFactory(name="Médiathèque de Roanne")
    AdvisorFactory(
        departement=loire,
        newcomer=True,
        introduce_in_letter=True,
        structure=structure,
        user__first_name="Awa",
        user__last_name="Diallo",
        bio="Ateliers numériques pour les seniors.",
    )
    AdvisorFactory(departement=loire, newcomer=True, user__first_name="Silencieux", user__last_name="Nonconsentant")
    AdvisorFactory(departement=loire, newcomer=True, introduce_in_letter=True, coordinators_only=True)
    AdvisorFactory(departement=loire, introduce_in_letter=True, user__first_name="Ancienne")  # arrived a year ago
    AdvisorFactory(departement=savoie, newcomer=True, introduce_in_letter=True, user__first_name="Savoyard")
    gone = AdvisorFactory(departement=loire, newcomer=True, introduce_in_letter=True, user__first_name="Partie")
    gone.user.memberships.update(status="refused")

    newcomers = letter_sections(departement=loire, period=THIS_MONTH)["newcomers"]

    assert [item["name"] for item in newcomers] == ["Awa Diallo"]
    assert newcomers[0]["structure"] == "Médiathèque de Roanne"
    assert newcomers[0]["summary"] == "Ateliers numériques pour les seniors."
    assert "Nonconsentant" not in str(letter_sections(departement=loire, period=THIS_MONTH))


def test_skills_the_network_most_wants_to_learn(loire):
    ia, bureautique, rare = SkillFactory(name="Intelligence artificielle"), SkillFactory(name="Bureautique"), None
    rare = SkillFactory(name="Maintenance")
    for _ in range(3):
        AdvisorSkillFactory(advisor=AdvisorFactory(departement=loire), skill=ia, level=SkillLevel.LEARN)
    AdvisorSkillFactory(advisor=AdvisorFactory(departement=loire), skill=bureautique, level=SkillLevel.LEARN)
    AdvisorSkillFactory(advisor=AdvisorFactory(departement=loire), skill=bureautique, level=SkillLevel.MASTER)
    AdvisorSkillFactory(advisor=AdvisorFactory(departement=loire), skill=rare, level=SkillLevel.MASTER)

    skills = letter_sections(departement=loire, period=THIS_MONTH)["skills"]

    assert [(item["name"], item["learn"], item["master"]) for item in skills] == [
        ("Intelligence artificielle", 3, 0),
        ("Bureautique", 1, 1),
    ]


# Composing -------------------------------------------------------------------------------------------------


def test_coordinator_composes_this_month_by_default_then_opens_it_again(client, coordinator, loire):
    EventFactory(departement=loire, title="Rencontre de Roanne", starts_at=in_days(3))
    client.force_login(coordinator)

    page = client.get(reverse("animation:letter_new", args=[loire.code]))
    assert page.status_code == 200
    assert f'value="{THIS_MONTH:%Y-%m}" selected' in page.content.decode()

    response = client.post(reverse("animation:letter_new", args=[loire.code]), {"period": f"{THIS_MONTH:%Y-%m}"})
    letter = Letter.objects.get(departement=loire, period=THIS_MONTH)
    assert response.status_code == 302 and response["Location"] == url("animation:letter_edit", letter)
    assert letter.status == LetterStatus.DRAFT and letter.created_by == coordinator
    assert letter.subject.startswith("La lettre du réseau de la Loire — ")
    assert keys(letter.content["events"]) == ["Rencontre de Roanne"]

    again = client.post(reverse("animation:letter_new", args=[loire.code]), {"period": f"{THIS_MONTH:%Y-%m}"})
    assert again["Location"] == url("animation:letter_edit", letter)
    assert Letter.objects.count() == 1


@pytest.mark.parametrize("period", ["", "2026-13", "abc", "1999-01"])
def test_composing_a_month_not_offered_is_a_form_error(client, coordinator, loire, period):
    client.force_login(coordinator)
    response = client.post(reverse("animation:letter_new", args=[loire.code]), {"period": period})
    assert response.status_code == 400
    assert field_errors(response, "period")
    assert not Letter.objects.exists()


def test_letter_create_returns_the_existing_letter(loire, coordinator):
    first, created = letter_create(departement=loire, period=THIS_MONTH, by=coordinator)
    second, created_again = letter_create(departement=loire, period=THIS_MONTH, by=coordinator)
    assert created and not created_again and first == second


# Editing ---------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(loire, coordinator):
    EventFactory(departement=loire, title="Café-visio", starts_at=in_days(4))
    EventFactory(departement=loire, title="Atelier IA", starts_at=in_days(9))
    ResourceFactory(departement=loire, title="Fiche ameli")
    return letter_create(departement=loire, period=THIS_MONTH, by=coordinator)[0]


def _edit_data(letter, **overrides):
    data = {
        "subject": "La lettre de décembre",
        "editorial": "Bonjour à toutes et à tous,\n\n**Merci** pour la Fête !",
        "events": [item["key"] for item in letter.content["events"]],
        "resources": [item["key"] for item in letter.content["resources"]],
        "action": "enregistrer",
    }
    data.update(overrides)
    return data


def test_coordinator_edits_subject_editorial_and_leaves_an_event_out(client, coordinator, draft):
    client.force_login(coordinator)
    page = client.get(url("animation:letter_edit", draft))
    assert page.status_code == 200
    text = page_text(page)
    assert "Café-visio" in text and "Fiche ameli" in text
    cafe, atelier = draft.content["events"]

    response = client.post(url("animation:letter_edit", draft), _edit_data(draft, events=[atelier["key"]]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.subject == "La lettre de décembre"
    assert draft.content["left_out"] == [cafe["key"]]
    web = client.get(url("animation:letter", draft))
    assert "<strong>Merci</strong>" in web.content.decode()
    assert "Atelier IA" in page_text(web) and "Café-visio" not in page_text(web)


def test_recompose_takes_new_data_and_keeps_what_was_left_out(client, coordinator, draft, loire):
    client.force_login(coordinator)
    cafe, atelier = draft.content["events"]
    EventFactory(departement=loire, title="Nouvelle rencontre", starts_at=in_days(12))

    client.post(url("animation:letter_edit", draft), _edit_data(draft, events=[atelier["key"]], action="recomposer"))

    draft.refresh_from_db()
    assert keys(draft.content["events"]) == ["Café-visio", "Atelier IA", "Nouvelle rencontre"]
    assert draft.content["left_out"] == [cafe["key"]]
    assert draft.subject == "La lettre de décembre"


def test_edit_errors_are_next_to_the_field_and_nothing_is_lost(client, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(url("animation:letter_edit", draft), _edit_data(draft, subject="", editorial="x" * 6000))
    assert response.status_code == 400
    assert field_errors(response, "subject") == ["Donnez un objet à la lettre."]
    assert field_errors(response, "editorial")
    assert "xxxxx" in response.content.decode()
    draft.refresh_from_db()
    assert draft.subject.startswith("La lettre du réseau")


def test_nul_bytes_in_the_editorial_are_refused_and_nothing_changes(client, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(url("animation:letter_edit", draft), _edit_data(draft, editorial="bonjour\x00"))
    assert response.status_code == 400  # common.middleware, before any view
    draft.refresh_from_db()
    assert draft.editorial == ""


def test_a_sent_letter_cannot_be_edited_tested_or_sent_again(client, coordinator, loire):
    letter = LetterFactory(departement=loire, period=THIS_MONTH, sent=True)
    client.force_login(coordinator)
    for name in ("animation:letter_edit", "animation:letter_send"):
        response = client.get(url(name, letter), follow=True)
        assert response.status_code == 200
        assert "Cette lettre est déjà envoyée" in page_text(response)
    response = client.post(url("animation:letter_edit", letter), {"subject": "Autre"}, follow=True)
    assert "déjà envoyée" in page_text(response)
    letter.refresh_from_db()
    assert letter.subject != "Autre"


@pytest.mark.parametrize("role", ["anonymous", "other_coordinator", "member", "pending_member"])
def test_only_the_coordination_edits_tests_and_sends(request, client, draft, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for name, method in [
        ("animation:letter_edit", "get"),
        ("animation:letter_edit", "post"),
        ("animation:letter_test", "post"),
        ("animation:letter_send", "get"),
        ("animation:letter_send", "post"),
    ]:
        response = getattr(client, method)(url(name, draft))
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected, (name, method)
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT and draft.test_sent_at is None


@pytest.mark.parametrize("role", ["anonymous", "other_coordinator", "member", "pending_member"])
def test_only_the_coordination_composes(request, client, loire, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("animation:letter_new", args=[loire.code]), {"period": f"{THIS_MONTH:%Y-%m}"})
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert not Letter.objects.exists()


# The web version and the archive ---------------------------------------------------------------------------


def test_the_web_version_shows_the_letter_as_sent(client, member, loire):
    LetterFactory(
        departement=loire,
        period=date(2026, 10, 1),
        sent=True,
        subject="La lettre d’octobre",
        editorial="Le mot de la **coordination**.",
        content={
            "events": [
                {
                    "key": "event-1",
                    "title": "Rencontre à Montbrison",
                    "kind": "rencontre d’inter-connaissance",
                    "when": "jeudi 15 octobre 2026, 14\u00a0h\u00a0– 17\u00a0h",
                    "place": "Médiathèque, Montbrison",
                    "network_only": True,
                    "summary": "Faire connaissance.",
                    "url": "http://testserver/evenements/1/",
                }
            ],
            "newcomers": [
                {
                    "key": "newcomer-3",
                    "name": "Awa Diallo",
                    "role": "conseillère numérique",
                    "structure": "CCAS",
                    "commune": "Roanne",
                    "summary": "",
                    "url": "http://testserver/conseillers/3/",
                }
            ],
            "skills": [{"key": "skill-2", "name": "IA", "learn": 3, "master": 1, "url": "http://testserver/c/ia/"}],
        },
    )
    client.force_login(member)

    response = client.get(f"/reseau/{loire.code}/lettres/2026-10/")

    assert response.status_code == 200
    text = page_text(response)
    assert "La lettre d’octobre" in text and "Brouillon" not in text
    assert "Rencontre à Montbrison" in text and "réservé au réseau" in text
    assert "Awa Diallo" in text and "3 membres veulent apprendre · 1 la maîtrise et peut la transmettre" in text
    assert "<strong>coordination</strong>" in response.content.decode()


def test_a_draft_is_for_the_coordination_with_a_banner(client, coordinator, member, draft):
    client.force_login(member)
    assert client.get(url("animation:letter", draft)).status_code == 403
    client.force_login(coordinator)
    response = client.get(url("animation:letter", draft))
    assert response.status_code == 200
    assert "Brouillon : cette lettre n’est pas encore envoyée" in page_text(response)


@pytest.mark.parametrize(
    "period",
    ["2026-13", "abc", "2026-1", "0000-00", "2026-11x", "99999-01", "2026-00", "2026-١٠", "٢٠٢٦-10", "2026-10%0A"],
)
def test_bad_periods_are_not_found(client, coordinator, loire, period):
    LetterFactory(departement=loire, period=date(2026, 10, 1), sent=True)
    LetterFactory(departement=loire, period=date(2026, 11, 1))
    client.force_login(coordinator)
    for suffix in ("", "modifier/", "envoyer/"):
        assert client.get(f"/reseau/{loire.code}/lettres/{period}/{suffix}").status_code == 404
    assert client.post(f"/reseau/{loire.code}/lettres/{period}/test/").status_code == 404
    assert client.post(f"/reseau/{loire.code}/lettres/{period}/envoyer/").status_code == 404


def test_a_month_without_a_letter_is_not_found(client, member, loire):
    client.force_login(member)
    assert client.get(f"/reseau/{loire.code}/lettres/2026-09/").status_code == 404


def test_the_archive_lists_sent_letters_newest_first(client, member, coordinator, loire, savoie):
    LetterFactory(departement=loire, period=date(2026, 9, 1), sent=True, subject="Septembre")
    LetterFactory(departement=loire, period=date(2026, 10, 1), sent=True, subject="Octobre")
    LetterFactory(departement=loire, period=THIS_MONTH, subject="Brouillon du mois")
    LetterFactory(departement=savoie, period=date(2026, 10, 1), sent=True, subject="Savoie")
    archive = reverse("animation:letters", args=[loire.code])

    client.force_login(member)
    text = page_text(client.get(archive))
    assert text.index("Octobre") < text.index("Septembre")
    assert "Brouillon du mois" not in text and "Savoie" not in text and "Composer la lettre" not in text

    client.force_login(coordinator)
    text = page_text(client.get(archive))
    assert "Brouillon du mois" in text
    assert "Reprendre la lettre d" in text and "Composer la lettre d" not in text
    Letter.objects.filter(period=THIS_MONTH).delete()
    assert "Composer la lettre d" in page_text(client.get(archive))


def _letters(loire, count):
    for index in range(count):
        LetterFactory(
            departement=loire,
            period=date(2020 + index // 12, index % 12 + 1, 1),
            sent=True,
            content={"events": [{"key": f"event-{n}", "title": f"E{n}", "when": "", "url": ""} for n in range(20)]},
        )


# 31 October 2026 at 21 h 30 UTC: 22 h 30 on the 31st in Paris, 1 h 30 on 1 November in La Réunion.
TURN_OF_THE_MONTH = datetime(2026, 10, 31, 21, 30, tzinfo=UTC)


def test_la_reunion_composes_its_own_month_at_the_turn_of_the_month(client, loire, monkeypatch):
    reunion = DepartementFactory(reunion=True)
    reunion_coordinator = MembershipFactory(departement=reunion, coordinator=True).user
    loire_coordinator = MembershipFactory(departement=loire, coordinator=True).user
    LetterFactory(departement=reunion, period=date(2026, 11, 1))
    monkeypatch.setattr(timezone, "now", lambda: TURN_OF_THE_MONTH)

    client.force_login(reunion_coordinator)
    text = page_text(client.get(reverse("animation:letters", args=["974"])))
    assert "Reprendre la lettre de novembre 2026" in text
    form = client.get(reverse("animation:letter_new", args=["974"])).context["form"]
    assert form["period"].value() == "2026-11"
    assert [value for value, _ in form.fields["period"].choices] == ["2026-10", "2026-11", "2026-12", "2027-01"]

    client.force_login(loire_coordinator)
    text = page_text(client.get(reverse("animation:letters", args=[loire.code])))
    assert "Composer la lettre d’octobre 2026" in text
    form = client.get(reverse("animation:letter_new", args=[loire.code])).context["form"]
    assert form["period"].value() == "2026-10"
    assert [value for value, _ in form.fields["period"].choices] == ["2026-09", "2026-10", "2026-11", "2026-12"]


@pytest.mark.parametrize("count", [2, 30])
def test_archive_query_count_does_not_grow(client, coordinator, loire, count, django_assert_num_queries):
    _letters(loire, count)
    client.force_login(coordinator)
    client.get("/")  # the session and the CSRF cookie
    # Session, user, memberships, département, count, page, this month's letter.
    with django_assert_num_queries(7):
        response = client.get(reverse("animation:letters", args=[loire.code]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_web_version_query_count_does_not_grow(client, member, loire, count, django_assert_num_queries):
    _letters(loire, count)
    letter = Letter.objects.order_by("period").first()
    client.force_login(member)
    # Session, user, memberships, the letter with its département.
    with django_assert_num_queries(4):
        response = client.get(letter.get_absolute_url())
    assert response.status_code == 200


# Unsubscribing ---------------------------------------------------------------------------------------------


def test_unsubscribe_page_then_button(client, member):
    member.email = "camille.martin@exemple.fr"
    member.save()
    link = reverse("animation:letter_unsubscribe", args=[unsubscribe_token(member)])

    page = client.get(link)
    assert page.status_code == 200
    text = page_text(page)
    assert "c•••@exemple.fr" in text and "camille.martin" not in text
    assert "Ne plus recevoir la lettre" in text

    response = client.post(link)
    assert response.status_code == 200
    assert "Vous ne recevrez plus la lettre d’information" in page_text(response)
    assert reverse("advisors:my_profile") in response.content.decode()
    member.refresh_from_db()
    assert member.receives_letter is False

    assert client.post(link).status_code == 200  # idempotent
    assert "ne reçoit déjà plus la lettre" in page_text(client.get(link))


def test_one_click_unsubscribe_of_a_mail_client_without_csrf_token(member):
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    link = reverse("animation:letter_unsubscribe", args=[unsubscribe_token(member)])

    response = mail_client.post(link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.receives_letter is False


@pytest.mark.parametrize("token", ["abc", "x" * 300, "1:forged:signature", "%00", "MQ:1v0abc:zzz"])
def test_a_forged_token_gets_a_clear_page(client, member, token):
    link = reverse("animation:letter_unsubscribe", args=[token])
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "Ce lien de désinscription n’est pas valide" in page_text(response)
    member.refresh_from_db()
    assert member.receives_letter is True


def test_a_token_for_a_deleted_account_gets_the_clear_page(client, db):
    user = UserFactory()
    token = unsubscribe_token(user)
    user.delete()
    assert client.get(reverse("animation:letter_unsubscribe", args=[token])).status_code == 400


# Mon profil ------------------------------------------------------------------------------------------------


def test_mon_profil_has_the_letter_preferences(client, loire):
    advisor = AdvisorFactory(departement=loire)
    updated_at = advisor.updated_at
    client.force_login(advisor.user)

    page = client.get(reverse("advisors:my_profile"))
    text = page_text(page)
    assert "Recevoir la lettre d’information du réseau" in text
    assert "Présenter mon arrivée dans la lettre d’information" in text
    assert 'id="lettre"' in page.content.decode()

    response = client.post(
        reverse("advisors:my_profile_section", args=["lettre"]), {"introduce_in_letter": "on"}
    )  # « receives_letter » unticked

    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.introduce_in_letter is True
    assert User.objects.get(pk=advisor.user_id).receives_letter is False
    # A preference, not a change of what the profile says: the dashboard still sees it as it was.
    assert advisor.updated_at == updated_at

    client.post(reverse("advisors:my_profile_section", args=["lettre"]), {"receives_letter": "on"})
    advisor.refresh_from_db()
    assert advisor.introduce_in_letter is False and advisor.user.receives_letter is True


def test_mes_donnees_lists_the_letter_preferences(client, loire):
    advisor = AdvisorFactory(departement=loire, introduce_in_letter=True)
    client.force_login(advisor.user)
    text = page_text(client.get(reverse("advisors:my_data")))
    assert "recevoir la lettre d’information du réseau oui" in text.lower()
    assert "présenter mon arrivée dans la lettre d’information oui" in text.lower()
    assert "dans leurs archives en ligne que lisent les membres du réseau, jusqu’à ce que vous retiriez" in text


def test_coordinator_without_membership_elsewhere_is_not_a_recipient_elsewhere(loire, savoie):
    # Guard of the fixtures used above: a Savoie member is no recipient of the Loire's letter.
    from animation.queries.letters import letter_recipients

    MembershipFactory(departement=savoie)
    inside = MembershipFactory(departement=loire).user
    assert list(letter_recipients(loire.code)) == [inside]


@pytest.mark.parametrize("count", [2, 30])
def test_edit_and_confirm_pages_query_counts_do_not_grow(client, coordinator, loire, count, django_assert_num_queries):
    for day in range(count):
        EventFactory(departement=loire, starts_at=in_days(day % 30 + 1))
        ResourceFactory(departement=loire, authors=[])
        MembershipFactory(departement=loire)
    letter = letter_create(departement=loire, period=THIS_MONTH, by=coordinator)[0]
    client.force_login(coordinator)
    # Session, user, memberships, the letter with its département, the events and the resources still shown
    # (one query a section; no newcomer here), the number of recipients.
    with django_assert_num_queries(7):
        assert client.get(url("animation:letter_edit", letter)).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(url("animation:letter_send", letter)).status_code == 200
