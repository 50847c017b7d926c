"""The Loire demo network that ``manage.py seed_demo`` creates.

Accounts and memberships, then the structures of ``demo_data`` with their lieux and opening
hours, the promos de formation, and a complete profile for every active member.

Everything is deterministic: fixed lists of people, structures and profiles, communes found by
their INSEE code (or, when a code is missing from the database, taken in a fixed order from
the communes that exist), so that two machines get the same demo. Every object is looked up
before it is created, so a second run creates nothing and a partial demo is completed. Writes
are bulk inserts, including the through tables of the many-to-many fields: the whole demo
takes about a second.
"""

import re
import zlib
from dataclasses import dataclass, field, replace
from datetime import time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from advisors import demo_data
from advisors.enums import AdvisorRole, MembershipRole, MembershipStatus
from advisors.models import Advisor, Cohort, Language, Lieu, Membership, OpeningSlot, Permanence, Structure, User
from advisors.services.network import advisor_search_text
from advisors.validators import luhn_ok
from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Domain, ProjectCard, ProjectInterest, Public, Skill
from territories.models import Commune
from territories.text import normalize

DEMO_DEPARTEMENT_CODE = "42"
DEMO_DOMAIN = "demo.maillage.fr"

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

# The requests waiting for a coordinator: who asks, from which commune (INSEE code) and which kind
# of structure, and why. They come from communes where the demo has no structure yet.
PENDING = [
    (
        "Bérénice",
        "Chapuis",
        "42127",
        "Médiathèque {de}",
        "Bonjour, je viens d’être recrutée comme conseillère numérique à la médiathèque. "
        "J’aimerais rencontrer les collègues du secteur.",
    ),
    (
        "Ousmane",
        "Sarr",
        "42149",
        "Centre social {de}",
        "Médiateur numérique au centre social depuis septembre, j’anime surtout des ateliers pour les seniors "
        "(tablette, visio avec les petits-enfants).",
    ),
    (
        "Laetitia",
        "Brunon",
        "42019",
        "France Services {de}",
        "Bonjour, agente France Services, je fais beaucoup d’aide aux démarches en ligne (CAF, ANTS, impôts). "
        "Je souhaite rejoindre le réseau pour mieux orienter les usagers.",
    ),
    (
        "Cyril",
        "Dumas",
        "42305",
        "Espace public numérique {de}",
        "Je suis animateur à l’espace public numérique et je cherche des partenaires pour la Fête du numérique.",
    ),
    (
        "Hélène",
        "Jacquemond",
        "42139",
        "Association Familles rurales {de}",
        "Bénévole dans une association d’aide aux devoirs, j’accompagne des familles sur l’ENT et Pronote.",
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    """One person of the demo: an account, its place in the Loire network and, once active, its profile."""

    email: str
    first_name: str
    last_name: str
    role: str = MembershipRole.MEMBER
    status: str = MembershipStatus.ACTIVE
    structure_name: str = ""
    commune: Commune | None = None
    message: str = ""
    days_ago: int = 0
    profile: demo_data.ProfileSpec | None = None


# The accounts printed at the end of seed_demo, to log in with.
COORDINATORS = [
    DemoAccount(
        email=f"coordination1@{DEMO_DOMAIN}",
        first_name="Claire",
        last_name="Vernay",
        role=MembershipRole.COORDINATOR,
        days_ago=500,
        profile=demo_data.COORDINATOR_PROFILES[0],
    ),
    DemoAccount(
        email=f"coordination2@{DEMO_DOMAIN}",
        first_name="Samir",
        last_name="Bouzid",
        role=MembershipRole.COORDINATOR,
        days_ago=480,
        profile=demo_data.COORDINATOR_PROFILES[1],
    ),
]
DEMO_MEMBER = DemoAccount(
    email=f"membre@{DEMO_DOMAIN}",
    first_name="Camille",
    last_name="Ferrand",
    days_ago=200,
    profile=demo_data.DEMO_MEMBER_PROFILE,
)


@dataclass
class DemoReport:
    users_created: int = 0
    # New memberships by kind: "coordinators", "members" (active) and "pending" (requests).
    created: dict = field(default_factory=lambda: {"coordinators": 0, "members": 0, "pending": 0})
    # New rows of the directory: "cohorts", "structures", "lieux", "slots", "profiles".
    directory: dict = field(
        default_factory=lambda: {"cohorts": 0, "structures": 0, "lieux": 0, "slots": 0, "profiles": 0}
    )
    # New rows of the skills directory: "levels" (advisor skills), "notes" (levels with a note),
    # "proposed" (skills proposed by members), "cards" (project cards), "interests".
    skills: dict = field(default_factory=lambda: {"levels": 0, "notes": 0, "proposed": 0, "cards": 0, "interests": 0})
    # What the demo holds after the run (found or created): "structures", "lieux", "profiles",
    # "levels", "cards", "interests".
    totals: dict = field(default_factory=dict)
    accounts: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(
            self.users_created
            or any(self.created.values())
            or any(self.directory.values())
            or any(self.skills.values())
        )


def french_of(name):
    """``de Roanne``, ``d’Unieux``, ``du Chambon-Feugerolles``, ``des Salles``, ``de La Talaudière``."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    if normalize(name[:1]) in {"a", "e", "i", "o", "u", "y"}:
        return f"d’{name}"
    return f"de {name}"


def demo_email(first_name, last_name):
    return f"{slugify(first_name)}.{slugify(last_name)}@{DEMO_DOMAIN}"


class DemoCommunes:
    """The département's communes, loaded once, found by INSEE code.

    A code missing from the database (a test with three communes, a future merger of
    communes) falls back on an existing commune chosen from the code, so that the demo can
    always be built, the same way every time.
    """

    def __init__(self, departement):
        self.ordered = list(Commune.objects.filter(departement=departement).order_by("-population", "code"))
        self.by_code = {commune.code: commune for commune in self.ordered}

    def get(self, code):
        return self.by_code.get(code) or self.ordered[sum(map(ord, code)) % len(self.ordered)]

    def of_epci(self, commune):
        """The communes of ``commune``'s EPCI in this département (the network is departemental,
        so the demo is the same whether one or all départements are imported)."""
        if commune.epci_id is None:
            return [commune]
        return [other for other in self.ordered if other.epci_id == commune.epci_id]

    def expand(self, codes, home):
        """INSEE codes and SIRENs, or ``OWN_COMMUNE`` / ``OWN_EPCI`` / ``WHOLE_DEPARTEMENT`` → communes."""
        if codes == demo_data.OWN_COMMUNE:
            return [home]
        if codes == demo_data.OWN_EPCI:
            return self.of_epci(home)
        if codes == demo_data.WHOLE_DEPARTEMENT:
            return list(self.ordered)
        found = {}
        for code in codes:
            if len(code) == 9:  # a SIREN: every commune of that EPCI
                found.update((commune.code, commune) for commune in self.ordered if commune.epci_id == code)
            else:
                commune = self.get(code)
                found[commune.code] = commune
        return list(found.values())


# Opening hours: "Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00".
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
_RULE = re.compile(
    r"^(?P<days>[A-Z][a-z](?:[-,][A-Z][a-z])*) (?P<times>\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)$"
)


def parse_hours(text):
    """``[(weekday, opens, closes), …]`` sorted, from the OSM-like notation of ``demo_data``."""
    slots = []
    for rule in filter(None, (part.strip() for part in text.split(";"))):
        match = _RULE.match(rule)
        if match is None:
            raise ValueError(f"Horaires illisibles : {rule!r}")
        days = []
        for item in match["days"].split(","):
            first, _, last = item.partition("-")
            days.extend(range(DAYS.index(first), DAYS.index(last or first) + 1))
        for span in match["times"].split(","):
            opens, closes = (time.fromisoformat(value) for value in span.split("-"))
            slots.extend((day, opens, closes) for day in days)
    return sorted(slots)


def overlaps(slot, others):
    day, opens, closes = slot
    return any(
        day == other_day and opens < other_closes and other_opens < closes
        for other_day, other_opens, other_closes in others
    )


def luhn_complete(digits):
    """``digits`` followed by the check digit that makes the whole Luhn-valid."""
    return next(digits + str(key) for key in range(10) if luhn_ok(digits + str(key)))


def demo_siret(index):
    """A made-up SIRET whose SIREN and SIRET both pass the Luhn check (never an invalid one)."""
    return luhn_complete(luhn_complete(f"9{index:02d}4200{index % 10}") + "0001")


def demo_phone(block, index):
    # 04 65 71 xx xx: the range the ARCEP keeps for fiction, never someone's line.
    return f"04 65 71 {block + index // 100:02d} {index % 100:02d}"


def demo_accounts(communes):
    """Every account of the demo, in a fixed order: coordinators, members, pending requests.

    An active account works where its profile's first permanence is, and declared the
    profile's structure when it asked to join.
    """
    structures = {spec.key: spec for spec in demo_data.STRUCTURES}

    def placed(account):
        spec = structures[account.profile.structure]
        return replace(
            account,
            structure_name=spec.name,
            commune=communes.get(profile_lieux(spec, account.profile)[0].commune or spec.commune),
        )

    accounts = [placed(account) for account in [*COORDINATORS, DEMO_MEMBER]]
    for index, profile in enumerate(demo_data.MEMBER_PROFILES):
        first_name, last_name = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
        account = DemoAccount(
            email=demo_email(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            # Joined the platform over the last year and a half; newcomers when they arrived.
            days_ago=min(profile.arrived_days_ago, 460 - index * 5),
            profile=profile,
        )
        accounts.append(placed(account))

    for index, (first_name, last_name, code, pattern, message) in enumerate(PENDING):
        commune = communes.get(code)
        accounts.append(
            DemoAccount(
                email=demo_email(first_name, last_name),
                first_name=first_name,
                last_name=last_name,
                status=MembershipStatus.PENDING,
                structure_name=pattern.format(de=french_of(commune.name)),
                commune=commune,
                message=message,
                days_ago=1 + index * 3,
            )
        )
    return accounts


def profile_lieux(structure_spec, profile):
    """The lieux (specs) where ``profile`` holds its permanences, first one first."""
    return [structure_spec.lieux[item if isinstance(item, int) else item[0]] for item in profile.permanences]


@transaction.atomic
def demo_network_create(*, departement, password):
    """Create what the demo lacks: accounts, memberships, promos, structures, lieux, profiles.

    Bulk inserts, and the password is hashed once for all accounts (hashing is deliberately
    slow). Returns a ``DemoReport`` of what was created and what the demo holds.
    """
    communes = DemoCommunes(departement)
    accounts = demo_accounts(communes)
    report = DemoReport()
    users = _accounts_ensure(accounts=accounts, departement=departement, password=password, report=report)
    cohorts = _cohorts_ensure(report=report)
    structures = _structures_ensure(departement=departement, communes=communes, report=report)
    lieux = _lieux_ensure(structures=structures, communes=communes, report=report)
    _profiles_ensure(
        accounts=[account for account in accounts if account.profile],
        users=users,
        departement=departement,
        structures=structures,
        lieux=lieux,
        cohorts=cohorts,
        communes=communes,
        report=report,
    )
    _skills_ensure(
        accounts=[account for account in accounts if account.profile],
        users=users,
        departement=departement,
        communes=communes,
        report=report,
    )
    report.accounts = [*COORDINATORS, DEMO_MEMBER]
    return report


def _accounts_ensure(*, accounts, departement, password, report):
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
    report.users_created = len(new_users)

    already_members = set(
        Membership.objects.filter(departement=departement, user__email__in=emails).values_list(
            "user__email", flat=True
        )
    )
    deciders = [users[account.email] for account in COORDINATORS]
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
    return users


def _cohorts_ensure(*, report):
    """The promos, dated back from today so that the newest one trained this year's newcomers."""
    today = timezone.localdate()
    cohorts = {cohort.slug: cohort for cohort in Cohort.objects.filter(slug__in=[c.slug for c in demo_data.COHORTS])}
    new = []
    for spec in demo_data.COHORTS:
        if spec.slug in cohorts:
            continue
        start = today - timedelta(days=spec.started_days_ago)
        name = f"Promo {'CnFS ' if spec.cnfs else ''}{start.year} — {spec.training_body}"
        new.append(
            Cohort(
                slug=spec.slug,
                name=name,
                training_body=spec.training_body,
                start_date=start,
                end_date=start + timedelta(days=spec.duration_days),
            )
        )
    Cohort.objects.bulk_create(new)
    cohorts.update((cohort.slug, cohort) for cohort in new)
    report.directory["cohorts"] = len(new)
    return cohorts


def _structures_ensure(*, departement, communes, report):
    """``{key: Structure}``; structures are known by their name in the département."""
    specs = demo_data.STRUCTURES
    found = {
        structure.name: structure
        for structure in Structure.objects.filter(departement=departement, name__in=[spec.name for spec in specs])
    }
    new = []
    for index, spec in enumerate(specs):
        if spec.name in found:
            continue
        new.append(
            (
                spec,
                Structure(
                    name=spec.name,
                    kind=spec.kind,
                    siret=demo_siret(index) if spec.siret else "",
                    address=spec.address,
                    commune=communes.get(spec.commune),
                    departement=departement,
                    website=f"https://www.{spec.key}.example/" if spec.website else "",
                    email=f"{spec.key}@{DEMO_DOMAIN}",
                    phone=demo_phone(10, index),
                    presentation=spec.presentation,
                    dispositifs=list(spec.dispositifs),
                ),
            )
        )
    if new:
        # A made-up SIRET that someone registered for real stays theirs: the demo one is left empty.
        taken = set(
            Structure.objects.filter(siret__in=[s.siret for _, s in new if s.siret]).values_list("siret", flat=True)
        )
        for _, structure in new:
            if structure.siret in taken:
                structure.siret = ""
        Structure.objects.bulk_create([structure for _, structure in new])
        domains = dict(Domain.objects.values_list("slug", "pk"))
        publics = dict(Public.objects.values_list("slug", "pk"))
        services_through = Structure.services.through
        publics_through = Structure.publics.through
        perimeter_through = Structure.perimeter.through
        services_through.objects.bulk_create(
            services_through(structure_id=structure.pk, domain_id=domains[slug])
            for spec, structure in new
            for slug in spec.services
            if slug in domains
        )
        publics_through.objects.bulk_create(
            publics_through(structure_id=structure.pk, public_id=publics[slug])
            for spec, structure in new
            for slug in spec.publics
            if slug in publics
        )
        perimeter_through.objects.bulk_create(
            perimeter_through(structure_id=structure.pk, commune_id=commune.pk)
            for spec, structure in new
            for commune in communes.expand(spec.perimeter, structure.commune)
        )
    found.update((structure.name, structure) for _, structure in new)
    report.directory["structures"] = len(new)
    report.totals["structures"] = len(found)
    return {spec.key: found[spec.name] for spec in specs}


def _lieux_ensure(*, structures, communes, report):
    """``{key: [Lieu, …]}`` in the order of each structure's specs; lieux are known by structure and name."""
    found = {(lieu.structure_id, lieu.name): lieu for lieu in Lieu.objects.filter(structure__in=structures.values())}
    result, new, slots = {}, [], []
    for spec in demo_data.STRUCTURES:
        structure = structures[spec.key]
        result[spec.key] = []
        for lieu_spec in spec.lieux:
            lieu = found.get((structure.pk, lieu_spec.name))
            if lieu is None:
                commune = communes.get(lieu_spec.commune) if lieu_spec.commune else structure.commune
                lieu = Lieu(
                    structure=structure,
                    name=lieu_spec.name,
                    address=lieu_spec.address,
                    commune=commune,
                    departement_id=commune.departement_id,
                    access_modes=list(lieu_spec.access),
                    support_modes=list(lieu_spec.support),
                    fees=lieu_spec.fees,
                    reduced_mobility_access=lieu_spec.reduced_mobility,
                    itinerant=lieu_spec.itinerant,
                    hours_note=lieu_spec.note,
                )
                new.append(lieu)
                slots.extend(
                    OpeningSlot(lieu=lieu, weekday=day, opens=opens, closes=closes)
                    for day, opens, closes in parse_hours(lieu_spec.hours)
                )
            result[spec.key].append(lieu)
    Lieu.objects.bulk_create(new)
    OpeningSlot.objects.bulk_create(slots)
    report.directory["lieux"] = len(new)
    report.directory["slots"] = len(slots)
    report.totals["lieux"] = len(found) + len(new)
    return result


def _permanence_slots(profile, structure_spec, offset):
    """``[(lieu index, (weekday, opens, closes)), …]`` in the order of the spec: the day the spec
    names, or one of the lieu's openings taken in turn (``offset``) so that colleagues share the
    week. The most constrained lieux choose first, so that one person's permanences never overlap."""
    candidates = []
    for item in profile.permanences:
        if isinstance(item, int):
            openings = parse_hours(structure_spec.lieux[item].hours)
            shift = offset % len(openings)
            candidates.append((item, openings[shift:] + openings[:shift]))
        else:
            index, hours = item
            candidates.append((index, parse_hours(hours)[:1]))
    chosen = {}
    for position in sorted(range(len(candidates)), key=lambda position: len(candidates[position][1])):
        index, openings = candidates[position]
        taken = list(chosen.values())
        chosen[position] = next(slot for slot in openings if not overlaps(slot, taken))
    return [(candidates[position][0], chosen[position]) for position in range(len(candidates))]


def _profiles_ensure(*, accounts, users, departement, structures, lieux, cohorts, communes, report):
    """A complete profile for every active demo account that has none (pending ones get theirs on approval)."""
    structure_specs = {spec.key: spec for spec in demo_data.STRUCTURES}
    with_profile = set(
        Advisor.objects.filter(user__in=[users[account.email] for account in accounts]).values_list("user", flat=True)
    )
    today = timezone.localdate()
    promos = sorted(
        (cohort for cohort in cohorts.values() if cohort.end_date), key=lambda cohort: cohort.end_date, reverse=True
    )
    languages = dict(Language.objects.values_list("code", "pk")) if len(with_profile) < len(accounts) else {}

    new, permanences, spoken, intervening = [], [], [], []
    for index, account in enumerate(accounts):
        user = users[account.email]
        if user.pk in with_profile:
            continue
        profile = account.profile
        structure_spec = structure_specs[profile.structure]
        structure = structures[profile.structure]
        arrival = today - timedelta(days=profile.arrived_days_ago)
        trained = profile.promo and profile.role in {AdvisorRole.CONSEILLER, AdvisorRole.MEDIATEUR}
        handle = f"{slugify(account.first_name)}.{slugify(account.last_name)}"
        advisor = Advisor(
            user=user,
            departement=departement,
            role=profile.role,
            structure=structure,
            commune=account.commune,
            cohort=next((cohort for cohort in promos if cohort.end_date <= arrival), None) if trained else None,
            arrival_date=arrival,
            bio=profile.bio,
            contact_email=account.email,
            phone=demo_phone(30, index) if profile.phone else "",
            mattermost=handle if profile.chat == "mattermost" else "",
            discord=handle.replace(".", "_") if profile.chat == "discord" else "",
            available_for_co_animation=profile.co_animation,
            visibility=profile.visibility,
        )
        advisor.search_text = advisor_search_text(advisor)  # from the objects in hand: no query
        new.append(advisor)
        for lieu_index, (day, opens, closes) in _permanence_slots(profile, structure_spec, index):
            permanences.append(
                Permanence(
                    advisor=advisor, lieu=lieux[profile.structure][lieu_index], weekday=day, opens=opens, closes=closes
                )
            )
        spoken.extend((advisor, code) for code in ("fr", *profile.languages) if code in languages)
        if profile.intervention:
            intervening.extend(
                (advisor, commune) for commune in communes.expand(profile.intervention, account.commune)
            )

    Advisor.objects.bulk_create(new)
    Permanence.objects.bulk_create(permanences)
    languages_through = Advisor.languages.through
    languages_through.objects.bulk_create(
        languages_through(advisor_id=advisor.pk, language_id=languages[code]) for advisor, code in spoken
    )
    communes_through = Advisor.intervention_communes.through
    communes_through.objects.bulk_create(
        communes_through(advisor_id=advisor.pk, commune_id=commune.pk) for advisor, commune in intervening
    )
    report.directory["profiles"] = len(new)
    report.totals["profiles"] = len(with_profile) + len(new)


def _score(*parts):
    """A stable number in 0–99 for a pair (advisor, skill): ``hash()`` changes from one run to the next."""
    return zlib.crc32(":".join(parts).encode()) % 100


def _skill_level(*, email, skill_slug, domain_slug, services, need_here):
    """The level of a demo advisor for a skill, or None: the rules of ``demo_data`` (everyone masters
    e-mail; nobody masters the gaps; no master where a training need is), else likelier in the domains
    their structure serves."""
    score = _score(email, skill_slug)
    if skill_slug in demo_data.SKILLS_MASTERED_EVERYWHERE:
        return SkillLevel.MASTER
    if skill_slug in demo_data.SKILL_GAPS:
        return SkillLevel.LEARN if score < 40 else SkillLevel.PRACTICE if score < 50 else None
    if need_here:
        return SkillLevel.LEARN
    relevant = domain_slug in services or domain_slug == demo_data.METIER
    master, practice, learn = (25, 55, 70) if relevant else (4, 16, 28)
    if score < master:
        return SkillLevel.MASTER
    if score < practice:
        return SkillLevel.PRACTICE
    if score < learn:
        return SkillLevel.LEARN
    return None


def _skills_ensure(*, accounts, users, departement, communes, report):
    """Skill levels (with a few notes), proposed skills, project cards and their interests.

    Only what is missing is created: a profile that already has levels keeps them, a card is found by
    its author and title. Bulk inserts throughout.
    """
    advisors = {
        advisor.user_id: advisor for advisor in Advisor.objects.filter(user__in=[users[a.email] for a in accounts])
    }
    ordered = [
        (account, advisors[users[account.email].pk]) for account in accounts if users[account.email].pk in advisors
    ]
    first_of = {}
    for account, advisor in ordered:
        first_of.setdefault(account.profile.structure, (account, advisor))
    structure_services = {spec.key: spec.services for spec in demo_data.STRUCTURES}
    needs = {(communes.get(code).epci_id, slug) for code, slug in demo_data.TRAINING_NEEDS}
    notes = {(key, slug): (level, note) for key, slug, level, note in demo_data.SKILL_NOTES}

    # Levels, for the profiles that have none yet.
    with_levels = set(AdvisorSkill.objects.filter(advisor__in=advisors.values()).values_list("advisor", flat=True))
    skills = list(Skill.objects.validated().select_related("domain").order_by("pk"))
    levels = []
    for account, advisor in ordered:
        if advisor.pk in with_levels:
            continue
        epci = account.commune.epci_id if account.commune else None
        noted = first_of[account.profile.structure][1] is advisor
        for skill in skills:
            level = _skill_level(
                email=account.email,
                skill_slug=skill.slug,
                domain_slug=skill.domain.slug,
                services=structure_services[account.profile.structure],
                need_here=epci is not None and (epci, skill.slug) in needs,
            )
            note = ""
            if noted and (account.profile.structure, skill.slug) in notes:
                level, note = notes[account.profile.structure, skill.slug]
                report.skills["notes"] += 1
            if level:
                levels.append(AdvisorSkill(advisor=advisor, skill=skill, level=level, note=note))

    # Skills proposed by members, with the proposer's own level on them.
    domains = dict(Domain.objects.values_list("slug", "pk"))
    existing = set(
        Skill.objects.filter(slug__in=[spec[0] for spec in demo_data.PROPOSED_SKILLS]).values_list("slug", flat=True)
    )
    proposed = []
    for position, (slug, name, domain_slug, structure_key) in enumerate(demo_data.PROPOSED_SKILLS):
        if slug in existing or structure_key not in first_of:
            continue
        _, proposer = first_of[structure_key]
        skill = Skill(
            slug=slug,
            name=name,
            domain_id=domains[domain_slug],
            status=SkillStatus.PROPOSED,
            proposed_by_id=proposer.user_id,
            proposed_in=departement,
            position=100 + position,
        )
        proposed.append(skill)
        levels.append(AdvisorSkill(advisor=proposer, skill=skill, level=SkillLevel.PRACTICE))
    Skill.objects.bulk_create(proposed)
    AdvisorSkill.objects.bulk_create(levels)
    report.skills["proposed"] = len(proposed)
    report.skills["levels"] = len(levels)

    # Project cards, and colleagues marking them: every 7th advisor after the author, a fixed walk.
    cards = {
        (card.author_id, card.title): card
        for card in ProjectCard.objects.filter(author__in=advisors.values(), departement=departement)
    }
    skill_ids = {skill.slug: skill.pk for skill in skills}
    now = timezone.now()
    new_cards, card_skills, wanted = [], [], []
    for position, spec in enumerate(demo_data.PROJECT_CARDS):
        if spec.author not in first_of:
            continue
        _, author = first_of[spec.author]
        card = cards.get((author.pk, spec.title))
        if card is None:
            card = ProjectCard(author=author, departement=departement, title=spec.title, body=spec.body)
            new_cards.append(card)
            card_skills.extend((card, skill_ids[slug]) for slug in spec.skills if slug in skill_ids)
        start = next(index for index, (_, advisor) in enumerate(ordered) if advisor is author)
        walk = [ordered[(start + 7 * step) % len(ordered)][1] for step in range(1, len(ordered))]
        fans = list(dict.fromkeys(advisor for advisor in walk if advisor is not author))[: spec.interested]
        wanted.extend((card, fan, position) for fan in fans)
    ProjectCard.objects.bulk_create(new_cards)
    # Written over the last weeks, the first of the list being the latest.
    for card in new_cards:
        position = next(i for i, spec in enumerate(demo_data.PROJECT_CARDS) if spec.title == card.title)
        card.created_at = now - timedelta(days=2 + 3 * position)
    ProjectCard.objects.bulk_update(new_cards, ["created_at"])
    through = ProjectCard.skills.through
    through.objects.bulk_create(through(projectcard_id=card.pk, skill_id=skill) for card, skill in card_skills)
    marked = set(
        ProjectInterest.objects.filter(card__in=[card for card, _, _ in wanted]).values_list("card", "advisor")
    )
    interests = [ProjectInterest(card=card, advisor=fan) for card, fan, _ in wanted if (card.pk, fan.pk) not in marked]
    ProjectInterest.objects.bulk_create(interests)
    report.skills["cards"] = len(new_cards)
    report.skills["interests"] = len(interests)
    report.totals["levels"] = AdvisorSkill.objects.filter(advisor__in=advisors.values()).count()
    report.totals["cards"] = len(cards) + len(new_cards)
    report.totals["interests"] = ProjectInterest.objects.filter(card__in=[card for card, _, _ in wanted]).count()
