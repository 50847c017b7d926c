"""National volumes for measurements: the network of every département that ``manage.py seed_national``
generates (see ``bench/README.md``).

About 25,000 advisors, 8,000 structures, 15,000 lieux and 360,000 skill levels at ``scale=1``, each
département receiving its share of the national population (the sum of its communes'). Everything is
made up but shaped like the field: structures of every kind placed in real communes, perimeters from
one commune to a real EPCI or a whole département, several lieux per structure with their opening
hours, permanences, promos, a mix of visibilities, newcomers, pending requests, project cards.

Each département draws from its own random generator (``seed`` and its code), so the Loire is the same
whether it is generated alone or with all of France. Writes are bulk inserts in batches, through tables
included, and fill the denormalised columns the app reads (``Advisor.search_text`` through
``advisor_search_text``, ``Structure.search_text`` through ``StructureQuerySet.bulk_create``,
``departement`` of structures and lieux). Every account and structure uses the ``national.maillage.test``
domain and every promo a ``national-`` slug: that is how a second run finds them and ``--reset``
deletes them.
"""

import bisect
import contextlib
import itertools
import random
import secrets
import zoneinfo
from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.text import slugify

from advisors.enums import (
    AccessMode,
    AdvisorRole,
    Dispositif,
    Fees,
    MembershipRole,
    MembershipStatus,
    PositionSource,
    StructureKind,
    SupportMode,
    Visibility,
)
from advisors.models import (
    Advisor,
    AdvisorCommune,
    Cohort,
    Language,
    Lieu,
    LieuClosure,
    LieuCommune,
    Membership,
    OpeningSlot,
    Permanence,
    Structure,
    User,
)
from advisors.services.network import advisor_search_text
from advisors.services.serving import serving_rebuild
from animation.enums import (
    ChannelAccess,
    ChannelPlatform,
    LetterStatus,
    PartnerKind,
    PartnerScope,
    PartnerStatus,
    WebhookState,
)
from animation.models import (
    Announcement,
    Channel,
    Departure,
    Letter,
    LetterDelivery,
    Partner,
    PartnerAcquaintance,
    ProfileReminder,
)
from animation.queries.letters import _events as letter_events
from animation.queries.letters import _newcomers as letter_newcomers
from animation.queries.letters import _resources as letter_resources
from animation.queries.letters import _skills as letter_skills
from animation.queries.letters import departement_today, letter_since
from animation.receivers import advisor_deleted, membership_deleted
from animation.services.letters import default_subject
from demo.network import french_of, luhn_complete, overlaps, parse_hours
from events.enums import (
    Audience,
    EventKind,
    EventMode,
    EventScope,
    EventStatus,
    EventVisibility,
    OrganiserRole,
    OrganiserStatus,
    RegistrationStatus,
)
from events.models import AnimatorSignup, Event, Organiser, Registration, Slot
from orientations.enums import OrientationStatus, TimeOfDay
from orientations.models import Orientation
from resources.enums import Licence, ResourceKind, ResourceScope, ResourceStatus, ResourceVisibility
from resources.models import Resource, ResourceComment, ResourceReport, ResourceUseful, ResourceVersion
from skills.enums import SkillLevel
from skills.models import AdvisorSkill, Domain, ProjectCard, ProjectInterest, Public, Skill
from territories.french import of_departement
from territories.models import Commune, Departement
from territories.text import normalize

NATIONAL_DOMAIN = "national.maillage.test"
COHORT_PREFIX = "national-"

# The volumes of issue 9 at scale 1, for all of France.
ADVISORS = 25_000
STRUCTURES_PER_ADVISOR = 8_000 / 25_000
LEVELS_PER_ADVISOR = 360_000 / 25_000
PENDING_PER_ADVISOR = 0.04
ADVISORS_PER_CARD = 25
# Population of France in the vendored extract (data/, COG 2026): a département's share does not
# depend on which others are loaded, so a test on two départements gets their national volumes.
FRANCE_POPULATION = 68_350_798

# The accounts the benchmark logs in with, in the Loire when it is generated (else the first département).
BENCH_DEPARTEMENT = "42"
BENCH_MEMBER = f"bench-membre@{NATIONAL_DOMAIN}"
BENCH_COORDINATOR = f"bench-coord@{NATIONAL_DOMAIN}"

BATCH = 2_000

FIRST_NAMES = (
    "Camille Léa Manon Chloé Emma Inès Sarah Lina Jade Louise Zoé Alice Nadia Sophie Claire Julie Aurélie "
    "Émilie Céline Sandrine Nathalie Isabelle Fatima Yasmine Amina Mélanie Laure Hélène Agathe Maëlle "
    "Lucas Hugo Louis Gabriel Jules Adam Nathan Thomas Julien Nicolas Karim Mehdi Youssef Samir Antoine "
    "Pierre Mathieu Romain Sébastien Olivier Laurent Christophe Frédéric David Éric Stéphane Bruno Yann "
    "Kévin Florian Maxime Théo Malik Moussa Ibrahim Dominique Claude Sacha Alix Morgan"
).split()
LAST_NAMES = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy "
    "Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller "
    "Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia "
    "Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont "
    "Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard "
    "Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre "
    "Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet "
    "Hoarau Grondin Benali Haddad Nguyen Diallo Traoré Ferreira Da Silva Kowalski Le Gall Le Goff Etcheverry"
).split()
STREETS = (
    "rue de la République",
    "place de la Mairie",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "rue du Marché",
    "boulevard Gambetta",
    "rue de la Gare",
    "place de l’Église",
    "rue Pasteur",
    "allée des Tilleuls",
    "rue Jules-Ferry",
    "chemin des Écoliers",
)
QUARTERS = ("Centre", "Nord", "Sud", "Est", "Ouest", "Gare", "Les Tilleuls", "Les Acacias", "Le Plateau", "La Source")

# Kinds of structure by how common they are among the places of médiation numérique.
KIND_WEIGHTS = {
    StructureKind.ASSOCIATION: 22,
    StructureKind.MEDIATHEQUE: 14,
    StructureKind.COMMUNE: 12,
    StructureKind.FRANCE_SERVICES: 12,
    StructureKind.CENTRE_SOCIAL: 9,
    StructureKind.CCAS: 8,
    StructureKind.EPN: 6,
    StructureKind.EPCI: 5,
    StructureKind.TIERS_LIEU: 5,
    StructureKind.MJC: 3,
    StructureKind.FABLAB: 2,
    StructureKind.PIMMS: 1.5,
    StructureKind.OTHER: 2,
}
ASSOCIATIONS = (
    "Les Connecteurs",
    "Association Clic’Partage",
    "Numérique solidaire",
    "Entraide numérique",
    "Association Passerelle numérique",
    "Les Petits Débrouillards",
    "Lien numérique",
)
REGISTERED = {StructureKind.ASSOCIATION, StructureKind.TIERS_LIEU}
TIERS_LIEUX = ("La Fabrique", "Le Hub", "La Coopérative", "L’Atelier partagé")


def _kind_name(kind, commune_name, rng):
    de = french_of(commune_name)
    return {
        StructureKind.ASSOCIATION: f"{rng.choice(ASSOCIATIONS)} {de}",
        StructureKind.MEDIATHEQUE: f"{rng.choice(('Médiathèque', 'Bibliothèque municipale'))} {de}",
        StructureKind.COMMUNE: f"Mairie {de}",
        StructureKind.FRANCE_SERVICES: f"France Services {de}",
        StructureKind.CENTRE_SOCIAL: f"Centre social {de}",
        StructureKind.CCAS: f"CCAS {de}",
        StructureKind.EPN: f"Espace public numérique {de}",
        StructureKind.TIERS_LIEU: f"{rng.choice(TIERS_LIEUX)} {de}",
        StructureKind.MJC: f"MJC {de}",
        StructureKind.FABLAB: f"Fablab {de}",
        StructureKind.PIMMS: f"PIMMS Médiation {de}",
        StructureKind.OTHER: f"Point numérique {de}",
    }[kind]


# Opening hours of lieux, in the notation of demo/data (about six slots a week on average).
HOURS = (
    "Mo-Fr 09:00-12:00,14:00-17:30",
    "Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00",
    "Mo,We,Fr 09:00-12:30",
    "Tu,Th 14:00-18:00",
    "Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00",
    "We 10:00-12:00,14:00-18:00; Sa 10:00-17:00",
    "Mo-Fr 13:30-17:30",
    "Tu-Sa 10:00-12:30,14:00-18:30",
)
SLOTS = tuple(parse_hours(hours) for hours in HOURS)

# Regional languages spoken in some départements, besides the usual foreign ones.
REGIONAL_LANGUAGES = {
    "971": "gcf",
    "972": "gcf",
    "973": "gcr",
    "974": "rcf",
    "976": "swb",
    "22": "br",
    "29": "br",
    "56": "br",
    "2A": "co",
    "2B": "co",
    "64": "eu",
    "66": "ca",
    "67": "gsw",
    "68": "gsw",
    "31": "oc",
    "34": "oc",
}
FOREIGN_LANGUAGES = ("en", "en", "en", "es", "es", "ar", "pt", "it", "de", "lsf", "tr", "ro", "uk", "ru", "zh", "wo")

