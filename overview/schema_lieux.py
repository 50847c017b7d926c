"""A département's lieux in the national « schéma des lieux de médiation numérique », the format the
national cartography (ANCT) harvests: one record per accepted lieu, as JSON and as CSV.

The field names, the « | » between the values of a list and the value lists are those of the schema's
reference library, ``@gouvfr-anct/lieux-de-mediation-numerique`` 2.3.0, whose
``fromSchemaLieuxDeMediationNumerique`` refuses an invalid lieu; the tests run it on our export
(tests/schema/). Every value of our vocabularies maps to the schema's exact string (a test goes through
all of them); a value the library would refuse (a phone number it cannot read, a URL outside its
pattern) leaves its field empty rather than the lieu out of the export.

Only public information: the lieu, its structure's name, website and presentation, the accueil's phone,
email and booking link (what the lieu's page shows a visitor), never an advisor's own contacts.
"""

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.encoding import iri_to_uri

from advisors.enums import AccessMode, Dispositif, Fees, StructureKind, SupportMode
from advisors.opening_hours import osm_opening_hours
from common.exports import neutralise
from skills.enums import PublicKind

logger = logging.getLogger(__name__)

LIBRARY = "@gouvfr-anct/lieux-de-mediation-numerique"
LIBRARY_VERSION = "2.3.0"
LICENCE_NAME = "Licence Ouverte / Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SOURCE = "Maillage"
SEPARATOR = "|"
# The schema's pivot when a structure has neither SIRET nor RNA, as the national data writes it.
NO_PIVOT = "00000000000000"

# The schema's fields, in its order: the CSV's columns.
FIELDS = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
]
# Text typed by members, which the CSV neutralises against spreadsheet formulas (see ``csv_cells``).
FREE_TEXT_FIELDS = ("nom", "adresse", "presentation_detail", "structure_parente")

# Our vocabularies → the schema's exact strings (skills/vocabularies.py and advisors/enums.py seed them
# from the same national lists; the labels drift, e.g. the apostrophe of « Point d’accès numérique CAF »).
SERVICES = {
    "aide-aux-demarches-administratives": "Aide aux démarches administratives",
    "maitrise-des-outils-numeriques-du-quotidien": "Maîtrise des outils numériques du quotidien",
    "insertion-professionnelle-via-le-numerique": "Insertion professionnelle via le numérique",
    "utilisation-securisee-du-numerique": "Utilisation sécurisée du numérique",
    "parentalite-et-education-avec-le-numerique": "Parentalité et éducation avec le numérique",
    "loisirs-et-creations-numeriques": "Loisirs et créations numériques",
    "comprehension-du-monde-numerique": "Compréhension du monde numérique",
    "acces-internet-et-materiel-informatique": "Accès internet et matériel informatique",
    "acquisition-de-materiel-informatique-a-prix-solidaire": "Acquisition de matériel informatique à prix solidaire",
}
# Domains that are no service to the public (the advisors' own craft): never exported.
NOT_SERVICES = {"metier-de-la-mediation"}
PUBLICS = {
    "jeunes": "Jeunes",
    "etudiants": "Étudiants",
    "familles-enfants": "Familles et/ou enfants",
    "seniors": "Seniors",
    "femmes": "Femmes",
}
SPECIFIC_SUPPORTS = {
    "surdite": "Surdité",
    "handicaps-moteurs": "Handicaps moteurs",
    "handicaps-mentaux": "Handicaps mentaux",
    "illettrisme": "Illettrisme",
    "langues-etrangeres-anglais": "Langues étrangères (anglais)",
    "langues-etrangeres-autres": "Langues étrangères (autres)",
    "deficience-visuelle": "Déficience visuelle",
}
# Structure kinds → the typologies of data.inclusion that the schema uses.
TYPOLOGIES = {
    StructureKind.ASSOCIATION: "ASSO",
    StructureKind.COMMUNE: "MUNI",
    StructureKind.EPCI: "EPCI",
    StructureKind.DEPARTEMENT: "DEPT",
    StructureKind.CCAS: "CCAS",
    StructureKind.MEDIATHEQUE: "BIB",
    StructureKind.FRANCE_SERVICES: "RFS",
    StructureKind.EPN: "EPN",
    StructureKind.TIERS_LIEU: "TIERS_LIEUX",
    StructureKind.FABLAB: "FABLAB",
    StructureKind.CENTRE_SOCIAL: "CS",
    StructureKind.MJC: "MJC",
    StructureKind.PIMMS: "PIMMS",
    StructureKind.OTHER: "Autre",
}
DISPOSITIFS = {
    Dispositif.CONSEILLERS_NUMERIQUES: "Conseillers numériques",
    Dispositif.FRANCE_SERVICES: "France Services",
    Dispositif.AIDANTS_CONNECT: "Aidants Connect",
    Dispositif.PROMENEURS_DU_NET: "Promeneurs du net",
    Dispositif.PAN_CAF: "Point d'accès numérique CAF",
    Dispositif.EMMAUS_CONNECT: "Emmaüs Connect",
    Dispositif.PIX: "Certification PIX",
}
ACCESS_MODES = {
    AccessMode.WALK_IN: "Se présenter",
    AccessMode.PHONE: "Téléphoner",
    AccessMode.EMAIL: "Contacter par mail",
    AccessMode.ONLINE_BOOKING: "Prendre un RDV en ligne",
}
SUPPORT_MODES = {
    SupportMode.AUTONOMOUS: "En autonomie",
    SupportMode.INDIVIDUAL: "Accompagnement individuel",
    SupportMode.WORKSHOP: "Dans un atelier collectif",
    SupportMode.REMOTE: "À distance",
}
FEES = {
    Fees.FREE: "Gratuit",
    Fees.FREE_UNDER_CONDITIONS: "Gratuit sous condition",
    Fees.PAID: "Payant",
}

