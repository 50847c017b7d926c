import re
from html import unescape

import pytest
from django.urls import reverse

from advisors.enums import Visibility
from skills.queries.matching import matches_for
from tests.advisors.factories import MembershipFactory
from tests.skills import map_data
from tests.skills.factories import AdvisorSkillFactory, SkillFactory
from tests.territories.factories import CommuneFactory, EPCIFactory

M, A = map_data.M, map_data.A


@pytest.fixture
def area(loire, savoie):
    """Lucie (Saint-Étienne, EPCI A) wants to learn s1 and masters s2."""
    epci_a = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    epci_b = EPCIFactory(siren="200065886", name="Forez-Est", kind="CC")
    a1 = CommuneFactory(departement=loire, code="42218", name="Saint-Étienne", epci=epci_a)
    a2 = CommuneFactory(departement=loire, code="42095", name="Firminy", epci=epci_a)
    b1 = CommuneFactory(departement=loire, code="42094", name="Feurs", epci=epci_b)
    far = CommuneFactory(departement=savoie, code="73065", name="Chambéry", epci=EPCIFactory(siren="200069110"))
    s1 = SkillFactory(name="Bureautique test", slug="bureautique-test")
    s2 = SkillFactory(name="Réseaux sociaux test", slug="reseaux-test")
    people = {}

    def person(key, name, departement, commune=None, structure_commune=None, **kwargs):
        people[key] = map_data.advisor(departement, name, commune, structure_commune, **kwargs)
        return people[key]

    lucie = person("lucie", "Lucie", loire, a1)
    AdvisorSkillFactory(advisor=lucie, skill=s1, level=A)
    AdvisorSkillFactory(advisor=lucie, skill=s2, level=M)
    # Masters of s1, named so that alphabetical order is the reverse of proximity.
    for key, name, dep, commune in [
        ("dep", "Aline", loire, b1),
        ("epci", "Bruno", loire, a2),
        ("same", "Zoé", loire, None),
        ("far", "Aaron", savoie, far),
    ]:
        kwargs = {"structure_commune": a1} if commune is None else {}
        AdvisorSkillFactory(advisor=person(key, name, dep, commune, **kwargs), skill=s1, level=M)
    hidden = person("hidden", "Agathe", loire, a1, visibility=Visibility.COORDINATORS)
    AdvisorSkillFactory(advisor=hidden, skill=s1, level=M)
    # Learners of s2 that Lucie could teach.
    for key, name, commune in [("learn_dep", "Albert", b1), ("learn_here", "Yves", a1)]:
        AdvisorSkillFactory(advisor=person(key, name, loire, commune), skill=s2, level=A)
    return {"s1": s1, "s2": s2, "people": people}


def peer_names(html, heading):
    start = html.index(f"<h3>{heading}</h3>")
    end = html.find("<h3>", start + 5)
    part = html[start : end if end != -1 else html.index("</section>", start)]
    return [unescape(name) for name in re.findall(r'<a href="/conseillers/\d+/">([^<]+)</a>', part)]


