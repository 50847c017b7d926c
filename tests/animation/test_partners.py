"""The partners directory of a département network: who sees what, suggestions and the coordination's
decisions, « je connais ce partenaire », the form's checks, and bounded queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from advisors.enums import Visibility
from animation import perms
from animation.enums import PartnerKind, PartnerScope, PartnerStatus
from animation.models import Partner, PartnerAcquaintance
from animation.queries.partners import partners_for
from animation.services import partners as services
from tests.advisors.factories import AdvisorFactory, MembershipFactory
from tests.animation.factories import PartnerFactory
from tests.pages import field_errors, page_text
from tests.territories.factories import CommuneFactory, EPCIFactory


def errors(response, name):
    """The errors next to a field, read with their non-breaking spaces as spaces."""
    return [error.replace("\xa0", " ") for error in field_errors(response, name)]


def partners_url(code="42", **query):
    url = reverse("animation:partners", args=[code])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def url(name, partner):
    return reverse(f"animation:{name}", args=[partner.departement_id, partner.pk])


@pytest.fixture
def advisor(loire):
    """A Loire member with a profile: may say they know a partner."""
    return AdvisorFactory(departement=loire, user__first_name="Camille", user__last_name="Ferrand")


@pytest.fixture
def caf(loire):
    return PartnerFactory(
        departement=loire,
        name="CAF de la Loire",
        kind=PartnerKind.CAF,
        description="Les rendez-vous des droits et des formations à caf.fr.",
        website="https://caf-loire.example.org",
        contact_name="Marc Delorme",
        contact_role="référent partenariats",
        contact_email="marc.delorme@example.org",
        contact_phone="04 65 71 90 02",
    )


@pytest.fixture
def suggestion(loire, advisor):
    return PartnerFactory(
        departement=loire, name="Emmaüs Connect", status=PartnerStatus.SUGGESTED, suggested_by=advisor.user
    )


# The list


def test_members_read_the_published_partners_with_their_contact(client, advisor, caf, suggestion):
    client.force_login(advisor.user)
    response = client.get(partners_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "CAF de la Loire" in text
    assert "Marc Delorme, référent partenariats" in text
    assert "marc.delorme@example.org" in text and "04 65 71 90 02" in text
    assert "https://caf-loire.example.org" in text
    assert "Tout le département" in text
    # Their own suggestion is not among the published partners; it is under « mes propositions ».
    assert "Emmaüs Connect" not in text
    assert "1 partenaire" in text
    mine = page_text(client.get(partners_url(statut="suggested")))
    assert "Emmaüs Connect" in mine and "Proposé, en attente de la coordination" in mine


def test_other_members_never_see_a_suggestion(client, loire, suggestion):
    other = AdvisorFactory(departement=loire).user
    client.force_login(other)
    assert "Emmaüs Connect" not in page_text(client.get(partners_url(statut="suggested")))
    assert client.get(url("partner", suggestion)).status_code == 403


def test_a_refused_partner_is_for_the_coordination_only(client, loire, advisor, coordinator):
    refused = PartnerFactory(
        departement=loire, name="Refusé SARL", status=PartnerStatus.REFUSED, suggested_by=advisor.user
    )
    client.force_login(advisor.user)
    assert "Refusé SARL" not in page_text(client.get(partners_url(statut="refused")))
    assert client.get(url("partner", refused)).status_code == 403
    client.force_login(coordinator)
    assert "Refusé SARL" in page_text(client.get(partners_url(statut="refused")))
    assert client.get(url("partner", refused)).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "outsider", "other_coordinator", "pending", "member", "suggester"])
def test_the_list_and_the_page_agree_on_who_sees_each_partner(client, loire, role, caf, suggestion, request):
    refused = PartnerFactory(departement=loire, status=PartnerStatus.REFUSED)
    users = {
        "anonymous": None,
        "outsider": lambda: request.getfixturevalue("outsider"),
        "other_coordinator": lambda: request.getfixturevalue("other_coordinator"),
        "pending": lambda: request.getfixturevalue("pending_member"),
        "member": lambda: AdvisorFactory(departement=loire).user,
        "suggester": lambda: suggestion.suggested_by,
    }
    user = users[role]() if users[role] else None
    viewer = user or AnonymousUser()
    member = perms.can_view_network_life(viewer, loire)
    listed = set(partners_for(viewer, loire).values_list("pk", flat=True))
    for partner in (caf, suggestion, refused):
        if member:
            assert (partner.pk in listed) == perms.can_view_partner(viewer, partner)
        else:
            assert not perms.can_view_partner(viewer, partner)
    if user:
        client.force_login(user)
    expected = 200 if perms.can_view_network_life(viewer, loire) else (302 if user is None else 403)
    assert client.get(partners_url()).status_code == expected


def test_the_coordination_sees_the_suggestions_waiting_and_decides_from_the_list(client, coordinator, suggestion):
    client.force_login(coordinator)
    text = page_text(client.get(partners_url()))
    assert "1 proposition de membres attend votre décision" in text
    response = client.get(partners_url(statut="suggested"))
    text = page_text(response)
    assert "Emmaüs Connect" in text and "Proposé le" in text and "par Camille Ferrand" in text
    assert reverse("animation:partner_decide", args=["42", suggestion.pk]) in response.content.decode()


def test_filters_kind_scope_search_and_known(client, loire, advisor, caf):
    ccas = PartnerFactory(
        departement=loire, name="Union des CCAS", kind=PartnerKind.CCAS, description="Accès aux droits, éloignés"
    )
    PartnerAcquaintance.objects.create(partner=ccas, advisor=advisor)
    client.force_login(advisor.user)

    def names(**query):
        return [partner.name for partner in client.get(partners_url(**query)).context["page"].object_list]

    assert names(type="ccas") == ["Union des CCAS"]
    # Accent-free and case-free, on the name, the contact and the description.
    assert names(q="ELOIGNES") == ["Union des CCAS"]
    assert names(q="delorme") == ["CAF de la Loire"]
    assert names(je_connais="on") == ["Union des CCAS"]
    assert names(portee="national") == []
    # An unknown kind: the filter says so, no 500.
    response = client.get(partners_url(type="zz"))
    assert response.status_code == 200
    assert errors(response, "type")


def test_the_territory_filter_lists_who_acts_there(client, loire, savoie, advisor, saint_etienne):
    roannais = EPCIFactory(siren="200035731", name="Roannais Agglomération")
    roanne = CommuneFactory(departement=loire, code="42187", name="Roanne", postal_codes="42300", epci=roannais)
    PartnerFactory(departement=loire, name="CAF", scope=PartnerScope.DEPARTEMENT)
    PartnerFactory(departement=loire, name="France Travail Saint-Étienne", scope="commune", commune=saint_etienne)
    PartnerFactory(departement=loire, name="Mission locale du Roannais", scope="epci", epci=roannais)
    PartnerFactory(departement=loire, name="Centre social de Roanne", scope="commune", commune=roanne, epci=roannais)
    client.force_login(advisor.user)

    def names(**query):
        response = client.get(partners_url(**query))
        assert response.status_code == 200
        return sorted(partner.name for partner in response.context["page"].object_list)

    assert names(epci="200035731") == ["CAF", "Centre social de Roanne", "Mission locale du Roannais"]
    assert names(commune="Saint-Étienne — 42218") == ["CAF", "France Travail Saint-Étienne"]
    assert names(commune="Roanne") == ["CAF", "Centre social de Roanne", "Mission locale du Roannais"]
    # An EPCI that has no commune in the Loire is no choice: an error next to the field, everything listed.
    EPCIFactory(siren="200069110", name="Grand Chambéry")
    response = client.get(partners_url(epci="200069110"))
    assert errors(response, "epci") == ["Choisissez une intercommunalité de la liste."]
    assert len(response.context["page"].object_list) == 4


def test_odd_query_strings_never_break_the_list(client, advisor, caf):
    client.force_login(advisor.user)
    for query in ({"page": "-1"}, {"page": "zz"}, {"statut": "zz"}, {"epci": "9" * 30}, {"commune": "99999"}):
        assert client.get(partners_url(), query).status_code == 200
    assert client.get(partners_url(), {"q": "\x00"}).status_code == 400
    assert client.get(partners_url("zz")).status_code == 404


def test_the_list_is_paginated(client, loire, advisor, settings):
    PartnerFactory.create_batch(25, departement=loire)
    client.force_login(advisor.user)
    first = client.get(partners_url())
    assert len(first.context["page"].object_list) == settings.PAGE_SIZES["default"]
    assert "Page 1 sur 2" in page_text(first)
    assert len(client.get(partners_url(page=2)).context["page"].object_list) == 5


def test_members_who_know_a_partner_are_named_only_when_their_profile_is_visible(client, loire, advisor, caf):
    shy = AdvisorFactory(
        departement=loire, visibility=Visibility.COORDINATORS, user__first_name="Discrète", user__last_name="Personne"
    )
    PartnerAcquaintance.objects.create(partner=caf, advisor=shy, note="rencontrée en formation")
    PartnerAcquaintance.objects.create(partner=caf, advisor=advisor, note="permanence commune")
    reader = AdvisorFactory(departement=loire).user
    client.force_login(reader)
    for page in (partners_url(), url("partner", caf)):
        text = page_text(client.get(page))
        assert "Camille Ferrand" in text
        assert "Discrète" not in text and "rencontrée en formation" not in text
        assert "et 1 autre personne au profil que vous ne pouvez pas voir" in text
    assert "permanence commune" in page_text(client.get(url("partner", caf)))
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    client.force_login(coordinator)
    text = page_text(client.get(url("partner", caf)))
    assert "Discrète Personne" in text and "rencontrée en formation" in text
    assert "au profil que vous ne pouvez pas voir" not in text


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_runs_the_same_queries_whatever_the_rows(rows, loire, advisor, django_assert_num_queries):
    for index in range(rows):
        partner = PartnerFactory(departement=loire, kind=PartnerKind.CCAS if index % 2 else PartnerKind.CAF)
        for other in AdvisorFactory.create_batch(2, departement=loire):
            PartnerAcquaintance.objects.create(partner=partner, advisor=other, note="note")
        if index % 3 == 0:
            PartnerAcquaintance.objects.create(partner=partner, advisor=advisor)
    client = Client()
    client.force_login(advisor.user)
    # Session and user (2), memberships (1), département (1), the page's count and rows (2), the visible
    # acquaintances with their people (1), the viewer's profile (1), the EPCI choices (1).
    with django_assert_num_queries(9):
        response = client.get(partners_url())
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("known", [2, 12])
def test_the_page_runs_the_same_queries_whatever_the_members_who_know_it(
    known, loire, advisor, caf, django_assert_num_queries
):
    for other in AdvisorFactory.create_batch(known, departement=loire):
        PartnerAcquaintance.objects.create(partner=caf, advisor=other, note="note")
    PartnerAcquaintance.objects.create(partner=caf, advisor=advisor, note="la mienne")
    client = Client()
    client.force_login(advisor.user)
    # Session and user (2), memberships (1), the partner (1), its visible acquaintances (1), the viewer's
    # note (1), the viewer's profile (1).
    with django_assert_num_queries(7):
        response = client.get(url("partner", caf))
    assert len(response.context["partner"].visible_acquaintances) == known + 1


# Suggesting and adding


def partner_data(**overrides):
    return {
        "name": "Mission locale du Forez",
        "kind": "mission_locale",
        "scope": "departement",
        "description": "Les 16-25 ans.",
        "website": "https://ml-forez.example.org",
        "contact_name": "Yacine Ferrat",
        "contact_role": "conseiller",
        "contact_email": "yacine@example.org",
        "contact_phone": "04 65 71 90 07",
        **overrides,
    }


def test_a_members_entry_is_a_suggestion_waiting_for_the_coordination(
    client, loire, advisor, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(advisor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("animation:partner_new", args=["42"]), partner_data(), follow=True)
    partner = Partner.objects.get()
    assert (partner.status, partner.suggested_by, partner.decided_by) == (PartnerStatus.SUGGESTED, advisor.user, None)
    assert partner.search_text == "mission locale du forez yacine ferrat les 16 25 ans"
    assert "Votre proposition attend la coordination" in page_text(response)
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert "Mission locale du Forez" in message.subject and "Camille Ferrand" in message.subject
    assert partner.get_absolute_url() in message.body


def test_a_coordinators_entry_is_published_at_once(client, loire, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("animation:partner_new", args=["42"]), partner_data(), follow=True)
    partner = Partner.objects.get()
    assert partner.status == PartnerStatus.PUBLISHED and partner.decided_by == coordinator
    assert "est ajouté à l’annuaire" in page_text(response)
    assert mail.outbox == []


def test_the_form_says_in_french_what_is_wrong_next_to_each_field(client, loire, savoie, advisor, chambery):
    EPCIFactory(siren="200069110", name="Grand Chambéry")
    client.force_login(advisor.user)
    new = reverse("animation:partner_new", args=["42"])
    response = client.post(
        new,
        partner_data(
            name="", kind="zz", website="pas une adresse", contact_email="pas@", contact_phone="abc", scope="commune"
        )
        | {"commune": "Chambéry"},
    )
    assert response.status_code == 400
    assert errors(response, "name") == ["Indiquez le nom du partenaire."]
    assert errors(response, "kind") == ["Type de partenaire inconnu."]
    assert errors(response, "website") == ["Adresse non valide : collez l’adresse complète, commençant par https://"]
    assert errors(response, "contact_email") == ["Adresse électronique non valide (exemple : prenom.nom@caf.fr)."]
    assert errors(response, "contact_phone") == ["Numéro de téléphone non valide (exemple : 04 77 12 34 56)."]
    assert errors(response, "commune") == [
        "Chambéry est dans le département 73, pas dans celui du réseau (42) : choisissez une commune du département."
    ]
    # What was typed is kept.
    assert 'value="pas une adresse"' in response.content.decode()
    response = client.post(new, partner_data(scope="epci", epci="200069110"))
    assert errors(response, "epci") == ["Choisissez une intercommunalité du département dans la liste."]
    response = client.post(new, partner_data(scope="epci"))
    assert errors(response, "epci") == ["Choisissez l’intercommunalité d’un partenaire intercommunal."]
    response = client.post(new, partner_data(scope="commune"))
    assert errors(response, "commune") == ["Indiquez la commune d’un partenaire communal."]
    response = client.post(new, partner_data(name="x" * 201, description="y" * 2001))
    assert errors(response, "name") == ["Le nom fait 201 caractères : 200 au plus."]
    assert errors(response, "description") == ["Le texte fait 2001 caractères : 2000 au plus."]
    assert not Partner.objects.exists()
    assert client.post(new, partner_data(name="CAF\x00")).status_code == 400
    assert not Partner.objects.exists()


def test_an_epci_that_touches_the_departement_and_a_commune_of_it_are_accepted(
    client, loire, savoie, coordinator, saint_etienne
):
    # An EPCI across two départements: one commune in the Loire is enough.
    across = EPCIFactory(siren="200066587", name="Monts du Lyonnais")
    CommuneFactory(departement=loire, code="42245", name="Saint-Martin-en-Haut", epci=across)
    client.force_login(coordinator)
    new = reverse("animation:partner_new", args=["42"])
    assert client.post(new, partner_data(name="A", scope="epci", epci="200066587")).status_code == 302
    saint_etienne_picked = "Saint-Étienne — 42218"
    assert client.post(new, partner_data(name="B", scope="commune", commune=saint_etienne_picked)).status_code == 302
    a, b = Partner.objects.order_by("name")
    assert (a.epci_id, a.commune_id) == ("200066587", None)
    # A communal partner keeps its commune and the commune's EPCI is never stored for it.
    assert (b.commune_id, b.epci_id) == ("42218", None)
    # A départemental partner has no commune nor EPCI, even if some were posted.
    client.post(new, partner_data(name="C", commune="Saint-Étienne — 42218", epci="200066587"))
    c = Partner.objects.get(name="C")
    assert (c.commune_id, c.epci_id) == (None, None)


# The page, editing, deleting


def test_the_page_shows_everything_and_the_coordinations_actions(client, coordinator, caf):
    client.force_login(coordinator)
    response = client.get(url("partner", caf))
    text = page_text(response)
    assert "CAF de la Loire" in text and "Ce qu’il apporte au réseau" in text and "Marc Delorme" in text
    assert url("partner_edit", caf) in response.content.decode()
    assert url("partner_delete", caf) in response.content.decode()
    other = AdvisorFactory(departement=caf.departement).user
    client.force_login(other)
    assert url("partner_edit", caf) not in client.get(url("partner", caf)).content.decode()


def test_a_partner_of_another_network_is_not_found_under_this_one(client, savoie, advisor, loire):
    elsewhere = PartnerFactory(departement=savoie)
    client.force_login(advisor.user)
    assert client.get(reverse("animation:partner", args=["42", elsewhere.pk])).status_code == 404


def test_the_coordination_edits_a_partner(client, coordinator, caf, advisor):
    client.force_login(advisor.user)
    assert client.post(url("partner_edit", caf), partner_data()).status_code == 403
    client.force_login(coordinator)
    assert client.get(url("partner_edit", caf)).status_code == 200
    response = client.post(url("partner_edit", caf), partner_data(name="CAF de la Loire (42)"), follow=True)
    assert "La fiche de CAF de la Loire (42) est enregistrée" in page_text(response)
    caf.refresh_from_db()
    assert caf.name == "CAF de la Loire (42)" and "yacine ferrat" in caf.search_text
    assert client.post(url("partner_edit", caf), partner_data(website="x")).status_code == 400
    caf.refresh_from_db()
    assert caf.website == "https://ml-forez.example.org"


def test_the_coordination_deletes_a_partner_after_a_confirmation(client, coordinator, caf, advisor):
    PartnerAcquaintance.objects.create(partner=caf, advisor=advisor)
    client.force_login(advisor.user)
    assert client.get(url("partner_delete", caf)).status_code == 403
    assert client.post(url("partner_delete", caf)).status_code == 403
    client.force_login(coordinator)
    confirm = client.get(url("partner_delete", caf))
    assert "Supprimer « CAF de la Loire » ?" in page_text(confirm)
    assert "1 mention « je connais ce partenaire »" in page_text(confirm)
    assert Partner.objects.exists()
    response = client.post(url("partner_delete", caf), follow=True)
    assert "CAF de la Loire est retiré de l’annuaire" in page_text(response)
    assert not Partner.objects.exists() and not PartnerAcquaintance.objects.exists()


# Deciding on a suggestion


def test_publishing_a_suggestion_tells_its_suggester(
    client, coordinator, suggestion, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("partner_decide", suggestion), {"decision": "publier"}, follow=True)
    assert "Emmaüs Connect est publié dans l’annuaire" in page_text(response)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (PartnerStatus.PUBLISHED, coordinator)
    assert suggestion.decided_at is not None
    [message] = mail.outbox
    assert message.to == [suggestion.suggested_by.email]
    assert "est publiée" in message.subject and "Emmaüs Connect" in message.body


def test_refusing_a_suggestion_tells_its_suggester_and_a_second_decision_changes_nothing(
    client, coordinator, suggestion, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    next_url = partners_url(statut="suggested")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("partner_decide", suggestion), {"decision": "refuser", "next": next_url})
    assert response["Location"] == next_url
    suggestion.refresh_from_db()
    assert suggestion.status == PartnerStatus.REFUSED
    assert "n’est pas retenue" in mail.outbox[0].subject
    response = client.post(url("partner_decide", suggestion), {"decision": "publier"}, follow=True)
    assert "Cette proposition a déjà été traitée par" in page_text(response)
    suggestion.refresh_from_db()
    assert suggestion.status == PartnerStatus.REFUSED and len(mail.outbox) == 1


def test_deciding_needs_a_decision_and_the_coordination(client, coordinator, suggestion):
    client.force_login(suggestion.suggested_by)
    assert client.post(url("partner_decide", suggestion), {"decision": "publier"}).status_code == 403
    client.force_login(coordinator)
    response = client.post(url("partner_decide", suggestion), {"decision": "zz"}, follow=True)
    assert "Choisissez de publier ou de refuser" in page_text(response)
    assert client.get(url("partner_decide", suggestion)).status_code == 405
    suggestion.refresh_from_db()
    assert suggestion.status == PartnerStatus.SUGGESTED


# « Je connais ce partenaire »


def test_saying_one_knows_a_partner_is_idempotent_and_can_be_undone(client, advisor, caf):
    client.force_login(advisor.user)
    know = url("partner_know", caf)
    response = client.post(know, {"connait": "1", "note": "permanence commune"}, follow=True)
    assert "vos collègues savent que vous connaissez CAF de la Loire" in page_text(response)
    client.post(know, {"connait": "1", "note": "formation commune"})
    [acquaintance] = PartnerAcquaintance.objects.all()
    assert (acquaintance.advisor, acquaintance.note) == (advisor, "formation commune")
    text = page_text(client.get(url("partner", caf)))
    assert "Camille Ferrand" in text and "formation commune" in text
    client.post(know, {"connait": "0"})
    client.post(know, {"connait": "0"})
    assert not PartnerAcquaintance.objects.exists()


def test_the_quick_button_of_the_list_comes_back_to_the_card(client, advisor, caf):
    client.force_login(advisor.user)
    back = partners_url(type="caf") + f"#partenaire-{caf.pk}"
    response = client.post(url("partner_know", caf), {"connait": "1", "next": back})
    assert response["Location"] == back
    assert client.post(url("partner_know", caf), {"connait": "1", "next": "//evil.example"})["Location"] == url(
        "partner", caf
    )


def test_knowing_needs_a_profile_a_published_partner_and_a_short_note(client, loire, coordinator, advisor, caf):
    client.force_login(coordinator)  # no profile
    response = client.post(url("partner_know", caf), follow=True)
    assert "Créez d’abord votre profil" in page_text(response)
    client.force_login(advisor.user)
    response = client.post(url("partner_know", caf), {"note": "x" * 201}, follow=True)
    assert "La précision fait 201 caractères : 200 au plus." in page_text(response)
    assert not PartnerAcquaintance.objects.exists()
    suggested = PartnerFactory(departement=loire, status=PartnerStatus.SUGGESTED, suggested_by=advisor.user)
    assert client.post(url("partner_know", suggested)).status_code == 403
    not_a_member = AdvisorFactory(departement=loire, membership=False)
    client.force_login(not_a_member.user)
    assert client.post(url("partner_know", caf)).status_code == 403


def test_knowing_a_partner_deleted_meanwhile_is_a_message_not_an_error(advisor, caf):
    stale = Partner.objects.get(pk=caf.pk)
    services.partner_delete(partner=caf)
    with pytest.raises(ValidationError, match="retiré de l’annuaire"):
        services.partner_know(partner=stale, advisor=advisor, know=True)


def test_the_departement_page_links_its_members_to_the_partners(client, loire, advisor, outsider):
    link = partners_url()
    assert link not in client.get(reverse("overview:departement", args=["42"])).content.decode()
    client.force_login(outsider)
    assert link not in client.get(reverse("overview:departement", args=["42"])).content.decode()
    client.force_login(advisor.user)
    response = client.get(reverse("overview:departement", args=["42"]))
    assert link in response.content.decode()
    assert "Les partenaires du réseau de la Loire" in page_text(response)


def test_someone_who_left_the_network_no_longer_shows_as_knowing_it(client, loire, advisor, caf):
    gone = AdvisorFactory(departement=loire, user__first_name="Partie", user__last_name="Ailleurs")
    PartnerAcquaintance.objects.create(partner=caf, advisor=gone)
    PartnerAcquaintance.objects.create(partner=caf, advisor=advisor)
    gone.user.memberships.update(status="refused")
    client.force_login(advisor.user)
    for page in (partners_url(), url("partner", caf)):
        text = page_text(client.get(page))
        assert "Camille Ferrand" in text
        assert "Partie" not in text and "au profil que vous ne pouvez pas voir" not in text


def test_each_coordinator_gets_their_own_email_of_a_suggestion(loire, advisor, django_capture_on_commit_callbacks):
    first, second = (MembershipFactory(departement=loire, coordinator=True).user for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        services.partner_create(partner=Partner(departement=loire, name="X", kind="autre"), by=advisor.user)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, second.email])
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_the_results_block_renders_alone(client, advisor, caf):
    client.force_login(advisor.user)
    response = client.get(partners_url(partial=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "CAF de la Loire" in html and "<html" not in html and "csrfmiddlewaretoken" in html
