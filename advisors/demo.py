"""The Loire demo network that ``manage.py seed_demo`` creates.

Everything is deterministic: fixed lists of names and structures, communes taken in a
fixed order from the database (EPCI by SIREN, then the largest communes of each first), so
that two machines get the same demo and a second run finds every account already there.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from advisors.enums import MembershipRole, MembershipStatus
from advisors.models import Membership, User
from territories.models import Commune

DEMO_DEPARTEMENT_CODE = "42"
DEMO_DOMAIN = "demo.maillage.fr"
ACTIVE_MEMBERS = 60  # the demo member included

# Varied first and last names as one meets them in the Loire's networks; never Faker, so
# that the demo is the same everywhere. 40 and 41 names: pairing them by index gives
# 1,640 distinct people before a name comes back.
FIRST_NAMES = [
    "Inès", "Karim", "Sophie", "Julien", "Nadia", "Thomas", "Aurélie", "Mamadou", "Élodie", "Yannick",
    "Fatima", "Hugo", "Chloé", "Rachid", "Manon", "Loïc", "Amandine", "Théo", "Leïla", "Bruno",
    "Mélanie", "Sébastien", "Awa", "Nicolas", "Justine", "Mehdi", "Pauline", "Grégory", "Sarah", "Jean-Marc",
    "Anne-Sophie", "Kévin", "Yasmina", "Olivier", "Lucie", "Abdel", "Maëlle", "François", "Thi Lan", "Gaëlle",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Moulin", "Benali", "Ferreira", "Rousseau", "Chabert", "Perrin", "Faure",
    "Berthet", "Gonon", "Vial", "Tissot", "Nguyen", "Diallo", "Mathevon", "Granjon", "Peyron", "Bonnefoy",
    "Courbon", "Reynaud", "Thivillier", "Fayolle", "Haddad", "Da Silva", "Lacroix", "Girard", "Chambon", "Roux",
    "Marcoux", "Besson", "Cellier", "Rivollier", "Ouedraogo", "Mercier", "Pitiot", "Vernet", "Favier", "Duplay",
    "Bouchet",
]  # fmt: skip

# "{de}" becomes "de Roanne", "d’Andrézieux-Bouthéon", "du Chambon-Feugerolles"…
STRUCTURES = [
    "Médiathèque {de}",
    "France Services {de}",
    "Centre social {de}",
    "CCAS {de}",
    "Espace public numérique {de}",
    "Association Familles rurales {de}",
    "Mairie {de}",
    "MJC {de}",
    "Association Clic et partage {de}",
    "Tiers-lieu numérique {de}",
    "Bibliothèque municipale {de}",
    "Association Coup de pouce numérique {de}",
]

# The requests waiting for a coordinator: who asks, from which kind of structure, and why.
PENDING = [
    (
        "Bérénice",
        "Chapuis",
        "Médiathèque {de}",
        "Bonjour, je viens d’être recrutée comme conseillère numérique à la médiathèque. "
        "J’aimerais rencontrer les collègues du secteur.",
    ),
    (
        "Ousmane",
        "Sarr",
        "Centre social {de}",
        "Médiateur numérique au centre social depuis septembre, j’anime surtout des ateliers pour les seniors "
        "(tablette, visio avec les petits-enfants).",
    ),
    (
        "Laetitia",
        "Brunon",
        "France Services {de}",
        "Bonjour, agente France Services, je fais beaucoup d’aide aux démarches en ligne (CAF, ANTS, impôts). "
        "Je souhaite rejoindre le réseau pour mieux orienter les usagers.",
    ),
    (
        "Cyril",
        "Dumas",
        "Espace public numérique {de}",
        "Je suis animateur à l’espace public numérique et je cherche des partenaires pour la Fête du numérique.",
    ),
    (
        "Hélène",
        "Jacquemond",
        "Association Coup de pouce numérique {de}",
        "Bénévole dans une association d’aide aux devoirs, j’accompagne des familles sur l’ENT et Pronote.",
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    """One person of the demo: an account and its place in the Loire network."""

    email: str
    first_name: str
    last_name: str
    role: str = MembershipRole.MEMBER
    status: str = MembershipStatus.ACTIVE
    structure_name: str = ""
    commune: Commune | None = None
    message: str = ""
    days_ago: int = 0


# The accounts printed at the end of seed_demo, to log in with.
COORDINATORS = [
    DemoAccount(
        email=f"coordination1@{DEMO_DOMAIN}",
        first_name="Claire",
        last_name="Vernay",
        role=MembershipRole.COORDINATOR,
        structure_name="Département de la Loire — inclusion numérique",
        days_ago=500,
    ),
    DemoAccount(
        email=f"coordination2@{DEMO_DOMAIN}",
        first_name="Samir",
        last_name="Bouzid",
        role=MembershipRole.COORDINATOR,
        structure_name="Hub numérique Loire",
        days_ago=480,
    ),
]
DEMO_MEMBER = DemoAccount(
    email=f"membre@{DEMO_DOMAIN}",
    first_name="Camille",
    last_name="Ferrand",
    structure_name="Médiathèque {de}",
    days_ago=200,
)


@dataclass
class DemoReport:
    users_created: int = 0
    # New memberships by kind: "coordinators", "members" (active) and "pending" (requests).
    created: dict = field(default_factory=lambda: {"coordinators": 0, "members": 0, "pending": 0})
    accounts: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.users_created or any(self.created.values()))


def french_of(name):
    """``de Roanne``, ``d’Unieux``, ``du Chambon-Feugerolles``, ``des Salles``, ``de La Talaudière``."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    first = unicodedata.normalize("NFKD", name[:1]).encode("ascii", "ignore").decode().upper()
    if first and first in "AEIOUY":
        return f"d’{name}"
    return f"de {name}"


