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

# Thématiques d'accompagnement of the national schéma, grouped under the service they serve,
# and the advisors' own craft. (slug, name) per domain slug.
SKILLS = {
    "aide-aux-demarches-administratives": [
        ("papiers-elections-citoyennete", "Papiers - Élections - Citoyenneté"),
        ("famille-scolarite", "Famille - Scolarité"),
        ("social-sante", "Social - Santé"),
        ("travail-formation-entreprise", "Travail - Formation - Entreprise"),
        ("logement", "Logement"),
        ("transports-mobilite", "Transports - Mobilité"),
        ("argent-impots", "Argent - Impôts"),
        ("justice", "Justice"),
        ("etrangers-europe", "Étrangers - Europe"),
    ],
    "maitrise-des-outils-numeriques-du-quotidien": [
        ("diagnostic-numerique", "Diagnostic numérique"),
        ("prendre-en-main-du-materiel", "Prendre en main du matériel"),
        ("gerer-ses-contenus-numeriques", "Gérer ses contenus numériques"),
        ("navigation-sur-internet", "Navigation sur internet"),
        ("e-mail", "E-mail"),
        ("bureautique", "Bureautique"),
        ("reseaux-sociaux", "Réseaux sociaux"),
        ("sante", "Santé"),
        ("banque-et-achats-en-ligne", "Banque et achats en ligne"),
    ],
    "insertion-professionnelle-via-le-numerique": [
        ("insertion-professionnelle", "Insertion professionnelle"),
        ("accompagner-un-professionnel", "Accompagner un professionnel"),
    ],
    "utilisation-securisee-du-numerique": [
        ("prevention-en-securite-numerique", "Prévention en sécurité numérique"),
    ],
    "parentalite-et-education-avec-le-numerique": [
        ("parentalite", "Parentalité"),
        ("scolarite-et-numerique", "Scolarité et numérique"),
    ],
    "loisirs-et-creations-numeriques": [
        ("creer-avec-le-numerique", "Créer avec le numérique"),
    ],
    "comprehension-du-monde-numerique": [
        ("culture-numerique", "Culture numérique"),
        ("intelligence-artificielle", "Intelligence artificielle"),
    ],
    "acces-internet-et-materiel-informatique": [
        ("maintenance-de-materiel", "Maintenance de matériel"),
    ],
    "metier-de-la-mediation": [
        ("animation-d-ateliers-collectifs", "Animation d’ateliers collectifs"),
        ("pedagogie", "Pédagogie"),
        ("outils-collaboratifs", "Outils collaboratifs"),
        ("fabrication-numerique", "Fabrication numérique"),
        ("accompagnement-des-publics-allophones", "Accompagnement des publics allophones"),
        ("orientation-des-publics", "Orientation des publics"),
    ],
}
