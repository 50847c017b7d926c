"""Who is let into every view of the site: one row per URL name, one expected answer per role
and method (issue 8).

The URL names are read from the URL configuration, so a new view without its row in ``MATRIX``
fails ``test_every_url_name_has_a_row``, and a row left behind by a removed view fails
``test_every_row_names_a_url``. Each cell is one case, run with the CSRF-enforcing client.

The roles, in the Loire (42) with Savoie (73) as the other département:

- ``anonymous``: nobody logged in;
- ``member_elsewhere``: an active member of the Savoie network, with a profile there;
- ``member``: an active member of the Loire network, with a profile, who asked to be attached
  to the structure (a request gives no right until it is accepted);
- ``owner``: an active Loire member who owns the row's object: attached advisor of the
  structure (so editor of it and its lieu), author of the card, proposer of the skill, holder of
  the membership and of the profile; a row whose view acts on no object of a person has no owner;
- ``coordinator``: a coordinator of the Loire network.

POST bodies are empty: the point is who is let in. A refused person gets a 403 or the login
page; an allowed one gets in, whether the view then shows the form with its errors (200, 400)
or acts and redirects — both are ``ALLOWED``.
"""

from collections import namedtuple
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse
from django.views.static import serve

from advisors.enums import LieuApproval
from advisors.models import PerimeterRequest, StructureAttachment
from animation.enums import PartnerStatus
from animation.services.letters import unsubscribe_token
from config.views import media
from events.models import CalendarToken
from tests.advisors.factories import (
    AdvisorFactory,
    CohortFactory,
    InvitationFactory,
    LieuFactory,
    MembershipFactory,
    StructureFactory,
)
from tests.animation.factories import ChannelFactory, LetterFactory, PartnerFactory
from tests.events.factories import EventFactory, NeedFactory, RegistrationFactory, SlotFactory
from tests.orientations.factories import OrientationFactory
from tests.resources.factories import ResourceFactory, ResourceReportFactory
from tests.skills.factories import ProjectCardFactory, SkillFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EPCIFactory

# URL configurations left out of the matrix, and why: each is a whole include, never one of our views.
SKIPPED_INCLUDES = {
    # Django's admin: staff only, behind Django's own permission checks (its login form, which
    # is ours, is tested in tests/test_security.py).
    "admin": lambda resolver: resolver.namespace == "admin",
    # allauth's own pages under /compte/ (log in, sign up, passwords, addresses): for anyone, or on
    # one's own account. Our pages under /compte/ (advisors:my_data, advisors:account_delete…) come
    # from advisors.urls and have their rows.
    "allauth": lambda resolver: getattr(resolver.urlconf_module, "__name__", "").startswith("allauth."),
}
# Uploaded files, served by Django only when DEBUG is on (the proxy serves them in production,
# README « Déployer »): Django's view, not ours.
SKIPPED_VIEWS = {serve, media}

ROLES = ("anonymous", "member_elsewhere", "member", "owner", "coordinator")

# Expected outcomes.
OK = 200
LOGIN = "302 to the login page"
REDIRECT = "302 elsewhere"
DENIED = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
ALLOWED = "let in (200 or 400 form, or 302 not to the login page)"
NO_OWNER = None  # a view on no one's object: no case for the owner


def everyone(outcome):
    return (outcome,) * len(ROLES)