def test_who_can_help_me_nearest_first(client, area):
    lucie = area["people"]["lucie"]
    client.force_login(lucie.user)
    response = client.get(reverse("advisors:my_profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Apprendre entre pairs" in html
    # Zoé (same commune, through her structure), Bruno (same EPCI), Aline (same département).
    # Aaron is in Savoie; Agathe's profile is for coordinators only.
    assert peer_names(html, "Qui peut m’aider") == ["Zoé Zoéson", "Bruno Brunoson", "Aline Alineson"]
    assert "(même commune)" in html and "(même intercommunalité)" in html and "(même département)" in html
    assert peer_names(html, "À qui je peux transmettre") == ["Yves Yvesson", "Albert Albertson"]


def test_a_few_per_skill(client, area, loire):
    lucie = area["people"]["lucie"]
    matches = matches_for(lucie, lucie.user, per_skill=2)
    helpers = matches.helpers[0]
    assert [peer.advisor.user.first_name for peer in helpers.people] == ["Zoé", "Bruno"]
    assert helpers.total == 3 and helpers.more == 1


def test_coordinator_viewer_sees_hidden_masters(area, loire):
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    matches = matches_for(area["people"]["lucie"], coordinator, per_skill=5)
    names = [peer.advisor.user.first_name for peer in matches.helpers[0].people]
    # Agathe and Zoé share Lucie's commune: by name.
    assert names == ["Agathe", "Zoé", "Bruno", "Aline"]


def test_no_skills_no_matches_and_empty_state(client, member):
    client.force_login(member)
    html = client.get(reverse("advisors:my_profile")).content.decode()
    assert "Indiquez les compétences que vous voulez apprendre" in html


def test_skill_without_helper_says_so(client, area):
    lonely = SkillFactory(name="Fabrication numérique test", slug="fab-test")
    lucie = area["people"]["lucie"]
    AdvisorSkillFactory(advisor=lucie, skill=lonely, level=A)
    client.force_login(lucie.user)
    html = client.get(reverse("advisors:my_profile")).content.decode()
    assert "Personne près de chez vous ne la maîtrise encore." in html


def test_matching_queries_are_bounded(area, loire, django_assert_num_queries):
    lucie = area["people"]["lucie"]
    for index in range(6):
        skill = SkillFactory()
        AdvisorSkillFactory(advisor=lucie, skill=skill, level=A if index % 2 else M)
        AdvisorSkillFactory(advisor=area["people"]["dep"], skill=skill, level=M if index % 2 else A)
    # The viewer's memberships, Lucie's skills, every skill's peers at once.
    with django_assert_num_queries(3):
        matches = matches_for(lucie, lucie.user)
        assert len(matches.helpers) == 4 and len(matches.learners) == 4


# The coordinators' list of pairs

PAIRS = reverse("skills:pairs")


@pytest.fixture
def territory(loire):
    return map_data.build(loire)


def pair_rows(response):
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        skill = re.search(r'<th scope="row">([^<]+)</th>', row).group(1)
        names = re.findall(r'<a href="/conseillers/\d+/">([^<]+)</a>', row)
        marker = re.findall(r"<td>(?:<span[^>]*>)?([^<]+)(?:</span>)?</td>\s*$", row.strip())
        rows.append((unescape(skill), *[unescape(name) for name in names], marker[0] if marker else ""))
    return rows


def test_pairs_of_the_departement(client, coordinator, territory):
    client.force_login(coordinator)
    response = client.get(PAIRS, {"departement": "42"})
    assert response.status_code == 200
    rows = pair_rows(response)
    s1, s2, s3 = territory.s1.name, territory.s2.name, territory.s3.name
    # Nobody wants s1. s2: the only master is Émile (Saint-Étienne, visible to the coordinator).
    # s3: Charles (Feurs, EPCI B) is the only master.
    assert rows == [
        (s2, "Arnaud Arnaudson", "Émile Émileson", "même commune"),
        (s2, "Denise Deniseson", "Émile Émileson", "même commune"),
        (s2, "Béatrice Béatriceson", "Émile Émileson", "même intercommunalité"),
        (s2, "Charles Charlesson", "Émile Émileson", "même département"),
        (s3, "Arnaud Arnaudson", "Charles Charlesson", "même département"),
        (s3, "Béatrice Béatriceson", "Charles Charlesson", "même département"),
        (s3, "Denise Deniseson", "Charles Charlesson", "même département"),
    ]
    assert "7 binômes possibles" in response.content.decode()
    assert s1 not in [row[0] for row in rows]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 403), ("outsider", 403), ("member", 403), ("coordinator", 200), ("other_coordinator", 403)],
)
def test_pairs_permissions(client, request, territory, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(PAIRS, {"departement": "42"}).status_code == status


def test_pairs_default_to_the_coordinated_departement(client, coordinator, territory):
    client.force_login(coordinator)
    response = client.get(PAIRS)
    assert response.status_code == 200
    assert "<h1>Binômes possibles — Loire (42)</h1>" in response.content.decode()


def test_pairs_are_paginated_with_bounded_queries(client, coordinator, territory, django_assert_num_queries):
    client.force_login(coordinator)
    client.get(PAIRS, {"departement": "42"})
    skills = [territory.s1, territory.s2, territory.s3]
    map_data.add_crowd(territory.a1.departement, territory.a1, skills, 3)
    with django_assert_num_queries(EXPECTED) as few:
        client.get(PAIRS, {"departement": "42"})
    map_data.add_crowd(territory.a1.departement, territory.a2, skills, 30)
    with django_assert_num_queries(EXPECTED):
        response = client.get(PAIRS, {"departement": "42", "page": "2"})
    assert len(few.captured_queries) == EXPECTED
    html = response.content.decode()
    assert "Page 2 sur" in html
    assert len(pair_rows(response)) == 30


# Session, user, memberships (once, for the perms and visible_to), the département, count, page, masters.
EXPECTED = 7


def test_my_profile_with_peers_queries_do_not_grow(client, area, loire, django_assert_max_num_queries):
    lucie = area["people"]["lucie"]
    client.force_login(lucie.user)
    client.get(reverse("advisors:my_profile"))
    with django_assert_max_num_queries(100) as few:
        client.get(reverse("advisors:my_profile"))
    for index in range(8):
        skill = SkillFactory()
        AdvisorSkillFactory(advisor=lucie, skill=skill, level=A if index % 2 else M)
        for commune in (area["people"]["epci"].commune, area["people"]["dep"].commune):
            peer = map_data.advisor(loire, f"Pair{index}", commune)
            AdvisorSkillFactory(advisor=peer, skill=skill, level=M if index % 2 else A)
    with django_assert_max_num_queries(100) as many:
        html = client.get(reverse("advisors:my_profile")).content.decode()
    assert len(peer_names(html, "Qui peut m’aider")) == 3 + 4 * 2
    assert len(few.captured_queries) == len(many.captured_queries)


def test_peer_skills_and_the_others_lead_to_the_skill_page(client, area, loire):
    for name in ("Xavier", "Yann"):
        AdvisorSkillFactory(advisor=map_data.advisor(loire, name), skill=area["s1"], level=M)
    lucie = area["people"]["lucie"]
    client.force_login(lucie.user)
    html = client.get(reverse("advisors:my_profile")).content.decode()
    url = area["s1"].get_absolute_url()
    assert f'<p class="peer-skill"><a href="{url}">Bureautique test</a></p>' in html
    assert f'<a href="{url}?niveau=maitrise">et 2 autres</a>' in html
