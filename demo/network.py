"""The Loire demo network: accounts and memberships, promos, structures with their lieux and opening
hours, and a complete profile for every active member (``manage.py seed_demo``, see ``demo.seed``).

Every object is looked up before it is created, so a second run creates nothing and a partial demo
is completed. Writes are bulk inserts, including the through tables of the many-to-many fields.
"""

import re
from dataclasses import dataclass, replace
from datetime import time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from advisors.enums import AccessMode, AdvisorRole, MembershipRole, MembershipStatus, PositionSource
from advisors.models import (
    Advisor,
    Cohort,
    Language,
    Lieu,
    LieuClosure,
    Membership,
    OpeningSlot,
    Permanence,
    Structure,
    User,
)
from advisors.services.network import advisor_search_text
from advisors.validators import luhn_ok
from demo.content import LOIRE, ProfileSpec
from skills.models import Domain, Public
from territories.models import Commune
from territories.text import normalize

DEMO_DOMAIN = "demo.maillage.fr"


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
    profile: ProfileSpec | None = None


def _known_account(person, profile, role=MembershipRole.MEMBER):
    return DemoAccount(
        email=person["email"],
        first_name=person["first_name"],
        last_name=person["last_name"],
        role=role,
        days_ago=person["joined_days_ago"],
        profile=profile,
    )


# The accounts printed at the end of seed_demo, to log in with.
COORDINATORS = [
    _known_account(person, profile, MembershipRole.COORDINATOR)
    for person, profile in zip(LOIRE.people["coordinators"], LOIRE.coordinator_profiles, strict=True)
]
DEMO_MEMBER = _known_account(LOIRE.people["demo_member"], LOIRE.demo_member_profile)


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


# Opening hours: "Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00".
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
_RULE = re.compile(
    r"^(?P<days>[A-Z][a-z](?:[-,][A-Z][a-z])*) (?P<times>\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)$"
)


def parse_hours(text):
    """``[(weekday, opens, closes), …]`` sorted, from the OSM-like notation of ``lieux.json``."""
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
    structures = {spec.key: spec for spec in LOIRE.structures}
    first_names, last_names = LOIRE.people["first_names"], LOIRE.people["last_names"]

    def placed(account):
        spec = structures[account.profile.structure]
        return replace(
            account,
            structure_name=spec.name,
            commune=communes.get(profile_lieux(spec, account.profile)[0].commune or spec.commune),
        )

    accounts = [placed(account) for account in [*COORDINATORS, DEMO_MEMBER]]
    # Members get their names in the order of the two lists: 40 and 41 names give 1,640 distinct people.
    for index, profile in enumerate(LOIRE.member_profiles):
        first_name, last_name = first_names[index % len(first_names)], last_names[index % len(last_names)]
        account = DemoAccount(
            email=demo_email(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            # Joined the platform over the last year and a half; newcomers when they arrived.
            days_ago=min(profile.arrived_days_ago, 460 - index * 5),
            profile=profile,
        )
        accounts.append(placed(account))

    for index, request in enumerate(LOIRE.pending):
        commune = communes.get(request.commune)
        accounts.append(
            DemoAccount(
                email=demo_email(request.first_name, request.last_name),
                first_name=request.first_name,
                last_name=request.last_name,
                status=MembershipStatus.PENDING,
                structure_name=request.structure.format(de=french_of(commune.name)),
                commune=commune,
                message=request.message,
                days_ago=1 + index * 3,
            )
        )
    return accounts


def profile_lieux(structure_spec, profile):
    """The lieux (specs) where ``profile`` holds its permanences, first one first."""
    return [structure_spec.lieux[item if isinstance(item, int) else item[0]] for item in profile.permanences]


def accounts_ensure(*, accounts, departement, password, report):
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


def cohorts_ensure(*, report):
    """The promos, dated back from today so that the newest one trained this year's newcomers."""
    today = timezone.localdate()
    cohorts = {cohort.slug: cohort for cohort in Cohort.objects.filter(slug__in=[c.slug for c in LOIRE.cohorts])}
    new = []
    for spec in LOIRE.cohorts:
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


def structures_ensure(*, departement, communes, report):
    """``{key: Structure}``; structures are known by their name in the département."""
    specs = LOIRE.structures
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


def lieu_contacts(spec, lieu_spec, position, index):
    """The public contacts of a demo lieu: every accueil has a (fictitious) phone, the structure's main
    lieu an email address, and the lieux taking appointments online a booking link."""
    online = AccessMode.ONLINE_BOOKING in lieu_spec.access
    return {
        "public_phone": demo_phone(50, index),
        "public_email": f"accueil.{spec.key}@{DEMO_DOMAIN}" if position == 0 and not lieu_spec.itinerant else "",
        "booking_url": f"https://www.{spec.key}.example/rendez-vous/" if online else "",
    }


def lieux_ensure(*, structures, communes, report):
    """``{key: [Lieu, …]}`` in the order of each structure's specs; lieux are known by structure and name."""
    found = {(lieu.structure_id, lieu.name): lieu for lieu in Lieu.objects.filter(structure__in=structures.values())}
    result, new, slots = {}, [], []
    index = 0
    for spec in LOIRE.structures:
        structure = structures[spec.key]
        result[spec.key] = []
        for position, lieu_spec in enumerate(spec.lieux):
            index += 1
            lieu = found.get((structure.pk, lieu_spec.name))
            if lieu is None:
                commune = communes.get(lieu_spec.commune) if lieu_spec.commune else structure.commune
                # A position typed from the address, for the few lieux whose address we can place
                # (and only in the real commune: not in the fallback of a test with three communes).
                typed = bool(lieu_spec.position) and commune.code == (lieu_spec.commune or spec.commune)
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
                    **lieu_contacts(spec, lieu_spec, position, index),
                )
                if typed:
                    lieu.latitude, lieu.longitude = lieu_spec.position
                    lieu.position_source = PositionSource.TYPED
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


def closures_ensure(*, lieux, report):
    """The exceptional closures of ``lieux.json``, dated from today: one that is not over yet is
    kept, one that is over is followed by the next (a demo built long ago gets this year's)."""
    today = timezone.localdate()
    by_spec = [
        (lieu, closure)
        for spec in LOIRE.structures
        for lieu, lieu_spec in zip(lieux[spec.key], spec.lieux, strict=True)
        for closure in lieu_spec.closures
    ]
    ahead = set(
        LieuClosure.objects.filter(lieu__in=[lieu for lieu, _ in by_spec], ends_on__gte=today).values_list(
            "lieu", "reason"
        )
    )
    new = []
    for lieu, closure in by_spec:
        if (lieu.pk, closure.reason) not in ahead:
            starts_on, ends_on = closure.dates(today)
            new.append(LieuClosure(lieu=lieu, starts_on=starts_on, ends_on=ends_on, reason=closure.reason))
    LieuClosure.objects.bulk_create(new)
    report.directory["closures"] = len(new)


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


def profiles_ensure(*, accounts, users, departement, structures, lieux, cohorts, communes, report):
    """A complete profile for every active demo account that has none (pending ones get theirs on approval)."""
    structure_specs = {spec.key: spec for spec in LOIRE.structures}
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
