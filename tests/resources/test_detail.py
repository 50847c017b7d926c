import pytest
from django.urls import reverse

from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_published_public_resource_page(client):
    resource = ResourceFactory(title="Créer son adresse e-mail")
    response = client.get(reverse("resources:detail", args=[resource.pk]))
    assert response.status_code == 200
    assert "Créer son adresse e-mail" in response.content.decode()


@pytest.mark.parametrize("trait", ["draft", "hidden", "network"])
def test_resource_hidden_from_visitor_is_404(client, trait):
    resource = ResourceFactory(**{trait: True})
    assert client.get(reverse("resources:detail", args=[resource.pk])).status_code == 404


def test_unknown_resource_is_404(client):
    assert client.get("/ressources/999999999/").status_code == 404
