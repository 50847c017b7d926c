import json

import pytest
from django.urls import reverse

from advisors.enums import Visibility
from resources.enums import Licence
from resources.models import ResourceComment
from tests.advisors.factories import AdvisorFactory
from tests.events.factories import EventFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def page(client, resource):
    return client.get(reverse("resources:detail", args=[resource.pk]))


def test_published_public_resource_page(client):
    resource = ResourceFactory(title="Créer son adresse e-mail", licence=Licence.CC_BY, body="## Étapes\n\n*Simple*")
    response = page(client, resource)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Créer son adresse e-mail" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.fr"' in html
    assert "<h2>Étapes</h2>" in html  # right under the title (h1): axe-core's heading-order
    assert "<em>Simple</em>" in html
    assert "Modifier" not in html


@pytest.mark.parametrize("trait", ["draft", "hidden", "network"])
def test_resource_hidden_from_visitor_is_404(client, trait):
    resource = ResourceFactory(**{trait: True})
    assert page(client, resource).status_code == 404
    assert client.get(reverse("resources:export", args=[resource.pk])).status_code == 404


def test_draft_shown_to_its_author_with_edit_links(client):
    author = AdvisorFactory()
    resource = ResourceFactory(draft=True, authors=[author])
    client.force_login(author.user)
    html = page(client, resource).content.decode()
    assert "Brouillon" in html
    assert reverse("resources:edit", args=[resource.pk]) in html
    assert reverse("resources:history", args=[resource.pk]) in html


def test_script_in_body_is_inert(client):
    resource = ResourceFactory(body='<script>alert(1)</script><img src=x onerror="alert(2)">')
    html = page(client, resource).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html
    assert '<img src="x" onerror' not in html


def test_event_and_authors_linked_when_visible(client):
    public = AdvisorFactory(visibility=Visibility.PUBLIC)
    hidden = AdvisorFactory(visibility=Visibility.NETWORK)
    event = EventFactory()
    resource = ResourceFactory(authors=[public, hidden], event=event)
    html = page(client, resource).content.decode()
    assert public.get_absolute_url() in html
    assert hidden.get_absolute_url() not in html
    assert hidden.user.display_name in html
    assert event.get_absolute_url() in html


def test_hidden_comments_only_for_editors(client, member):
    author = AdvisorFactory()
    resource = ResourceFactory(authors=[author])
    ResourceComment.objects.create(resource=resource, user=member, body="Très clair", hidden=False)
    ResourceComment.objects.create(resource=resource, user=member, body="Hors sujet", hidden=True)
    html = page(client, resource).content.decode()
    assert "Très clair" in html and "Hors sujet" not in html
    client.force_login(author.user)
    assert "Hors sujet" in page(client, resource).content.decode()


def test_export_notice(client):
    author = AdvisorFactory()
    resource = ResourceFactory(title="Kit « fête du numérique »", authors=[author], licence=Licence.ETALAB)
    response = client.get(reverse("resources:export", args=[resource.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["title"] == "Kit « fête du numérique »"
    assert data["licence"]["url"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert data["authors"] == [author.user.display_name]
    assert data["url"].endswith(resource.get_absolute_url())
    assert data["kind"]["code"] == "fiche"


def test_unknown_resource_is_404(client):
    assert client.get("/ressources/999999999/").status_code == 404
    assert client.get("/ressources/99999999999999999999/").status_code == 404


@pytest.mark.parametrize("comments", [1, 8])
def test_detail_queries_are_bounded(client, member, django_assert_num_queries, comments):
    authors = AdvisorFactory.create_batch(comments)
    resource = ResourceFactory(authors=authors, event=EventFactory())
    for index in range(comments):
        ResourceComment.objects.create(resource=resource, user=member, body=f"Merci {index}")
    client.force_login(member)
    with django_assert_num_queries(9):
        assert page(client, resource).status_code == 200


def test_pdf_preview_and_image(client):
    from django.core.files.base import ContentFile

    resource = ResourceFactory()
    pdf = resource.files.create(
        file=ContentFile(b"%PDF-1.4\n", name="x.pdf"),
        original_name="fiche.pdf",
        content_type="application/pdf",
        size=9,
    )
    image = resource.files.create(
        file=ContentFile(b"\x89PNG", name="x.png"), original_name="capture.png", content_type="image/png", size=4
    )
    response = page(client, resource)
    html = response.content.decode()
    pdf_url = reverse("resources:file", args=[resource.pk, pdf.pk])
    # ?apercu=1: the preview, which resources:file may leave out of the download count.
    assert f'<object data="{pdf_url}?apercu=1" type="application/pdf"' in html
    assert f'<img src="{reverse("resources:file", args=[resource.pk, image.pk])}?apercu=1" alt="capture.png' in html
    assert "object-src 'self'" in response["Content-Security-Policy"]
    assert "0 téléchargement" in html
