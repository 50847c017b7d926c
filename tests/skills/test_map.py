import re
from html import unescape

import pytest
from django.urls import reverse

from tests.advisors.factories import MembershipFactory
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
        rf'<th scope="row">{re.escape(skill.name)}(?:\s*<span[^>]*>[^<]*</span>)*</th>\s*'
        r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>',
        html,
    )
    assert match, f"{skill.name} not in the domain tables"
    return tuple(int(value) for value in match.groups())


def listed(html_part):
    return [unescape(name) for name in re.findall(r"<li>([^<]+)</li>", html_part)]


def needs(response):
    part = _part(response.content.decode(), 'id="needs-title"')
    return [
        (unescape(name), int(learn), int(master), int(gap))
        for name, learn, master, gap in re.findall(
            r'<th scope="row">([^<]+)</th>'
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
    assert "4 conseillers dont le profil vous est visible" in html
    assert domain_counts(response, territory.s1) == (2, 1, 0)
    assert domain_counts(response, territory.s2) == (0, 0, 4)
    assert domain_counts(response, territory.s3) == (1, 0, 3)
    # A proposed skill is not on the map.
    assert "Aad Proposée test" not in html

    gaps = listed(_part(html, 'id="gaps-title"'))
    assert territory.s2.name in gaps
    assert territory.s1.name not in gaps and territory.s3.name not in gaps
    # s2: 4 appétences, 0 maîtrise; s3: 3 > 2 × 1. s1 has no appétence.
    assert needs(response) == [(territory.s2.name, 4, 0, 4), (territory.s3.name, 3, 1, 2)]
    assert 'id="comparison-title"' not in html


def test_epci_map_figures_and_comparison(client, member, territory):
    client.force_login(member)
    response = client.get(URL, {"territoire": "epci-244200770"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Carte des compétences — Saint-Étienne Métropole</h1>" in html
    # Arnaud and Béatrice by their commune, Denise by her structure's; Charles lives in Feurs.
    assert "3 conseillers dont le profil vous est visible" in html
    assert domain_counts(response, territory.s1) == (1, 1, 0)
    assert domain_counts(response, territory.s2) == (0, 0, 3)
    assert domain_counts(response, territory.s3) == (0, 0, 3)
    gaps = listed(_part(html, 'id="gaps-title"'))
    assert territory.s2.name in gaps and territory.s3.name in gaps and territory.s1.name not in gaps
    # Same gap (3 − 0) for both: alphabetical.
    assert needs(response) == [(territory.s2.name, 3, 0, 3), (territory.s3.name, 3, 0, 3)]

    comparison = _part(html, 'id="comparison-title"')
    assert "3 dans l’intercommunalité, 4 dans le réseau Loire" in comparison
    row = re.search(rf'<th scope="row">{re.escape(territory.s1.name)}</th>(.*?)</tr>', comparison, re.S).group(1)
    # maîtrise, pratique, appétence; each EPCI then Loire, with the share of the territory's advisors.
    assert [
        unescape(cell).replace("\xa0", " ") for cell in re.findall(r'<td class="num nowrap">([^<]+)</td>', row)
    ] == [
        "1 (33 %)",
        "2 (50 %)",
        "1 (33 %)",
        "1 (25 %)",
        "0 (0 %)",
        "0 (0 %)",
    ]


def test_hidden_profiles_are_not_counted(client, coordinator, member, territory):
    # Émile's profile is for coordinators only: the member's map does not count him.
    client.force_login(member)
    response = client.get(URL, {"territoire": "42"})
    assert domain_counts(response, territory.s1) == (2, 1, 0)
    assert domain_counts(response, territory.s2) == (0, 0, 4)

    client.force_login(coordinator)
    response = client.get(URL, {"territoire": "42"})
    assert "5 conseillers dont le profil vous est visible" in response.content.decode()
    assert domain_counts(response, territory.s1) == (3, 1, 0)
    assert domain_counts(response, territory.s2) == (1, 0, 4)
    # s2 has a master now: no longer a gap; 4 > 2 × 1, still a need.
    assert territory.s2.name not in listed(_part(response.content.decode(), 'id="gaps-title"'))
    assert needs(response)[0] == (territory.s2.name, 4, 1, 3)


def test_anonymous_sees_public_profiles_only(client, territory):
    response = client.get(URL, {"territoire": "42"})
    assert response.status_code == 200
    assert "0 conseiller dont le profil vous est visible" in response.content.decode()
    assert domain_counts(response, territory.s1) == (0, 0, 0)
    # No export links for a visitor.
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
    assert "48 conseillers" in response.content.decode() or territoire != "42"


# Session, user, the viewer's memberships twice (visible_to, perms), the territory (an EPCI: itself and its
# départements by number of communes, then the reference département), the totals, the skills with their
# counts, the picker's départements and EPCI.
EXPECTED = {"42": 9, "epci-244200770": 11}


def test_member_elsewhere_sees_network_profiles(client, savoie, territory):
    other = MembershipFactory(departement=savoie).user
    client.force_login(other)
    response = client.get(URL, {"territoire": "42"})
    # Réseau profiles are visible to active members of any network; Émile's is not.
    assert domain_counts(response, territory.s1) == (2, 1, 0)
