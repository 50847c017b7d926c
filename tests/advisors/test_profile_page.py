"""The profile page: each viewer sees only what they may, hidden profiles are a 404, contact
details never reach anonymous visitors, the owner previews what others see, and the page costs
the same queries for any profile size."""

import pytest
from django.urls import NoReverseMatch, reverse

from advisors.enums import AdvisorRole, Visibility
from advisors.models import Language
from territories.models import Commune
from tests.advisors.factories import (
    AdvisorFactory,
    CohortFactory,
    LieuFactory,
    MembershipFactory,
    PermanenceFactory,
    StructureFactory,
    UserFactory,
)
from tests.pages import page_text
from tests.territories.factories import CommuneFactory, EPCIFactory

CONTACT_EMAIL = "ines.pro@exemple.fr"


@pytest.fixture
def structure(saint_etienne):
    return StructureFactory(name="Médiathèque de Tarentaize", commune=saint_etienne)


@pytest.fixture
def owner(loire):
    return UserFactory(first_name="Inès", last_name="Moulin", email="ines@exemple.fr")


@pytest.fixture
def make_advisor(owner, loire, structure, saint_etienne):
    def make(visibility=Visibility.NETWORK, **kwargs):
        advisor = AdvisorFactory(
            user=owner,
            departement=loire,
            visibility=visibility,
            role=AdvisorRole.MEDIATEUR,
            structure=structure,
            commune=saint_etienne,
            bio="J’anime des ateliers pour les seniors.",
            contact_email=CONTACT_EMAIL,
            phone="04 77 12 34 56",
            mattermost="ines.moulin",
            **kwargs,
        )
        return advisor

    return make


@pytest.fixture
def viewers(loire, savoie, owner, coordinator, member, other_coordinator, outsider, pending_member):
    return {
        "anonymous": None,
        "outsider": outsider,
        "pending": pending_member,
        "other_member": MembershipFactory(departement=savoie).user,
        "member": member,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "owner": owner,
    }


# Who sees a profile, for each visibility (the coordinators of another département are members too).
SEES = {
    Visibility.PUBLIC: {
        "anonymous",
        "outsider",
        "pending",
        "other_member",
        "member",
        "coordinator",
        "other_coordinator",
        "owner",
    },
    Visibility.NETWORK: {"other_member", "member", "coordinator", "other_coordinator", "owner"},
    Visibility.COORDINATORS: {"coordinator", "owner"},
}
VIEWERS = ["anonymous", "outsider", "pending", "other_member", "member", "coordinator", "other_coordinator", "owner"]


@pytest.mark.parametrize("visibility", list(SEES))
@pytest.mark.parametrize("who", VIEWERS)
def test_who_sees_a_profile_and_its_contact_details(client, make_advisor, viewers, visibility, who):
    advisor = make_advisor(visibility)
    if viewers[who]:
        client.force_login(viewers[who])

    response = client.get(advisor.get_absolute_url())

    if who not in SEES[visibility]:
        assert response.status_code == 404
        assert "Moulin" not in page_text(response)
        return
    assert response.status_code == 200
    text = page_text(response)
    assert "Inès Moulin" in text
    assert "Médiation numérique" in text
    assert "J’anime des ateliers pour les seniors." in text
    if who == "anonymous":
        assert CONTACT_EMAIL not in text
        assert "04 77 12 34 56" not in text
        assert "ines.moulin" not in text
        assert "Les coordonnées des conseillers sont réservées aux personnes connectées." in text
    else:
        assert CONTACT_EMAIL in text
        assert "04 77 12 34 56" in text
        assert "ines.moulin" in text
    assert ("Modifier mon profil" in text) == (who == "owner")


def test_an_unknown_profile_is_a_404(client, member):
    client.force_login(member)
    assert client.get(reverse("advisors:profile", args=[999999])).status_code == 404


def test_the_profile_shows_where_and_when(client, make_advisor, structure, saint_etienne, member):
    cohort = CohortFactory(name="Promo printemps 2025", training_body="Simplon")
    advisor = make_advisor(cohort=cohort, available_for_co_animation=True)
    advisor.languages.set(["fr", "lsf"])
    lieu = LieuFactory(structure=structure, name="Espace numérique Tarentaize")
    PermanenceFactory(advisor=advisor, lieu=lieu, weekday=1, opens="14:00", closes="17:00")
    PermanenceFactory(advisor=advisor, lieu=lieu, weekday=4, opens="09:30", closes="12:15")
    client.force_login(member)

    response = client.get(advisor.get_absolute_url())
    text = page_text(response)
    html = response.content.decode()

    assert "Espace numérique Tarentaize (Saint-Étienne) : mardi de 14 h à 17 h" in text
    # No-break spaces: "14 h 30" never splits across two lines.
    assert "de 9\u00a0h\u00a030 à 12\u00a0h\u00a015" in html
    assert "Espace numérique Tarentaize (Saint-Étienne) : vendredi de 9 h 30 à 12 h 15" in text
    assert "Langues parlées français, langue des signes française (LSF)" in text
    assert "Promo printemps 2025 — Simplon" in text
    assert "Disponible pour co-animer" in text
    assert f'href="{saint_etienne.get_absolute_url()}"' in html
    # Links to pages other people build, when they exist.
    for name, args in [
        ("advisors:cohort", [cohort.slug]),
        ("advisors:structure", [structure.pk]),
        ("advisors:lieu", [lieu.pk]),
    ]:
        try:
            assert f'href="{reverse(name, args=args)}"' in html
        except NoReverseMatch:
            pass
    assert "Profil mis à jour le " in text


