"""The demo content, read from the JSON files of ``demo/data/<network>/`` (see ``demo/data/README.md``).

Each kind of content has its file (``structures.json``, ``lieux.json``, ``profiles.json``…), so that
an app adds its demo data with a new file rather than with code. The files hold plain values (slugs,
INSEE codes, the values of the apps' choices); the specs below give the defaults of what they omit.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Perimeters: the structure's own commune, its whole EPCI, the whole département, or a
# list of INSEE codes (communes) and SIRENs (every commune of that EPCI in the département).
OWN_COMMUNE = "commune"
OWN_EPCI = "epci"
WHOLE_DEPARTEMENT = "departement"


def read(network, name):
    """The content of ``demo/data/<network>/<name>.json``."""
    with (DATA / network / f"{name}.json").open(encoding="utf-8") as file:
        return json.load(file)


def _tuple(value):
    """Lists of the files become tuples (the specs are frozen); perimeter keywords stay strings."""
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class ClosureSpec:
    """An exceptional closure, dated from the day the demo is built so that it is always current or ahead:
    ``every_year`` ("12-22", "01-02") is the next such period not yet over; ``from_day`` (days from today,
    negative when it began already) and ``days`` a one-off closure."""

    reason: str
    every_year: tuple = ()
    from_day: int = 0
    days: int = 1

    def dates(self, today):
        """``(starts_on, ends_on)``, both days included."""
        if not self.every_year:
            start = today + timedelta(days=self.from_day)
            return start, start + timedelta(days=self.days - 1)
        (start_month, start_day), (end_month, end_day) = (map(int, day.split("-")) for day in self.every_year)
        for year in (today.year - 1, today.year, today.year + 1):
            start = date(year, start_month, start_day)
            end = date(year, end_month, end_day)
            if end < start:  # across the new year
                end = date(year + 1, end_month, end_day)
            if end >= today:
                return start, end
        raise AssertionError("unreachable: next year's period ends after today")


@dataclass(frozen=True)
class LieuSpec:
    name: str
    address: str
    hours: str  # OSM-like ("Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00"); empty without regular hours
    commune: str = ""  # INSEE code; the structure's commune when empty
    access: tuple = ("se_presenter", "telephoner")
    support: tuple = ("accompagnement_individuel", "atelier_collectif")
    fees: str = "gratuit"
    reduced_mobility: bool = True
    itinerant: bool = False
    note: str = ""
    position: tuple = ()  # (latitude, longitude) typed from the address; the commune's point when empty
    closures: tuple = ()  # ClosureSpec


@dataclass(frozen=True)
class StructureSpec:
    key: str  # stable identifier: mailbox, website and SIRET derive from it
    name: str
    kind: str
    commune: str
    address: str
    presentation: str
    perimeter: object  # OWN_COMMUNE, OWN_EPCI, WHOLE_DEPARTEMENT or a tuple of INSEE codes and SIRENs
    services: tuple  # skills.Domain slugs
    publics: tuple = ()  # skills.Public slugs
    dispositifs: tuple = ()
    siret: bool = False  # associations get a (fictitious, Luhn-valid) SIRET; public bodies none
    website: bool = True
    lieux: tuple = ()


@dataclass(frozen=True)
class CohortSpec:
    slug: str
    training_body: str
    started_days_ago: int
    duration_days: int
    cnfs: bool = False  # "Promo CnFS 2022 — …": trained in the Conseillers numériques programme


@dataclass(frozen=True)
class ProfileSpec:
    structure: str  # StructureSpec.key
    role: str
    arrived_days_ago: int
    bio: str
    # Permanences: a lieu index in the structure (the advisor takes one of its opening slots),
    # or (lieu index, "We 09:00-12:00") when the bio names the day.
    permanences: tuple = (0,)
    languages: tuple = ()  # besides French, which everybody speaks
    visibility: str = "reseau"
    co_animation: bool = False
    phone: bool = False
    chat: str = ""  # "mattermost" or "discord"
    promo: bool = True  # trained in a promo (the latest one finished before their arrival)
    intervention: object = ()  # explicit communes: OWN_EPCI or a tuple of INSEE codes and SIRENs


@dataclass(frozen=True)
class PendingSpec:
    first_name: str
    last_name: str
    commune: str  # INSEE code
    structure: str  # "Médiathèque {de}": {de} becomes "de Roanne", "d’Unieux", "du Chambon-Feugerolles"…
    message: str


@dataclass(frozen=True)
class CardSpec:
    author: str  # structure key: its first advisor writes the card
    title: str
    body: str
    skills: tuple = ()
    interested: int = 0  # how many colleagues marked "ça m'interpelle"


@dataclass(frozen=True)
class OrientationSpec:
    """An orientation between members of the network (``orientations.json``), dated ``days_ago``."""

    sender: str  # the sending member's email
    domain: str  # skills.Domain slug
    commune: str  # INSEE code of the person's commune
    message: str
    days_ago: int
    status: str  # orientations.enums.OrientationStatus value
    receiver_advisor: str = ""  # an email, or:
    receiver_lieu: str = ""  # a lieu's name
    changed_by: str = ""  # who changed the state (the receiving advisor when empty)
    status_days: int = 0  # days after sending when the state changed
    status_note: str = ""
    language: str = ""
    public: str = ""
    free_days: tuple = ()
    free_time: str = ""
    can_travel: bool = True
    online_ok: bool = False
    consent: bool = True
    first_name: str = ""
    phone: str = ""
    email: str = ""
    erased: bool = False  # older than the retention period: personal data already erased


@dataclass(frozen=True)
class Network:
    """Everything the demo of one département network holds, as specs."""

    people: dict  # the accounts: coordinators, the demo member, names of the members, pending requests
    cohorts: list
    structures: list
    coordinator_profiles: list
    demo_member_profile: ProfileSpec
    member_profiles: list
    pending: list
    skills: dict  # the rules of the skill levels, the notes and the proposed skills (see skills.json)
    cards: list
    orientations: list


def _profile(data, lieu_names):
    """A profile of ``profiles.json``: its permanences name lieux of its structure, the spec holds their index."""
    names = lieu_names[data["structure"]]
    permanences = tuple(
        names.index(lieu) if isinstance(lieu, str) else (names.index(lieu["lieu"]), lieu["hours"])
        for lieu in data.get("permanences", [names[0]])
    )
    fields = {key: _tuple(value) for key, value in data.items() if key != "permanences"}
    return ProfileSpec(**fields, permanences=permanences)


def load(network):
    """The ``Network`` of ``demo/data/<network>/``."""
    lieux = {}
    for item in read(network, "lieux"):
        structure = item.pop("structure")
        closures = tuple(
            ClosureSpec(**{key: _tuple(value) for key, value in closure.items()})
            for closure in item.pop("closures", [])
        )
        lieux.setdefault(structure, []).append(
            LieuSpec(**{key: _tuple(value) for key, value in item.items()}, closures=closures)
        )
    structures = [
        StructureSpec(**{key: _tuple(value) for key, value in item.items()}, lieux=tuple(lieux.get(item["key"], ())))
        for item in read(network, "structures")
    ]
    lieu_names = {spec.key: [lieu.name for lieu in spec.lieux] for spec in structures}
    people = read(network, "people")
    profiles = read(network, "profiles")
    skills = read(network, "skills")
    return Network(
        people=people,
        cohorts=[CohortSpec(**item) for item in read(network, "cohorts")],
        structures=structures,
        coordinator_profiles=[_profile(item, lieu_names) for item in profiles["coordinators"]],
        demo_member_profile=_profile(profiles["demo_member"], lieu_names),
        member_profiles=[_profile(item, lieu_names) for item in profiles["members"]],
        pending=[PendingSpec(**item) for item in people["pending"]],
        skills=skills,
        cards=[CardSpec(**{key: _tuple(value) for key, value in item.items()}) for item in read(network, "cards")],
        orientations=[
            OrientationSpec(**{key: _tuple(value) for key, value in item.items()})
            for item in read(network, "orientations")
        ],
    )


LOIRE = load("loire")
