"""Project cards: who posts, edits, deletes and marks them; what each viewer sees on the board and the card."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from advisors.models import Advisor
from skills.models import ProjectCard, ProjectInterest, Skill
from territories.scope import COOKIE_NAME
from tests.advisors.factories import AdvisorFactory, MembershipFactory, UserFactory
from tests.skills.factories import ProjectCardFactory, ProjectInterestFactory
from tests.territories.factories import CommuneFactory

BOARD = reverse("skills:board")
WORKSHOP = reverse("skills:board_workshop")
CREATE = reverse("skills:card_create")


def text(response):
    """What a person reads: the page without its tags, spaces collapsed."""
    return " ".join(strip_tags(response.content.decode()).split())


def titles(response):
    return [card.title for card in response.context["page"].object_list]


@pytest.fixture
def card(loire):
    return ProjectCardFactory(author=AdvisorFactory(departement=loire), title="Repair café numérique")


@pytest.fixture
def people(loire, savoie, member, coordinator, other_coordinator):
    """Every kind of viewer, by name; ``author`` wrote ``card`` (set by the tests that need it)."""
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": member,
        "other_member": MembershipFactory(departement=savoie).user,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
    }


def login(client, user):
    if user is not None:
        client.force_login(user)


# Posting a card


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("other_member", 403),
        ("other_coordinator", 403),
        ("member", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_open_the_new_card_form(client, people, who, expected):
    login(client, people[who])
    response = client.get(CREATE, {"departement": "42"})
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_pending_member_may_not_post(client, loire, pending_member):
    client.force_login(pending_member)
    assert client.post(CREATE, {"departement": "42", "title": "X", "body": "Y"}).status_code == 403
    assert not ProjectCard.objects.exists()


def test_a_member_posts_a_card_with_skills_and_gets_a_profile(client, loire, member):
    email, ai = Skill.objects.validated().get(name="E-mail"), Skill.objects.get(name="Intelligence artificielle")
    client.force_login(member)
    form = client.get(CREATE, {"departement": "42"})
    page = text(form)
    assert "Compétences en jeu" in page and "E-mail" in page
    response = client.post(
        CREATE,
        {
            "departement": "42",
            "title": "Un café IA",
            "body": "Démystifier l’IA avec les seniors.",
            "skills": [email.pk, ai.pk],
        },
    )
    card = ProjectCard.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("skills:card_detail", args=[card.pk])
    assert card.author == Advisor.objects.get(user=member) and card.departement_id == "42"
    assert set(card.skills.all()) == {email, ai}


def test_bad_input_gets_french_errors_next_to_the_fields(client, loire, member):
    client.force_login(member)
    skills = list(Skill.objects.validated().values_list("pk", flat=True)[:7])
    response = client.post(CREATE, {"departement": "42", "title": "", "body": "x" * 801, "skills": [*skills, 999999]})
    assert response.status_code == 200
    page = text(response)
    assert "Donnez un titre à votre projet." in page
    assert "Le texte fait 801 caractères : 800 au plus." in page
    assert "Cette compétence n’existe plus" in page or "gardez-en 6 au plus" in page
    # What was typed is kept.
    assert "x" * 801 in response.content.decode()
    response = client.post(CREATE, {"departement": "42", "title": "Ok", "body": "Ok", "skills": skills})
    assert "Vous avez coché 7 compétences : gardez-en 6 au plus." in text(response)
    assert not ProjectCard.objects.exists()


def test_unknown_departement_is_a_404(client, member):
    client.force_login(member)
    assert client.get(CREATE, {"departement": "999"}).status_code == 404
    assert client.get(BOARD, {"departement": "999"}).status_code == 404


# Editing and deleting


@pytest.mark.parametrize(
    ("who", "may_edit", "may_delete"),
    [
        ("anonymous", False, False),
        ("outsider", False, False),
        ("member", False, False),
        ("other_member", False, False),
        ("other_coordinator", False, False),
        ("coordinator", False, True),
        ("author", True, True),
    ],
)
def test_edit_and_delete_matrix(client, people, card, who, may_edit, may_delete):
    people["author"] = card.author.user
    user = people[who]
    login(client, user)
    edit, delete = reverse("skills:card_edit", args=[card.pk]), reverse("skills:card_delete", args=[card.pk])
    expected_denied = 302 if user is None else 403

    response = client.post(edit, {"title": "Nouveau titre", "body": "Autre texte"})
    card.refresh_from_db()
    if may_edit:
        assert response.status_code == 302 and card.title == "Nouveau titre"
    else:
        assert response.status_code == expected_denied and card.title == "Repair café numérique"

    detail = client.get(reverse("skills:card_detail", args=[card.pk]))
    if detail.status_code == 200:
        assert ("Modifier la carte" in text(detail)) == may_edit
        assert ("Supprimer la carte" in text(detail)) == may_delete

    assert client.get(delete).status_code == (200 if may_delete else expected_denied)
    response = client.post(delete)
    if may_delete:
        assert response.status_code == 302 and response["Location"] == f"{BOARD}?departement=42"
        assert not ProjectCard.objects.exists()
    else:
        assert response.status_code == expected_denied and ProjectCard.objects.filter(pk=card.pk).exists()


def test_editing_keeps_the_card_when_input_is_bad(client, card):
    client.force_login(card.author.user)
    url = reverse("skills:card_edit", args=[card.pk])
    assert "Repair café numérique" in text(client.get(url))
    response = client.post(url, {"title": "", "body": "Autre"})
    assert response.status_code == 200 and "Donnez un titre à votre projet." in text(response)
    card.refresh_from_db()
    assert card.title == "Repair café numérique"


def test_deleting_removes_interests(client, card, coordinator):
    ProjectInterestFactory(card=card, advisor=AdvisorFactory(departement=card.departement))
    client.force_login(coordinator)
    client.post(reverse("skills:card_delete", args=[card.pk]))
    assert not ProjectInterest.objects.exists()


# "Ça m'interpelle"


def interest(client, card, value, **extra):
    return client.post(reverse("skills:card_interest", args=[card.pk]), {"interested": value, **extra})


def test_marking_twice_is_one_interest_and_undo_removes_it(client, card, member):
    client.force_login(member)
    detail = reverse("skills:card_detail", args=[card.pk])
    assert "Ça m’interpelle" in text(client.get(detail))
    response = interest(client, card, "1")
    assert response.status_code == 302 and response["Location"] == detail
    interest(client, card, "1")  # a double click, a replayed form
    assert ProjectInterest.objects.filter(card=card).count() == 1
    page = text(client.get(detail))
    assert "1 personne interpellée par ce projet" in page and "Annuler « ça m’interpelle »" in page
    interest(client, card, "0")
    interest(client, card, "0")
    assert not ProjectInterest.objects.exists()
    assert "0 personne interpellée par ce projet" in text(client.get(detail))


def test_interest_comes_back_to_the_board_but_never_elsewhere(client, card, member):
    client.force_login(member)
    assert interest(client, card, "1", next=f"{BOARD}?departement=42")["Location"] == f"{BOARD}?departement=42"
    assert interest(client, card, "0", next="https://evil.example/")["Location"] == reverse(
        "skills:card_detail", args=[card.pk]
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),  # a "réseau" card is not there for them
        ("other_member", 403),
        ("other_coordinator", 403),
        ("author", 403),
        ("member", 302),
        ("coordinator", 302),
    ],
)
def test_who_may_mark_interest(client, people, card, who, expected):
    people["author"] = card.author.user
    login(client, people[who])
    response = interest(client, card, "1")
    assert response.status_code == expected
    marked = ProjectInterest.objects.filter(card=card).exists()
    assert marked == (who in {"member", "coordinator"})
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_a_hidden_card_cannot_be_marked(client, loire, member):
    hidden = ProjectCardFactory(author=AdvisorFactory(departement=loire, coordinators_only=True))
    client.force_login(member)
    assert interest(client, hidden, "1").status_code == 404
    assert not ProjectInterest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_marks_make_one_interest_and_no_error(loire):
    import threading

    from django.db import connection
    from django.test import Client

    card = ProjectCardFactory(author=AdvisorFactory(departement=loire))
    fan = AdvisorFactory(departement=loire).user
    barrier = threading.Barrier(4)
    statuses = []

    def mark():
        client = Client()
        client.force_login(fan)
        barrier.wait()
        try:
            statuses.append(interest(client, card, "1").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    assert ProjectInterest.objects.filter(card=card).count() == 1


# Who is interested, for the author


def test_the_author_sees_who_is_interested_and_how_to_reach_them(client, loire, card):
    visible = AdvisorFactory(
        departement=loire,
        user__first_name="Nadia",
        user__last_name="Roux",
        contact_email="nadia@example.org",
        phone="04 77 00 00 01",
    )
    hidden = AdvisorFactory(
        departement=loire, coordinators_only=True, user__first_name="Secret", contact_email="s@x.fr"
    )
    ProjectInterestFactory(card=card, advisor=visible)
    ProjectInterestFactory(card=card, advisor=hidden)
    detail = reverse("skills:card_detail", args=[card.pk])

    client.force_login(card.author.user)
    page = text(client.get(detail))
    assert "2 personnes interpellées par ce projet" in page
    assert "Nadia Roux" in page and "nadia@example.org" in page and "04 77 00 00 01" in page
    assert "Secret" not in page and "s@x.fr" not in page
    assert "Et 1 personne dont le profil ne vous est pas visible." in page

    # Another member sees the count, never the names.
    client.force_login(AdvisorFactory(departement=loire).user)
    page = text(client.get(detail))
    assert "2 personnes interpellées" in page and "Nadia Roux" not in page and "nadia@example.org" not in page


def test_the_author_who_coordinates_sees_everyone_interested(client, loire, coordinator):
    card = ProjectCardFactory(author=AdvisorFactory(user=coordinator, departement=loire, membership=False))
    hidden = AdvisorFactory(departement=loire, coordinators_only=True, contact_email="cache@example.org")
    ProjectInterestFactory(card=card, advisor=hidden)
    client.force_login(coordinator)
    assert "cache@example.org" in text(client.get(reverse("skills:card_detail", args=[card.pk])))


# The board: visibility, filters, pages, queries


@pytest.fixture
def cards_by_visibility(loire, savoie):
    return {
        "public": ProjectCardFactory(author=AdvisorFactory(departement=loire, public=True), title="Carte publique"),
        "reseau": ProjectCardFactory(author=AdvisorFactory(departement=loire), title="Carte réseau"),
        "coord": ProjectCardFactory(
            author=AdvisorFactory(departement=loire, coordinators_only=True), title="Carte coordination"
        ),
        "savoie": ProjectCardFactory(author=AdvisorFactory(departement=savoie, public=True), title="Carte savoyarde"),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {"Carte publique"}),
        ("outsider", {"Carte publique"}),
        ("member", {"Carte publique", "Carte réseau"}),
        ("other_member", {"Carte publique", "Carte réseau"}),
        ("other_coordinator", {"Carte publique", "Carte réseau"}),
        ("coordinator", {"Carte publique", "Carte réseau", "Carte coordination"}),
    ],
)
def test_board_shows_the_cards_whose_author_the_viewer_may_see(client, people, cards_by_visibility, who, expected):
    login(client, people[who])
    for url in (BOARD, WORKSHOP):
        response = client.get(url, {"departement": "42"})
        assert set(titles(response)) == expected
    for key, card in cards_by_visibility.items():
        if key == "savoie":
            continue
        status = client.get(reverse("skills:card_detail", args=[card.pk])).status_code
        assert status == (200 if card.title in expected else 404)


def test_the_author_always_sees_their_own_card(client, loire):
    author = AdvisorFactory(departement=loire, coordinators_only=True)
    ProjectCardFactory(author=author, title="Mon projet discret")
    client.force_login(author.user)
    assert titles(client.get(BOARD, {"departement": "42"})) == ["Mon projet discret"]


def test_board_filters_by_skill_and_by_the_authors_epci(client, loire, member):
    commune_a, commune_b = CommuneFactory(departement=loire), CommuneFactory(departement=loire)
    email = Skill.objects.get(name="E-mail")
    first = ProjectCardFactory(author=AdvisorFactory(departement=loire, commune=commune_a), title="A")
    first.skills.add(email)
    ProjectCardFactory(author=AdvisorFactory(departement=loire, commune=commune_b), title="B")
    client.force_login(member)
    assert titles(client.get(BOARD, {"departement": "42", "competence": email.slug})) == ["A"]
    assert titles(client.get(BOARD, {"departement": "42", "epci": commune_b.epci_id})) == ["B"]
    response = client.get(BOARD, {"departement": "42", "epci": commune_a.epci_id, "competence": email.slug})
    assert titles(response) == ["A"]
    # A bad filter is said next to its field and leaves the list whole.
    response = client.get(BOARD, {"departement": "42", "competence": "nimporte-quoi"})
    assert response.status_code == 200 and sorted(titles(response)) == ["A", "B"]
    assert "Un filtre n’a pas pu être appliqué" in text(response)


def test_board_counts_in_french_and_marks_what_i_follow(client, loire, member):
    cards = [ProjectCardFactory(author=AdvisorFactory(departement=loire), title=f"P{n}") for n in range(3)]
    ProjectInterestFactory(card=cards[1], advisor=AdvisorFactory(user=member, departement=loire, membership=False))
    for _ in range(2):
        ProjectInterestFactory(card=cards[2], advisor=AdvisorFactory(departement=loire))
    client.force_login(member)
    page = text(client.get(BOARD, {"departement": "42"}))
    assert "3 cartes" in page
    assert "0 personne interpellée" in page and "1 personne interpellée" in page
    assert "2 personnes interpellées" in page
    assert page.count("✓ Ça m’interpelle — annuler") == 1


def test_anonymous_visitors_are_invited_to_log_in_and_see_no_button(client, loire):
    ProjectCardFactory(author=AdvisorFactory(departement=loire, public=True))
    page = text(client.get(BOARD, {"departement": "42"}))
    assert "Connectez-vous" in page and "Ça m’interpelle" not in page and "Ajouter ma carte" not in page


def test_board_is_paginated(client, loire, member):
    author = AdvisorFactory(departement=loire)
    ProjectCardFactory.create_batch(23, author=author)
    client.force_login(member)
    assert len(titles(client.get(BOARD, {"departement": "42"}))) == 20
    second = client.get(BOARD, {"departement": "42", "page": 2})
    assert len(titles(second)) == 3 and "Page 2 sur 2" in text(second)


def test_board_uses_the_visitors_departement_or_asks_for_one(client, loire):
    ProjectCardFactory(author=AdvisorFactory(departement=loire, public=True), title="Carte publique")
    assert "Département du tableau" in text(client.get(BOARD))
    client.cookies[COOKIE_NAME] = "42"
    assert titles(client.get(BOARD)) == ["Carte publique"]


def fill_board(loire, cards, interests):
    advisors = [AdvisorFactory(departement=loire) for _ in range(interests)]
    skills = list(Skill.objects.validated()[:3])
    for n in range(cards):
        card = ProjectCardFactory(author=AdvisorFactory(departement=loire), title=f"Projet {n}")
        card.skills.set(skills)
        ProjectInterest.objects.bulk_create(ProjectInterest(card=card, advisor=advisor) for advisor in advisors)


# département, session, user, memberships (once, for visible_to and the perms), the skill filtered on, count,
# cards, their skills; the board also renders the skill and EPCI choices of its filters.
@pytest.mark.parametrize(("url", "queries"), [(BOARD, 10), (WORKSHOP, 8)])
@pytest.mark.parametrize(("cards", "interests"), [(1, 1), (15, 6)])
def test_board_queries_do_not_grow_with_cards(
    client, loire, member, django_assert_num_queries, url, queries, cards, interests
):
    fill_board(loire, cards, interests)
    skill = Skill.objects.validated().first()
    client.force_login(member)
    with django_assert_num_queries(queries):
        response = client.get(url, {"departement": "42", "competence": skill.slug})
    assert len(titles(response)) == cards


def test_card_page_queries_do_not_grow_with_interests(client, loire, django_assert_num_queries):
    author = AdvisorFactory(departement=loire)
    card = ProjectCardFactory(author=author)
    for _ in range(8):
        ProjectInterestFactory(card=card, advisor=AdvisorFactory(departement=loire, contact_email="x@example.org"))
    client.force_login(author.user)
    with django_assert_num_queries(6):
        response = client.get(reverse("skills:card_detail", args=[card.pk]))
    assert len(response.context["interested"]) == 8


# The atelier view


def test_workshop_shows_the_address_to_add_a_card_and_refreshes_without_trapping(client, loire, member):
    ProjectCardFactory(author=AdvisorFactory(departement=loire), title="Fête du numérique")
    client.force_login(member)
    response = client.get(WORKSHOP, {"departement": "42"})
    html = response.content.decode()
    page = text(response)
    assert "Ajoutez votre carte : http://testserver/competences/cartes/nouvelle/?departement=42" in page
    assert 'http-equiv="refresh"' not in html
    assert ">Actualiser</a>" in html and "recharger la page montre les dernières cartes" in page
    assert 'src="/static/js/board.js" defer' in html and "<script>" not in html
    assert 'data-refresh-url="/competences/cartes/atelier/?departement=42&amp;partial=1"' in html


def test_partial_renders_only_the_result_block(client, loire, member):
    ProjectCardFactory(author=AdvisorFactory(departement=loire), title="Fête du numérique")
    client.force_login(member)
    for url in (BOARD, WORKSHOP):
        response = client.get(url, {"departement": "42", "partial": "1"})
        html = response.content.decode()
        assert "Fête du numérique" in html and "<html" not in html and "<h1" not in html
        # Buttons come back to the whole page, never to the bare block.
        assert f'name="next" value="{url}?departement=42"' in html


def test_the_page_links_of_a_partial_lead_to_whole_pages_with_the_filters(client, loire, member):
    for n in range(30):
        ProjectCardFactory(author=AdvisorFactory(departement=loire), title=f"Projet {n}")
    client.force_login(member)
    html = client.get(BOARD, {"departement": "42", "partial": "1"}).content.decode()
    assert 'href="?departement=42&amp;page=2"' in html


def test_anonymous_board_queries_do_not_grow_with_cards(client, loire, django_assert_num_queries):
    for n in range(12):
        card = ProjectCardFactory(author=AdvisorFactory(departement=loire, public=True), title=f"Public {n}")
        card.skills.set(Skill.objects.validated()[:2])
    # département, count, cards, their skills; the board's filter choices.
    with django_assert_num_queries(4):
        assert len(titles(client.get(WORKSHOP, {"departement": "42"}))) == 12
    with django_assert_num_queries(6):
        assert len(titles(client.get(BOARD, {"departement": "42"}))) == 12


# The predicates, on their own


def test_card_predicates(loire, savoie, card, member, coordinator, other_coordinator):
    from django.contrib.auth.models import AnonymousUser

    from skills import perms

    author = card.author.user
    anonymous = AnonymousUser()
    assert perms.can_post_card(member, loire) and not perms.can_post_card(member, savoie)
    assert not perms.can_post_card(anonymous, loire)
    assert perms.can_edit_card(author, card)
    assert not any(perms.can_edit_card(user, card) for user in (member, coordinator, anonymous))
    assert perms.can_delete_card(coordinator, card) and perms.can_delete_card(author, card)
    assert not perms.can_delete_card(other_coordinator, card) and not perms.can_delete_card(member, card)
    assert perms.can_mark_interest(member, card) and not perms.can_mark_interest(author, card)
    assert not perms.can_mark_interest(other_coordinator, card)
    assert perms.can_see_interested(author, card) and not perms.can_see_interested(coordinator, card)
    assert perms.can_view_card(member, card) and not perms.can_view_card(anonymous, card)


def test_interest_buttons_are_named_after_their_visible_text(client, loire, member):
    # WCAG 2.5.3 (axe's label-content-name-mismatch): speech users say what they see.
    cards = [ProjectCardFactory(author=AdvisorFactory(departement=loire), title=f"Projet {n}") for n in range(2)]
    ProjectInterestFactory(card=cards[1], advisor=AdvisorFactory(user=member, departement=loire, membership=False))
    client.force_login(member)
    html = client.get(BOARD, {"departement": "42"}).content.decode()
    buttons = re.findall(r"<button([^>]*)>(.*?)</button>", html, re.S)
    interest = [(attrs, inner) for attrs, inner in buttons if "interpelle" in inner]
    assert len(interest) == 2
    for attrs, inner in interest:
        assert "aria-label" not in attrs
        visible = re.sub(r'<span (?:class="visually-hidden"|aria-hidden="true")>.*?</span>', "", inner)
        name = strip_tags(re.sub(r'<span aria-hidden="true">.*?</span>', "", inner))
        assert name.startswith(strip_tags(visible).strip())
        assert "Projet" in name