# The library's own patterns (lib/cjs/models/…), so that no value it refuses is ever written. JavaScript's
# \w and \d are ASCII: so are they here.
_COMMUNE_CHARS = r"A-Za-z0-9À-ÖØ-öø-ÿœ-ŸŒ\-'’ "
_VOIE_CHARS = r"0-9A-Za-zÀ-ÖØ-öø-ÿœ-ŸŒ\-,()°.&:+–|;'’/ "
_TELEPHONE = re.compile(
    r"^(?:(?:\+|00)(?:33|262|269|508|590|594|596|681|687|689)[\s.-]{0,3}(?:\(0\)[\s.-]{0,3})?|0)"
    r"(?:(?:[1-9](?:[\s.-]?\d{2}){4}|\d{2}(?:[\s.-]\d{3}){2})|\d{6}|\s\d{3}(?:\s\d{2}){3})$",
    re.ASCII,
)
_COURRIEL = re.compile(
    r"^(?:[a-zA-Z0-9_][a-zA-Z0-9.!#$%&'*+\\=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])+(?:;|$))+$",
    re.ASCII,
)
_URL = re.compile(
    r"^[A-Za-z]{3,9}:(?://)?(?:[;:&=+$,\w-]+@)?[A-Za-z0-9.-]+"
    r"(?:(?:/[+~,%@/.\w_-]*)?\??[-+=&;%@.\w_]*#?[.!/\\\w]*)?$",
    re.ASCII,
)
_POSTAL_CODE = re.compile(r"\b(\d{5})\b", re.ASCII)
# The overseas numbers, written from France as 0 + 9 digits, and their country codes.
_OVERSEAS_PREFIXES = {
    "+262": ("0262", "0263", "0269", "0639", "0692", "0693"),  # La Réunion, Mayotte
    "+590": ("0590", "0690", "0691"),  # Guadeloupe
    "+594": ("0594", "0694"),  # Guyane
    "+596": ("0596", "0696", "0697"),  # Martinique
}


def _kept(text, allowed):
    """``text`` with every character outside ``allowed`` (a regex class body) turned into a space, spaces
    collapsed: « Château-Chinon (Ville) » stays, « 12 rue « du Port » » becomes « 12 rue du Port »."""
    cleaned = re.sub(f"[^{allowed}]", " ", text)
    return " ".join(cleaned.split())


def _listed(values, mapping):
    """The schema's strings for ``values``, in the order of ``mapping``, joined by « | »; a value without a
    mapping is logged and left out (tests/overview/test_schema_lieux.py checks every one of ours has one)."""
    values = set(values)
    for unknown in values - set(mapping):
        logger.warning("Valeur sans équivalent dans le schéma national : %r", unknown)
    return SEPARATOR.join(label for value, label in mapping.items() if value in values)


def identity(lieu):
    structure = lieu.structure
    return {
        "id": f"maillage-lieu-{lieu.pk}",
        "pivot": structure.siret.replace(" ", "") or NO_PIVOT,
        "nom": " ".join(lieu.name.split()),
        "typologie": TYPOLOGIES.get(structure.kind),
        "structure_parente": structure.name,
        "source": SOURCE,
    }


def postal_code(lieu):
    """The postal code written in the lieu's address when it is one of its commune's, else its commune's first."""
    codes = lieu.commune.postal_codes.split()
    typed = [code for code in _POSTAL_CODE.findall(lieu.address) if code in codes]
    return typed[0] if typed else (codes[0] if codes else None)


def address(lieu):
    """The schema's address; a lieu without a street address (a bus, a permanence in a village) gives its
    commune's name, which the schema requires and which is true."""
    commune = _kept(lieu.commune.name, _COMMUNE_CHARS)
    return {
        "commune": commune,
        "code_postal": postal_code(lieu),
        "code_insee": lieu.commune.code,
        "adresse": _kept(lieu.address, _VOIE_CHARS) or commune,
    }


def position(lieu):
    return {"latitude": lieu.latitude, "longitude": lieu.longitude}