BIOS = (
    "J’accompagne les habitants {de} dans leurs démarches en ligne et l’usage de leur smartphone.",
    "Ateliers collectifs et rendez-vous individuels à {structure} : e-mail, ANTS, France Travail, Ameli.",
    "Médiatrice ou médiateur numérique {de}, j’anime des ateliers pour les seniors et les familles.",
    "Permanences à {structure} ; je travaille aussi avec les travailleurs sociaux du secteur.",
    "Je forme aux bases de l’ordinateur et à la sécurité en ligne, en individuel comme en groupe.",
    "",
)
NOTES = ("ateliers chaque mardi", "sur rendez-vous", "en binôme avec le CCAS", "formation suivie en 2025")
PENDING_MESSAGES = (
    "Bonjour, je viens de prendre mon poste et souhaite rejoindre le réseau.",
    "Conseillère numérique depuis peu, j’aimerais connaître les collègues du secteur.",
    "",
)
CARDS = (
    ("Un café numérique pour les seniors", "Un rendez-vous mensuel convivial pour lever les freins."),
    ("Ateliers parents-enfants sur les écrans", "Des séances courtes le mercredi, avec la PMI du quartier."),
    ("Un kit commun de fiches pratiques", "Mutualiser nos fiches ANTS, Ameli et CAF plutôt que les refaire."),
    ("Reconditionner des ordinateurs", "Collecter le matériel des entreprises et l’équiper pour les familles."),
    ("Former les agents d’accueil", "Une demi-journée pour repérer et orienter les personnes éloignées."),
    ("Un bus numérique itinérant", "Aller dans les villages sans lieu de médiation, un jour par semaine."),
    ("Initiation à l’intelligence artificielle", "Comprendre ce que font les assistants et leurs limites."),
)
TRAINING_BODIES = ("Simplon", "Emmaüs Connect", "Afpa", "La Croix-Rouge française", "WeTechCare", "Pop School")


@dataclass
class NationalReport:
    departements: int = 0
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    bench_departement: str = ""


def national_data_exists():
    return User.objects.filter(email__endswith=f"@{NATIONAL_DOMAIN}").exists()


# The receivers that would record a departure for each deleted membership, and look for each deleted profile
# in the letters (25,000 queries): the generated network leaves no trace, and its letters go before its profiles.
_MUTED = (
    (Membership, "animation_membership_departure", membership_deleted),
    (Advisor, "animation_letters_profile_deleted", advisor_deleted),
)


@contextlib.contextmanager
def _receivers_muted():
    for sender, uid, _ in _MUTED:
        post_delete.disconnect(sender=sender, dispatch_uid=uid)
    try:
        yield
    finally:
        for sender, uid, function in _MUTED:
            post_delete.connect(function, sender=sender, dispatch_uid=uid)


@transaction.atomic
def national_data_delete():
    """Delete what ``national_network_create`` made (known by its domain and promo slugs): leaves
    first, so that each delete is one statement rather than a cascade collected in Python.
    Returns how many rows went."""
    users = User.objects.filter(email__endswith=f"@{NATIONAL_DOMAIN}")
    advisors = Advisor.objects.filter(user__in=users)
    structures = Structure.objects.filter(email__endswith=f"@{NATIONAL_DOMAIN}")
    partners = Partner.objects.filter(contact_email__endswith=f"@{NATIONAL_DOMAIN}")
    channels = Channel.objects.filter(join_url__contains=f".{NATIONAL_DOMAIN}/")
    letters = Letter.objects.filter(created_by__in=users)
    deleted = 0
    with _receivers_muted():
        for queryset in _national_querysets(users, advisors, structures, partners, channels, letters):
            deleted += queryset.delete()[0]
    return deleted


def _national_querysets(users, advisors, structures, partners, channels, letters):
    events = Event.objects.filter(created_by__in=users)
    resources = Resource.objects.filter(created_by__in=users)
    return (
        LetterDelivery.objects.filter(letter__in=letters),
        LetterDelivery.objects.filter(user__in=users),
        letters,
        PartnerAcquaintance.objects.filter(partner__in=partners),
        PartnerAcquaintance.objects.filter(advisor__in=advisors),
        partners,
        Channel.skills.through.objects.filter(channel__in=channels),
        Channel.publics.through.objects.filter(channel__in=channels),
        Announcement.objects.filter(channel__in=channels),
        channels.exclude(parent=None),
        channels,
        ProfileReminder.objects.filter(advisor__in=advisors),
        Departure.objects.filter(pk__in=_marked_departures()),
        Orientation.objects.filter(sender__in=users),
        Orientation.objects.filter(receiver_lieu__structure__in=structures),
        Orientation.objects.filter(receiver_advisor__in=advisors),
        LieuClosure.objects.filter(lieu__structure__in=structures),
        Resource.authors.through.objects.filter(resource__in=resources),
        Resource.authors.through.objects.filter(advisor__in=advisors),
        Resource.skills.through.objects.filter(resource__in=resources),
        Resource.publics.through.objects.filter(resource__in=resources),
        ResourceVersion.objects.filter(resource__in=resources),
        ResourceUseful.objects.filter(resource__in=resources),
        ResourceComment.objects.filter(resource__in=resources),
        ResourceReport.objects.filter(resource__in=resources),
        resources,
        Registration.objects.filter(event__in=events),
        Registration.objects.filter(user__in=users),
        AnimatorSignup.objects.filter(advisor__in=advisors),
        Slot.objects.filter(event__in=events),
        Organiser.objects.filter(event__in=events),
        Organiser.objects.filter(advisor__in=advisors),
        events,
        ProjectInterest.objects.filter(advisor__in=advisors),
        ProjectInterest.objects.filter(card__author__in=advisors),
        ProjectCard.skills.through.objects.filter(projectcard__author__in=advisors),
        ProjectCard.objects.filter(author__in=advisors),
        AdvisorSkill.objects.filter(advisor__in=advisors),
        Permanence.objects.filter(advisor__in=advisors),
        Advisor.languages.through.objects.filter(advisor__in=advisors),
        Advisor.publics.through.objects.filter(advisor__in=advisors),
        Advisor.intervention_communes.through.objects.filter(advisor__in=advisors),
        advisors,
        Membership.objects.filter(user__in=users),
        EmailAddress.objects.filter(user__in=users),
        users,
        OpeningSlot.objects.filter(lieu__structure__in=structures),
        Permanence.objects.filter(lieu__structure__in=structures),
        Lieu.objects.filter(structure__in=structures),
        Structure.services.through.objects.filter(structure__in=structures),
        Structure.publics.through.objects.filter(structure__in=structures),
        Structure.perimeter.through.objects.filter(structure__in=structures),
        structures,
        Cohort.objects.filter(slug__startswith=COHORT_PREFIX),
    )


def departement_targets(*, population, scale):
    """``(advisors, coordinators)`` of a département of ``population`` inhabitants at ``scale``.

    One to three coordinators by size, and always at least one member besides them."""
    coordinators = 1 if population < 400_000 else 2 if population < 1_200_000 else 3
    advisors = round(ADVISORS * scale * population / FRANCE_POPULATION)
    return max(advisors, coordinators + 1), coordinators


