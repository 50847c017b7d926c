"""Smoke run on SQLite, the embedded default that ``make run`` gives every newcomer.

The suite runs on PostgreSQL; this module runs the main pages and forms on SQLite with the
demo network, as anonymous visitor, member and coordinator, so that SQL only PostgreSQL
accepts (or a form that only works without CSRF checks) fails ``make test``. Selected by
``-m sqlite_smoke`` with a ``sqlite:///`` DATABASE_URL; left out of a PostgreSQL run
(see ``conftest.py``). Every answer must be below 500.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisors.enums import Visibility
from advisors.models import Advisor, Lieu, Membership, Structure
from animation.models import Letter, Partner
from animation.services.letters import unsubscribe_token
from animation.views.dashboard import FIGURES
from events.enums import EventKind
from events.models import Event, Slot
from skills.enums import SkillStatus
from skills.models import Domain, Skill
from tests.advisors.factories import UserFactory
from tests.pages import page_text
from tests.smoke.forms import post_forms

pytestmark = [pytest.mark.sqlite_smoke, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Three départements of real territories and the Loire demo network, loaded once."""
    with django_db_blocker.unblock():
        call_command("import_territories", "--departements", "42", "43", "69", stdout=io.StringIO())
        call_command("seed_demo", "--force", stdout=io.StringIO())
        coordinator = Membership.objects.filter(departement="42", role="coordinator", status="active").first()
        member = Advisor.objects.filter(departement="42", user__memberships__role="member").first()
        return {
            "coordinator": coordinator.user,
            "member": member.user,
            "public_profile": Advisor.objects.filter(visibility=Visibility.PUBLIC).first(),
            "structure": Structure.objects.filter(name__icontains="médiathèque").first(),
            "lieu": Lieu.objects.first(),
            "skill": Skill.objects.filter(status=SkillStatus.VALIDATED).first(),
            "fete": Event.objects.get(departement="42", kind=EventKind.FETE),
        }