def test_derived_communes_are_labelled(client, make_advisor, structure, saint_etienne, loire, member):
    advisor = make_advisor()
    firminy = CommuneFactory(departement=loire, code="42095", name="Firminy")
    roche = CommuneFactory(departement=loire, code="42186", name="Roche-la-Molière")
    structure.perimeter.set([saint_etienne, roche])
    PermanenceFactory(advisor=advisor, lieu=LieuFactory(structure=structure, commune=firminy))
    client.force_login(member)

    text = page_text(client.get(advisor.get_absolute_url()))
    assert "3 communes, déduites de ses lieux et de sa structure." in text
    assert "Firminy Roche-la-Molière Saint-Étienne" in text

    advisor.intervention_communes.set([firminy])
    text = page_text(client.get(advisor.get_absolute_url()))
    assert "déduite" not in text
    assert "Roche-la-Molière" not in text


def test_many_communes_are_summed_up_by_epci(client, make_advisor, structure, loire, member):
    advisor = make_advisor()
    big, small = EPCIFactory(name="Loire Forez agglomération"), EPCIFactory(name="CC des Monts du Pilat")
    # Fresh codes: CommuneFactory's code wraps at 1,000 communes and is get-or-create, so after enough
    # communes earlier in the run it returned the fixture's Saint-Étienne (42218, another EPCI).
    used = set(Commune.objects.values_list("code", flat=True))
    codes = iter(code for code in (f"42{n:03d}" for n in range(1000)) if code not in used)
    communes = [CommuneFactory(departement=loire, epci=big, code=next(codes)) for _ in range(30)]
    communes += [CommuneFactory(departement=loire, epci=small, code=next(codes)) for _ in range(5)]
    advisor.intervention_communes.set(communes)
    client.force_login(member)
    text = page_text(client.get(advisor.get_absolute_url()))
    assert "CC des Monts du Pilat : 5 communes" in text
    assert "Loire Forez agglomération : 30 communes" in text


# Previews for the owner


@pytest.mark.parametrize(
    ("visibility", "preview", "visible", "contact"),
    [
        (Visibility.PUBLIC, "visiteur", True, False),
        (Visibility.PUBLIC, "membre", True, True),
        (Visibility.NETWORK, "visiteur", False, False),
        (Visibility.NETWORK, "membre", True, True),
        (Visibility.COORDINATORS, "visiteur", False, False),
        (Visibility.COORDINATORS, "membre", False, False),
    ],
)
def test_the_owner_previews_what_others_see(client, make_advisor, owner, visibility, preview, visible, contact):
    advisor = make_advisor(visibility)
    client.force_login(owner)

    response = client.get(f"{advisor.get_absolute_url()}?apercu={preview}")

    assert response.status_code == 200
    text = page_text(response)
    who = {"visiteur": "un visiteur sans compte", "membre": "un membre d’un autre département"}[preview]
    assert f"Aperçu : votre profil tel que le voit {who}." in text
    assert "Modifier mon profil" not in text
    assert ("J’anime des ateliers pour les seniors." in text) == visible
    assert (CONTACT_EMAIL in text) == contact
    assert ("04 77 12 34 56" in text) == contact
    if not visible:
        assert "Profil non visible" in text
        assert f"Avec la visibilité « {advisor.get_visibility_display()} », {who} ne voit pas votre profil" in text
    if visible and not contact:
        assert "Les coordonnées des conseillers sont réservées aux personnes connectées." in text


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_previews_are_only_for_the_owner(client, make_advisor, viewers, who):
    advisor = make_advisor(Visibility.NETWORK)
    if viewers[who]:
        client.force_login(viewers[who])
    response = client.get(f"{advisor.get_absolute_url()}?apercu=visiteur")
    if who == "anonymous":
        assert response.status_code == 404
        return
    text = page_text(response)
    assert "Aperçu" not in text
    assert CONTACT_EMAIL in text


def test_my_profile_links_to_the_previews(client, make_advisor, owner):
    advisor = make_advisor()
    client.force_login(owner)
    html = client.get(reverse("advisors:my_profile")).content.decode()
    assert f'href="{advisor.get_absolute_url()}?apercu=visiteur">Voir comme un visiteur</a>' in html
    assert f'href="{advisor.get_absolute_url()}?apercu=membre">Voir comme un membre</a>' in html


# Queries


@pytest.mark.parametrize("derived", [False, True], ids=["explicit-communes", "derived-communes"])
def test_profile_page_queries_do_not_grow(
    client, make_advisor, structure, loire, member, derived, django_assert_num_queries
):
    advisor = make_advisor(cohort=CohortFactory())
    client.force_login(member)
    epci = EPCIFactory()
    communes = [CommuneFactory(departement=loire, epci=epci) for _ in range(20)]

    def grow(count):
        for index in range(count):
            lieu = LieuFactory(structure=structure, commune=communes[index])
            PermanenceFactory(advisor=advisor, lieu=lieu, weekday=index % 7)
        if derived:
            structure.perimeter.add(*communes[:count])
        else:
            advisor.intervention_communes.add(*communes[:count])
        advisor.languages.set(Language.objects.all()[: count + 1])

    # Session, user, profile, permanences, languages, communes of intervention, skills, memberships for the
    # predicates; the derived communes when none are given; the resources panel.
    expected = 11 if derived else 10
    grow(1)
    with django_assert_num_queries(expected):
        client.get(advisor.get_absolute_url())
    grow(15)
    with django_assert_num_queries(expected):
        response = client.get(advisor.get_absolute_url())
    assert page_text(response).count(" de 14 h à 17 h") == 16