class _Weighted:
    """``rng.choices`` with the cumulative weights computed once (the lists are drawn from thousands of times)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _siret(departement_code, index):
    """A made-up SIRET whose SIREN and SIRET both pass the Luhn check, unique per (département, index)."""
    code = {"2A": "201", "2B": "202"}.get(departement_code, departement_code.zfill(3))
    return luhn_complete(luhn_complete(f"7{code}{index:04d}") + "0001")


def _fiction_phone(rng):
    # 01 99 00 xx xx: a range the ARCEP keeps for fiction, never someone's line.
    return f"01 99 00 {rng.randrange(100):02d} {rng.randrange(100):02d}"


class _Context:
    """What every département shares: the communes by EPCI, the vocabularies, the promos, the hash."""

    def __init__(self, *, seed, password):
        self.seed = seed
        self.password_hash = make_password(password)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.epci_communes = defaultdict(list)
        self.departement_of = {}
        self.points = {}
        for code, departement, epci, lat, lon in Commune.objects.order_by("code").values_list(
            "code", "departement", "epci", "latitude", "longitude"
        ):
            self.departement_of[code] = departement
            self.points[code] = (lat, lon)
            if epci:
                self.epci_communes[epci].append(code)
        self.domains = list(Domain.objects.order_by("position", "slug"))
        self.publics = list(Public.objects.order_by("position", "slug").values_list("pk", flat=True))
        self.languages = set(Language.objects.values_list("code", flat=True))
        self.skills = list(Skill.objects.validated().select_related("domain").order_by("slug"))
        rng = random.Random(f"{seed}:skills")
        # Some thématiques are far more common than others (e-mail more than justice).
        self.popularity = {skill.pk: rng.uniform(0.45, 1.55) for skill in self.skills}
        self.cohorts = []


# A membership's columns: written by COPY, like the other rows no one needs the pk of.
_Membership = namedtuple(
    "_Membership", "user departement role status structure_name commune message created_at decided_at decided_by"
)
_MEMBERSHIP_COLUMNS = tuple(
    f"{name}_id" if name in {"user", "departement", "commune", "decided_by"} else name for name in _Membership._fields
)


class _Plan:
    """The rows of every table, built in memory before the inserts."""

    def __init__(self):
        self.users, self.memberships, self.structures, self.lieux, self.slots = [], [], [], [], []
        self.advisors, self.permanences, self.levels, self.cards = [], [], [], []
        self.structure_services, self.structure_publics, self.perimeters = [], [], []
        self.spoken, self.served_publics, self.intervening = [], [], []
        self.card_skills, self.interests = [], []


def _cohorts_create(context):
    """Two promos a year per training body since 2021, dated back from today."""
    rng = random.Random(f"{context.seed}:cohorts")
    existing = set(Cohort.objects.filter(slug__startswith=COHORT_PREFIX).values_list("slug", flat=True))
    cohorts = []
    for year_back in range(5, -1, -1):
        for half in (0, 1):
            for body in TRAINING_BODIES:
                start = context.today - timedelta(days=year_back * 365 + (1 - half) * 182 + rng.randrange(60))
                slug = f"{COHORT_PREFIX}{slugify(body)}-{start:%Y-%m}-{half}"
                cohorts.append(
                    Cohort(
                        slug=slug,
                        name=f"Promo {'CnFS ' if start.year <= 2023 else ''}{start.year} — {body}",
                        training_body=body,
                        start_date=start,
                        end_date=start + timedelta(days=rng.choice((35, 42, 70))),
                    )
                )
    Cohort.objects.bulk_create([cohort for cohort in cohorts if cohort.slug not in existing], batch_size=BATCH)
    context.cohorts = sorted(
        Cohort.objects.filter(slug__startswith=COHORT_PREFIX).exclude(end_date=None), key=lambda c: c.end_date
    )
    return len(cohorts) - len(existing)


def _departement_plan(plan, *, context, departement, communes, advisors_count, coordinators_count, bench):
    """Add to ``plan`` the network of one département: structures, lieux, accounts, profiles, levels, cards."""
    rng = random.Random(f"{context.seed}:{departement.code}")
    # Positions draw from their own generator: the rest of the network is the same with or without them.
    positions = random.Random(f"{context.seed}:{departement.code}:positions")
    code = departement.code
    by_code = {commune.code: commune for commune in communes}
    # People and places gather where people live; a small floor keeps villages in the draw.
    homes = _Weighted(communes, (commune.population + 100 for commune in communes))
    in_departement = [commune.code for commune in communes]

    def epci_of(commune):
        return context.epci_communes.get(commune.epci_id, [commune.code]) if commune.epci_id else [commune.code]

    def few_communes(commune):
        neighbours = [other for other in epci_of(commune) if other != commune.code and other in by_code]
        return [commune.code, *rng.sample(neighbours, min(len(neighbours), rng.randint(2, 8)))]

    # Structures.
    structures_count = max(1, round(advisors_count * STRUCTURES_PER_ADVISOR))
    kinds = _Weighted(KIND_WEIGHTS, KIND_WEIGHTS.values())
    names = set()
    structures = []  # (structure, perimeter codes)
    main = max(communes, key=lambda commune: (commune.population, commune.code))
    for index in range(structures_count):
        if index == 0:
            kind, commune = StructureKind.DEPARTEMENT, main
        else:
            kind, commune = kinds.pick(rng), homes.pick(rng)
            if kind == StructureKind.EPCI and commune.epci_id is None:
                kind = StructureKind.COMMUNE
        if kind == StructureKind.DEPARTEMENT:
            name, perimeter = f"Département — {departement.name}, service de l’inclusion numérique", in_departement
        elif kind == StructureKind.EPCI:
            name, perimeter = f"{commune.epci.name} — espace numérique", epci_of(commune)
        else:
            name = _kind_name(kind, commune.name, rng)
            draw = rng.random()
            if kind in {StructureKind.COMMUNE, StructureKind.CCAS}:
                perimeter = [commune.code]
            elif kind == StructureKind.FRANCE_SERVICES:
                perimeter = epci_of(commune) if draw < 0.5 else few_communes(commune)
            elif draw < 0.55:
                perimeter = [commune.code]
            elif draw < 0.85:
                perimeter = few_communes(commune)
            elif draw < 0.97:
                perimeter = epci_of(commune)
            else:
                perimeter = in_departement
        for quarter in itertools.chain(QUARTERS, (str(n) for n in itertools.count(2))):
            if name not in names:
                break
            name = f"{name.split(' (')[0]} ({quarter})"
        names.add(name)
        services = rng.sample(context.domains[:9], rng.randint(2, 5))
        dispositifs = [Dispositif.CONSEILLERS_NUMERIQUES] if rng.random() < 0.6 else []
        if kind == StructureKind.FRANCE_SERVICES:
            dispositifs.append(Dispositif.FRANCE_SERVICES)
        for dispositif, share in ((Dispositif.AIDANTS_CONNECT, 0.3), (Dispositif.PIX, 0.1)):
            if rng.random() < share:
                dispositifs.append(dispositif)
        key = slugify(name)[:40]
        structure = Structure(
            name=name,
            kind=kind,
            # Associations have a SIRET; public bodies seldom give one.
            siret=_siret(code, index) if kind in REGISTERED or rng.random() < 0.2 else "",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            commune_id=commune.code,
            departement_id=code,
            website=f"https://{key}.example/" if rng.random() < 0.6 else "",
            email=f"{key}-{code.lower()}-{index}@{NATIONAL_DOMAIN}",
            phone=_fiction_phone(rng) if rng.random() < 0.7 else "",
            presentation=f"{name} accompagne les habitants {french_of(commune.name)} vers l’autonomie numérique.",
            dispositifs=dispositifs,
        )
        structure.service_slugs = {domain.slug for domain in services}
        structures.append(structure)
        plan.structures.append(structure)
        plan.structure_services.extend((structure, domain.pk) for domain in services)
        plan.structure_publics.extend((structure, pk) for pk in rng.sample(context.publics, rng.randint(0, 4)))
        plan.perimeters.extend((structure, commune_code) for commune_code in perimeter)

        # Lieux: the structure's own, then antennas in its perimeter.
        lieux_count = rng.choices((1, 2, 3, 4, 5), (53, 29, 11, 4, 3))[0]
        if kind in {StructureKind.DEPARTEMENT, StructureKind.EPCI}:
            lieux_count += 2
        elsewhere = [other for other in perimeter if other != commune.code]
        structure.national_lieux = []
        for number in range(lieux_count):
            lieu_commune = commune.code if number == 0 or not elsewhere else rng.choice(elsewhere)
            itinerant = number > 0 and rng.random() < 0.05
            lieu = Lieu(
                structure=structure,
                name=name if number == 0 else f"{name} — antenne {number}",
                address=f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
                commune_id=lieu_commune,
                # An antenna in another département's commune (an EPCI across the border) counts there.
                departement_id=context.departement_of[lieu_commune],
                access_modes=rng.sample(list(AccessMode.values), rng.randint(1, 4)),
                support_modes=rng.sample(list(SupportMode.values), rng.randint(1, 3)),
                fees=rng.choices(list(Fees.values), (85, 10, 5))[0],
                reduced_mobility_access=rng.random() < 0.7,
                itinerant=itinerant,
                hours_note="sur rendez-vous" if itinerant else "",
            )
            _lieu_place(lieu, by_code.get(lieu_commune), context.points.get(lieu_commune), positions)
            lieu.slot_list = [] if itinerant else SLOTS[rng.randrange(len(SLOTS))]
            plan.lieux.append(lieu)
            plan.slots.extend((lieu, *slot) for slot in lieu.slot_list)
            structure.national_lieux.append(lieu)

    # Advisors: a few structures employ many, most one to three.
    employers = _Weighted(
        structures,
        (
            min(rng.paretovariate(1.6), 12) * (1.5 if structure.kind == StructureKind.FRANCE_SERVICES else 1)
            for structure in structures
        ),
    )
    roles = _Weighted(
        [AdvisorRole.CONSEILLER, AdvisorRole.MEDIATEUR, AdvisorRole.AIDANT, AdvisorRole.OTHER], (60, 25, 10, 5)
    )
    visibilities = _Weighted([Visibility.PUBLIC, Visibility.NETWORK, Visibility.COORDINATORS], (30, 60, 10))
    regional = REGIONAL_LANGUAGES.get(code)
    coordinators = []
    for index in range(advisors_count):
        coordinator = index < coordinators_count
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{slugify(first_name)}.{slugify(last_name)}.{code.lower()}-{index}@{NATIONAL_DOMAIN}"
        if bench and index == 0:
            email = BENCH_COORDINATOR
        elif bench and index == coordinators_count:
            email = BENCH_MEMBER
        newcomer = not coordinator and rng.random() < 0.12
        arrived_days_ago = rng.randint(0, 180) if newcomer else rng.randint(181, 2_200)
        joined_days_ago = min(arrived_days_ago, rng.randint(0, 700))
        user = User(
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=context.password_hash,
            date_joined=context.now - timedelta(days=joined_days_ago + 1),
            last_login=context.now - timedelta(days=rng.randint(0, 30)) if rng.random() < 0.7 else None,
        )
        plan.users.append(user)

        structure = structures[0] if index == 0 else None if rng.random() < 0.04 else employers.pick(rng)
        # Permanences: one to three of the structure's lieux, one opening of each, never overlapping.
        permanences = []
        if structure is not None:
            wanted = min(len(structure.national_lieux), rng.choices((1, 2, 3), (70, 25, 5))[0])
            for lieu in rng.sample(structure.national_lieux, wanted):
                free = [slot for slot in lieu.slot_list if not overlaps(slot, [p[1] for p in permanences])]
                if free:
                    permanences.append((lieu, rng.choice(free)))
        if permanences and permanences[0][0].commune_id in by_code:
            commune = by_code[permanences[0][0].commune_id]
        elif structure is not None:
            commune = by_code[structure.commune_id]
        else:
            commune = homes.pick(rng)
        role = AdvisorRole.COORDINATEUR if coordinator else roles.pick(rng)
        arrival = context.today - timedelta(days=arrived_days_ago)
        trained = [cohort for cohort in context.cohorts if cohort.end_date <= arrival][-4:]
        bio = rng.choice(BIOS)
        bio = (
            ""
            if structure is None and "{structure}" in bio
            else bio.format(de=french_of(commune.name), structure=structure.name if structure else "")
        )
        advisor = Advisor(
            user=user,
            departement_id=code,
            role=role,
            structure=structure,
            commune_id=commune.code,
            cohort=rng.choice(trained)
            if trained and role in {AdvisorRole.CONSEILLER, AdvisorRole.MEDIATEUR} and rng.random() < 0.75
            else None,
            arrival_date=arrival,
            bio=bio,
            contact_email=email if rng.random() < 0.8 else "",
            phone=_fiction_phone(rng) if rng.random() < 0.35 else "",
            mattermost=f"{slugify(first_name)}.{slugify(last_name)}" if rng.random() < 0.2 else "",
            available_for_co_animation=rng.random() < 0.3,
            visibility=Visibility.PUBLIC if coordinator else visibilities.pick(rng),
        )
        plan.advisors.append(advisor)
        plan.permanences.extend((advisor, lieu, *slot) for lieu, slot in permanences)
        spoken = ["fr"]
        if regional and rng.random() < 0.2:
            spoken.append(regional)
        if rng.random() < 0.3:
            spoken.append(rng.choice(FOREIGN_LANGUAGES))
        plan.spoken.extend((advisor, language) for language in dict.fromkeys(spoken) if language in context.languages)
        if rng.random() < 0.4:
            plan.served_publics.extend((advisor, pk) for pk in rng.sample(context.publics, rng.randint(1, 3)))
        draw = rng.random()
        if draw < 0.08 and commune.epci_id:
            intervention = [other for other in epci_of(commune) if other in by_code][:40]
        elif draw < 0.2:
            intervention = few_communes(commune)
        else:
            intervention = []
        plan.intervening.extend((advisor, commune_code) for commune_code in intervention)
        _levels_add(plan, context=context, rng=rng, advisor=advisor, structure=structure, newcomer=newcomer)

        decided_by = coordinators[0] if coordinators else None
        plan.memberships.append(
            _Membership(
                user=user,
                departement=code,
                role=MembershipRole.COORDINATOR if coordinator else MembershipRole.MEMBER,
                status=MembershipStatus.ACTIVE,
                structure_name=structure.name if structure else "",
                commune=commune.code,
                message="",
                created_at=user.date_joined,
                decided_at=user.date_joined + timedelta(days=rng.randint(0, 6)),
                decided_by=None if coordinator else decided_by,
            )
        )
        if coordinator:
            coordinators.append(user)

    # Requests waiting for the coordination: accounts without a profile yet.
    for index in range(max(1, round(advisors_count * PENDING_PER_ADVISOR))):
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        commune = homes.pick(rng)
        user = User(
            email=f"{slugify(first_name)}.{slugify(last_name)}.{code.lower()}-attente-{index}@{NATIONAL_DOMAIN}",
            first_name=first_name,
            last_name=last_name,
            password=context.password_hash,
            date_joined=context.now - timedelta(days=rng.randint(1, 40)),
        )
        plan.users.append(user)
        plan.memberships.append(
            _Membership(
                user=user,
                departement=code,
                role=MembershipRole.MEMBER,
                status=MembershipStatus.PENDING,
                structure_name=employers.pick(rng).name if rng.random() < 0.7 else f"Mairie {french_of(commune.name)}",
                commune=commune.code,
                message=rng.choice(PENDING_MESSAGES),
                created_at=user.date_joined,
                decided_at=None,
                decided_by=None,
            )
        )

    # Project cards, and the colleagues of the département they speak to.
    profiles = plan.advisors[-advisors_count:]
    for _ in range(max(1, round(advisors_count / ADVISORS_PER_CARD))):
        title, body = rng.choice(CARDS)
        author = rng.choice(profiles)
        card = ProjectCard(author=author, departement_id=code, title=title, body=body)
        plan.cards.append(card)
        plan.card_skills.extend((card, skill.pk) for skill in rng.sample(context.skills, rng.randint(1, 3)))
        others = [profile for profile in profiles if profile is not author]
        plan.interests.extend((card, advisor) for advisor in rng.sample(others, min(len(others), rng.randint(0, 6))))


def _lieu_place(lieu, commune, point, rng):
    """Three lieux in four at their geocoded address, a few hundred metres to two kilometres from their
    commune's point; the others at the commune's point (``Lieu.objects.bulk_create`` puts them there
    from ``commune``, already in hand: no query per lieu)."""
    if commune is not None and (rng.random() < 0.25 or point is None or point[0] is None):
        lieu.commune = commune
        return
    if point is None or point[0] is None:  # one of the few communes without a point, across the border
        return
    lat, lon = point
    lieu.latitude = round(lat + rng.uniform(-0.015, 0.015), 5)
    lieu.longitude = round(lon + rng.uniform(-0.02, 0.02), 5)
    lieu.position_source = PositionSource.ADDRESS


def _levels_add(plan, *, context, rng, advisor, structure, newcomer):
    """About 14 levels for each advisor, likelier in the domains their structure serves and in the
    advisors' own craft; newcomers want to learn more than they master."""
    services = structure.service_slugs if structure else set()
    for skill in context.skills:
        relevant = skill.domain.slug in services or skill.domain.kind == "metier"
        chance = (0.6 if relevant else 0.33) * context.popularity[skill.pk]
        if rng.random() >= chance:
            continue
        master, practice = (0.15, 0.45) if newcomer else (0.38, 0.8) if relevant else (0.18, 0.62)
        draw = rng.random()
        level = SkillLevel.MASTER if draw < master else SkillLevel.PRACTICE if draw < practice else SkillLevel.LEARN
        plan.levels.append((advisor, skill.pk, level, rng.choice(NOTES) if rng.random() < 0.02 else ""))


