import re
from html import unescape

import pytest
from django.urls import reverse

from tests.advisors.factories import MembershipFactory
from tests.pages import page_text
from tests.skills import map_data

URL = reverse("skills:map")


def _part(html, start, end="</section>"):
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def domain_counts(response, skill):
    """(maîtrise, pratique, appétence) of a skill as its domain table shows them."""
    html = response.content.decode()
    html = html[html.index('aria-labelledby="domains-title"') :]
    match = re.search(
        rf'<th scope="row"><a href="[^"]*">{re.escape(skill.name)}</a>(?:\s*<span[^>]*>[^<]*</span>)*</th>\s*'
        r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>',
        html,
    )
    assert match, f"{skill.name} not in the domain tables"
    return tuple(int(value) for value in match.groups())


def listed(html_part):
    return [unescape(name) for name in re.findall(r'<li><a href="[^"]*">([^<]+)</a>(?:\xa0;|\.)</li>', html_part)]


def needs(response):
    part = _part(response.content.decode(), 'id="needs-title"')
    return [
        (unescape(name), int(learn), int(master), int(gap))
        for name, learn, master, gap in re.findall(
            r'<th scope="row"><a href="[^"]*">([^<]+)</a></th>'
            r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>',
            part,
        )
    ]


@pytest.fixture
def territory(loire):
    return map_data.build(loire)