def demo_email(first_name, last_name):
    return f"{slugify(first_name)}.{slugify(last_name)}@{DEMO_DOMAIN}"


def commune_groups(departement):
    """The département's communes, one list per EPCI (by SIREN; communes without EPCI last),
    each list with its largest communes first: where advisors work most often."""
    groups = defaultdict(list)
    for commune in Commune.objects.filter(departement=departement).order_by("-population", "code"):
        groups[commune.epci_id].append(commune)
    return [groups[siren] for siren in sorted(groups, key=lambda siren: (siren is None, siren or ""))]


def demo_accounts(departement):
    """Every account of the demo, in a fixed order: coordinators, members, pending requests."""
    groups = commune_groups(departement)
    largest = sorted((commune for group in groups for commune in group), key=lambda c: (-c.population, c.code))

    def place(index):
        group = groups[index % len(groups)]
        return group[(index // len(groups)) % len(group)]

    def structure(pattern, commune):
        return pattern.format(de=french_of(commune.name))

    accounts = [replace(account, commune=largest[index % len(largest)]) for index, account in enumerate(COORDINATORS)]
    accounts.append(
        replace(DEMO_MEMBER, commune=largest[0], structure_name=structure(DEMO_MEMBER.structure_name, largest[0]))
    )
    for index in range(ACTIVE_MEMBERS - 1):
        first_name, last_name = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
        commune = place(index)
        accounts.append(
            DemoAccount(
                email=demo_email(first_name, last_name),
                first_name=first_name,
                last_name=last_name,
                structure_name=structure(STRUCTURES[index % len(STRUCTURES)], commune),
                commune=commune,
                days_ago=400 - index * 6,  # members joined over the last year
            )
        )
    for index, (first_name, last_name, pattern, message) in enumerate(PENDING):
        # The requests continue the round of EPCIs where the members stopped.
        commune = place(ACTIVE_MEMBERS - 1 + index)
        accounts.append(
            DemoAccount(
                email=demo_email(first_name, last_name),
                first_name=first_name,
                last_name=last_name,
                status=MembershipStatus.PENDING,
                structure_name=structure(pattern, commune),
                commune=commune,
                message=message,
                days_ago=1 + index * 3,
            )
        )
    return accounts


@transaction.atomic
def demo_network_create(*, departement, password):
    """Create the demo accounts and memberships that do not exist yet; return what was done.

    Bulk inserts, and the password is hashed once for all accounts (hashing is deliberately
    slow): the whole demo takes about a second.
    """
    accounts = demo_accounts(departement)
    emails = [account.email for account in accounts]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    now = timezone.now()
    missing = [account for account in accounts if account.email not in users]
    password_hash = make_password(password) if missing else None

    new_users = [
        User(
            email=account.email,
            first_name=account.first_name,
            last_name=account.last_name,
            password=password_hash,
            date_joined=now - timedelta(days=account.days_ago + 1),
        )
        for account in missing
    ]
    User.objects.bulk_create(new_users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in new_users
    )
    users.update((user.email, user) for user in new_users)

    already_members = set(
        Membership.objects.filter(departement=departement, user__email__in=emails).values_list(
            "user__email", flat=True
        )
    )
    deciders = [users[account.email] for account in COORDINATORS]
    report = DemoReport(users_created=len(new_users))
    memberships = []
    for index, account in enumerate(accounts):
        if account.email in already_members:
            continue
        created_at = now - timedelta(days=account.days_ago)
        decided = account.status != MembershipStatus.PENDING
        memberships.append(
            Membership(
                user=users[account.email],
                departement=departement,
                role=account.role,
                status=account.status,
                structure_name=account.structure_name,
                commune=account.commune,
                message=account.message,
                created_at=created_at,
                decided_at=created_at + timedelta(days=2) if decided else None,
                decided_by=deciders[index % len(deciders)]
                if decided and account.role == MembershipRole.MEMBER
                else None,
            )
        )
        if account.role == MembershipRole.COORDINATOR:
            report.created["coordinators"] += 1
        elif account.status == MembershipStatus.PENDING:
            report.created["pending"] += 1
        else:
            report.created["members"] += 1
    Membership.objects.bulk_create(memberships)
    report.accounts = [*COORDINATORS, DEMO_MEMBER]
    return report
