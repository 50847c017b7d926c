"""Every URL of the site, fed odd values, answers below 500 (issue 8: twenty entry points
answered 500 to a NUL byte, two to ``next=x``).

The patterns are read from the URL configuration, so a new view is fuzzed without anyone
adding it here. Each path parameter takes, in turn, NUL, a very long value, an unknown code
and a huge number, the others a value that exists; each page also gets odd query strings
(pages out of range, unknown codes, ``next=`` that leads off the site) and odd forms, as a
visitor and as a coordinator (the role that reaches the most code)."""

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from animation.enums import PartnerStatus
from events.enums import AnimatorStatus
from events.models import CalendarToken, NeedOffer
from skills.models import Domain, Skill
from tests.advisors.factories import (
    AdvisorFactory,
    CohortFactory,
    InvitationFactory,
    LieuFactory,
    MembershipFactory,
    StructureFactory,
)
from tests.animation.factories import ChannelFactory, LetterFactory, PartnerFactory
from tests.events.factories import (
    AnimatorSignupFactory,
    EventFactory,
    NeedFactory,
    OrganiserFactory,
    RegistrationFactory,
    SlotFactory,
)
from tests.orientations.factories import OrientationFactory
from tests.resources.factories import ResourceFactory, ResourceReportFactory
from tests.skills.factories import ProjectCardFactory
from tests.territories.factories import CommuneFactory, DepartementFactory

# The admin is Django's, tried by Django; its login is ours (tests/test_security.py).
SKIPPED_PREFIXES = ("admin/",)

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>(?:[^()]|\([^()]*\))*\)")

ODD_SEGMENTS = ["%00", "x" * 300, "zz-inconnu", "9" * 25]

ODD_QUERIES = [
    {"q": "\x00", "departement": "\x00"},
    {
        "page": "-1",
        "q": "é" * 3000,
        "departement": "zz",
        "epci": "9" * 30,
        "commune": "99999",
        "territoire": "departement:zz",
        "competence": "zz",
        "niveau": "zz",
        "public": "zz",
        "structure": "abc",
        "next": "x",
    },
    {"page": "9" * 30, "departement": "9" * 30, "sort": "zz", "next": "//evil.example"},
    # The orientation lists' state and the flows' period and export.
    {"etat": "zz", "periode": "9" * 30, "format": "csv"},
    # The coverage's filters on a real territory, and its exports.
    {"territoire": "42", "service": "\x00", "distance": "9" * 30, "seuil": "-1", "tri": "\x00", "format": "svg"},
    {"territoire": "epci-\x00", "public": "zz", "ouverture": "zz", "mode": "zz", "distance": "1.5", "format": "xlsx"},
    {"territoire": "42", "distance": "100", "seuil": "2", "tri": "-distance", "ouverture": "soir", "format": "xlsx"},
]
# The ways off the site (or into a 500) that a next= value has tried.
ODD_FORMS = [
    {"departement": "\x00", "next": "\x00", "name": "\x00"},
    {"next": "x", "departement": "zz", "page": "-1", "interested": "zz", "approve": "zz", "name": "x" * 3000},
    {"next": "//evil.example", "departement": "9" * 30, "commune": "99999", "q": "é" * 3000},
    {"next": "javascript:alert(1)", "confirm": "1", "target": "zz", "skill": "9" * 25, "communes": ["zz", "-1"]},
    {"next": "/\\evil", "page": "abc"},
    # An orientation's state: a note far too long, a state seen that is none.
    {"etat": "taken", "etat_vu": "zz", "precision": "x" * 3000, "next": "//evil.example"},
    # Years the calendar cannot compute with, and a time the change to summer time skips.
    {"date": "0001-01-01", "start_time": "02:30", "end_time": "03:15", "day": "9999-12-31", "starts": "23:00"},
    {"date": "9999-12-31", "start_time": "23:00", "end_time": "23:30", "registration_opens_at": "0001-01-01T10:00"},
    # A lieu's closure at the ends of the calendar.
    {"starts_on": "0001-01-01", "ends_on": "9999-12-31", "reason": "\x00"},
    {"starts_on": "9999-12-31", "ends_on": "9999-12-31"},
]


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
            yield route


ROUTES = sorted(set(_patterns(get_resolver().url_patterns)))


def _parameters(route):
    return [match["name"] or match["group"] for match in PARAMETER.finditer(route)]