def test_departement_map_figures(client, member, territory):
    client.force_login(member)
    response = client.get(URL, {"territoire": "42"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Carte des compétences — Loire (42)</h1>" in html
    # Every active member counts, Émile too although his profile is for coordinators only.
    assert "5 membres actifs dans le réseau de la Loire." in html
    assert domain_counts(response, territory.s1) == (3, 1, 0)
    assert domain_counts(response, territory.s2) == (1, 0, 4)
    assert domain_counts(response, territory.s3) == (1, 0, 3)
    # A proposed skill is not on the map.
    assert "Aad Proposée test" not in html

    # Émile masters s2: no gap anywhere. s2: 4 > 2 × 1, s3: 3 > 2 × 1, the widest gap first.
    gaps = listed(_part(html, 'id="gaps-title"'))
    assert not {territory.s1.name, territory.s2.name, territory.s3.name} & set(gaps)
    assert needs(response) == [(territory.s2.name, 4, 1, 3), (territory.s3.name, 3, 1, 2)]
    assert 'id="comparison-title"' not in html


def test_epci_map_figures_and_comparison(client, member, territory):
    client.force_login(member)
    response = client.get(URL, {"territoire": "epci-244200770"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Carte des compétences — Saint-Étienne Métropole</h1>" in html
    # Arnaud, Béatrice and Émile by their commune, Denise by her structure's; Charles lives in Feurs.
    assert "4 membres actifs dans l’intercommunalité." in html
    assert domain_counts(response, territory.s1) == (2, 1, 0)
    assert domain_counts(response, territory.s2) == (1, 0, 3)
    assert domain_counts(response, territory.s3) == (0, 0, 3)
    gaps = listed(_part(html, 'id="gaps-title"'))
    assert territory.s3.name in gaps and territory.s1.name not in gaps and territory.s2.name not in gaps
    assert needs(response) == [(territory.s3.name, 3, 0, 3), (territory.s2.name, 3, 1, 2)]

    comparison = _part(html, 'id="comparison-title"')
    assert "4 dans l’intercommunalité, 5 dans le réseau de la Loire" in comparison
    row = re.search(rf">{re.escape(territory.s1.name)}</a></th>(.*?)</tr>", comparison, re.S).group(1)
    # maîtrise, pratique, appétence; each EPCI then Loire, with the share of the territory's advisors.
    assert [
        unescape(cell).replace("\xa0", " ") for cell in re.findall(r'<td class="num nowrap">([^<]+)</td>', row)
    ] == [
        "2 (50 %)",
        "3 (60 %)",
        "1 (25 %)",
        "1 (20 %)",
        "0 (0 %)",
        "0 (0 %)",
    ]


@pytest.mark.parametrize("viewer", [None, "member", "coordinator", "elsewhere"])
def test_every_viewer_sees_the_same_figures(client, request, savoie, territory, viewer):
    # A figure designates nobody: a visitor is not told that nobody masters a skill Émile masters,
    # although his profile is for coordinators only.
    if viewer == "elsewhere":
        client.force_login(MembershipFactory(departement=savoie).user)
    elif viewer:
        client.force_login(request.getfixturevalue(viewer))
    response = client.get(URL, {"territoire": "42"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "5 membres actifs dans le réseau de la Loire." in html
    assert domain_counts(response, territory.s1) == (3, 1, 0)
    assert domain_counts(response, territory.s2) == (1, 0, 4)
    assert territory.s2.name not in listed(_part(html, 'id="gaps-title"'))
    # No name on the map, whoever looks.
    assert "Émile" not in html and "Arnaud" not in html


def test_members_who_left_are_not_counted(client, territory):
    territory.advisors["charles"].user.memberships.update(status="refused")
    html = client.get(URL, {"territoire": "42"}).content.decode()
    assert "4 membres actifs dans le réseau de la Loire." in html


def test_skill_names_lead_to_the_skill_in_the_territory(client, territory):
    html = client.get(URL, {"territoire": "epci-244200770"}).content.decode()
    link = f'<a href="{territory.s3.get_absolute_url()}?territoire=epci-244200770">{territory.s3.name}</a>'
    # The gaps, the training needs, the comparison and the domain table.
    assert html.count(link) == 4


def test_gaps_read_as_a_sentence(client, territory):
    # Skill names hold dashes (« Social - Santé »): without separators, the list runs together.
    text = page_text(client.get(URL, {"territoire": "epci-244200770"}))
    assert f"que personne ne maîtrise ici : {territory.s3.name} ; " in text


def test_visitor_sees_no_export(client, territory):
    response = client.get(URL, {"territoire": "42"})
    assert reverse("skills:map_export", args=["csv"]) not in response.content.decode()


def test_default_territory_is_the_visitors_departement(client, member, territory):
    client.force_login(member)
    client.cookies["maillage_dep"] = "42"
    response = client.get(URL)
    assert "<h1>Carte des compétences — Loire (42)</h1>" in response.content.decode()


def test_no_territory_shows_the_picker(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_territoire">Territoire' in html
    assert "Choisissez un département ou une intercommunalité pour voir" in html


@pytest.mark.parametrize("value", ["99", "epci-123", "epci-999999999", "<script>", "x" * 50])
def test_unknown_territory_is_a_french_error_next_to_the_field(client, loire, value):
    response = client.get(URL, {"territoire": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez un département ou une intercommunalité dans la liste." in html
    assert 'class="errors" id="id_territoire_error"' in html
    assert "<title>Erreur — " in html


def test_picker_lists_departements_and_the_epci_of_the_departement(client, member, territory):
    client.force_login(member)
    html = client.get(URL, {"territoire": "42"}).content.decode()
    assert '<option value="42" selected>Loire (42)</option>' in html
    assert '<option value="epci-244200770">Saint-Étienne Métropole</option>' in html
    assert '<option value="epci-200065886">Forez-Est</option>' in html


def test_chart_is_an_svg_without_style_attributes(client, member, territory):
    client.force_login(member)
    html = client.get(URL, {"territoire": "42"}).content.decode()
    assert 'role="img"' in html and "<title id=" in html
    assert " style=" not in html
    # The largest count (4 appétences for s2) takes the whole bar length.
    assert 'width="78.0%"' in html or 'width="78%"' in html


@pytest.mark.parametrize("territoire", ["42", "epci-244200770"])
def test_map_queries_do_not_grow_with_advisors(client, coordinator, territory, territoire, django_assert_num_queries):
    client.force_login(coordinator)
    client.get(URL, {"territoire": territoire})  # session warm-up
    skills = [territory.s1, territory.s2, territory.s3]
    map_data.add_crowd(territory.a1.departement, territory.a1, skills, 3)
    with django_assert_num_queries(EXPECTED[territoire]) as few:
        assert client.get(URL, {"territoire": territoire}).status_code == 200
    map_data.add_crowd(territory.a1.departement, territory.a2, skills, 40)
    with django_assert_num_queries(EXPECTED[territoire]) as many:
        response = client.get(URL, {"territoire": territoire})
    assert len(few.captured_queries) == len(many.captured_queries)
    assert "48 membres actifs" in response.content.decode() or territoire != "42"


# Session, user, the viewer's memberships (perms), the territory (an EPCI: itself and its
# départements by number of communes, then the reference département), the totals, the skills with their
# counts, the picker's départements and EPCI.
EXPECTED = {"42": 8, "epci-244200770": 10}
