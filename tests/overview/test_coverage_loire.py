"""The coverage map of the real Loire (``import_territories --departements 42``): 320 communes with their
vendored outlines, one named link each, under 150 KB of SVG.

The import is committed once for the module (as ``tests/territories/test_import.py`` does for France)
and removed after its last test; each test still runs in a transaction rolled back.
"""

import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from territories.models import EPCI, Commune, Departement, Outline, Region

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
TERRITORY_MODELS = (Outline, Commune, EPCI, Departement, Region)


@pytest.fixture(scope="module")
def real_loire(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        present_before = {model: set(model.objects.values_list("pk", flat=True)) for model in TERRITORY_MODELS}
        call_command("import_territories", "--departements", "42", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        for model in TERRITORY_MODELS:
            model.objects.exclude(pk__in=present_before[model]).delete()


def test_the_loire_map_has_one_named_link_per_commune_and_stays_light(client, real_loire):
    response = client.get(
        reverse("overview:coverage"), {"territoire": "42", "service": "aide-aux-demarches-administratives"}
    )
    assert response.status_code == 200
    communes = Commune.objects.filter(departement="42")
    outlined = Outline.objects.filter(key__in=[f"commune:{code}" for code in communes.values_list("code", flat=True)])
    assert communes.count() == 320 and outlined.count() == 320

    svg = re.search(r"<svg[^>]* class=\"map\".*?</svg>", response.content.decode(), re.S)[0]
    assert len(svg.encode()) < 150_000
    root = ET.fromstring(svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1))
    links = root.findall(f".//{SVG}g/{SVG}a")
    assert len(links) == 320
    assert all(link.find(f"{SVG}path") is not None and link.get("aria-label") for link in links)
    # Nothing is offered yet in this bare Loire: every commune is a zone blanche, and says so.
    assert all(": zone blanche, aucun lieu à moins de 15 km" in link.get("aria-label") for link in links)

    download = client.get(
        reverse("overview:coverage_export"),
        {"territoire": "42", "service": "aide-aux-demarches-administratives", "format": "svg"},
    )
    assert len(download.content) < 150_000
    assert len(ET.fromstring(download.content).findall(f".//{SVG}g/{SVG}a")) == 320