def _build(route, values):
    path = PARAMETER.sub(lambda match: values[match["name"] or match["group"]], route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


@pytest.fixture
def world(loire):
    """One row of each kind, so that the plausible values lead to real objects."""
    commune = CommuneFactory(departement=loire, code="42218")
    structure = StructureFactory(commune=commune)
    # A service, so that its lieu is in the national export (/donnees/lieux/42.json).
    structure.services.set(Domain.objects.filter(slug="aide-aux-demarches-administratives"))
    coordinator = MembershipFactory(departement=loire, coordinator=True).user
    advisor = AdvisorFactory(departement=loire, user=coordinator, structure=structure, membership=False)
    pending = MembershipFactory(departement=loire, pending=True)
    # Events: a public, hybrid Fête of the Loire led by someone else, that the coordinator is invited to
    # co-organise, with a need and its offer, a slot with an animator and a registrant, a visitor's
    # pending registration (its emailed token) and the coordinator's private feed.
    lead = AdvisorFactory(departement=loire)
    event = EventFactory(
        departement=loire, public=True, fete=True, lead=lead, capacity=2, mode="hybride", online_url="https://v.ex/a"
    )
    invitation = OrganiserFactory(event=event, advisor=advisor, invited=True)
    need = NeedFactory(event=event)
    NeedOffer.objects.create(need=need, user=lead.user, message="J’en ai un")
    slot = SlotFactory(event=event, capacity=1)
    AnimatorSignupFactory(slot=slot, advisor=AdvisorFactory(departement=loire), status=AnimatorStatus.PROPOSED)
    RegistrationFactory(event=event, slot=slot)
    registration = RegistrationFactory(event=event, visitor=True, pending=True, email="visiteur@exemple.fr")
    return {
        "coordinator": coordinator,
        "code": "42",
        "siren": commune.epci_id,
        "slug": Skill.objects.validated().first().slug,
        # By the route's prefix, as "pk": the longest prefix the route starts with.
        "token": {
            "": InvitationFactory(departement=loire, created_by=coordinator).token,
            "evenements/inscriptions": registration.token,
            "evenements/flux/personnel": CalendarToken.objects.create(user=coordinator).token,
        },
        "year": "2036",
        "month": "12",
        "fmt": "csv",
        "section": "identite",
        "key": "inconnue",
        "uidb36": "1",
        "path": "inconnu.png",
        "pk": {
            "structures": structure.pk,
            "lieux": (lieu := LieuFactory(structure=structure)).pk,
            "conseillers": advisor.pk,
            "competences/cartes": ProjectCardFactory(author=advisor).pk,
            "reseau/demandes": pending.pk,
            "reseau/invitations": InvitationFactory(departement=loire, created_by=coordinator).pk,
            "reseau": coordinator.memberships.get().pk,
            "promos": CohortFactory().pk,
            "evenements": event.pk,
            "evenements/organisateurs": invitation.pk,
            "evenements/besoins": need.pk,
            "evenements/creneaux": slot.pk,
            "ressources": (resource := ResourceFactory(departement=loire, authors=[advisor])).pk,
            "ressources/signalements": ResourceReportFactory(resource=resource, user=coordinator).pk,
            # Sent by the event's lead to the coordinator's profile: the coordinator is its receiver.
            "orientations": OrientationFactory(sender=lead.user, receiver_advisor=advisor).pk,
            # Network life (issue 13): a partner someone suggested, a channel with a webhook.
            "reseau/<str:code>/partenaires": PartnerFactory(
                departement=loire, status=PartnerStatus.SUGGESTED, suggested_by=lead.user
            ).pk,
            "reseau/<str:code>/canaux": ChannelFactory(
                departement=loire, webhook_url="https://chat.example.fr/hooks/abc"
            ).pk,
        },
        # This month's draft letter of the Loire, and a dashboard figure.
        "period": f"{LetterFactory(departement=loire, period=date(2026, 11, 1)).period:%Y-%m}",
        "figure": "profils-18-mois",
        "savoie": DepartementFactory(savoie=True),
        # A closure of the "lieux" lieu, for its delete route.
        "closure_pk": lieu.closures.create(starts_on=date(2036, 12, 22), ends_on=date(2037, 1, 2)).pk,
    }


def _plausible(world, route, name):
    value = world.get(name, "1")
    if isinstance(value, dict):
        prefixes = sorted(value, key=len, reverse=True)
        return str(next((value[prefix] for prefix in prefixes if route.startswith(prefix)), 1))
    return str(value)


def _requests(world, route):
    names = _parameters(route)
    plausible = {name: _plausible(world, route, name) for name in names}
    base = _build(route, plausible)
    yield "get", base, {}
    for name in names:
        for odd in ODD_SEGMENTS:
            yield "get", _build(route, {**plausible, name: odd}), {}
    for query in ODD_QUERIES:
        yield "get", base, query
    for form in ODD_FORMS:
        yield "post", base, form


@pytest.mark.parametrize("route", ROUTES)
def test_odd_requests_never_answer_a_server_error(client, world, route):
    client.raise_request_exception = False
    failures = []
    for user in (None, world["coordinator"]):
        if user is not None:
            client.force_login(user)
        for method, path, data in _requests(world, route):
            if method == "get":
                response = client.get(path, data)
            else:
                response = client.post(path, data)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {path} {data} as {user or 'visitor'}: {response.status_code}")
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)  # a logout form took the session: carry on logged in
    assert failures == []


def test_the_plausible_values_reach_real_events(client, world):
    """The events routes are fuzzed around real objects (event, slot, need, invitation, tokens), not 404s."""
    client.force_login(world["coordinator"])
    missing = []
    for route in ROUTES:
        if route.startswith("evenements/"):
            path = _build(route, {name: _plausible(world, route, name) for name in _parameters(route)})
            if client.get(path).status_code == 404:
                missing.append(path)
    assert missing == []
