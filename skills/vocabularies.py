"""Seed vocabularies, from the national "schéma des lieux de médiation numérique".

Labels are kept exactly as the national data writes them, so that exports stay compatible.
"""

SERVICES = [
    ("aide-aux-demarches-administratives", "Aide aux démarches administratives"),
    ("maitrise-des-outils-numeriques-du-quotidien", "Maîtrise des outils numériques du quotidien"),
    ("insertion-professionnelle-via-le-numerique", "Insertion professionnelle via le numérique"),
    ("utilisation-securisee-du-numerique", "Utilisation sécurisée du numérique"),
    ("parentalite-et-education-avec-le-numerique", "Parentalité et éducation avec le numérique"),
    ("loisirs-et-creations-numeriques", "Loisirs et créations numériques"),
    ("comprehension-du-monde-numerique", "Compréhension du monde numérique"),
    ("acces-internet-et-materiel-informatique", "Accès internet et matériel informatique"),
    (
        "acquisition-de-materiel-informatique-a-prix-solidaire",
        "Acquisition de matériel informatique à prix solidaire",
    ),
]
CRAFT = [("metier-de-la-mediation", "Le métier de la médiation numérique")]

PUBLICS = [
    ("jeunes", "Jeunes"),
    ("etudiants", "Étudiants"),
    ("familles-enfants", "Familles et/ou enfants"),
    ("seniors", "Seniors"),
    ("femmes", "Femmes"),
]
SPECIFIC_SUPPORTS = [
    ("surdite", "Surdité"),
    ("handicaps-moteurs", "Handicaps moteurs"),
    ("handicaps-mentaux", "Handicaps mentaux"),
    ("illettrisme", "Illettrisme"),
    ("langues-etrangeres-anglais", "Langues étrangères (anglais)"),
    ("langues-etrangeres-autres", "Langues étrangères (autres)"),
    ("deficience-visuelle", "Déficience visuelle"),
]

# Languages an advisor may speak with the people they help: French, sign and regional
# languages of France, and the languages most often met in the field.
LANGUAGES = [
    ("fr", "français"),
    ("lsf", "langue des signes française (LSF)"),
    ("en", "anglais"),
    ("es", "espagnol"),
    ("pt", "portugais"),
    ("it", "italien"),
    ("de", "allemand"),
    ("ar", "arabe"),
    ("ber", "berbère (tamazight)"),
    ("tr", "turc"),
    ("ro", "roumain"),
    ("ru", "russe"),
    ("uk", "ukrainien"),
    ("pl", "polonais"),
    ("zh", "chinois"),
    ("vi", "vietnamien"),
    ("wo", "wolof"),
    ("ps", "pachto"),
    ("fa", "persan (dari, farsi)"),
    ("ta", "tamoul"),
    ("gcf", "créole guadeloupéen ou martiniquais"),
    ("gcr", "créole guyanais"),
    ("rcf", "créole réunionnais"),
    ("swb", "shimaoré (mahorais)"),
    ("br", "breton"),
    ("oc", "occitan"),
    ("eu", "basque"),
    ("co", "corse"),
    ("ca", "catalan"),
    ("gsw", "alsacien"),
]