def _copy(model, columns, rows):
    """Write ``rows`` (tuples of plain values, in the order of ``columns``) into ``model``'s table.

    COPY on PostgreSQL: these are the hundreds of thousands of rows no one needs the pk of, and
    COPY writes them about ten times faster than ``bulk_create``, which serves elsewhere."""
    rows = list(rows)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        model.objects.bulk_create((model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=BATCH)
    return len(rows)


def _through(manager, left, right, rows):
    return _copy(manager.through, (left, right), ((owner.pk, value) for owner, value in rows))


@transaction.atomic
def national_network_create(*, departements, scale, seed, password):
    """Generate the network of each of ``departements`` (with their communes loaded) at ``scale``.

    The caller checks that no national data is there yet (``national_data_exists``). Returns a
    ``NationalReport`` with the rows created by table.
    """
    report = NationalReport(departements=len(departements))
    context = _Context(seed=seed, password=password)
    counts = report.counts
    counts["promos"] = _cohorts_create(context)

    codes = [departement.code for departement in departements]
    report.bench_departement = BENCH_DEPARTEMENT if BENCH_DEPARTEMENT in codes else codes[0]
    communes_of = defaultdict(list)
    for commune in Commune.objects.filter(departement__in=codes).select_related("epci").order_by("code"):
        communes_of[commune.departement_id].append(commune)

    plan = _Plan()
    for departement in departements:
        communes = communes_of[departement.code]
        advisors_count, coordinators_count = departement_targets(
            population=sum(commune.population for commune in communes), scale=scale
        )
        _departement_plan(
            plan,
            context=context,
            departement=departement,
            communes=communes,
            advisors_count=advisors_count,
            coordinators_count=coordinators_count,
            bench=departement.code == report.bench_departement,
        )

    # A made-up SIRET that someone registered for real stays theirs.
    taken = set(Structure.objects.exclude(siret="").values_list("siret", flat=True))
    for structure in plan.structures:
        if structure.siret in taken:
            structure.siret = ""

    User.objects.bulk_create(plan.users, batch_size=BATCH)
    _copy(
        EmailAddress,
        ("user_id", "email", "verified", "primary"),
        ((user.pk, user.email, True, True) for user in plan.users),
    )
    Structure.objects.bulk_create(plan.structures, batch_size=BATCH)
    counts["structure_services"] = _through(Structure.services, "structure_id", "domain_id", plan.structure_services)
    counts["structure_publics"] = _through(Structure.publics, "structure_id", "public_id", plan.structure_publics)
    counts["perimeters"] = _through(Structure.perimeter, "structure_id", "commune_id", plan.perimeters)
    Lieu.objects.bulk_create(plan.lieux, batch_size=BATCH)
    _copy(
        OpeningSlot,
        ("lieu_id", "weekday", "opens", "closes"),
        ((lieu.pk, day, opens, closes) for lieu, day, opens, closes in plan.slots),
    )
    _copy(
        Membership,
        _MEMBERSHIP_COLUMNS,
        (
            membership._replace(user=membership.user.pk, decided_by=getattr(membership.decided_by, "pk", None))
            for membership in plan.memberships
        ),
    )
    for advisor in plan.advisors:
        # The structures have their pk now: the directory's search column names them.
        advisor.structure_id = advisor.structure.pk if advisor.structure else None
        advisor.search_text = advisor_search_text(advisor)  # from the objects in hand: no query
    Advisor.objects.bulk_create(plan.advisors, batch_size=BATCH)
    _copy(
        Permanence,
        ("advisor_id", "lieu_id", "weekday", "opens", "closes"),
        ((advisor.pk, lieu.pk, day, opens, closes) for advisor, lieu, day, opens, closes in plan.permanences),
    )
    counts["languages"] = _through(Advisor.languages, "advisor_id", "language_id", plan.spoken)
    counts["publics"] = _through(Advisor.publics, "advisor_id", "public_id", plan.served_publics)
    counts["intervention_communes"] = _through(
        Advisor.intervention_communes, "advisor_id", "commune_id", plan.intervening
    )
    _copy(
        AdvisorSkill,
        ("advisor_id", "skill_id", "level", "note", "updated_at"),
        ((advisor.pk, skill, level, note, context.now) for advisor, skill, level, note in plan.levels),
    )
    ProjectCard.objects.bulk_create(plan.cards, batch_size=BATCH)
    counts["card_skills"] = _through(ProjectCard.skills, "projectcard_id", "skill_id", plan.card_skills)
    _copy(
        ProjectInterest,
        ("card_id", "advisor_id", "created_at"),
        ((card.pk, advisor.pk, context.now) for card, advisor in plan.interests),
    )

    counts.update(
        _events_create(
            context=context,
            advisors=plan.advisors,
            communes_of=communes_of,
            timezones={departement.code: departement.timezone for departement in departements},
        )
    )
    counts.update(_resources_create(context=context, advisors=plan.advisors, communes_of=communes_of))
    counts["closures"] = _closures_create(context=context, lieux=plan.lieux)
    counts["orientations"] = _orientations_create(
        context=context, advisors=plan.advisors, lieux=plan.lieux, communes_of=communes_of
    )
    counts.update(national_life_create(seed=seed, departements=codes))
    counts.update(
        users=len(plan.users),
        memberships=len(plan.memberships),
        pending=sum(1 for membership in plan.memberships if membership.status == MembershipStatus.PENDING),
        coordinators=sum(1 for membership in plan.memberships if membership.role == MembershipRole.COORDINATOR),
        structures=len(plan.structures),
        lieux=len(plan.lieux),
        slots=len(plan.slots),
        advisors=len(plan.advisors),
        newcomers=sum(1 for advisor in plan.advisors if advisor.arrival_date >= context.today - timedelta(days=180)),
        permanences=len(plan.permanences),
        levels=len(plan.levels),
        cards=len(plan.cards),
        interests=len(plan.interests),
    )
    # Written in bulk, around the services: what each profile and lieu serves is computed once here.
    serving_rebuild()
    _analyze()
    return report


CLOSURE_REASONS = ["congés de fin d’année", "travaux", "fermeture estivale", "formation de l’équipe", "pont"]


def _closures_create(*, context, lieux):
    """One lieu in twenty has an exceptional closure: past, current or ahead (a few days to three weeks)."""
    rng = random.Random(f"{context.seed}:closures")
    rows = []
    for lieu in lieux:
        if rng.random() < 0.05:
            starts_on = context.today + timedelta(days=rng.randint(-60, 90))
            ends_on = starts_on + timedelta(days=rng.choice((0, 2, 6, 13, 20)))
            rows.append((lieu.pk, starts_on, ends_on, rng.choice(CLOSURE_REASONS)))
    return _copy(LieuClosure, ("lieu_id", "starts_on", "ends_on", "reason"), rows)


# Per advisor: about 50,000 orientations for France at scale 1, over the last twelve months.
ORIENTATIONS_PER_ADVISOR = 2
ORIENTATION_STATUSES = (
    (OrientationStatus.SENT, 12),
    (OrientationStatus.TAKEN, 60),
    (OrientationStatus.REDIRECTED, 14),
    (OrientationStatus.NO_FOLLOW_UP, 14),
)
FIRST_NAMES = ["Josiane", "Mourad", "Rosa", "Gérard", "Chantal", "Fatou", "Léa", "Jeannine", "Bruno", "Nadia"]


def _orientations_create(*, context, advisors, lieux, communes_of):
    """Orientations between the members of each département, to its advisors and its lieux, spread over
    twelve months; the older ones in their final state and, past the retention period, without personal
    data (as ``erase_orientations`` leaves them). Bulk inserts: the model's defaults apply."""
    services = [domain.pk for domain in context.domains if domain.kind == "service"]
    languages = sorted(context.languages - {"fr"})
    statuses, weights = zip(*ORIENTATION_STATUSES, strict=True)
    retention = timedelta(days=settings.ORIENTATION_RETENTION_DAYS)
    advisors_of, lieux_of = defaultdict(list), defaultdict(list)
    for advisor in advisors:
        advisors_of[advisor.departement_id].append(advisor)
    for lieu in lieux:
        lieux_of[lieu.departement_id].append(lieu)
    rows = []
    for code in sorted(advisors_of):
        rng = random.Random(f"{context.seed}:{code}:orientations")
        members, places, communes = advisors_of[code], lieux_of[code], communes_of[code]
        if len(members) < 2 or not communes:
            continue
        for _ in range(len(members) * ORIENTATIONS_PER_ADVISOR):
            sender = rng.choice(members)
            created_at = context.now - timedelta(minutes=rng.randint(10, 365 * 24 * 60))
            to_lieu = places and rng.random() < 0.4
            receiver = None if to_lieu else rng.choice([m for m in rng.sample(members, 2) if m is not sender])
            lieu = rng.choice(places) if to_lieu else None
            age = context.now - created_at
            status = OrientationStatus.SENT if age < timedelta(days=3) else rng.choices(statuses, weights)[0]
            changed_at = None
            if status != OrientationStatus.SENT:
                changed_at = min(created_at + timedelta(hours=rng.randint(2, 240)), context.now)
            consent = rng.random() < 0.5
            erased = age > retention
            personal = consent and not erased
            rows.append(
                Orientation(
                    departement_id=code,
                    sender_id=sender.user_id,
                    sender_structure_id=sender.structure_id,
                    receiver_advisor=receiver,
                    receiver_lieu=lieu,
                    receiver_structure_id=lieu.structure_id if lieu else receiver.structure_id,
                    domain_id=rng.choice(services) if services else None,
                    commune_id=lieu.commune_id if lieu and rng.random() < 0.6 else rng.choice(communes).code,
                    language_id=rng.choice(languages) if languages and rng.random() < 0.08 else None,
                    free_days=sorted(rng.sample(range(6), rng.randint(0, 3))),
                    free_time=rng.choice(TimeOfDay.values),
                    can_travel=rng.random() < 0.8,
                    online_ok=rng.random() < 0.3,
                    message="" if erased else "Orientation générée pour les mesures.",
                    consent=consent,
                    person_first_name=rng.choice(FIRST_NAMES) if personal else "",
                    person_phone=f"06 00 00 00 {rng.randint(0, 99):02d}" if personal else "",
                    personal_data_erased_at=created_at + retention if erased else None,
                    status=status,
                    status_changed_at=changed_at,
                    status_changed_by_id=receiver.user_id if changed_at and receiver else None,
                    created_at=created_at,
                )
            )
    Orientation.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _analyze():
    """Fresh planner statistics: right after a bulk load PostgreSQL would plan on empty tables."""
    if connection.vendor != "postgresql":
        return
    models = (
        *(User, Membership, Structure, Lieu, OpeningSlot, Advisor, Permanence, AdvisorSkill, ProjectCard),
        *(AdvisorCommune, LieuCommune),
        *(Event, Organiser, Slot, Registration),
        *(Resource, ResourceVersion),
    )
    throughs = (
        *(Structure.perimeter, Structure.services, Advisor.intervention_communes, Advisor.languages),
        *(Resource.authors, Resource.skills, Resource.publics),
    )
    with connection.cursor() as cursor:
        for model in (*models, *(manager.through for manager in throughs)):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Events: about four for five advisors over fifteen months (a quarter past), with organisers,
# registrations and waiting lists; the Fêtes du numérique get their programme.
EVENTS_PER_ADVISOR = 0.8
EVENT_KIND_WEIGHTS = {
    EventKind.RENCONTRE: 20,
    EventKind.ATELIER: 30,
    EventKind.CAFE_VISIO: 12,
    EventKind.SEMINAIRE: 10,
    EventKind.GROUPE_TRAVAIL: 10,
    EventKind.GRAND_PUBLIC: 12,
    EventKind.FETE: 2,
    EventKind.AUTRE: 4,
}
EVENT_TITLES = {
    EventKind.RENCONTRE: "Rencontre d’inter-connaissance",
    EventKind.ATELIER: "Atelier co-animé",
    EventKind.CAFE_VISIO: "Café-visio du réseau",
    EventKind.SEMINAIRE: "Journée de formation",
    EventKind.GROUPE_TRAVAIL: "Groupe de travail",
    EventKind.GRAND_PUBLIC: "Après-midi numérique",
    EventKind.FETE: "Fête du numérique",
    EventKind.AUTRE: "Temps d’échange",
}
FETE_ROOMS = ("Grande salle", "Salle des ateliers", "Espace stands")


def _events_create(*, context, advisors, communes_of, timezones):
    """Events of every département, from its advisors (``advisors``: the created profiles, with pks).

    A random generator of its own, so that the rest of the national data stays what it was."""
    by_departement = defaultdict(list)
    for advisor in advisors:
        by_departement[advisor.departement_id].append(advisor)
    kinds = _Weighted(list(EVENT_KIND_WEIGHTS), EVENT_KIND_WEIGHTS.values())
    events, organisers, slots, registrations = [], [], [], []
    for code, people in sorted(by_departement.items()):
        rng = random.Random(f"{context.seed}:{code}:events")
        communes = communes_of[code]
        homes = _Weighted(communes, (commune.population + 100 for commune in communes))
        tz = zoneinfo.ZoneInfo(timezones[code])
        for _ in range(max(1, round(len(people) * EVENTS_PER_ADVISOR))):
            kind = kinds.pick(rng)
            commune = homes.pick(rng)
            day = context.today + timedelta(days=rng.randint(-120, 330))
            start = datetime.combine(day, time(rng.choice((9, 10, 14, 18)), rng.choice((0, 30))), tzinfo=tz)
            draw = rng.random()
            status = (
                EventStatus.DRAFT
                if draw < 0.05
                else EventStatus.CANCELLED
                if draw < 0.09
                else EventStatus.POSTPONED
                if draw < 0.11
                else EventStatus.PUBLISHED
            )
            online = kind == EventKind.CAFE_VISIO
            capacity = rng.choice((None, 12, 20, 30, 50, 80)) if kind != EventKind.FETE else 300
            event = Event(
                departement_id=code,
                kind=kind,
                title=f"{EVENT_TITLES[kind]} — {commune.name}",
                description="Un temps du réseau pour se rencontrer, partager ses pratiques et ses besoins.",
                starts_at=start,
                ends_at=start + timedelta(hours=8 if kind == EventKind.FETE else rng.choice((1, 2, 3))),
                mode=EventMode.DISTANCIEL if online else EventMode.PRESENTIEL,
                online_url="https://visio.example/reseau" if online else "",
                commune=None if online else commune,
                epci_id=commune.epci_id if kind == EventKind.RENCONTRE else None,
                scope=EventScope.EPCI if kind == EventKind.RENCONTRE else EventScope.DEPARTEMENT,
                audience=Audience.GRAND_PUBLIC
                if kind in (EventKind.FETE, EventKind.GRAND_PUBLIC)
                else Audience.RESEAU,
                visibility=EventVisibility.PUBLIC if rng.random() < 0.4 else EventVisibility.NETWORK,
                capacity=capacity,
                status=status,
                attendance_count=rng.randint(5, 40) if day < context.today else None,
                created_by_id=None,
            )
            lead = rng.choice(people)
            event.created_by_id = lead.user_id
            events.append(event)
            organisers.append((event, lead, OrganiserRole.LEAD))
            if rng.random() < 0.4:
                other = rng.choice(people)
                if other is not lead:
                    organisers.append((event, other, OrganiserRole.CO))
            if kind == EventKind.FETE:
                for index in range(12):
                    slot_start = start + timedelta(minutes=30 * index)
                    slots.append(
                        (
                            event,
                            f"Atelier {index + 1}",
                            FETE_ROOMS[index % 3],
                            slot_start,
                            slot_start + timedelta(hours=1),
                        )
                    )
            if status in (EventStatus.PUBLISHED, EventStatus.POSTPONED):
                wanted = rng.randint(0, (capacity + 6) if capacity else 25)
                for rank, person in enumerate(rng.sample(people, min(wanted, len(people)))):
                    confirmed = capacity is None or rank < capacity
                    registrations.append((event, person, confirmed, rank))
    Event.objects.bulk_create(events, batch_size=BATCH)
    _copy(
        Organiser,
        ("event_id", "advisor_id", "role", "status", "created_at"),
        ((event.pk, advisor.pk, role, OrganiserStatus.ACCEPTED, context.now) for event, advisor, role in organisers),
    )
    _copy(
        Slot,
        ("event_id", "title", "description", "room", "starts_at", "ends_at", "animators_wanted"),
        ((event.pk, title, "", room, starts, ends, 2) for event, title, room, starts, ends in slots),
    )
    _copy(
        Registration,
        ("event_id", "user_id", "name", "email", "status", "token", "created_at", "queued_at", "attendance"),
        (
            (
                event.pk,
                person.user_id,
                person.user.get_full_name(),
                person.user.email,
                RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
                secrets.token_urlsafe(24),
                context.now,
                context.now - timedelta(minutes=1_000 - rank),
                "",
            )
            for event, person, confirmed, rank in registrations
        ),
    )
    return {"events": len(events), "organisers": len(organisers), "registrations": len(registrations)}


# Resources: about six for five advisors, by one author (a fifth with a co-author), of every kind and licence;
# titles, summaries and bodies drawn from a vocabulary of the field so that the full-text search meets the
# variety of real words (inflections, accents, words in the title or only in the body). No files.
RESOURCES_PER_ADVISOR = 1.2
RESOURCE_KIND_WEIGHTS = {
    ResourceKind.FICHE: 28,
    ResourceKind.SUPPORT: 20,
    ResourceKind.KIT: 8,
    ResourceKind.RETOUR: 12,
    ResourceKind.GUIDE: 10,
    ResourceKind.OUTIL: 8,
    ResourceKind.VEILLE: 8,
    ResourceKind.VIDEO: 6,
}
LICENCE_WEIGHTS = {
    Licence.ETALAB: 40,
    Licence.CC_BY: 18,
    Licence.CC_BY_SA: 20,
    Licence.CC_BY_NC_SA: 8,
    Licence.CC0: 6,
    Licence.RESERVED: 8,
}
RESOURCE_PREFIXES = {
    ResourceKind.FICHE: ("Fiche pratique", "Fiche", "Pas à pas"),
    ResourceKind.SUPPORT: ("Support d’atelier", "Diaporama", "Support de formation"),
    ResourceKind.KIT: ("Kit d’animation", "Jeu", "Animation"),
    ResourceKind.RETOUR: ("Retour d’expérience", "Bilan", "Compte rendu"),
    ResourceKind.GUIDE: ("Guide", "Méthode", "Repères"),
    ResourceKind.OUTIL: ("Outil", "Modèle", "Grille"),
    ResourceKind.VEILLE: ("Veille", "À lire", "Actualité"),
    ResourceKind.VIDEO: ("Vidéo", "Webinaire", "Tutoriel vidéo"),
}
# (what the resource is about, a skill slug, words the body uses about it)
RESOURCE_TOPICS = (
    ("créer son compte ameli", "social-sante", "l’Assurance maladie, la carte Vitale et le code provisoire"),
    ("déclarer ses revenus en ligne", "argent-impots", "le numéro fiscal, l’avis d’imposition et les impôts"),
    ("les démarches administratives en ligne", "papiers-elections-citoyennete", "FranceConnect et les téléprocédures"),
    ("demander une carte d’identité", "papiers-elections-citoyennete", "la pré-demande et le rendez-vous en mairie"),
    ("s’inscrire sur les listes électorales", "papiers-elections-citoyennete", "le vote et la mairie"),
    ("faire une demande d’aide au logement", "logement", "la CAF, le loyer et les justificatifs"),
    ("chercher un logement social", "logement", "le numéro unique et le dossier de demande"),
    ("inscrire son enfant à la cantine", "famille-scolarite", "l’espace famille et le portail de la commune"),
    ("suivre la scolarité avec l’ENT", "scolarite-et-numerique", "l’espace numérique de travail et les devoirs"),
    ("créer une adresse e-mail", "e-mail", "la messagerie, le mot de passe et les pièces jointes"),
    ("envoyer une pièce jointe", "e-mail", "le courriel, le scanner du téléphone et le format PDF"),
    (
        "reconnaître un message frauduleux",
        "prevention-en-securite-numerique",
        "l’hameçonnage, les arnaques et les SMS",
    ),
    ("choisir un mot de passe solide", "prevention-en-securite-numerique", "la phrase de passe et le coffre-fort"),
    ("sécuriser son smartphone", "prevention-en-securite-numerique", "le verrouillage, les mises à jour"),
    ("prendre en main une tablette", "prendre-en-main-du-materiel", "les gestes, les applications et les réglages"),
    ("utiliser un ordinateur pour la première fois", "prendre-en-main-du-materiel", "la souris et le clavier"),
    ("sauvegarder ses photos", "gerer-ses-contenus-numeriques", "le cloud, la clé USB et les dossiers"),
    ("ranger ses documents numériques", "gerer-ses-contenus-numeriques", "les dossiers, les fichiers et le coffre"),
    ("naviguer sur Internet", "navigation-sur-internet", "le navigateur, les moteurs de recherche et les favoris"),
    ("rédiger un courrier avec un traitement de texte", "bureautique", "la mise en page et l’export PDF"),
    ("réaliser un budget avec un tableur", "bureautique", "les formules, les colonnes et les graphiques"),
    ("découvrir les réseaux sociaux", "reseaux-sociaux", "le profil, la confidentialité et l’e-réputation"),
    ("prendre rendez-vous chez le médecin en ligne", "sante", "les plateformes de rendez-vous médicaux"),
    ("utiliser Mon espace santé", "sante", "le dossier médical partagé et les ordonnances"),
    ("payer et acheter en ligne en sécurité", "banque-et-achats-en-ligne", "la carte bancaire et la validation"),
    ("consulter ses comptes bancaires", "banque-et-achats-en-ligne", "l’application de la banque et les virements"),
    ("créer son CV en ligne", "insertion-professionnelle", "la candidature, l’offre d’emploi et France Travail"),
    ("s’inscrire à France Travail", "travail-formation-entreprise", "l’actualisation et l’espace personnel"),
    ("accompagner les parents face aux écrans", "parentalite", "le contrôle parental et les repères 3-6-9-12"),
    ("créer une vidéo avec son téléphone", "creer-avec-le-numerique", "le montage, le son et la diffusion"),
    ("comprendre l’intelligence artificielle", "intelligence-artificielle", "les assistants conversationnels"),
    ("réparer et entretenir son ordinateur", "maintenance-de-materiel", "le reconditionnement et le réemploi"),
    ("animer un atelier collectif", "animation-d-ateliers-collectifs", "le groupe, le déroulé et l’évaluation"),
    ("mener un diagnostic numérique", "diagnostic-numerique", "l’autonomie, les besoins et l’orientation"),
    ("accueillir les publics allophones", "accompagnement-des-publics-allophones", "la traduction, les pictogrammes"),
    ("orienter vers la bonne structure", "orientation-des-publics", "le réseau local et les partenaires"),
    ("travailler à plusieurs en ligne", "outils-collaboratifs", "la visioconférence et les documents partagés"),
    ("se déplacer avec les transports en commun", "transports-mobilite", "les horaires, les billets et l’application"),
)
RESOURCE_AUDIENCES = (
    "pour les seniors",
    "pour les jeunes",
    "pour les familles",
    "pour les grands débutants",
    "en accompagnement individuel",
    "en atelier collectif",
    "pour les aidants",
    "en permanence",
    "",
    "",
)
RESOURCE_SUMMARIES = (
    "Les étapes essentielles pour {topic}, {audience}, à imprimer ou à projeter.",
    "Ce qu’il faut savoir pour {topic} : les points d’attention, les erreurs fréquentes et les bons réflexes.",
    "Un déroulé testé en {place} pour {topic}, avec le matériel nécessaire et des exercices.",
    "Nos conseils pour {topic} {audience}, partagés par le réseau de {place}.",
)
RESOURCE_PARAGRAPHS = (
    "## Objectifs\n\nÀ la fin de la séance, la personne sait {topic} en autonomie.",
    "## Pré-requis\n\nAvoir une adresse e-mail et un téléphone portable ; prévoir {words}.",
    "## Déroulé\n\n1. Accueil et tour de table\n2. Démonstration\n3. Mise en pratique\n4. Questions",
    "## Points d’attention\n\nNe jamais faire à la place de la personne ; vérifier {words}.",
    "## Ce qui a marché\n\nLes exemples concrets sur {words}, en petits groupes.",
    "## Ressources complémentaires\n\nLe site officiel, les fiches du réseau et les tutoriels vidéo.",
    "## Matériel\n\nUn vidéoprojecteur, des ordinateurs portables et une connexion Wi-Fi.",
)


def _resources_create(*, context, advisors, communes_of):
    """Resources of every département, by its advisors (``advisors``: profiles with pks and ``user_id``).

    Retours d'expérience point at one of the département's past national events when there are some.
    A random generator of its own, so that the rest of the national data stays what it was."""
    by_departement = defaultdict(list)
    for advisor in advisors:
        by_departement[advisor.departement_id].append(advisor)
    past_events = defaultdict(list)
    for pk, code in Event.objects.filter(
        created_by__email__endswith=f"@{NATIONAL_DOMAIN}", starts_at__lt=context.now
    ).values_list("pk", "departement"):
        past_events[code].append(pk)
    kinds = _Weighted(list(RESOURCE_KIND_WEIGHTS), RESOURCE_KIND_WEIGHTS.values())
    licences = _Weighted(list(LICENCE_WEIGHTS), LICENCE_WEIGHTS.values())
    skills = {skill.slug: skill.pk for skill in context.skills}
    resources, authors, resource_skills, resource_publics = [], [], [], []
    for code, people in sorted(by_departement.items()):
        rng = random.Random(f"{context.seed}:{code}:resources")
        communes = communes_of[code]
        homes = _Weighted(communes, (commune.population + 100 for commune in communes))
        for _ in range(max(1, round(len(people) * RESOURCES_PER_ADVISOR))):
            kind = kinds.pick(rng)
            topic, skill_slug, words = rng.choice(RESOURCE_TOPICS)
            place = homes.pick(rng).name
            audience = rng.choice(RESOURCE_AUDIENCES)
            title = f"{rng.choice(RESOURCE_PREFIXES[kind])} : {topic}"
            if kind == ResourceKind.RETOUR or rng.random() < 0.3:
                title += f" à {place}"
            elif audience:
                title += f" {audience}"
            title = title[0].upper() + title[1:]
            summary = rng.choice(RESOURCE_SUMMARIES).format(topic=topic, audience=audience, place=place)
            summary = " ".join(summary.split()).replace(" ,", ",").replace(" :", "\u00a0:")[:280]
            paragraphs = rng.sample(RESOURCE_PARAGRAPHS, rng.randint(2, 4))
            body = "\n\n".join(paragraph.format(topic=topic, words=words) for paragraph in paragraphs)
            draw = rng.random()
            status = (
                ResourceStatus.DRAFT
                if draw < 0.07
                else ResourceStatus.HIDDEN
                if draw < 0.09
                else ResourceStatus.PUBLISHED
            )
            created = context.now - timedelta(days=rng.randint(1, 1_100), minutes=rng.randint(0, 1_439))
            lead = rng.choice(people)
            resource = Resource(
                departement_id=code,
                kind=kind,
                title=title[:200],
                summary=summary,
                body=body,
                licence=licences.pick(rng),
                structure_id=lead.structure_id,
                scope=ResourceScope.DEPARTEMENT,
                visibility=ResourceVisibility.PUBLIC if rng.random() < 0.7 else ResourceVisibility.NETWORK,
                status=status,
                event_id=rng.choice(past_events[code]) if kind == ResourceKind.RETOUR and past_events[code] else None,
                download_count=rng.randint(0, 120) if status == ResourceStatus.PUBLISHED else 0,
                search_text=normalize(f"{title} {summary} {body}"),  # resources.models.resource_search_text
                created_by_id=lead.user_id,
                created_at=created,
                published_at=created if status != ResourceStatus.DRAFT else None,
            )
            resources.append(resource)
            authors.append((resource, lead.pk))
            if rng.random() < 0.2:
                other = rng.choice(people)
                if other is not lead:
                    authors.append((resource, other.pk))
            if skill_slug in skills:
                resource_skills.append((resource, skills[skill_slug]))
            extra = rng.choice(context.skills).pk
            if rng.random() < 0.4 and extra != skills.get(skill_slug):
                resource_skills.append((resource, extra))
            if context.publics and rng.random() < 0.5:
                resource_publics.append((resource, rng.choice(context.publics)))
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    counts = {
        "resources": len(resources),
        "resource_authors": _through(Resource.authors, "resource_id", "advisor_id", authors),
        "resource_skills": _through(Resource.skills, "resource_id", "skill_id", resource_skills),
        "resource_publics": _through(Resource.publics, "resource_id", "public_id", resource_publics),
    }
    _copy(
        ResourceVersion,
        (
            "resource_id",
            "number",
            "title",
            "summary",
            "body",
            "link",
            "licence",
            "change_summary",
            "edited_by_id",
            "edited_at",
        ),
        (
            (r.pk, 1, r.title, r.summary, r.body, "", r.licence, "Première version", r.created_by_id, r.created_at)
            for r in resources
        ),
    )
    return counts


# The network's life (issue 13): partners, channels, twelve past letters with their deliveries, profile reminders
# and departures in each département with national members. It reads the national data in the database, so
# ``national_life_create`` also adds this part to a base generated before issue 13 (bench/README.md). Partners
# are known by their contact's domain, channels by their join link's, letters by their author, reminders by
# their advisor and departures by ``DEPARTURE_MARK``, the microseconds of their date: that is how ``--reset``
# deletes them.
LETTERS = 12
PARTNERS = (
    # (kind, name, scope, what it brings, contact's role); « {de} » is « de la Loire », « {in} » « dans la Loire ».
    (
        PartnerKind.CAF,
        "CAF {de}",
        PartnerScope.DEPARTEMENT,
        "Formations des médiateurs aux démarches CAF et rendez-vous partenaires pour les dossiers bloqués.",
        "chargée de partenariats",
    ),
    (
        PartnerKind.CPAM,
        "CPAM {de}",
        PartnerScope.DEPARTEMENT,
        "Un référent pour les situations complexes (carte Vitale, Mon espace santé, complémentaire santé).",
        "conseiller numérique en santé",
    ),
    (
        PartnerKind.FRANCE_TRAVAIL,
        "France Travail {de}",
        PartnerScope.DEPARTEMENT,
        "Ateliers communs sur l’inscription et l’actualisation ; orientation des demandeurs d’emploi.",
        "responsable d’équipe",
    ),
    (
        PartnerKind.HUB,
        "Hub territorial pour un numérique inclusif",
        PartnerScope.REGION,
        "Outillage des coordinations, formations de formateurs et rencontres régionales.",
        "chef de projet",
    ),
    (
        PartnerKind.DEPARTEMENT,
        "Département {de} — direction de l’action sociale",
        PartnerScope.DEPARTEMENT,
        "Les travailleurs sociaux orientent vers le réseau ; une réunion commune par trimestre.",
        "cheffe de service",
    ),
    (
        PartnerKind.MISSION_LOCALE,
        "Mission locale {de_main}",
        PartnerScope.EPCI,
        "Accompagnement des 16-25 ans ; ateliers CV et démarches en ligne avec les conseillers numériques.",
        "conseillère en insertion",
    ),
    (
        PartnerKind.LIBRARIES,
        "Réseau des médiathèques {de_main}",
        PartnerScope.EPCI,
        "Des salles et des postes pour les ateliers ; un fonds de livres sur le numérique.",
        "coordinatrice de l’action culturelle",
    ),
    (
        PartnerKind.ASSOCIATION,
        "Emmaüs Connect",
        PartnerScope.NATIONAL,
        "Recharges solidaires, matériel reconditionné à petit prix et formations « Les Bons Clics ».",
        "responsable territorial",
    ),
    (
        PartnerKind.PREFECTURE,
        "Préfecture {de} — point numérique",
        PartnerScope.DEPARTEMENT,
        "Le point numérique des titres (ANTS) : un contact pour les dossiers de carte grise et de permis.",
        "chargé de mission",
    ),
    (
        PartnerKind.COMPANY,
        "Ordi’Solidaire {de_main}",
        PartnerScope.COMMUNE,
        "Reconditionne les ordinateurs des entreprises et les donne aux familles que le réseau accompagne.",
        "gérant",
    ),
    (
        PartnerKind.MSA,
        "MSA {de}",
        PartnerScope.DEPARTEMENT,
        "Les démarches des exploitants et salariés agricoles ; permanences communes en zone rurale.",
        "animatrice",
    ),
    (
        PartnerKind.TRAINING,
        "Afpa {de_main}",
        PartnerScope.COMMUNE,
        "Parcours de formation aux métiers du numérique pour les personnes accompagnées.",
        "conseillère formation",
    ),
)
# Ten partners: the first eight published, the next two suggested by a member and waiting.
PARTNERS_PUBLISHED, PARTNERS_SUGGESTED = 8, 2
ACQUAINTANCE_NOTES = ("nous travaillons ensemble", "j’y ai fait mon stage", "ateliers communs", "")
CHANNELS = (
    # (name, platform, purpose, parent index or None, access)
    ("Mattermost du réseau", ChannelPlatform.MATTERMOST, "L’espace d’échange de tout le réseau.", None),
    ("Général", ChannelPlatform.MATTERMOST, "Les nouvelles du réseau et les questions de tous les jours.", 0),
    ("Entraide démarches", ChannelPlatform.MATTERMOST, "Un dossier bloqué ? Les collègues répondent.", 0),
    ("Événements", ChannelPlatform.MATTERMOST, "Les événements du réseau, annoncés dès leur publication.", 0),
    ("Liste de la coordination", ChannelPlatform.MAILING_LIST, "Les informations officielles, une par mois.", None),
    ("Page LinkedIn du réseau", ChannelPlatform.LINKEDIN, "Ce que le réseau montre de son travail.", None),
)
LETTER_EDITORIALS = (
    "Bonjour à toutes et à tous,\n\nMerci pour vos permanences de ce mois : les demandes de **{topic}** ont été "
    "nombreuses. Les nouveaux membres sont présentés plus bas : écrivez-leur pour les accueillir.\n\n"
    "La coordination départementale",
    "Bonjour à toutes et à tous,\n\nCe mois-ci, un temps fort sur **{topic}** : voyez les événements plus bas, "
    "et déposez vos supports dans la bibliothèque de ressources, ils servent à tous.\n\n"
    "À bientôt,\n\nLa coordination départementale",
    "Bonjour à toutes et à tous,\n\nLe réseau grandit ! Si vous maîtrisez une compétence que les collègues veulent "
    "apprendre (voir plus bas), proposez un atelier. Prochain sujet du café-visio : **{topic}**.\n\n"
    "La coordination départementale",
)
LETTER_TOPICS = ("chèques énergie", "la déclaration de revenus", "Mon espace santé", "l’ANTS", "la rentrée scolaire")
# The microseconds of a generated departure's date: nothing else tells it from a real one (it names no one).
DEPARTURE_MARK = 271_828
REMINDERS_PER_ADVISOR = 0.03
DEPARTURES_PER_ADVISOR = 0.05


def _previous_periods(today, count):
    """The first days of the ``count`` months before ``today``'s, oldest first."""
    first = today.replace(day=1)
    periods = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        periods.append(first)
    return periods[::-1]


def _network_letters(departement, *, by, members, rng, letters, deliveries):
    """The twelve previous months' letters of ``departement``, sent on the 2nd at 10 h in its time zone and
    composed as ``letter_sections`` composes them that day (the skills are today's map: it has no past)."""
    tzinfo = zoneinfo.ZoneInfo(departement.timezone)
    skills = letter_skills(departement)
    since = None
    for period in _previous_periods(departement_today(departement), LETTERS):
        sent_at = datetime.combine(period.replace(day=2), time(10), tzinfo)
        since = since or letter_since(departement, period, sent_at)
        recipients = [user_id for user_id, joined in members if joined <= sent_at]
        letter = Letter(
            departement=departement,
            period=period,
            subject=default_subject(departement, period),
            editorial=rng.choice(LETTER_EDITORIALS).format(topic=rng.choice(LETTER_TOPICS)),
            content={
                "composed_at": sent_at.isoformat(),
                "since": since.isoformat(),
                "events": letter_events(departement, sent_at),
                "resources": letter_resources(departement, since, sent_at),
                "newcomers": letter_newcomers(departement, since, sent_at),
                "skills": skills,
                "left_out": [],
            },
            status=LetterStatus.SENT,
            created_by_id=by,
            created_at=sent_at - timedelta(days=3),
            test_sent_at=sent_at - timedelta(hours=1),
            sent_by_id=by,
            sent_at=sent_at,
            recipients_count=len(recipients),
        )
        letters.append(letter)
        deliveries.append((letter, recipients))
        since = sent_at


@transaction.atomic
def national_life_create(*, seed=2026, departements=None):
    """Partners, channels, letters (and their deliveries), profile reminders and departures in every
    département with national members (or those of ``departements``), from the national data in the database.

    A few queries per département (the letters' composition, about forty) and bulk inserts for all of France.
    The caller checks that this part is not there yet (``national_life_exists``). Returns the rows created by
    table."""
    now, today = timezone.now(), timezone.localdate()
    advisors = Advisor.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}")
    if departements is not None:
        advisors = advisors.filter(departement__in=departements)
    people = defaultdict(list)  # (email, advisor pk, user pk, arrival date) by département, in a stable order
    for row in advisors.order_by("user__email").values_list(
        "departement", "user__email", "pk", "user_id", "arrival_date"
    ):
        people[row[0]].append(row[1:])
    codes = sorted(people)
    coordinators, members = defaultdict(list), defaultdict(list)
    for code, user_id, role, joined in (
        Membership.objects.active()
        .filter(departement__in=codes, user__email__endswith=f"@{NATIONAL_DOMAIN}")
        .order_by("user__email")
        .values_list("departement", "user_id", "role", "created_at")
    ):
        if role == MembershipRole.COORDINATOR:
            coordinators[code].append(user_id)
        members[code].append((user_id, joined))
    receiving = set(
        User.objects.filter(email__endswith=f"@{NATIONAL_DOMAIN}", is_active=True, receives_letter=True).values_list(
            "pk", flat=True
        )
    )
    main_communes = {}
    for commune in Commune.objects.filter(departement__in=codes).order_by("departement", "-population", "code"):
        main_communes.setdefault(commune.departement_id, commune)
    skills = [skill.pk for skill in Skill.objects.validated().order_by("slug")]

    # Two newcomers out of three of the last thirteen months agreed to be introduced in the letter.
    introduced = []
    for code in codes:
        rng = random.Random(f"{seed}:{code}:life")
        introduced += [
            pk
            for _, pk, _, arrival in people[code]
            if arrival and arrival >= today - timedelta(days=400) and rng.random() < 2 / 3
        ]
    Advisor.objects.filter(pk__in=introduced).update(introduce_in_letter=True)

    partners, acquaintances, parents, children, channel_skills = [], [], [], [], []
    letters, deliveries, reminders, departures = [], [], [], []
    for departement in Departement.objects.filter(code__in=codes).order_by("code"):
        code = departement.code
        rng = random.Random(f"{seed}:{code}:life")
        crowd = people[code]
        by = coordinators[code][0] if coordinators[code] else None
        main = main_communes.get(code)
        words = {
            "de": of_departement(departement),
            "de_main": french_of(main.name) if main else of_departement(departement),
        }
        for index, (kind, name, scope, description, role) in enumerate(
            PARTNERS[: PARTNERS_PUBLISHED + PARTNERS_SUGGESTED]
        ):
            name = name.format(**words)
            contact = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            suggested = index >= PARTNERS_PUBLISHED
            partner = Partner(
                departement=departement,
                name=name,
                kind=kind,
                scope=scope,
                epci_id=main.epci_id if main and scope == PartnerScope.EPCI else None,
                commune=main if scope == PartnerScope.COMMUNE else None,
                description=description,
                website=f"https://{slugify(name)[:40]}.{NATIONAL_DOMAIN}/",
                contact_name=contact,
                contact_role=role,
                contact_email=f"{slugify(contact)}.{code.lower()}.{index}@{NATIONAL_DOMAIN}",
                contact_phone=_fiction_phone(rng),
                status=PartnerStatus.SUGGESTED if suggested else PartnerStatus.PUBLISHED,
                suggested_by_id=rng.choice(crowd)[2] if suggested else None,
                decided_by_id=None if suggested else by,
                decided_at=None if suggested else now - timedelta(days=rng.randint(30, 700)),
                search_text=normalize(" ".join([name, contact, description])),  # Partner.save
            )
            partners.append(partner)
            if not suggested:
                for _, pk, _, _ in rng.sample(crowd, min(len(crowd), rng.randint(0, 4))):
                    acquaintances.append((partner, pk, rng.choice(ACQUAINTANCE_NOTES)))
        space = None
        for position, (name, platform, purpose, parent) in enumerate(CHANNELS):
            slug = slugify(name)
            channel = Channel(
                departement=departement,
                name=name,
                platform=platform,
                purpose=purpose,
                access=ChannelAccess.ON_REQUEST if platform == ChannelPlatform.MAILING_LIST else ChannelAccess.OPEN,
                join_url=f"https://{platform}.{code.lower()}.{NATIONAL_DOMAIN}/{slug}",
                join_instructions="Demandez l’accès à la coordination." if parent is None and position else "",
                show_to_newcomers=position < 3,
                position=position,
            )
            if slug == "evenements":
                # A .test host never answers: a webhook that someone's event would try, and fail, to reach.
                channel.webhook_url = f"https://{platform}.{code.lower()}.{NATIONAL_DOMAIN}/hooks/{slug}"
                channel.announce_events = channel.announce_resources = True
                channel.webhook_state, channel.webhook_checked_at = WebhookState.OK, now - timedelta(days=2)
            if parent is None:
                parents.append(channel)
                space = channel if position == 0 else space
            else:
                channel.parent = space
                children.append(channel)
            channel_skills += [(channel, skill) for skill in rng.sample(skills, min(len(skills), rng.randint(0, 2)))]
        recipients = [(user_id, joined) for user_id, joined in members[code] if user_id in receiving]
        _network_letters(departement, by=by, members=recipients, rng=rng, letters=letters, deliveries=deliveries)
        for _, pk, _, _ in rng.sample(crowd, round(len(crowd) * REMINDERS_PER_ADVISOR)):
            reminders.append((pk, code, by, now - timedelta(days=rng.randint(1, 180), minutes=rng.randint(0, 600))))
        for _ in range(max(1, round(len(crowd) * DEPARTURES_PER_ADVISOR))):
            left = now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
            departures.append(
                (
                    code,
                    left.replace(microsecond=DEPARTURE_MARK),
                    left - timedelta(days=rng.randint(60, 1_500)),
                    rng.random() < 0.05,
                )
            )

    Partner.objects.bulk_create(partners, batch_size=BATCH)
    Channel.objects.bulk_create(parents, batch_size=BATCH)
    for channel in children:
        channel.parent_id = channel.parent.pk
    Channel.objects.bulk_create(children, batch_size=BATCH)
    Letter.objects.bulk_create(letters, batch_size=BATCH)
    counts = {
        "partners": len(partners),
        "suggested_partners": sum(1 for partner in partners if partner.status == PartnerStatus.SUGGESTED),
        "acquaintances": _copy(
            PartnerAcquaintance,
            ("partner_id", "advisor_id", "note", "created_at"),
            ((partner.pk, pk, note, now) for partner, pk, note in acquaintances),
        ),
        "channels": len(parents) + len(children),
        "channel_skills": _through(Channel.skills, "channel_id", "skill_id", channel_skills),
        "letters": len(letters),
        "deliveries": _copy(
            LetterDelivery,
            ("letter_id", "user_id", "created_at"),
            ((letter.pk, user_id, letter.sent_at) for letter, users in deliveries for user_id in users),
        ),
        "reminders": _copy(ProfileReminder, ("advisor_id", "departement_id", "sent_by_id", "created_at"), reminders),
        "departures": _copy(Departure, ("departement_id", "left_at", "joined_at", "was_coordinator"), departures),
        "introduced": len(introduced),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Partner, PartnerAcquaintance, Channel, Letter, LetterDelivery, ProfileReminder, Departure):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return counts


def _marked_departures():
    """The pks of the departures ``national_life_create`` made (a few thousand rows in all: read in Python)."""
    return [pk for pk, left in Departure.objects.values_list("pk", "left_at") if left.microsecond == DEPARTURE_MARK]


def national_life_exists():
    return Letter.objects.filter(created_by__email__endswith=f"@{NATIONAL_DOMAIN}").exists() or (
        Partner.objects.filter(contact_email__endswith=f"@{NATIONAL_DOMAIN}").exists()
    )