# A page behind the login that every logged-in person may see.
LOGGED_IN = (LOGIN, OK, OK, OK, OK)
# An action on a person's own account.
OWN_ACTION = (LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
# A view that only takes POST, behind the login (login_required answers first).
POST_ONLY = (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
POST_ONLY_NO_OWNER = (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NO_OWNER, NOT_ALLOWED)
# The coordination's pages of the département.
COORDINATION_PAGE = (LOGIN, DENIED, DENIED, NO_OWNER, OK)
COORDINATION_ACTION = (LOGIN, DENIED, DENIED, NO_OWNER, ALLOWED)
# Pages and actions on an object its owner and the coordination may edit.
EDIT_PAGE = (LOGIN, DENIED, DENIED, OK, OK)
EDIT_ACTION = (LOGIN, DENIED, DENIED, ALLOWED, ALLOWED)
# The pages of one département network: its active members (coordinators included), not other networks.
NETWORK_PAGE = (LOGIN, DENIED, OK, NO_OWNER, OK)
NETWORK_ACTION = (LOGIN, DENIED, ALLOWED, NO_OWNER, ALLOWED)

Row = namedtuple("Row", "args query get post")


EVERYONE_OK = everyone(OK)


def row(*args, query="", get=EVERYONE_OK, post=None):
    """``args``: names of ``world`` entries, the URL's arguments; ``get``/``post``: one outcome per
    role of ``ROLES`` (``post=None``: the view changes nothing, its POST is not part of the matrix)."""
    for cells in (get, post):
        assert cells is None or len(cells) == len(ROLES), args
    return Row(args, query, get, post)


MATRIX = {
    # Site pages (config/urls.py)
    "healthz": row(),
    "accessibility": row(),
    "legal": row(),
    "data_sources": row(),
    # Territories
    "territories:index": row(),
    "territories:commune_lookup": row(),
    "territories:commune_suggestions": row(),
    "territories:epci": row("epci"),
    # Overview
    "overview:home": row(),
    "overview:departement": row("loire"),
    "overview:commune": row("commune"),
    "overview:near": row("commune"),
    # Coverage: figures about structures and lieux, public information (the rencontre link is the event
    # form's, which has its own rows).
    "overview:coverage": row(query="territoire=42"),
    "overview:coverage_export": row(query="territoire=42&format=csv"),
    # Open data: the national lieux export, public information only (accepted lieux, their public contacts).
    "overview:open_data": row(),
    "overview:lieux_export_csv": row("loire"),
    "overview:lieux_export_json": row("loire"),
    # Remembers the visitor's département in a cookie: anyone.
    "overview:choose": row(get=everyone(NOT_ALLOWED), post=everyone(REDIRECT)),
    # Directory and promos
    "advisors:directory": row(),
    "advisors:cohorts": row(),
    "advisors:cohort": row("cohort"),
    # One's network, joining and leaving it
    "advisors:my_network": row(get=LOGGED_IN),
    "advisors:membership_request": row(get=LOGGED_IN, post=OWN_ACTION),
    # The owner's own Loire membership: the coordination may not make them leave.
    "advisors:membership_leave": row(
        "owner_membership",
        get=(LOGIN, DENIED, DENIED, OK, DENIED),
        post=(LOGIN, DENIED, DENIED, ALLOWED, DENIED),
    ),
    "advisors:membership_requests": row("loire", get=COORDINATION_PAGE),
    "advisors:membership_decide": row("pending_membership", get=POST_ONLY_NO_OWNER, post=COORDINATION_ACTION),
    "advisors:invitations": row("loire", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    "advisors:invitation_revoke": row("invitation", get=POST_ONLY_NO_OWNER, post=COORDINATION_ACTION),
    # The emailed link: its token is the key. Using it needs the invited address (refused with a
    # message, back to the invitation page), or logging in first.
    "advisors:invitation": row(
        "token",
        get=(OK, OK, OK, NO_OWNER, OK),
        post=(REDIRECT, REDIRECT, REDIRECT, NO_OWNER, REDIRECT),
    ),
    # One's own account (RGPD)
    "advisors:my_data": row(get=LOGGED_IN),
    "advisors:my_data_download": row(get=LOGGED_IN),
    "advisors:account_delete": row(get=LOGGED_IN, post=OWN_ACTION),
    # Structures and lieux
    "advisors:structures": row(),
    "advisors:structure": row("structure"),
    # Any member of a network adds structures (of their own département: the form checks the commune).
    "advisors:structure_create": row(
        get=(LOGIN, OK, OK, NO_OWNER, OK), post=(LOGIN, ALLOWED, ALLOWED, NO_OWNER, ALLOWED)
    ),
    "advisors:structure_edit": row("structure", get=EDIT_PAGE, post=EDIT_ACTION),
    "advisors:structure_perimeter": row("structure", get=EDIT_PAGE, post=EDIT_ACTION),
    "advisors:structure_perimeter_remove": row("structure", get=POST_ONLY, post=EDIT_ACTION),
    "advisors:lieu_create": row("structure", get=EDIT_PAGE, post=EDIT_ACTION),
    # The member's request to join the structure: its editors decide, never the person asking.
    "advisors:attachment_decide": row("attachment", get=POST_ONLY, post=EDIT_ACTION),
    "advisors:place_requests": row("loire", get=COORDINATION_PAGE),
    # A Savoie structure asking for a Loire commune: the Loire coordination decides.
    "advisors:perimeter_decide": row("loire", "savoie_structure", get=POST_ONLY_NO_OWNER, post=COORDINATION_ACTION),
    # Whether a lieu counts in its département is the coordination's call, not its structure's editors'.
    "advisors:lieu_decide": row("lieu", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, DENIED, ALLOWED)),
    "advisors:lieu": row("lieu"),
    "advisors:lieu_edit": row("lieu", get=EDIT_PAGE, post=EDIT_ACTION),
    # Its exceptional closures: the lieu's editors ("closure" is one of "lieu"'s).
    "advisors:lieu_closure_add": row("lieu", get=POST_ONLY, post=EDIT_ACTION),
    "advisors:lieu_closure_delete": row("lieu", "closure", get=POST_ONLY, post=EDIT_ACTION),
    # Profiles: the owner's is seen by network members only; visitors get a 404, not a 403.
    "advisors:profile": row("owner_profile", get=(NOT_FOUND, OK, OK, OK, OK)),
    "advisors:my_profile": row(get=LOGGED_IN),
    "advisors:my_profile_section": row("section", get=POST_ONLY, post=OWN_ACTION),
    # Skills
    "skills:index": row(),
    # Proposing a skill: any member, of any network.
    "skills:propose": row(get=POST_ONLY, post=OWN_ACTION),
    # A proposed skill: seen by its proposer and the coordination of its network, moderated by the latter.
    "skills:detail": row("proposed_skill", get=(NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK)),
    "skills:validate": row("proposed_skill", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, DENIED, ALLOWED)),
    "skills:rename": row("proposed_skill", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, DENIED, ALLOWED)),
    "skills:merge": row("proposed_skill", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, DENIED, ALLOWED)),
    # The skills map counts everyone; its exports name people: the coordination only.
    "skills:map": row(query="territoire=42"),
    "skills:map_export": row("csv", query="territoire=42", get=(DENIED, DENIED, DENIED, NO_OWNER, OK)),
    "skills:table_export": row("xlsx", query="territoire=42", get=(DENIED, DENIED, DENIED, NO_OWNER, OK)),
    "skills:pairs": row(query="departement=42", get=(DENIED, DENIED, DENIED, NO_OWNER, OK)),
    # Project cards of the Loire board: the owner's card is seen by network members.
    "skills:board": row(query="departement=42"),
    "skills:board_workshop": row(query="departement=42"),
    "skills:card_create": row(
        query="departement=42",
        get=(LOGIN, DENIED, OK, NO_OWNER, OK),
        post=(LOGIN, DENIED, ALLOWED, NO_OWNER, ALLOWED),
    ),
    "skills:card_detail": row("card", get=(NOT_FOUND, OK, OK, OK, OK)),
    # Its author edits it; the coordination may only delete it.
    "skills:card_edit": row(
        "card", get=(LOGIN, DENIED, DENIED, OK, DENIED), post=(LOGIN, DENIED, DENIED, ALLOWED, DENIED)
    ),
    "skills:card_delete": row("card", get=EDIT_PAGE, post=EDIT_ACTION),
    # « Ça m’interpelle »: members of the card's network, except its author.
    "skills:card_interest": row("card", get=POST_ONLY, post=(LOGIN, DENIED, ALLOWED, DENIED, ALLOWED)),
    # Events (issue 10). The owner leads "event" (a published réseau event of the Loire); "slot" is one
    # of its programme items, "need" one of its needs; "registration_token" is a visitor's emailed key.
    "events:index": row(),
    "events:month": row(),
    "events:past": row(),
    # The event page: a réseau event is for logged-in members of any network; visitors get a 404, not a
    # 403, as for a hidden profile. "elsewhere_event" is a Savoie réseau event: any member sees it too.
    "events:detail": row("event", get=(NOT_FOUND, OK, OK, OK, OK)),
    # Registrations (events.views.registrations). Members of any network register to a réseau event;
    # visitors only to a public one ("event" is réseau: the login page). The emailed links: the token is the key.
    "events:register": row("event", get=everyone(NOT_ALLOWED), post=(LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    "events:unregister": row("event", get=POST_ONLY, post=OWN_ACTION),
    "events:slot_register": row("slot", get=everyone(NOT_ALLOWED), post=(LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    "events:slot_unregister": row("slot", get=POST_ONLY, post=OWN_ACTION),
    "events:registration_sent": row("event", get=(NOT_FOUND, OK, OK, OK, OK)),
    "events:registration_confirm": row("registration_token", post=everyone(REDIRECT)),
    "events:registration_cancel": row("registration_token", post=everyone(REDIRECT)),
    # The organisers' tools: its organisers and the coordination of its département.
    "events:registrations": row("event", get=EDIT_PAGE),
    "events:registrations_export": row("event", get=EDIT_PAGE),
    "events:sign_in_sheet": row("event", get=EDIT_PAGE),
    "events:attendance": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    # iCalendar (events.feeds): the .ics follows the event page; the département feed is public; the
    # private feed's token is the key, whoever holds it; « Mon agenda » shows and resets one's own.
    "events:ics": row("event", get=(NOT_FOUND, OK, OK, OK, OK)),
    "events:departement_feed": row("loire"),
    "events:private_feed": row("calendar_token"),
    "events:calendar_token": row(get=LOGGED_IN, post=OWN_ACTION),
    # The programme (events.views.programme): the grid and the slots missing animators follow the event page;
    # its organisers and the coordination change the slots and confirm or remove animators; members of any
    # network offer to animate (it needs a profile: the coordinator of the world has none) and withdraw
    # their own offer only (the others' POST changes nothing).
    "events:programme": row("event", get=(NOT_FOUND, OK, OK, OK, OK)),
    "events:missing_animators": row("event", get=(NOT_FOUND, OK, OK, OK, OK)),
    "events:slot_create": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    "events:slot_edit": row("slot", get=EDIT_PAGE, post=EDIT_ACTION),
    "events:slot_delete": row("slot", get=EDIT_PAGE, post=EDIT_ACTION),
    "events:animator_propose": row("slot", get=POST_ONLY, post=(LOGIN, ALLOWED, ALLOWED, ALLOWED, DENIED)),
    "events:animator_withdraw": row("slot", get=POST_ONLY, post=OWN_ACTION),
    "events:animator_confirm": row("slot", get=POST_ONLY, post=EDIT_ACTION),
    "events:animator_remove": row("slot", get=POST_ONLY, post=EDIT_ACTION),
    # Making an event recurring: those who edit it.
    "events:series_create": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    # Creating and editing events, co-organisers, needs (events.views.manage). Any member with a profile
    # creates in their own network (the form offers only those); a coordinator without one gets one.
    "events:create": row(get=(LOGIN, OK, OK, NO_OWNER, OK), post=(LOGIN, ALLOWED, ALLOWED, NO_OWNER, ALLOWED)),
    "events:edit": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    "events:publish": row("event", get=POST_ONLY, post=EDIT_ACTION),
    "events:cancel": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    "events:postpone": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    # Only a draft is deleted: "event" is published, so nobody may.
    "events:delete": row("event", get=(LOGIN, *(DENIED,) * 4), post=(LOGIN, *(DENIED,) * 4)),
    "events:report": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    "events:organisers": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    # Stepping down: its organisers only (the last lead is refused with a message, back to the event).
    "events:leave": row("event", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, ALLOWED, DENIED)),
    # "invited_organiser": someone else's pending invitation to co-organise "event": only they answer it;
    # its lead and the coordination promote or remove it.
    "events:organiser_respond": row("invited_organiser", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, DENIED, DENIED)),
    "events:organiser_promote": row("invited_organiser", get=POST_ONLY, post=EDIT_ACTION),
    "events:organiser_remove": row("invited_organiser", get=POST_ONLY, post=EDIT_ACTION),
    "events:invitations": row(get=LOGGED_IN),
    "events:need_create": row("event", get=EDIT_PAGE, post=EDIT_ACTION),
    "events:need_cover": row("need", get=POST_ONLY, post=EDIT_ACTION),
    "events:need_delete": row("need", get=POST_ONLY, post=EDIT_ACTION),
    # Offering help: members of any network, with a profile (the world's coordinator has none).
    "events:need_offer": row("need", get=(LOGIN, OK, OK, OK, DENIED), post=(LOGIN, ALLOWED, ALLOWED, ALLOWED, DENIED)),
    "events:need_offer_withdraw": row("need", get=POST_ONLY, post=OWN_ACTION),
    # Resources (issue 11). The owner authors "resource" (a published réseau resource of the Loire);
    # "report" is an open report on it.
    "resources:index": row(),
    # The resource page and its JSON notice: a réseau resource is for members of any network; visitors get
    # a 404, not a 403, as for an event. « Utile », comments and reports: members of any network who see it;
    # hiding a comment: its authors and the coordination; the moderation list: the coordination.
    "resources:detail": row("resource", get=(NOT_FOUND, OK, OK, OK, OK)),
    "resources:export": row("resource", get=(NOT_FOUND, OK, OK, OK, OK)),
    "resources:useful": row("resource", get=POST_ONLY, post=OWN_ACTION),
    "resources:comment": row("resource", get=POST_ONLY, post=OWN_ACTION),
    "resources:comment_hide": row("resource", get=POST_ONLY, post=EDIT_ACTION),
    "resources:report": row("resource", get=LOGGED_IN, post=OWN_ACTION),
    "resources:reports": row(query="departement=42", get=COORDINATION_PAGE),
    "resources:report_resolve": row("report", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, DENIED, ALLOWED)),
    # Publishing (resources.views.publish): any member with a profile (the world's coordinator has none);
    # editing, history and restoring: its authors and the coordination; its files: those who see it.
    "resources:create": row(get=(LOGIN, OK, OK, NO_OWNER, DENIED), post=(LOGIN, ALLOWED, ALLOWED, NO_OWNER, DENIED)),
    "resources:edit": row("resource", get=EDIT_PAGE, post=EDIT_ACTION),
    "resources:publish": row("resource", get=POST_ONLY, post=EDIT_ACTION),
    "resources:history": row("resource", get=EDIT_PAGE),
    "resources:version": row("resource", "resource_version", get=EDIT_PAGE),
    "resources:restore": row("resource", "resource_version", get=POST_ONLY, post=EDIT_ACTION),
    "resources:file": row("resource", "resource_file", get=(DENIED, OK, OK, OK, OK)),
    # The only file of a resource without a link is kept (refused with a message): the POST is let in.
    "resources:file_remove": row("resource", "resource_file", get=POST_ONLY, post=EDIT_ACTION),
    # Orientations, sending (orientations.views.send): any member of a network orients a person; the
    # message form without a receiver chosen goes back to the search. An orientation and its slip are for
    # its sender, its receivers ("orientation" is the owner's, received) and the coordination of its département.
    "orientations:new": row(get=(LOGIN, OK, OK, NO_OWNER, OK)),
    "orientations:compose": row(
        get=(LOGIN, REDIRECT, REDIRECT, NO_OWNER, REDIRECT), post=(LOGIN, ALLOWED, ALLOWED, NO_OWNER, ALLOWED)
    ),
    "orientations:detail": row("orientation", get=EDIT_PAGE),
    "orientations:slip": row("orientation", get=EDIT_PAGE),
    # Orientations, following (orientations.views.follow): one's own received and sent lists; the state is
    # changed by the receivers only ("orientation" is received by the owner), never by the coordination; the
    # flows between structures are the coordination's page.
    "orientations:inbox": row(get=LOGGED_IN),
    "orientations:sent": row(get=LOGGED_IN),
    "orientations:status": row("orientation", get=POST_ONLY, post=(LOGIN, DENIED, DENIED, ALLOWED, DENIED)),
    "orientations:flows": row("loire", get=COORDINATION_PAGE),
    # Network life (issue 13, animation app). Partners: the network's members read and suggest them and say
    # they know one ("partner" is published, "suggested_partner" waits); the coordination edits and decides.
    "animation:partners": row("loire", get=NETWORK_PAGE),
    "animation:partner_new": row("loire", get=NETWORK_PAGE, post=NETWORK_ACTION),
    "animation:partner": row("loire", "partner", get=NETWORK_PAGE),
    "animation:partner_edit": row("loire", "partner", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    "animation:partner_decide": row("loire", "suggested_partner", get=POST_ONLY_NO_OWNER, post=COORDINATION_ACTION),
    "animation:partner_know": row("loire", "partner", get=POST_ONLY_NO_OWNER, post=NETWORK_ACTION),
    "animation:partner_delete": row("loire", "partner", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    # Channels: read by the network's members, managed (and their webhooks tested) by the coordination.
    "animation:channels": row("loire", get=NETWORK_PAGE),
    "animation:channel_new": row("loire", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    "animation:channel_edit": row("loire", "channel", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    "animation:channel_delete": row("loire", "channel", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    "animation:channel_test": row("loire", "channel", get=POST_ONLY_NO_OWNER, post=COORDINATION_ACTION),
    # The coordinators' dashboard, the lists behind its figures, its exports and the profile reminders.
    "animation:dashboard": row("loire", get=COORDINATION_PAGE),
    "animation:dashboard_list": row("loire", "figure", get=COORDINATION_PAGE),
    "animation:dashboard_export": row("loire", query="liste=profils-18-mois&format=csv", get=COORDINATION_PAGE),
    "animation:profile_remind": row("loire", get=POST_ONLY_NO_OWNER, post=COORDINATION_ACTION),
    # The letter: its archive and sent letters for the network's members, drafts and sending for the
    # coordination ("sent_letter" went out last month, "draft_letter" is this month's).
    "animation:letters": row("loire", get=NETWORK_PAGE),
    "animation:letter_new": row("loire", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    "animation:letter": row("loire", "sent_letter", get=NETWORK_PAGE),
    "animation:letter_edit": row("loire", "draft_letter", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    "animation:letter_test": row("loire", "draft_letter", get=POST_ONLY_NO_OWNER, post=COORDINATION_ACTION),
    "animation:letter_send": row("loire", "draft_letter", get=COORDINATION_PAGE, post=COORDINATION_ACTION),
    # The link in every letter: its signed token is the key, whoever follows it (a mail client may POST it).
    "animation:letter_unsubscribe": row(
        "letter_token", get=(OK, OK, OK, NO_OWNER, OK), post=(ALLOWED, ALLOWED, ALLOWED, NO_OWNER, ALLOWED)
    ),
}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if any(skipped(pattern) for skipped in SKIPPED_INCLUDES.values()):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif pattern.callback not in SKIPPED_VIEWS:
            # An unnamed view cannot have a row: it shows as missing, so that it gets a name.
            yield f"{namespace}{pattern.name or f'<unnamed {pattern.pattern}>'}"


URL_NAMES = set(_url_names(get_resolver().url_patterns))


def test_every_url_name_has_a_row():
    assert sorted(URL_NAMES - set(MATRIX)) == []


def test_every_row_names_a_url():
    assert sorted(set(MATRIX) - URL_NAMES) == []


def _cases():
    for name, spec in MATRIX.items():
        for method, cells in (("GET", spec.get), ("POST", spec.post)):
            if cells is None:
                continue
            for role, expected in zip(ROLES, cells, strict=True):
                if expected is not NO_OWNER:
                    yield pytest.param(name, role, method, expected, id=f"{name}-{role}-{method}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The people and objects of every row, built once for the module in a transaction rolled
    back at its end; each case runs in its own savepoint, so what a POST changes is undone.

    The same places as the ``loire``, ``savoie`` and ``saint_etienne`` fixtures, built here
    because those live one test long."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _build_world():
    loire = DepartementFactory()
    savoie = DepartementFactory(savoie=True)
    epci = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    saint_etienne = CommuneFactory(
        departement=loire, code="42218", name="Saint-Étienne", postal_codes="42000 42100", epci=epci
    )
    chambery = CommuneFactory(departement=savoie, code="73065", name="Chambéry", postal_codes="73000")

    structure = StructureFactory(commune=saint_etienne)
    lieu = LieuFactory(structure=structure, approval=LieuApproval.ACCEPTED)
    owner_profile = AdvisorFactory(departement=loire, structure=structure)
    owner = owner_profile.user
    member_profile = AdvisorFactory(departement=loire)
    attachment = StructureAttachment.objects.create(advisor=member_profile, structure=structure)
    elsewhere_profile = AdvisorFactory(departement=savoie)
    coordinator = MembershipFactory(departement=loire, coordinator=True).user

    savoie_structure = StructureFactory(commune=chambery, created_by=elsewhere_profile.user)
    PerimeterRequest.objects.create(
        structure=savoie_structure, commune=saint_etienne, requested_by=elsewhere_profile.user
    )
    invitation = InvitationFactory(departement=loire, created_by=coordinator)
    proposed_skill = SkillFactory(proposed=True, proposed_by=owner, proposed_in=loire)
    event = EventFactory(departement=loire, commune=saint_etienne, capacity=30, lead=owner_profile)
    slot = SlotFactory(event=event)
    visitor_registration = RegistrationFactory(event=event, visitor=True, pending=True)
    resource = ResourceFactory(departement=loire, network=True, authors=[owner_profile])
    resource.versions.create(number=1, title=resource.title, summary=resource.summary, edited_by=owner)
    resource_file = resource.files.create(
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="fiche.pdf"),
        original_name="fiche.pdf",
        content_type="application/pdf",
        size=15,
    )
    return {
        "users": {
            "anonymous": None,
            "member_elsewhere": elsewhere_profile.user,
            "member": member_profile.user,
            "owner": owner,
            "coordinator": coordinator,
        },
        "args": {
            "loire": loire.code,
            "epci": epci.siren,
            "commune": saint_etienne.code,
            "cohort": CohortFactory().slug,
            "owner_membership": owner.memberships.get().pk,
            "pending_membership": MembershipFactory(departement=loire, pending=True).pk,
            "invitation": invitation.pk,
            "token": invitation.token,
            "structure": structure.pk,
            "savoie_structure": savoie_structure.pk,
            "attachment": attachment.pk,
            "lieu": lieu.pk,
            "closure": lieu.closures.create(starts_on=date(2036, 12, 22), ends_on=date(2037, 1, 2)).pk,
            "owner_profile": owner_profile.pk,
            "section": "identite",
            "proposed_skill": proposed_skill.slug,
            "card": ProjectCardFactory(author=owner_profile).pk,
            "csv": "csv",
            "xlsx": "xlsx",
            "event": event.pk,
            "slot": slot.pk,
            "need": NeedFactory(event=event).pk,
            "registration_token": visitor_registration.token,
            "elsewhere_event": EventFactory(departement=savoie, lead=elsewhere_profile).pk,
            "resource": resource.pk,
            "resource_version": 1,
            "resource_file": resource_file.pk,
            "report": ResourceReportFactory(resource=resource, user=member_profile.user).pk,
            "invited_organiser": event.organisers.create(
                advisor=AdvisorFactory(departement=loire), status="invite"
            ).pk,
            "calendar_token": CalendarToken.objects.create(user=owner).token,
            # Orientations (issue 12): a person oriented by another Loire advisor to the owner (its receiver).
            "orientation": OrientationFactory(
                sender=AdvisorFactory(departement=loire, structure=StructureFactory(commune=saint_etienne)).user,
                receiver_advisor=owner_profile,
                commune=saint_etienne,
            ).pk,
            # Network life (issue 13).
            "partner": PartnerFactory(departement=loire).pk,
            "suggested_partner": PartnerFactory(
                departement=loire, status=PartnerStatus.SUGGESTED, suggested_by=member_profile.user
            ).pk,
            "channel": ChannelFactory(departement=loire, webhook_url="https://chat.example.fr/hooks/abc").pk,
            "figure": "profils-18-mois",
            "sent_letter": f"{LetterFactory(departement=loire, period=date(2026, 10, 1), sent=True).period:%Y-%m}",
            "draft_letter": f"{LetterFactory(departement=loire, period=date(2026, 11, 1)).period:%Y-%m}",
            "letter_token": unsubscribe_token(member_profile.user),
        },
    }


def _outcome(response):
    if response.status_code == 302:
        login = resolve_url(settings.LOGIN_URL)
        return LOGIN if urlsplit(response["Location"]).path == login else REDIRECT
    return response.status_code


def _matches(expected, outcome):
    if expected == ALLOWED:
        return outcome in (200, 400, REDIRECT)
    return outcome == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "method", "expected"), list(_cases()))
def test_who_is_let_in(client, world, name, role, method, expected):
    spec = MATRIX[name]
    url = reverse(name, args=[world["args"][arg] for arg in spec.args])
    if spec.query:
        url = f"{url}?{spec.query}"
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url) if method == "GET" else client.post(url)
    outcome = _outcome(response)
    assert _matches(expected, outcome), f"{method} {url} as {role}: expected {expected}, got {outcome}"