def telephone(text):
    """``04 77 12 34 56`` → ``+33477123456``, ``0262 12 34 56`` → ``+262262123456``: the international form
    the schema asks for; None for a number the library would refuse."""
    text = text.replace("(0)", "")
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+"):
        number = f"+{digits}"
    elif digits.startswith("00"):
        number = f"+{digits[2:]}"
    elif len(digits) == 10 and digits.startswith("0"):
        country = next((code for code, prefixes in _OVERSEAS_PREFIXES.items() if digits.startswith(prefixes)), "+33")
        number = f"{country}{digits[1:]}"
    else:
        return None
    return number if _TELEPHONE.match(number) else None


def url(text):
    """``text`` with its non-ASCII characters percent-encoded (the same address), or None if the library's
    pattern still refuses it."""
    encoded = iri_to_uri(text.strip())
    return encoded if encoded and _URL.match(encoded) else None


def contact(lieu):
    email = lieu.public_email.strip()
    return {
        "telephone": telephone(lieu.public_phone) if lieu.public_phone else None,
        "courriels": email if _COURRIEL.match(email) else None,
        "site_web": url(lieu.structure.website) if lieu.structure.website else None,
        "prise_rdv": url(lieu.booking_url) if lieu.booking_url else None,
    }


def presentation(lieu):
    """The structure's presentation, then what the lieu says of its hours (« fermé en août »)."""
    parts = [lieu.structure.presentation.strip()]
    if lieu.hours_note.strip():
        parts.append(f"Horaires : {lieu.hours_note.strip()}")
    return {"presentation_detail": "\n\n".join(part for part in parts if part)}


def hours(lieu, *, today):
    """The OSM ``opening_hours`` of the lieu's page, public holidays (``PH off``) and closures not over included:
    local times of the lieu's département, as OpenStreetMap reads them. The library accepts any string here."""
    return {"horaires": osm_opening_hours(lieu.opening_slots.all(), lieu.closures.all(), today=today) or None}


def offer(lieu):
    """Services and publics of the lieu's structure, how one comes and is helped, what it costs."""
    structure = lieu.structure
    publics = structure.publics.all()
    return {
        "services": _listed(
            [domain.slug for domain in structure.services.all() if domain.slug not in NOT_SERVICES], SERVICES
        ),
        "publics_specifiquement_adresses": _listed(
            [public.slug for public in publics if public.kind == PublicKind.PUBLIC], PUBLICS
        ),
        "prise_en_charge_specifique": _listed(
            [public.slug for public in publics if public.kind == PublicKind.SPECIFIC_SUPPORT], SPECIFIC_SUPPORTS
        ),
        "frais_a_charge": _listed([lieu.fees], FEES),
        "itinerance": "Itinérant" if lieu.itinerant else "Fixe",
        "dispositif_programmes_nationaux": _listed(structure.dispositifs, DISPOSITIFS),
        "modalites_acces": _listed(lieu.access_modes, ACCESS_MODES),
        "modalites_accompagnement": _listed(lieu.support_modes, SUPPORT_MODES),
    }


def updated_on(lieu, zone):
    """The day the lieu or its structure (its services, its publics) last changed, on the département's clocks."""
    changed = max(lieu.updated_at, lieu.structure.updated_at)
    return {"date_maj": changed.astimezone(zone).date().isoformat()}


def record(lieu, *, today, zone):
    """The schema's record of ``lieu`` (with ``structure`` and ``commune`` loaded, its slots, closures and its
    structure's services and publics prefetched), without its empty fields, in the schema's order."""
    values = {
        **identity(lieu),
        **address(lieu),
        **position(lieu),
        **contact(lieu),
        **presentation(lieu),
        **hours(lieu, today=today),
        **offer(lieu),
        **updated_on(lieu, zone),
    }
    return {field: values[field] for field in FIELDS if values.get(field) not in (None, "")}


def local_today(departement):
    """Today on the département's clocks (La Réunion is ahead of Paris)."""
    return datetime.now(ZoneInfo(departement.timezone)).date()


def records(lieux, departement):
    zone, today = ZoneInfo(departement.timezone), local_today(departement)
    return [record(lieu, today=today, zone=zone) for lieu in lieux]


def csv_cells(values):
    """One CSV row for the record ``values``. The national CSV is a data format that harvesters read as is,
    so what the site writes (codes, numbers, « +33… » phones, lists, dates, URLs) is never altered, even
    where it starts with « + ». Text typed by members (names, address, presentation) that starts like a
    spreadsheet formula (« = », « + », « - », « @ ») gets the leading apostrophe of every export of the site
    (common/exports.py): such a name is an attack on whoever opens the file in a spreadsheet rather than a
    real name, and the JSON keeps it exactly."""
    cells = []
    for field in FIELDS:
        value = values.get(field)
        if value is None:
            cells.append("")
        elif field in FREE_TEXT_FIELDS:
            cells.append(neutralise(value))
        else:
            cells.append(value)
    return cells
