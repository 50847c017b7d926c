"""The coordinators' dashboard: its figures on hand-built data, the lists behind them, their exports,
who may see them, and queries that do not grow with the network."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from advisors.models import Advisor, Membership
from advisors.services.account import account_delete, membership_leave
from animation.models import Departure, ProfileReminder
from animation.queries import dashboard as queries
from events.enums import Attendance
from skills.enums import SkillLevel
from skills.models import AdvisorSkill, ProjectCard, Skill
from tests.advisors.factories import AdvisorFactory, MembershipFactory, StructureFactory
from tests.events.factories import (
    AnimatorSignupFactory,
    EventFactory,
    OrganiserFactory,
    RegistrationFactory,
    SlotFactory,
)
from tests.orientations.factories import OrientationFactory
from tests.pages import page_text
from tests.resources.factories import ResourceFactory

DAY = timedelta(days=1)


def dashboard_url(code="42"):
    return reverse("animation:dashboard", args=[code])


def list_url(slug, code="42"):
    return reverse("animation:dashboard_list", args=[code, slug])


def export_url(slug, kind, code="42"):
    return reverse("animation:dashboard_export", args=[code]) + f"?liste={slug}&format={kind}"


def age(advisor, days):
    """The profile as if its owner last saved it ``days`` days ago (auto_now would overwrite a save())."""
    Advisor.objects.filter(pk=advisor.pk).update(updated_at=timezone.now() - days * DAY)


@pytest.fixture
def world(loire, savoie, saint_etienne, coordinator):
    """The Loire: five members (two stale, two newcomers, contributors and quiet ones), and a stale
    member of the Savoie who must appear nowhere."""
    structure = StructureFactory(commune=saint_etienne, name="Médiathèque Tarentaize")
    people = {}
    for key, first, last in [
        ("alice", "Alice", "Arnaud"),
        ("bruno", "Bruno", "Besson"),
        ("chloe", "Chloé", "Chabert"),
        ("david", "David", "Dumas"),
        ("emma", "Emma", "Estève"),
    ]:
        people[key] = AdvisorFactory(
            departement=loire, structure=structure, user__first_name=first, user__last_name=last
        )
    now = timezone.now()
    # The dashboard counts members by calendar month in the Loire's time zone: the dates that land in a
    # month bucket are set from the local month's boundaries, not « n days ago » (which falls in last
    # month during the first days of a month).
    this_month = timezone.localtime(now, ZoneInfo(loire.timezone)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    two_months_ago = (this_month - 40 * DAY).replace(day=15, hour=12)
    # Alice: not updated for 13 months; Bruno for 19 months, reminded 2 months ago.
    age(people["alice"], 396)
    age(people["bruno"], 580)
    ProfileReminder.objects.create(
        advisor=people["bruno"], departement=loire, sent_by=coordinator, created_at=now - 60 * DAY
    )
    # David: arrived 20 days ago, came to no event. Emma: membership accepted on the 15th two months ago,
    # came to one.
    Advisor.objects.filter(pk=people["david"].pk).update(arrival_date=timezone.localdate() - 20 * DAY)
    Membership.objects.filter(user=people["emma"].user).update(decided_at=two_months_ago)
    Advisor.objects.filter(pk=people["emma"].pk).update(arrival_date=None)
    # Chloé has been in the network for years and only joined Maillage this month (at its first local
    # minute, which is never in the future): no newcomer.
    Membership.objects.filter(user=people["chloe"].user).update(decided_at=this_month)
    past = EventFactory(departement=loire, past=True)
    RegistrationFactory(event=past, user=people["emma"].user, attendance=Attendance.PRESENT)
    # Contributions of the last twelve months: Chloé organises 2 events, publishes a resource, posts a
    # card and sends an orientation to Alice (who receives it). Bruno organised one 14 months ago.
    for _ in range(2):
        OrganiserFactory(event=EventFactory(departement=loire, past=True), advisor=people["chloe"])
    OrganiserFactory(
        event=EventFactory(departement=loire, starts_at=now - 420 * DAY, ends_at=now - 419 * DAY),
        advisor=people["bruno"],
    )
    ResourceFactory(departement=loire, authors=[people["chloe"]])
    ProjectCard.objects.create(author=people["chloe"], departement=loire, title="Un repair café", body="Avec vous ?")
    OrientationFactory(sender=people["chloe"].user, receiver_advisor=people["alice"], commune=saint_etienne)
    # The Savoie's member: stale and quiet, but of another network.
    age(AdvisorFactory(departement=savoie), 700)
    return people


def test_stale_profiles_count_the_members_not_updated_with_their_last_reminder(world, loire, coordinator):
    twelve = list(queries.stale_profiles(loire, coordinator, months=12))
    eighteen = list(queries.stale_profiles(loire, coordinator, months=18))
    assert [advisor.user.first_name for advisor in twelve] == ["Bruno", "Alice"]
    assert [advisor.user.first_name for advisor in eighteen] == ["Bruno"]
    assert twelve[0].last_reminder is not None and twelve[1].last_reminder is None


def test_newcomers_and_whether_they_came_to_an_event(world, loire, coordinator):
    rows = {advisor.user.first_name: advisor for advisor in queries.newcomers(loire, coordinator)}
    assert set(rows) == {"David", "Emma"}
    assert (rows["David"].came, rows["Emma"].came) == (False, True)


def test_contributions_per_member_and_the_concentration(world, loire, coordinator):
    rows = {advisor.user.first_name: advisor for advisor in queries.contributions(loire, coordinator)}
    chloe, alice = rows["Chloé"], rows["Alice"]
    assert (chloe.n_events, chloe.n_resources, chloe.n_cards, chloe.n_sent, chloe.n_received) == (2, 1, 1, 1, 0)
    assert (alice.n_received, alice.total) == (1, 1)
    assert rows["Bruno"].total == 0  # his event is 14 months old
    assert [a.user.first_name for a in queries.contributors(loire, coordinator)] == ["Chloé", "Alice"]
    assert [a.user.first_name for a in queries.quiet_members(loire, coordinator)] == ["Bruno", "David", "Emma"]
    summary = queries.contribution_summary(loire, coordinator)
    # 6 contributions: Chloé's 5 are 83 % of them, 1 person of 5 (20 %).
    assert (summary.members, summary.contributors, summary.total, summary.core) == (5, 2, 6, 1)
    assert (summary.core_percent, summary.quiet) == (20, 3)


def test_membership_months_count_arrivals_and_the_members_still_here(world, loire):
    months = queries.membership_months(loire)
    assert len(months) == 12
    # Emma's and Chloé's memberships were accepted two months ago and this month; the other three and the
    # coordinator's have no decision date (counted as before). The Savoie's member is not counted.
    assert sum(month.joined for month in months) == 2
    assert months[-1].active == 6
    assert months[0].active == 4


def test_events_lacking_animators_or_registrations(loire, coordinator, member):
    soon = timezone.now() + 10 * DAY
    lacking = EventFactory(departement=loire, title="Fête du numérique", starts_at=soon, ends_at=soon + DAY)
    slot = SlotFactory(event=lacking, animators_wanted=3)
    AnimatorSignupFactory(slot=slot)
    RegistrationFactory(event=lacking)
    full = EventFactory(departement=loire, title="Café-visio complet", capacity=2, starts_at=soon, ends_at=soon + DAY)
    RegistrationFactory.create_batch(2, event=full)
    half = EventFactory(
        departement=loire, title="Atelier à moitié vide", capacity=10, starts_at=soon, ends_at=soon + DAY
    )
    RegistrationFactory.create_batch(4, event=half)
    EventFactory(departement=loire, draft=True, starts_at=soon, ends_at=soon + DAY)
    needs = {need.event.title: need for need in queries.events_to_reinforce(loire)}
    assert set(needs) == {"Fête du numérique", "Atelier à moitié vide"}
    assert needs["Fête du numérique"].animators_missing == 2
    assert (needs["Atelier à moitié vide"].registered, needs["Atelier à moitié vide"].fill_percent) == (4, 40)


def test_skill_gaps_and_needs_come_from_the_skills_map(world, loire, coordinator):
    email, office = Skill.objects.validated().order_by("pk")[:2]
    AdvisorSkill.objects.create(advisor=world["alice"], skill=email, level=SkillLevel.MASTER)
    for key in ("bruno", "chloe", "david"):
        AdvisorSkill.objects.create(advisor=world[key], skill=office, level=SkillLevel.LEARN)
    skills = queries.skills_of(loire)
    gaps = {row.skill for row in skills.gaps}
    assert email not in gaps and office in gaps
    assert [row.skill for row in skills.needs] == [office]
    assert len(gaps) == Skill.objects.validated().count() - 1


def test_the_dashboard_shows_every_figure_with_a_link_to_its_list(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(dashboard_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "2 profils non mis à jour depuis 12 mois" in text
    assert "1 profil non mis à jour depuis 18 mois" in text
    assert "2 arrivées en 6 mois, dont 1 déjà venue à un événement du réseau" in text
    assert "20 % des membres font 80 % des contributions" in text
    assert "3 membres sans contribution" in text
    assert "Les départs ne sont comptés que depuis le" in text
    html = response.content.decode()
    for slug in queries_slugs():
        assert list_url(slug) in html, slug
    assert "/couverture/?territoire=42" in html
    # A link to each service's coverage: a commune covered for one may be a zone blanche for another.
    assert 'href="/couverture/?territoire=42&amp;service=aide-aux-demarches-administratives"' in html
    assert "<svg" in html and "<title" in html


def queries_slugs():
    return [
        "membres-arrivees",
        "membres-departs",
        "profils-12-mois",
        "profils-18-mois",
        "nouveaux",
        "contributeurs",
        "discrets",
        "competences-manquantes",
        "besoins-formation",
    ]


def test_a_list_shows_the_people_behind_its_figure_with_their_dates(client, world, coordinator):
    client.force_login(coordinator)
    text = page_text(client.get(list_url("profils-12-mois")))
    assert "Bruno Besson" in text and "Alice Arnaud" in text and "Chloé" not in text
    assert "Relancer les 2 personnes de la liste" in text


def test_the_quiet_members_list_offers_to_write_to_them_in_blind_copy(client, world, coordinator):
    client.force_login(coordinator)
    html = client.get(list_url("discrets")).content.decode()
    assert "mailto:?bcc=" in html
    for key in ("bruno", "david", "emma"):
        assert world[key].user.email in html
    assert world["chloe"].user.email not in html


@pytest.mark.parametrize("slug", [*queries_slugs(), "evenements-a-renforcer"])
def test_every_list_exports_as_csv_and_xlsx(client, world, coordinator, slug):
    client.force_login(coordinator)
    response = client.get(export_url(slug, "csv"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body), delimiter=";"))
    assert header
    response = client.get(export_url(slug, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == header


def test_exports_keep_a_formula_as_text(client, world, coordinator):
    user = world["bruno"].user
    user.first_name, user.last_name = '=HYPERLINK("http://evil.example")', ""
    user.save()
    client.force_login(coordinator)
    body = b"".join(client.get(export_url("profils-18-mois", "csv")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    sheet = load_workbook(io.BytesIO(client.get(export_url("profils-18-mois", "xlsx")).content)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")


@pytest.mark.parametrize(
    "query",
    ["liste=inconnue&format=csv", "liste=profils-12-mois&format=pdf", "", "liste=%00&format=csv", "format=xlsx"],
)
def test_an_unknown_list_or_format_is_a_clear_400(client, coordinator, query):
    client.force_login(coordinator)
    response = client.get(reverse("animation:dashboard_export", args=["42"]) + "?" + query)
    assert response.status_code == 400
    if "%00" not in query:  # the site's middleware refuses NUL bytes before the view
        assert "format=csv ou format=xlsx" in response.content.decode()


def test_an_unknown_list_is_a_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(list_url("inconnue")).status_code == 404
    assert client.get(reverse("animation:dashboard", args=["99"])).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "pending_member", "other_coordinator"])
def test_only_the_departement_coordinators_see_the_dashboard(client, request, world, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in [dashboard_url(), list_url("discrets"), export_url("discrets", "csv")]:
        response = client.get(url)
        assert response.status_code == (302 if who == "anonymous" else 403), (who, url)


def test_a_coordinator_of_another_network_sees_only_her_own(client, world, other_coordinator):
    client.force_login(other_coordinator)
    response = client.get(dashboard_url("73"))
    assert response.status_code == 200
    assert "1 profil non mis à jour depuis 12 mois" in page_text(response)


def build_network(loire, structure, size):
    """``size`` members, each stale, reminded, a newcomer accepted ten days ago and registered to an event;
    every other one contributing everything, the others quiet; an upcoming event short of animators each."""
    event = EventFactory(departement=loire, past=True)
    for index in range(size):
        advisor = AdvisorFactory(departement=loire, structure=structure, newcomer=True)
        age(advisor, 600)
        Membership.objects.filter(user=advisor.user).update(decided_at=timezone.now() - 10 * DAY)
        ProfileReminder.objects.create(advisor=advisor, departement=loire, created_at=timezone.now() - 90 * DAY)
        RegistrationFactory(event=event, user=advisor.user)
        Departure.objects.create(departement=loire, left_at=timezone.now() - index * DAY)
        if index % 2 == 0:
            OrganiserFactory(event=EventFactory(departement=loire, past=True), advisor=advisor)
            ResourceFactory(departement=loire, authors=[advisor])
            ProjectCard.objects.create(author=advisor, departement=loire, title=f"Projet {index}", body="…")
        soon = timezone.now() + (index + 2) * DAY
        SlotFactory(event=EventFactory(departement=loire, starts_at=soon, ends_at=soon + DAY), animators_wanted=2)


@pytest.mark.parametrize("url", ["dashboard", *queries_slugs(), "evenements-a-renforcer"])
def test_query_counts_do_not_grow_with_the_network(
    client, loire, saint_etienne, coordinator, django_assert_num_queries, url
):
    structure = StructureFactory(commune=saint_etienne)
    path = dashboard_url() if url == "dashboard" else list_url(url)
    client.force_login(coordinator)
    counts = []
    for size in (3, 25):
        build_network(loire, structure, size - (counts and 3 or 0))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(counts[1]):
        client.get(path)


def test_a_member_who_leaves_is_counted_as_a_departure_with_dates_only(client, world, loire, coordinator):
    emma = world["emma"].user
    membership_leave(membership=Membership.objects.get(user=emma, departement=loire))
    account_delete(user=world["david"].user)
    MembershipFactory(departement=loire, pending=True).delete()  # a withdrawn request: no departure
    departures = list(Departure.objects.all())
    assert len(departures) == 2
    assert {departure.joined_at is None for departure in departures} == {True, False}
    months = queries.membership_months(loire)
    assert months[-1].gone == 2
    # Emma joined two months ago and left today: she counts among the arrivals, and among the active
    # members of the months she was there (David too), not of this one. Chloé joined this month.
    assert sum(month.joined for month in months) == 2
    assert months[-1].active == 4  # Alice, Bruno, Chloé and the coordinator
    assert months[-2].active == 5  # Alice, Bruno, the coordinator, Emma and David
    client.force_login(coordinator)
    text = page_text(client.get(dashboard_url()))
    assert "2 départs en 12 mois" in text
    text = page_text(client.get(list_url("membres-departs")))
    assert "2 lignes" in text and emma.last_name not in text
