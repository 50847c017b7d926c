import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from skills.enums import SkillLevel
from skills.models import Domain
from tests.advisors.factories import AdvisorFactory, MembershipFactory, StructureFactory, UserFactory
from tests.skills import map_data
from tests.skills.factories import AdvisorSkillFactory, SkillFactory
from tests.territories.factories import CommuneFactory


@pytest.fixture
def territory(loire):
    return map_data.build(loire)


def _url(name, fmt, territoire="42"):
    return f"{reverse(name, args=[fmt])}?territoire={territoire}"


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response):
    raw = _body(response)
    assert raw.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True).worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def _rows_for(rows, names):
    return {row[1]: row for row in rows[1:] if row[1] in names}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_map_export_departement(client, coordinator, territory, fmt):
    client.force_login(coordinator)
    response = client.get(_url("skills:map_export", fmt))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="carte-competences-loire-{_today()}.{fmt}"'
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    assert rows[0] == [
        "Domaine",
        "Compétence",
        "Je maîtrise et peux transmettre",
        "Je pratique",
        "Je veux apprendre",
        "Personne ne maîtrise",
        "Besoin de formation",
    ]
    domain = territory.s1.domain.name
    lines = _rows_for(rows, {territory.s1.name, territory.s2.name, territory.s3.name})
    # The coordinator sees Émile (coordinators only) too.
    expected = {
        territory.s1.name: [domain, territory.s1.name, 3, 1, 0, "non", "non"],
        territory.s2.name: [domain, territory.s2.name, 1, 0, 4, "non", "oui"],
        territory.s3.name: [domain, territory.s3.name, 1, 0, 3, "non", "oui"],
    }
    for name, line in expected.items():
        if fmt == "csv":
            line = [str(value) for value in line]
        assert lines[name] == line
    # Every validated skill has its row, proposed ones none.
    assert "Aad Proposée test" not in [row[1] for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_map_export_epci_has_the_departement_columns(client, coordinator, territory, fmt):
    client.force_login(coordinator)
    response = client.get(_url("skills:map_export", fmt, "epci-244200770"))
    assert response.status_code == 200
    assert f'filename="carte-competences-saint-etienne-metropole-{_today()}.{fmt}"' in response["Content-Disposition"]
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    assert rows[0][5:8] == [
        "Je maîtrise et peux transmettre — Loire",
        "Je pratique — Loire",
        "Je veux apprendre — Loire",
    ]
    line = _rows_for(rows, {territory.s1.name})[territory.s1.name]
    # EPCI: Arnaud and Émile master, Béatrice practises; Loire: Arnaud, Charles, Émile.
    expected = [territory.s1.domain.name, territory.s1.name, 2, 1, 0, 3, 1, 0, "non", "non"]
    assert line == ([str(value) for value in expected] if fmt == "csv" else expected)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_advisor_skill_table(client, coordinator, territory, fmt):
    client.force_login(coordinator)
    response = client.get(_url("skills:table_export", fmt))
    assert response.status_code == 200
    assert f'filename="conseillers-competences-loire-{_today()}.{fmt}"' in response["Content-Disposition"]
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    header = rows[0]
    assert header[:4] == ["Nom", "Prénom", "Structure", "Commune"]
    assert "Aad Proposée test" not in header
    s1, s2, s3 = (header.index(skill.name) for skill in (territory.s1, territory.s2, territory.s3))
    people = {row[1]: row for row in rows[1:]}
    # One row per visible advisor of the Loire (the coordinator's own profile has none: no Advisor).
    assert sorted(people) == ["Arnaud", "Béatrice", "Charles", "Denise", "Émile"]
    arnaud = people["Arnaud"]
    assert arnaud[:4] == ["Arnaudson", "Arnaud", "", "Saint-Étienne"]
    assert [arnaud[s1], arnaud[s2], arnaud[s3]] == [
        "je maîtrise et peux transmettre",
        "je veux apprendre",
        "je veux apprendre",
    ]
    denise = people["Denise"]
    assert denise[2].startswith("Médiathèque") and denise[3] == ""
    assert [denise[s1], denise[s2], denise[s3]] == ["", "je veux apprendre", "je veux apprendre"]
    assert people["Béatrice"][s1] == "je pratique"
    # Name order.
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


@pytest.mark.parametrize("name", ["skills:map_export", "skills:table_export"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 403), ("outsider", 403), ("member", 403), ("coordinator", 200), ("other_coordinator", 403)],
)
def test_export_permissions(client, request, territory, name, fmt, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(_url(name, fmt)).status_code == status
    assert client.get(_url(name, fmt, "epci-244200770")).status_code == status


def test_export_link_shown_to_the_coordinator_only(client, coordinator, member, territory):
    link = reverse("skills:map_export", args=["csv"])
    client.force_login(member)
    assert link not in client.get(reverse("skills:map"), {"territoire": "42"}).content.decode()
    client.force_login(coordinator)
    assert link in client.get(reverse("skills:map"), {"territoire": "42"}).content.decode()


def test_export_bad_format_or_territory_is_404(client, coordinator, territory):
    client.force_login(coordinator)
    assert client.get(_url("skills:map_export", "pdf")).status_code == 404
    assert client.get(_url("skills:table_export", "csv", "99")).status_code == 404


def test_pending_coordinator_cannot_export(client, loire, territory):
    pending = MembershipFactory(departement=loire, coordinator=True, pending=True).user
    client.force_login(pending)
    assert client.get(_url("skills:map_export", "csv")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_queries_do_not_grow(client, coordinator, territory, fmt, django_assert_num_queries):
    client.force_login(coordinator)
    skills = [territory.s1, territory.s2, territory.s3]
    counts = []
    for extra in (2, 30):
        map_data.add_crowd(territory.a1.departement, territory.a2, skills, extra)
        for name in ("skills:map_export", "skills:table_export"):
            with django_assert_num_queries(EXPECTED[name]) as context:
                _body(client.get(_url(name, fmt)))
            counts.append(len(context.captured_queries))
    assert counts[:2] == counts[2:]


# Session, user, memberships (once, for the perms and visible_to), the territory; then the map: totals,
# skills with counts; the table: skills, levels, advisors.
EXPECTED = {"skills:map_export": 6, "skills:table_export": 7}


# Formula injection: what members type must reach a spreadsheet as text, never as a formula.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(loire):
    """A member whose every text that an export shows is a would-be formula."""
    commune = CommuneFactory(departement=loire, code="42218", name="Saint-Étienne")
    skill = SkillFactory(
        name="@SUM(1)", slug="somme", domain=Domain.objects.create(slug="piege", name="-2+3", position=0)
    )
    advisor = AdvisorFactory(
        user=UserFactory(first_name="\tTab", last_name='=HYPERLINK("http://x","y")'),
        departement=loire,
        commune=commune,
        structure=StructureFactory(name="+cmd", commune=commune),
    )
    AdvisorSkillFactory(advisor=advisor, skill=skill, level=SkillLevel.MASTER)
    AdvisorSkillFactory(
        advisor=AdvisorFactory(user=UserFactory(last_name="\rRetour"), departement=loire, commune=commune),
        skill=skill,
        level=SkillLevel.LEARN,
    )
    return advisor


def _cells(response, fmt):
    """Every cell of the download, as ``(value, type)``: openpyxl's ``data_type`` for XLSX."""
    body = _body(response)
    if fmt == "csv":
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
        return [(value, "s") for row in rows for value in row]
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return [(cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_member_named_like_a_formula_is_exported_as_text(client, coordinator, hostile, fmt):
    client.force_login(coordinator)
    table = _cells(client.get(_url("skills:table_export", fmt)), fmt)
    values = [value for value, _ in table]
    assert '\'=HYPERLINK("http://x","y")' in values
    assert "'+cmd" in values
    assert "'@SUM(1)" in values  # a validated skill's name is a column header
    assert "'@SUM(1)" in [value for value, _ in _cells(client.get(_url("skills:map_export", fmt)), fmt)]
    assert all(data_type != "f" for _, data_type in table)


@pytest.mark.parametrize("name", ["skills:map_export", "skills:table_export"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_exported_cell_is_text_or_a_number_never_a_formula(client, coordinator, hostile, name, fmt):
    client.force_login(coordinator)
    cells = _cells(client.get(_url(name, fmt)), fmt)
    # The hostile values are there (neutralised): the check below runs on them, it cannot pass empty.
    assert sum(str(value).startswith("'") for value, _ in cells) >= (2 if name == "skills:map_export" else 5)
    for value, data_type in cells:
        if isinstance(value, int | float):
            assert data_type == "n"
        else:
            assert data_type == "s", value
            assert not value.startswith(FORMULA_STARTS), value
