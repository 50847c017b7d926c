import pytest
from django.core import mail
from django.urls import reverse

from resources.enums import ReportStatus, ResourceStatus
from resources.models import ResourceComment, ResourceReport, ResourceUseful
from resources.services.community import resource_useful_set
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.resources.factories import ResourceFactory, ResourceReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(loire):
    return ResourceFactory(departement=loire)


def test_useful_once_per_member_and_undo(client, member, resource):
    client.force_login(member)
    url = reverse("resources:useful", args=[resource.pk])
    for _ in range(3):
        assert client.post(url, {"useful": "1"}).status_code == 302
    assert ResourceUseful.objects.filter(resource=resource).count() == 1
    assert "1 membre l’a trouvée utile" in client.get(resource.get_absolute_url()).content.decode()
    client.post(url, {"useful": "0"})
    assert not ResourceUseful.objects.exists()


def test_useful_race_never_raises(member, resource):
    ResourceUseful.objects.create(resource=resource, user=member)
    assert resource_useful_set(resource=resource, user=member, useful=True) is True
    assert ResourceUseful.objects.count() == 1


def test_useful_needs_a_network(client, outsider, resource):
    client.force_login(outsider)
    assert client.post(reverse("resources:useful", args=[resource.pk])).status_code == 403


def test_comment_and_hide(client, member, resource):
    client.force_login(member)
    url = reverse("resources:comment", args=[resource.pk])
    assert client.post(url, {"body": ""}).status_code == 400
    response = client.post(url, {"body": "x" * 1001})
    assert response.status_code == 400
    assert "1 000 caractères" in response.content.decode()
    assert client.post(url, {"body": "Merci, très utile en atelier."}).status_code == 302
    comment = ResourceComment.objects.get()
    hide = reverse("resources:comment_hide", args=[resource.pk])
    assert client.post(hide, {"comment": comment.pk}).status_code == 403
    client.force_login(resource.authors.get().user)
    assert client.post(hide, {"comment": comment.pk}).status_code == 302
    comment.refresh_from_db()
    assert comment.hidden
    assert client.post(hide, {"comment": "9" * 30}).status_code == 400


def test_only_the_coordination_shows_a_hidden_comment_again(client, member, coordinator, resource):
    """An author hides a comment on their resource, but may not undo what the coordination hid."""
    comment = ResourceComment.objects.create(resource=resource, user=member, body="Hors sujet", hidden=True)
    hide = reverse("resources:comment_hide", args=[resource.pk])
    client.force_login(resource.authors.get().user)
    assert client.post(hide, {"comment": comment.pk, "hidden": "0"}).status_code == 403
    comment.refresh_from_db()
    assert comment.hidden
    client.force_login(coordinator)
    assert client.post(hide, {"comment": comment.pk, "hidden": "0"}).status_code == 302
    comment.refresh_from_db()
    assert not comment.hidden


def test_report_emails_the_coordinators(client, member, coordinator, resource, django_capture_on_commit_callbacks):
    client.force_login(member)
    url = reverse("resources:report", args=[resource.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "nope"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "obsolete", "message": "Le site a changé."})
    assert response.status_code == 302
    report = ResourceReport.objects.get()
    assert report.reason == "obsolete" and report.status == ReportStatus.OPEN
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert resource.title in mail.outbox[0].subject
    assert "Le site a changé." in mail.outbox[0].body


def test_moderation_list_hide_and_resolve(client, member, coordinator, resource):
    report = ResourceReportFactory(resource=resource, user=member)
    url = reverse("resources:reports")
    client.force_login(member)
    assert client.get(url, {"departement": "42"}).status_code == 403
    client.force_login(coordinator)
    response = client.get(url, {"departement": "42"})
    assert response.status_code == 200
    assert resource.title in response.content.decode()
    assert client.get(url, {"departement": "zz"}).status_code == 404
    client.post(reverse("resources:report_resolve", args=[report.pk]), {"action": "hide"})
    report.refresh_from_db()
    resource.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert resource.status == ResourceStatus.HIDDEN
    assert client.get(url, {"departement": "42"}).context["page"].paginator.count == 0


def test_resolve_refused_to_other_coordinators(client, other_coordinator, resource):
    report = ResourceReportFactory(resource=resource)
    client.force_login(other_coordinator)
    assert client.post(reverse("resources:report_resolve", args=[report.pk])).status_code == 403


@pytest.mark.parametrize("rows", [1, 6])
def test_reports_queries_are_bounded(client, coordinator, loire, django_assert_num_queries, rows):
    for _ in range(rows):
        ResourceReportFactory(resource=ResourceFactory(departement=loire, authors=[AdvisorFactory()]))
    client.force_login(coordinator)
    with django_assert_num_queries(7):
        assert client.get(reverse("resources:reports"), {"departement": "42"}).status_code == 200


def test_member_elsewhere_may_react(client, savoie, resource):
    client.force_login(MembershipFactory(departement=savoie).user)
    assert client.post(reverse("resources:useful", args=[resource.pk])).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_useful_sent_twice_at_once_counts_once_without_error():
    from tests.test_races import run_at_once

    membership = MembershipFactory()
    resource = ResourceFactory(departement=membership.departement)
    results, errors = run_at_once(
        lambda: resource_useful_set(resource=resource, user=membership.user, useful=True), [()] * 4
    )
    assert errors == [] and results == [True] * 4
    assert ResourceUseful.objects.filter(resource=resource).count() == 1