def client_for(user=None):
    """A client that checks CSRF tokens, as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def pages(demo):
    structure, lieu, skill, fete = demo["structure"], demo["lieu"], demo["skill"], demo["fete"]
    fete_start = fete.starts_at.astimezone(fete.tzinfo)
    return [
        reverse("overview:home"),
        reverse("overview:departement", args=["42"]),
        reverse("overview:commune", args=["42218"]),
        reverse("overview:near", args=["42218"]),
        reverse("territories:index"),
        reverse("advisors:directory") + "?departement=42&nouveaux=on",
        reverse("advisors:directory") + "?departement=42&epci=244200770&q=médiathèque",
        reverse("advisors:directory") + "?q=Hélène+Étienne",
        reverse("advisors:structures") + "?q=médiathèque",
        reverse("advisors:structures") + "?departement=42&type_structure=mediatheque&commune=Saint-Étienne",
        structure.get_absolute_url(),
        lieu.get_absolute_url(),
        demo["public_profile"].get_absolute_url(),
        reverse("advisors:cohorts"),
        reverse("skills:index"),
        reverse("skills:detail", args=[skill.slug]),
        reverse("skills:map") + "?territoire=42",
        reverse("skills:map") + "?territoire=epci-244200770",
        # Coverage (issue 12): filters whose SQL must read on SQLite too (the remote mode is in a JSON list).
        reverse("overview:coverage") + "?territoire=42&service=aide-aux-demarches-administratives",
        reverse("overview:coverage") + "?territoire=42&ouverture=samedi&mode=a_distance&public=surdite&tri=-distance",
        reverse("overview:coverage") + "?territoire=epci-244200770&ouverture=soir&mode=itinerant",
        reverse("overview:coverage_export") + "?territoire=42&format=xlsx",
        reverse("overview:coverage_export") + "?territoire=42&format=svg",
        # Coverage (issue 12): filters whose SQL must read on SQLite too (the remote mode is in a JSON list).
        reverse("overview:coverage") + "?territoire=42&service=aide-aux-demarches-administratives",
        reverse("overview:coverage") + "?territoire=42&ouverture=samedi&mode=a_distance&public=surdite&tri=-distance",
        reverse("overview:coverage") + "?territoire=epci-244200770&ouverture=soir&mode=itinerant",
        reverse("overview:coverage_export") + "?territoire=42&format=xlsx",
        reverse("overview:coverage_export") + "?territoire=42&format=svg",
        reverse("skills:board"),
        # Open data (issue 13): the national lieux export and its page (counts filtered by an EXISTS).
        reverse("overview:open_data"),
        reverse("overview:lieux_export_json", args=["42"]),
        reverse("overview:lieux_export_csv", args=["42"]),
        # Events (issue 10): the calendar's three views, the Fête's page and programme, the feeds.
        reverse("events:index") + "?departement=42",
        reverse("events:index") + "?departement=42&type=fete&public=grand_public&du=2026-01-01",
        reverse("events:month") + "?departement=42",
        reverse("events:month", args=[f"{fete_start:%Y}", f"{fete_start:%m}"]) + "?departement=42",
        reverse("events:past") + "?departement=42",
        fete.get_absolute_url(),
        reverse("events:programme", args=[fete.pk]),
        reverse("events:missing_animators") + "?departement=42",
        reverse("events:departement_feed", args=["42"]),
        reverse("events:ics", args=[fete.pk]),
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_main_pages_answer(demo, who):
    client = client_for(demo.get(who))
    urls = pages(demo)
    if who != "anonymous":
        urls += [
            reverse("advisors:my_profile"),
            reverse("advisors:my_network"),
            reverse("events:index") + "?departement=42&mes_evenements=on",
            reverse("events:invitations"),
            reverse("events:calendar_token"),
            reverse("orientations:inbox"),
            reverse("orientations:sent") + "?etat=taken",
            # Orienter une personne (issue 12): distances, overlaps and the remote mode in SQL SQLite reads too.
            reverse("orientations:new")
            + "?service=aide-aux-demarches-administratives&commune=-42218&langue=pt&public=surdite"
            + "&jours=5&jours=2&moment=morning&deplacement=non&a_distance=on",
            reverse("orientations:compose") + f"?lieu={demo['lieu'].pk}&service=aide-aux-demarches-administratives"
            "&commune=-42218&jours=5",
        ]
    if who == "coordinator":
        urls += [
            reverse("advisors:membership_requests", args=["42"]),
            reverse("skills:pairs") + "?departement=42",
            reverse("skills:map_export", args=["xlsx"]) + "?territoire=42",
            reverse("skills:table_export", args=["csv"]) + "?territoire=42",
            reverse("events:create"),
            reverse("events:edit", args=[demo["fete"].pk]),
            reverse("events:registrations", args=[demo["fete"].pk]),
            reverse("events:registrations_export", args=[demo["fete"].pk]),
            reverse("events:sign_in_sheet", args=[demo["fete"].pk]),
            reverse("events:attendance", args=[demo["fete"].pk]),
            reverse("events:organisers", args=[demo["fete"].pk]),
            reverse("orientations:flows", args=["42"]) + "?periode=12",
            reverse("orientations:flows", args=["42"]) + "?format=csv",
            # The network's life (issue 13): the dashboard, every list behind it and their exports, composing.
            reverse("animation:dashboard", args=["42"]),
            *[reverse("animation:dashboard_list", args=["42", slug]) for slug in FIGURES],
            *[
                reverse("animation:dashboard_export", args=["42"]) + f"?liste={slug}&format={fmt}"
                for slug in FIGURES
                for fmt in ("csv", "xlsx")
            ],
            reverse("animation:letter_new", args=["42"]),
            reverse("animation:partner_new", args=["42"]),
            reverse("animation:channel_new", args=["42"]),
        ]
    if who != "anonymous":
        letter = Letter.objects.filter(departement="42", sent_at__isnull=False).order_by("-period").first()
        urls += [
            reverse("animation:partners", args=["42"]) + "?q=caf",
            reverse("animation:channels", args=["42"]),
            reverse("animation:letters", args=["42"]),
            letter.get_absolute_url(),
        ]
    failures = [(url, status) for url in urls if (status := client.get(url).status_code) >= 500]
    assert failures == []


def test_the_events_pages_show_the_demo(demo):
    """The Fête is public: every events page answers 200 to a visitor, and the feed carries it."""
    client, fete = client_for(), demo["fete"]
    failures = [
        (url, status)
        for url in pages(demo)
        if "/evenements/" in url and (status := client.get(url).status_code) != 200
    ]
    assert failures == []
    assert fete.title in page_text(client.get(fete.get_absolute_url()))
    feed = client.get(reverse("events:departement_feed", args=["42"])).content.decode()
    assert feed.startswith("BEGIN:VCALENDAR") and fete.ical_uid in feed


def test_the_structure_search_ignores_accents(demo):
    text = page_text(client_for().get(reverse("advisors:structures"), {"q": "MEDIATHEQUE"}))
    assert demo["structure"].name in text
    assert re.search(r"\b[1-9]\d* structures?\b", text)


def submit(client, url, fill=None, expect_forms=1, action=""):
    """Send back the page's POST forms (those whose action holds ``action``), with ``fill`` over
    what the page holds; their statuses."""
    response = client.get(url)
    assert response.status_code == 200, url
    forms = [
        form
        for form in post_forms(response.content.decode())
        if action in form["action"] and "logout" not in form["action"]
    ]
    assert len(forms) >= expect_forms, f"{url}: {len(forms)} formulaire(s)"
    statuses = []
    for form in forms:
        data = {**form["data"], **(fill or {})}
        statuses.append((form["action"] or url, client.post(form["action"] or url, data).status_code))
    return statuses


def test_main_forms_are_accepted(demo):
    # The département choice, as a visitor (its CSRF token once went missing).
    statuses = submit(client_for(), reverse("overview:departement", args=["43"]), action=reverse("overview:choose"))
    newcomer = UserFactory()
    statuses += submit(
        client_for(newcomer),
        reverse("advisors:membership_request"),
        {"departement": ["42"], "commune": ["Saint-Étienne"], "structure_name": ["Médiathèque de Tarentaize"]},
    )
    member = client_for(demo["member"])
    # Every section of Mon profil, sent back unchanged.
    statuses += submit(member, reverse("advisors:my_profile"), expect_forms=3)
    statuses += submit(
        member,
        reverse("advisors:structure_create"),
        {"name": ["Tiers-lieu de l’Éveil"], "kind": ["tiers_lieu"], "commune": ["Firminy"]},
    )
    statuses += submit(
        member,
        reverse("skills:index"),
        {"name": ["Impression 3D à l’école"], "domain": [Domain.objects.order_by("pk").first().pk]},
        action=reverse("skills:propose"),
    )
    coordinator = client_for(demo["coordinator"])
    statuses += submit(coordinator, reverse("advisors:structure_edit", args=[demo["structure"].pk]))
    # Events: a member registers to the Fête and offers to animate one of its slots; the coordinator
    # creates an event.
    fete = demo["fete"]
    statuses += submit(member, fete.get_absolute_url(), action=reverse("events:register", args=[fete.pk]))
    slot = free_slot(fete, demo["member"])
    statuses += submit(member, fete.get_absolute_url(), action=reverse("events:animator_propose", args=[slot.pk]))
    created = Event.objects.count()
    statuses += submit(
        coordinator,
        reverse("events:create"),
        {
            "kind": [EventKind.RENCONTRE],
            "title": ["Rencontre des conseillers du Forez"],
            "date": [(timezone.localdate() + timedelta(days=30)).isoformat()],
            "start_time": ["14:00"],
            "end_time": ["17:00"],
            "commune": ["Montbrison"],
            "address": ["Salle des fêtes"],
        },
    )
    # The network's life (issue 13): the member suggests a partner and says she knows one; the coordinator
    # reminds the stale profiles, composes this month's letter, sends herself a test, then sends it; the member
    # unsubscribes from the letter's link.
    statuses += submit(
        member,
        reverse("animation:partner_new", args=["42"]),
        {"name": ["Secours populaire de la Loire"], "kind": ["association"], "scope": ["departement"]},
    )
    partner = Partner.objects.filter(departement="42", status="published").order_by("pk").first()
    know = reverse("animation:partner_know", args=["42", partner.pk])
    statuses += submit(member, partner.get_absolute_url(), action=know)
    statuses += submit(
        coordinator,
        reverse("animation:dashboard_list", args=["42", "profils-12-mois"]),
        action=reverse("animation:profile_remind", args=["42"]),
    )
    statuses += submit(coordinator, reverse("animation:letter_new", args=["42"]))
    draft = Letter.objects.get(departement="42", sent_at__isnull=True)
    period = f"{draft.period:%Y-%m}"
    statuses += submit(coordinator, reverse("animation:letter_edit", args=["42", period]), action="/test/")
    statuses += submit(coordinator, reverse("animation:letter_send", args=["42", period]), action="/envoyer/")
    # Its answer is the confirmation page itself (200), not a redirection.
    unsubscribe = reverse("animation:letter_unsubscribe", args=[unsubscribe_token(demo["member"])])
    assert [status for _, status in submit(client_for(), unsubscribe)] == [200]
    # Sent back unchanged or filled as a person would, every form is accepted: no error page, no
    # CSRF refusal, no form error on what the site itself put in the form.
    assert [(url, status) for url, status in statuses if status != 302] == []
    assert len(statuses) >= 13
    assert fete.registrations.filter(user=demo["member"], slot=None).exists()
    assert slot.animators.filter(advisor__user=demo["member"]).exists()
    assert Event.objects.count() == created + 1
    assert Partner.objects.filter(name="Secours populaire de la Loire", status="suggested").exists()
    assert Letter.objects.get(pk=draft.pk).sent_at is not None
    assert not type(demo["member"]).objects.get(pk=demo["member"].pk).receives_letter


def free_slot(event, user):
    """A slot of ``event`` still missing animators, that ``user`` does not animate yet and that clashes
    with none they do: the page offers them « Je peux animer » there."""
    mine = list(Slot.objects.filter(animators__advisor__user=user))
    slots = (
        event.slots.annotate(signed=Count("animators"))
        .filter(signed__lt=F("animators_wanted"))
        .exclude(animators__advisor__user=user)
        .order_by("starts_at", "pk")
    )
    for slot in slots:
        if not any(other.starts_at < slot.ends_at and slot.starts_at < other.ends_at for other in mine):
            return slot
    raise AssertionError("La démo n’a plus de créneau libre pour ce membre.")
