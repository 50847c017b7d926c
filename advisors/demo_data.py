"""The hand-written content of the Loire demo: structures, their lieux and hours, promos and profiles.

Invented structures placed in real communes of the Loire (INSEE codes), each EPCI having
at least one. Nothing here claims to describe a real organisation: addresses are ordinary
street names, websites end in the reserved ``.example`` domain, and telephone numbers are
taken from the range the ARCEP keeps for fiction (04 65 71 xx xx).

Opening hours are written the OpenStreetMap way, ``"Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00"``.
"""

from dataclasses import dataclass

from advisors.enums import AccessMode, AdvisorRole, Dispositif, Fees, StructureKind, SupportMode, Visibility

# Perimeters: the structure's own commune, its whole EPCI, the whole département, or a
# tuple of INSEE codes (communes) and SIRENs (every commune of that EPCI in the département).
OWN_COMMUNE = "commune"
OWN_EPCI = "epci"
WHOLE_DEPARTEMENT = "departement"

# Services (skills.Domain slugs) and publics (skills.Public slugs), from skills/vocabularies.py.
DEMARCHES = "aide-aux-demarches-administratives"
QUOTIDIEN = "maitrise-des-outils-numeriques-du-quotidien"
INSERTION = "insertion-professionnelle-via-le-numerique"
SECURITE = "utilisation-securisee-du-numerique"
PARENTALITE = "parentalite-et-education-avec-le-numerique"
CREATION = "loisirs-et-creations-numeriques"
CULTURE = "comprehension-du-monde-numerique"
ACCES = "acces-internet-et-materiel-informatique"
MATERIEL = "acquisition-de-materiel-informatique-a-prix-solidaire"
METIER = "metier-de-la-mediation"

JEUNES, ETUDIANTS, FAMILLES, SENIORS, FEMMES = "jeunes", "etudiants", "familles-enfants", "seniors", "femmes"
SURDITE, MOTEUR, MENTAL = "surdite", "handicaps-moteurs", "handicaps-mentaux"
ILLETTRISME, ANGLAIS, AUTRES_LANGUES, VISUEL = (
    "illettrisme",
    "langues-etrangeres-anglais",
    "langues-etrangeres-autres",
    "deficience-visuelle",
)

WALK_IN, PHONE, EMAIL, BOOKING = AccessMode.WALK_IN, AccessMode.PHONE, AccessMode.EMAIL, AccessMode.ONLINE_BOOKING
AUTONOMOUS, INDIVIDUAL, WORKSHOP, REMOTE = (
    SupportMode.AUTONOMOUS,
    SupportMode.INDIVIDUAL,
    SupportMode.WORKSHOP,
    SupportMode.REMOTE,
)
CNFS, FRANCE_SERVICES, AIDANTS_CONNECT = (
    Dispositif.CONSEILLERS_NUMERIQUES,
    Dispositif.FRANCE_SERVICES,
    Dispositif.AIDANTS_CONNECT,
)

SAINT_ETIENNE_METROPOLE, LOIRE_FOREZ, FOREZ_EST = "244200770", "200065886", "200065894"


@dataclass(frozen=True)
class LieuSpec:
    name: str
    address: str
    hours: str  # OSM-like; empty for a lieu without regular hours
    commune: str = ""  # INSEE code; the structure's commune when empty
    access: tuple = (WALK_IN, PHONE)
    support: tuple = (INDIVIDUAL, WORKSHOP)
    fees: str = Fees.FREE
    reduced_mobility: bool = True
    itinerant: bool = False
    note: str = ""


@dataclass(frozen=True)
class StructureSpec:
    key: str  # stable identifier: mailbox, website and SIRET derive from it
    name: str
    kind: str
    commune: str
    address: str
    presentation: str
    perimeter: object
    services: tuple
    publics: tuple = ()
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
    visibility: str = Visibility.NETWORK
    co_animation: bool = False
    phone: bool = False
    chat: str = ""  # "mattermost" or "discord"
    promo: bool = True  # trained in a promo (the latest one finished before their arrival)
    intervention: object = ()  # explicit communes: OWN_EPCI or a tuple of INSEE codes


COHORTS = [
    CohortSpec("promo-cnfs-campus-loire-forez", "Campus numérique Loire-Forez", 1520, 100, cnfs=True),
    CohortSpec("promo-cnfs-ecole-mediation-rhone-alpes", "École de la médiation Rhône-Alpes", 1180, 90, cnfs=True),
    CohortSpec("promo-tremplin-numerique-solidaire", "Tremplin numérique solidaire (à distance)", 800, 75),
    CohortSpec("promo-ateliers-du-forez", "Les Ateliers du Forez", 520, 70),
    CohortSpec("promo-campus-loire-forez-recente", "Campus numérique Loire-Forez", 200, 75),
]

STRUCTURES = [
    StructureSpec(
        key="departement-loire",
        name="Département de la Loire — inclusion numérique",
        kind=StructureKind.DEPARTEMENT,
        commune="42218",
        address="2 rue de la Préfecture",
        presentation=(
            "Le service inclusion numérique du Département coordonne le réseau des conseillers et médiateurs "
            "numériques de la Loire : rencontres, formations, Fête du numérique, cartographie des lieux."
        ),
        perimeter=WHOLE_DEPARTEMENT,
        services=(DEMARCHES, QUOTIDIEN, CULTURE, METIER),
        publics=(SENIORS, FAMILLES, JEUNES),
        dispositifs=(CNFS,),
        lieux=(
            LieuSpec(
                "Pôle inclusion numérique du Département",
                "2 rue de la Préfecture",
                "Mo-Fr 09:00-12:00,13:30-17:00",
                access=(PHONE, EMAIL),
                support=(INDIVIDUAL, REMOTE),
                note="Sur rendez-vous : l’accueil du public se fait dans les lieux du réseau.",
            ),
            LieuSpec(
                "Antenne départementale de Roanne",
                "10 rue Anatole-France",
                "Th 09:00-12:00,13:30-16:30",
                commune="42187",
                access=(PHONE, EMAIL),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="hub-numerique-loire",
        name="Hub numérique Loire",
        kind=StructureKind.ASSOCIATION,
        commune="42218",
        address="15 rue de la Montat",
        presentation=(
            "Association qui outille les médiateurs du sud de la Loire : formations, supports d’ateliers en "
            "licence libre, cafés-visio mensuels et prêt de matériel pour les ateliers itinérants."
        ),
        perimeter=(SAINT_ETIENNE_METROPOLE, LOIRE_FOREZ, FOREZ_EST),
        services=(METIER, CULTURE, SECURITE),
        dispositifs=(CNFS,),
        siret=True,
        lieux=(
            LieuSpec(
                "Hub numérique Loire — plateau de formation",
                "15 rue de la Montat",
                "Mo-Th 09:00-12:30,14:00-17:30",
                access=(EMAIL, PHONE),
                support=(WORKSHOP, REMOTE),
            ),
        ),
    ),
    StructureSpec(
        key="mediatheque-saint-etienne",
        name="Médiathèque de Saint-Étienne",
        kind=StructureKind.MEDIATHEQUE,
        commune="42218",
        address="24 rue Jo-Gouttebarge",
        presentation=(
            "Espace multimédia en accès libre, ateliers d’initiation pour tous les âges, aide aux démarches "
            "sur rendez-vous et passage de la certification Pix."
        ),
        perimeter=OWN_COMMUNE,
        services=(QUOTIDIEN, DEMARCHES, CREATION, CULTURE, ACCES),
        publics=(SENIORS, FAMILLES, JEUNES, SURDITE, VISUEL),
        dispositifs=(CNFS, Dispositif.PIX),
        lieux=(
            LieuSpec(
                "Espace multimédia de la médiathèque",
                "24 rue Jo-Gouttebarge",
                "Tu-Fr 10:00-12:30,13:30-18:00; Sa 10:00-17:00",
                access=(WALK_IN, PHONE, BOOKING),
                support=(AUTONOMOUS, INDIVIDUAL, WORKSHOP),
                note="Fermé le samedi en août.",
            ),
            LieuSpec(
                "Point lecture et numérique de Montreynaud",
                "4 place de l’Europe",
                "We 14:00-17:30",
                access=(WALK_IN,),
                support=(INDIVIDUAL, WORKSHOP),
            ),
        ),
    ),
    StructureSpec(
        key="centre-social-passerelles",
        name="Centre social Les Passerelles",
        kind=StructureKind.CENTRE_SOCIAL,
        commune="42218",
        address="8 rue du Soleil",
        presentation=(
            "Centre social de quartier : accueil des familles, ateliers parents-enfants, français et numérique "
            "pour les personnes allophones, Point d’accès numérique CAF."
        ),
        perimeter=OWN_COMMUNE,
        services=(DEMARCHES, PARENTALITE, QUOTIDIEN, ACCES),
        publics=(FAMILLES, FEMMES, AUTRES_LANGUES, ILLETTRISME),
        dispositifs=(CNFS, Dispositif.PAN_CAF, Dispositif.PROMENEURS_DU_NET),
        siret=True,
        lieux=(
            LieuSpec(
                "Centre social Les Passerelles",
                "8 rue du Soleil",
                "Mo-Fr 09:00-12:00,14:00-18:00",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, WORKSHOP, AUTONOMOUS),
            ),
            LieuSpec(
                "Permanence à la résidence autonomie du Soleil",
                "21 rue de la Résistance",
                "Tu 14:00-16:30",
                access=(WALK_IN,),
                support=(INDIVIDUAL, WORKSHOP),
            ),
        ),
    ),
    StructureSpec(
        key="ccas-saint-chamond",
        name="CCAS de Saint-Chamond",
        kind=StructureKind.CCAS,
        commune="42207",
        address="1 place de l’Hôtel-de-Ville",
        presentation="Le centre communal d’action sociale accompagne les démarches en ligne des personnes isolées.",
        perimeter=OWN_COMMUNE,
        services=(DEMARCHES, QUOTIDIEN),
        publics=(SENIORS, MOTEUR, ILLETTRISME),
        dispositifs=(CNFS, AIDANTS_CONNECT),
        lieux=(
            LieuSpec(
                "CCAS de Saint-Chamond — accueil",
                "1 place de l’Hôtel-de-Ville",
                "Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="france-services-firminy",
        name="France Services de Firminy",
        kind=StructureKind.FRANCE_SERVICES,
        commune="42095",
        address="3 rue Jean-Jaurès",
        presentation="Un guichet pour les démarches de neuf opérateurs publics, avec un accompagnement numérique.",
        perimeter=("42095", "42316", "42099", "42183", "42189"),
        services=(DEMARCHES, QUOTIDIEN, INSERTION),
        publics=(SENIORS, JEUNES, AUTRES_LANGUES),
        dispositifs=(FRANCE_SERVICES, CNFS, AIDANTS_CONNECT),
        lieux=(
            LieuSpec(
                "France Services de Firminy",
                "3 rue Jean-Jaurès",
                "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00",
                access=(WALK_IN, PHONE, BOOKING),
                support=(INDIVIDUAL, WORKSHOP),
            ),
            LieuSpec(
                "Permanence France Services en mairie d’Unieux",
                "place de la Mairie",
                "Tu 09:00-12:00",
                commune="42316",
                access=(PHONE, BOOKING),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="pimms-rive-de-gier",
        name="PIMMS Médiation de Rive-de-Gier",
        kind=StructureKind.PIMMS,
        commune="42186",
        address="12 rue de la République",
        presentation=(
            "Point d’information et de médiation multi-services : énergie, transports, démarches CAF et "
            "France Travail, avec un espace numérique en libre accès."
        ),
        perimeter=("42186", "42123", "42225", "42053", "42242", "42259", "42103", "42307"),
        services=(DEMARCHES, ACCES, QUOTIDIEN),
        publics=(FAMILLES, AUTRES_LANGUES, ILLETTRISME),
        dispositifs=(CNFS, AIDANTS_CONNECT, Dispositif.PAN_CAF),
        siret=True,
        lieux=(
            LieuSpec(
                "PIMMS de Rive-de-Gier",
                "12 rue de la République",
                "Mo-Fr 08:30-12:30,13:30-17:00",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, AUTONOMOUS),
            ),
            LieuSpec(
                "Permanence PIMMS à Lorette",
                "salle des associations, rue Pasteur",
                "Th 14:00-17:00",
                commune="42123",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL,),
                reduced_mobility=False,
            ),
        ),
    ),
    StructureSpec(
        key="fablab-etabli",
        name="L’Établi — fablab stéphanois",
        kind=StructureKind.FABLAB,
        commune="42218",
        address="5 rue Javelin-Pagnon",
        presentation=(
            "Atelier de fabrication numérique associatif : impression 3D, découpe laser, électronique, "
            "repair cafés et ateliers de découverte pour les jeunes."
        ),
        perimeter=OWN_EPCI,
        services=(CREATION, CULTURE, MATERIEL),
        publics=(JEUNES, ETUDIANTS),
        dispositifs=(CNFS,),
        siret=True,
        lieux=(
            LieuSpec(
                "L’Établi — atelier",
                "5 rue Javelin-Pagnon",
                "We 14:00-20:00; Th 17:00-21:00; Sa 10:00-18:00",
                access=(WALK_IN, EMAIL),
                support=(AUTONOMOUS, WORKSHOP),
                fees=Fees.FREE_UNDER_CONDITIONS,
                note="Adhésion annuelle à prix libre pour utiliser les machines.",
            ),
        ),
    ),
    StructureSpec(
        key="clic-et-partage",
        name="Association Clic et partage",
        kind=StructureKind.ASSOCIATION,
        commune="42005",
        address="7 avenue de Saint-Étienne",
        presentation="Des bénévoles et une médiatrice salariée pour aider les seniors à apprivoiser le numérique.",
        perimeter=("42005", "42211", "42324", "42206", "42022"),
        services=(QUOTIDIEN, SECURITE),
        publics=(SENIORS,),
        siret=True,
        lieux=(
            LieuSpec(
                "Local de Clic et partage",
                "7 avenue de Saint-Étienne",
                "Tu,Th 14:00-17:30",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, WORKSHOP),
            ),
        ),
    ),
    StructureSpec(
        key="epn-chambon-feugerolles",
        name="Espace public numérique du Chambon-Feugerolles",
        kind=StructureKind.EPN,
        commune="42044",
        address="2 rue Victor-Hugo",
        presentation=(
            "Postes en libre accès, ateliers bureautique et recherche d’emploi, club de code pour les collégiens."
        ),
        perimeter=OWN_COMMUNE,
        services=(ACCES, QUOTIDIEN, INSERTION, CREATION),
        publics=(JEUNES, SENIORS),
        dispositifs=(CNFS,),
        lieux=(
            LieuSpec(
                "Espace public numérique",
                "2 rue Victor-Hugo",
                "Tu,Th,Fr 13:30-18:00; We 09:00-12:00,13:30-18:00; Sa 09:00-12:00",
                access=(WALK_IN,),
                support=(AUTONOMOUS, INDIVIDUAL, WORKSHOP),
            ),
        ),
    ),
    StructureSpec(
        key="france-services-roanne",
        name="France Services de Roanne",
        kind=StructureKind.FRANCE_SERVICES,
        commune="42187",
        address="28 rue Charles-de-Gaulle",
        presentation="Accueil, information et accompagnement dans les démarches administratives du quotidien.",
        perimeter=("42187", "42184", "42127", "42071", "42332"),
        services=(DEMARCHES, QUOTIDIEN, INSERTION),
        publics=(SENIORS, JEUNES, AUTRES_LANGUES, ANGLAIS),
        dispositifs=(FRANCE_SERVICES, CNFS, AIDANTS_CONNECT),
        lieux=(
            LieuSpec(
                "France Services de Roanne",
                "28 rue Charles-de-Gaulle",
                "Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00",
                access=(WALK_IN, PHONE, BOOKING),
                support=(INDIVIDUAL, WORKSHOP),
            ),
            LieuSpec(
                "Permanence à la maison de quartier du Parc",
                "6 rue des Tilleuls",
                "We 09:00-12:00",
                access=(WALK_IN,),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="ccas-roanne",
        name="CCAS de Roanne",
        kind=StructureKind.CCAS,
        commune="42187",
        address="9 rue Molière",
        presentation="Accompagnement numérique des personnes âgées et isolées, au CCAS ou à domicile.",
        perimeter=OWN_COMMUNE,
        services=(DEMARCHES, QUOTIDIEN),
        publics=(SENIORS, MOTEUR, VISUEL),
        dispositifs=(CNFS, AIDANTS_CONNECT),
        lieux=(
            LieuSpec(
                "CCAS de Roanne — point numérique",
                "9 rue Molière",
                "Mo-Fr 09:00-12:00,13:30-16:30",
                access=(PHONE, WALK_IN),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="mediatheque-riorges",
        name="Médiathèque de Riorges",
        kind=StructureKind.MEDIATHEQUE,
        commune="42184",
        address="allée du Château",
        presentation="Liseuses, ressources en ligne, postes en accès libre et initiations à internet.",
        perimeter=OWN_COMMUNE,
        services=(QUOTIDIEN, CREATION, ACCES),
        publics=(SENIORS, FAMILLES),
        lieux=(
            LieuSpec(
                "Médiathèque de Riorges",
                "allée du Château",
                "Tu 14:00-18:00; We 10:00-12:00,14:00-18:00; Fr 14:00-18:00; Sa 10:00-16:00",
                access=(WALK_IN, PHONE),
                support=(AUTONOMOUS, WORKSHOP),
            ),
        ),
    ),
    StructureSpec(
        key="roannais-agglomeration",
        name="Roannais Agglomération — service inclusion numérique",
        kind=StructureKind.EPCI,
        commune="42187",
        address="63 rue Jean-Jaurès",
        presentation=(
            "Les médiateurs de l’agglomération se déplacent dans les mairies des communes rurales, "
            "sur rendez-vous, pour les démarches et la prise en main du matériel."
        ),
        perimeter=OWN_EPCI,
        services=(DEMARCHES, QUOTIDIEN, SECURITE),
        publics=(SENIORS, FAMILLES),
        dispositifs=(CNFS,),
        lieux=(
            LieuSpec(
                "Point numérique de l’agglomération",
                "63 rue Jean-Jaurès",
                "Mo-Fr 09:00-12:00,14:00-17:00",
                access=(PHONE, EMAIL, BOOKING),
                support=(INDIVIDUAL, REMOTE),
            ),
        ),
    ),
    StructureSpec(
        key="mediatheque-montbrison",
        name="Médiathèque de Montbrison",
        kind=StructureKind.MEDIATHEQUE,
        commune="42147",
        address="1 place Eugène-Baune",
        presentation="Espace numérique, café numérique du samedi et ateliers pour les associations du Forez.",
        perimeter=("42147", "42299", "42046", "42180"),
        services=(QUOTIDIEN, CREATION, SECURITE, CULTURE),
        publics=(SENIORS, JEUNES, FAMILLES),
        dispositifs=(CNFS, Dispositif.PIX),
        lieux=(
            LieuSpec(
                "Médiathèque de Montbrison — espace numérique",
                "1 place Eugène-Baune",
                "Tu 14:00-18:30; We 10:00-12:30,14:00-18:30; Fr 14:00-18:30; Sa 10:00-12:30,14:00-17:00",
                access=(WALK_IN, PHONE),
                support=(AUTONOMOUS, INDIVIDUAL, WORKSHOP),
            ),
            LieuSpec(
                "Antenne de Savigneux",
                "rue de la Mairie",
                "Sa 09:00-12:00",
                commune="42299",
                access=(WALK_IN,),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="grange-numerique",
        name="La Grange numérique",
        kind=StructureKind.TIERS_LIEU,
        commune="42279",
        address="14 chemin des Vernes",
        presentation=(
            "Tiers-lieu : coworking, ateliers du soir pour les actifs, accompagnement des petites "
            "entreprises du secteur."
        ),
        perimeter=("42279", "42022", "42211", "42075", "42256"),
        services=(INSERTION, QUOTIDIEN, CREATION),
        publics=(ETUDIANTS, JEUNES, FEMMES),
        siret=True,
        lieux=(
            LieuSpec(
                "La Grange numérique",
                "14 chemin des Vernes",
                "Tu-Fr 09:00-18:00",
                access=(WALK_IN, EMAIL, BOOKING),
                support=(AUTONOMOUS, WORKSHOP, INDIVIDUAL),
                fees=Fees.FREE_UNDER_CONDITIONS,
                note="Coworking payant ; ateliers et accompagnement gratuits.",
            ),
        ),
    ),
    StructureSpec(
        key="centre-social-sury",
        name="Centre social de Sury-le-Comtal",
        kind=StructureKind.CENTRE_SOCIAL,
        commune="42304",
        address="5 rue de l’Église",
        presentation="Accueil des familles, ateliers parents-enfants et accompagnement individuel au numérique.",
        perimeter=("42304", "42285", "42020", "42108"),
        services=(PARENTALITE, DEMARCHES, QUOTIDIEN),
        publics=(FAMILLES, JEUNES, FEMMES),
        dispositifs=(CNFS, Dispositif.PAN_CAF),
        siret=True,
        lieux=(
            LieuSpec(
                "Centre social de Sury-le-Comtal",
                "5 rue de l’Église",
                "Mo-Fr 09:00-12:00,14:00-18:00",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, WORKSHOP),
            ),
        ),
    ),
    StructureSpec(
        key="france-services-feurs",
        name="France Services de Feurs",
        kind=StructureKind.FRANCE_SERVICES,
        commune="42094",
        address="11 rue de la Loire",
        presentation="France Services de Forez-Est, à Feurs et en permanence à Panissières et Balbigny.",
        perimeter=OWN_EPCI,
        services=(DEMARCHES, INSERTION, QUOTIDIEN),
        publics=(SENIORS, JEUNES, MOTEUR, MENTAL),
        dispositifs=(FRANCE_SERVICES, CNFS, AIDANTS_CONNECT),
        lieux=(
            LieuSpec(
                "France Services de Feurs",
                "11 rue de la Loire",
                "Mo-Fr 08:30-12:00,13:30-17:00",
                access=(WALK_IN, PHONE, BOOKING),
                support=(INDIVIDUAL, WORKSHOP),
            ),
            LieuSpec(
                "Permanence France Services à Panissières",
                "mairie, place de la Mairie",
                "We 09:00-12:00",
                commune="42165",
                access=(PHONE, BOOKING),
                support=(INDIVIDUAL,),
            ),
            LieuSpec(
                "Permanence France Services à Balbigny",
                "salle du conseil, mairie",
                "Fr 13:30-16:30",
                commune="42011",
                access=(PHONE, BOOKING),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="mjc-veauche",
        name="MJC de Veauche",
        kind=StructureKind.MJC,
        commune="42323",
        address="3 rue des Écoles",
        presentation=(
            "Photo, vidéo, montage, éducation aux médias : le numérique côté création, pour les jeunes et les adultes."
        ),
        perimeter=OWN_COMMUNE,
        services=(CREATION, CULTURE, INSERTION),
        publics=(JEUNES, ETUDIANTS),
        dispositifs=(CNFS, Dispositif.PROMENEURS_DU_NET),
        siret=True,
        lieux=(
            LieuSpec(
                "MJC de Veauche — salle numérique",
                "3 rue des Écoles",
                "Mo,Tu,Th,Fr 16:00-19:00; We 10:00-12:00,14:00-19:00; Sa 10:00-12:00",
                access=(WALK_IN, PHONE, EMAIL),
                support=(WORKSHOP, INDIVIDUAL),
                fees=Fees.PAID,
                note="Ateliers réservés aux adhérents (cotisation annuelle) ; fermé pendant les vacances d’été.",
            ),
        ),
    ),
    StructureSpec(
        key="mairie-charlieu",
        name="Mairie de Charlieu — espace numérique",
        kind=StructureKind.COMMUNE,
        commune="42052",
        address="place de la Bouverie",
        presentation="L’espace numérique de la mairie, et une permanence hebdomadaire à Pouilly-sous-Charlieu.",
        perimeter=OWN_COMMUNE,
        services=(DEMARCHES, QUOTIDIEN, SECURITE),
        publics=(SENIORS,),
        dispositifs=(CNFS, AIDANTS_CONNECT),
        website=False,
        lieux=(
            LieuSpec(
                "Espace numérique de la mairie de Charlieu",
                "place de la Bouverie",
                "Mo-Fr 09:00-12:00; Tu,Th 14:00-17:00",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, AUTONOMOUS),
                reduced_mobility=False,
                note="Au premier étage, sans ascenseur : rendez-vous possible au rez-de-chaussée.",
            ),
            LieuSpec(
                "Permanence numérique à Pouilly-sous-Charlieu",
                "salle annexe de la mairie",
                "We 14:00-17:00",
                commune="42177",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="mairie-chevrieres",
        name="Mairie de Chevrières",
        kind=StructureKind.COMMUNE,
        commune="42062",
        address="le Bourg",
        presentation="Un point numérique en mairie pour Chevrières et les villages voisins des Monts du Lyonnais.",
        perimeter=("42062", "42102", "42138", "42216"),
        services=(DEMARCHES, ACCES),
        publics=(SENIORS,),
        dispositifs=(AIDANTS_CONNECT,),
        website=False,
        lieux=(
            LieuSpec(
                "Point numérique de la mairie de Chevrières",
                "le Bourg",
                "We 14:00-17:00; Sa 09:00-12:00",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, AUTONOMOUS),
            ),
        ),
    ),
    StructureSpec(
        key="france-services-saint-germain-laval",
        name="France Services de Saint-Germain-Laval",
        kind=StructureKind.FRANCE_SERVICES,
        commune="42230",
        address="2 rue du Pont",
        presentation="France Services des Vals d’Aix et Isable, et une salle numérique à Saint-Martin-la-Sauveté.",
        perimeter=OWN_EPCI,
        services=(DEMARCHES, QUOTIDIEN, ACCES),
        publics=(SENIORS, FAMILLES),
        dispositifs=(FRANCE_SERVICES, CNFS, AIDANTS_CONNECT),
        lieux=(
            LieuSpec(
                "France Services de Saint-Germain-Laval",
                "2 rue du Pont",
                "Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00",
                access=(WALK_IN, PHONE, BOOKING),
                support=(INDIVIDUAL,),
            ),
            LieuSpec(
                "Salle numérique de Saint-Martin-la-Sauveté",
                "ancienne école, le Bourg",
                "",
                commune="42260",
                access=(PHONE,),
                support=(INDIVIDUAL, WORKSHOP),
                note="Pas d’horaires fixes : sur rendez-vous, selon les ateliers programmés.",
            ),
        ),
    ),
    StructureSpec(
        key="monts-du-pilat",
        name="Communauté de communes des Monts du Pilat — bus France Services",
        kind=StructureKind.EPCI,
        commune="42023",
        address="9 rue du Stade",
        presentation=(
            "Un bus aménagé qui s’arrête chaque jour dans une commune des Monts du Pilat : démarches, "
            "prise en main du matériel, connexion internet."
        ),
        perimeter=OWN_EPCI,
        services=(DEMARCHES, QUOTIDIEN, ACCES),
        publics=(SENIORS, FAMILLES),
        dispositifs=(FRANCE_SERVICES, CNFS),
        lieux=tuple(
            LieuSpec(
                f"Bus France Services — étape de {town}",
                place,
                hours,
                commune=code,
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL,),
                itinerant=True,
                note="Le bus ne passe pas pendant les vacances de Noël.",
            )
            for town, code, place, hours in [
                ("Bourg-Argental", "42023", "place de la Liberté", "Mo 09:00-12:00,13:30-16:30"),
                ("Saint-Genest-Malifaux", "42224", "parking de la salle des fêtes", "Tu 09:00-12:00,13:30-16:30"),
                ("Marlhes", "42139", "place de l’Église", "We 09:00-12:00"),
                ("Jonzieux", "42115", "devant la mairie", "Th 09:00-12:00"),
            ]
        ),
    ),
    StructureSpec(
        key="centre-social-entre-loire-et-rhone",
        name="Centre social du Pays entre Loire et Rhône",
        kind=StructureKind.CENTRE_SOCIAL,
        commune="42289",
        address="4 rue du Commerce",
        presentation=(
            "Centre social intercommunal : accueil jeunes, familles, et permanences numériques dans les villages."
        ),
        perimeter=OWN_EPCI,
        services=(DEMARCHES, PARENTALITE, QUOTIDIEN),
        publics=(JEUNES, FAMILLES, SENIORS),
        dispositifs=(CNFS, Dispositif.PROMENEURS_DU_NET, Dispositif.PAN_CAF),
        siret=True,
        lieux=(
            LieuSpec(
                "Centre social — Saint-Symphorien-de-Lay",
                "4 rue du Commerce",
                "Mo-Fr 09:00-12:00,14:00-17:30",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, WORKSHOP),
            ),
            LieuSpec(
                "Permanence numérique à Régny",
                "salle des associations",
                "Th 14:00-17:00",
                commune="42181",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL,),
            ),
        ),
    ),
    StructureSpec(
        key="tiers-lieu-pays-urfe",
        name="Tiers-lieu du Pays d’Urfé",
        kind=StructureKind.TIERS_LIEU,
        commune="42248",
        address="la Grande Rue",
        presentation=(
            "Coworking rural, visio pour les télétravailleurs et ateliers d’initiation dans une ancienne grange."
        ),
        perimeter=OWN_EPCI,
        services=(ACCES, QUOTIDIEN, INSERTION),
        publics=(SENIORS, FAMILLES, SURDITE),
        siret=True,
        lieux=(
            LieuSpec(
                "Tiers-lieu du Pays d’Urfé",
                "la Grande Rue",
                "We-Fr 10:00-18:00; Sa 10:00-13:00",
                access=(WALK_IN, EMAIL),
                support=(AUTONOMOUS, WORKSHOP, INDIVIDUAL),
                reduced_mobility=False,
            ),
        ),
    ),
    StructureSpec(
        key="coup-de-pouce-numerique",
        name="Association Coup de pouce numérique",
        kind=StructureKind.ASSOCIATION,
        commune="42168",
        address="6 rue des Prairies",
        presentation=(
            "Reconditionnement d’ordinateurs donnés par les entreprises, remis à prix solidaire avec une "
            "initiation ; ateliers smartphone dans le Pilat rhodanien."
        ),
        perimeter=("42168", "42056", "42129", "42272", "42191", "42064"),
        services=(MATERIEL, QUOTIDIEN, ACCES),
        publics=(FAMILLES, SENIORS, ETUDIANTS),
        dispositifs=(Dispositif.EMMAUS_CONNECT,),
        siret=True,
        lieux=(
            LieuSpec(
                "Local de Coup de pouce numérique",
                "6 rue des Prairies",
                "Mo,Th 14:00-17:30",
                access=(WALK_IN, PHONE),
                support=(INDIVIDUAL, WORKSHOP),
                fees=Fees.FREE_UNDER_CONDITIONS,
                note="Matériel reconditionné sur justificatif de ressources.",
            ),
            LieuSpec(
                "Permanence à Chavanay",
                "salle Saint-Pierre",
                "Sa 09:30-12:00",
                commune="42056",
                access=(WALK_IN,),
                support=(INDIVIDUAL,),
                reduced_mobility=False,
            ),
        ),
    ),
]

C, M, A, OTHER = AdvisorRole.CONSEILLER, AdvisorRole.MEDIATEUR, AdvisorRole.AIDANT, AdvisorRole.OTHER
PUBLIC, COORDINATORS = Visibility.PUBLIC, Visibility.COORDINATORS

# The coordinators, then the demo member, then the 59 other members in the order of demo.py's
# names (Inès Martin, Karim Bernard…).
COORDINATOR_PROFILES = [
    ProfileSpec(
        "departement-loire",
        AdvisorRole.COORDINATEUR,
        1400,
        "Coordinatrice départementale de l’inclusion numérique. Je fais le lien entre les structures, "
        "j’organise les rencontres du réseau et la Fête du numérique. Écrivez-moi pour toute question sur le réseau.",
        permanences=(0, 1),
        languages=("en",),
        visibility=PUBLIC,
        phone=True,
        chat="mattermost",
        promo=False,
    ),
    ProfileSpec(
        "hub-numerique-loire",
        AdvisorRole.COORDINATEUR,
        1250,
        "Coordinateur au Hub numérique Loire : formations, supports partagés, cafés-visio du premier jeudi du mois. "
        "Votre contact pour co-organiser un atelier ou trouver un support.",
        languages=("ar", "en"),
        visibility=PUBLIC,
        co_animation=True,
        phone=True,
        chat="mattermost",
        promo=False,
    ),
]
DEMO_MEMBER_PROFILE = ProfileSpec(
    "mediatheque-saint-etienne",
    C,
    700,
    "Conseillère numérique à la médiathèque de Saint-Étienne : ateliers « découverte de la tablette », aide aux "
    "démarches le mardi et le jeudi après-midi, et un club photo numérique pour les seniors.",
    permanences=((0, "Tu 13:30-18:00"), (0, "Th 13:30-18:00")),
    co_animation=True,
    chat="mattermost",
)
MEMBER_PROFILES = [
    ProfileSpec(  # Inès Martin
        "france-services-roanne",
        C,
        980,
        "Conseillère numérique à France Services de Roanne. Je reçois surtout pour les démarches en ligne (CAF, "
        "retraite, ANTS) et j’anime un atelier mensuel « premiers pas sur smartphone ». Le mercredi matin, je tiens "
        "la permanence de la maison de quartier du Parc.",
        permanences=(0, 1),
        languages=("en",),
        visibility=PUBLIC,
        co_animation=True,
        phone=True,
    ),
    ProfileSpec(  # Karim Bernard
        "centre-social-passerelles",
        M,
        1200,
        "Médiateur numérique au centre social Les Passerelles. Ateliers collectifs pour les parents (Pronote, ENT, "
        "contrôle parental) et accompagnement individuel sur rendez-vous. Je parle arabe, ce qui aide beaucoup à "
        "l’accueil.",
        languages=("ar",),
        co_animation=True,
        chat="mattermost",
    ),
    ProfileSpec(  # Sophie Dubois
        "mediatheque-montbrison",
        C,
        1300,
        "À la médiathèque de Montbrison, je m’occupe de l’espace numérique et des ateliers seniors : tablette, "
        "photos, visio avec la famille. Le samedi matin, je suis à l’antenne de Savigneux.",
        permanences=(0, 1),
        languages=("en",),
        visibility=PUBLIC,
        co_animation=True,
    ),
    ProfileSpec(  # Julien Moulin
        "fablab-etabli",
        M,
        700,
        "Fabmanager et médiateur à L’Établi. Impression 3D, découpe laser, réparation de petits appareils : "
        "j’aime montrer que le numérique se fabrique aussi. Partant pour co-animer des ateliers jeunes.",
        co_animation=True,
        chat="discord",
    ),
    ProfileSpec(  # Nadia Benali
        "pimms-rive-de-gier",
        C,
        1100,
        "Conseillère numérique au PIMMS de Rive-de-Gier, et le jeudi après-midi à Lorette. Démarches CAF, "
        "France Travail, énergie : je reçois beaucoup de personnes qui découvrent l’ordinateur. Je parle arabe "
        "et kabyle.",
        permanences=(0, 1),
        languages=("ar", "ber"),
        phone=True,
    ),
    ProfileSpec(  # Thomas Ferreira
        "france-services-feurs",
        C,
        850,
        "Conseiller numérique à France Services de Feurs, le vendredi après-midi à Balbigny. Spécialité maison : "
        "la sécurisation des comptes et la chasse aux arnaques par SMS. Je parle portugais.",
        permanences=(0, 2),
        languages=("pt",),
    ),
    ProfileSpec(  # Aurélie Rousseau
        "monts-du-pilat",
        C,
        640,
        "J’anime le bus France Services des Monts du Pilat : le lundi à Bourg-Argental, le mardi à "
        "Saint-Genest-Malifaux. On y fait aussi bien une déclaration d’impôts qu’une première visio avec les "
        "petits-enfants.",
        permanences=(0, 1),
        visibility=PUBLIC,
        co_animation=True,
        phone=True,
        intervention=("42023", "42224", "42139", "42115", "42287", "42246"),
    ),
    ProfileSpec(  # Mamadou Chabert
        "epn-chambon-feugerolles",
        M,
        1050,
        "Animateur de l’espace public numérique du Chambon-Feugerolles. Ateliers bureautique, CV et candidatures "
        "en ligne, et un club de code pour les collégiens.",
        languages=("wo", "en"),
        co_animation=True,
    ),
    ProfileSpec(  # Élodie Perrin
        "mediatheque-saint-etienne",
        C,
        1250,
        "Conseillère numérique à la médiathèque de Saint-Étienne. Je pratique la LSF et j’accueille volontiers "
        "des personnes sourdes ou malentendantes ; j’aide aussi les collègues qui veulent rendre leurs ateliers "
        "plus accessibles.",
        languages=("lsf",),
        visibility=PUBLIC,
        co_animation=True,
    ),
    ProfileSpec(  # Yannick Faure
        "roannais-agglomeration",
        M,
        1400,
        "Médiateur numérique de Roannais Agglomération : je tourne dans les communes rurales de l’agglo à la "
        "demande des mairies. Diagnostic numérique, prise en main de l’ordinateur, démarches.",
        chat="mattermost",
        intervention="epci",
    ),
    ProfileSpec(  # Fatima Berthet
        "ccas-saint-chamond",
        A,
        760,
        "Agente d’accueil au CCAS de Saint-Chamond et aidante habilitée Aidants Connect. Je fais les démarches "
        "« à la place de » quand la personne ne peut pas les faire seule, et j’oriente vers les ateliers pour "
        "apprendre.",
        languages=("ar",),
        phone=True,
        promo=False,
    ),
    ProfileSpec(  # Hugo Gonon
        "grange-numerique",
        M,
        85,
        "Arrivé il y a peu à La Grange numérique, je viens de l’animation jeunesse. Je cherche des collègues pour "
        "monter des ateliers « réseaux sociaux et écrans » avec les collèges du secteur.",
        languages=("en",),
        co_animation=True,
    ),
    ProfileSpec(  # Chloé Vial
        "mairie-charlieu",
        C,
        920,
        "Conseillère numérique de la mairie de Charlieu, le mercredi après-midi à Pouilly-sous-Charlieu. Beaucoup "
        "de seniors, beaucoup de démarches, et un atelier « arnaques en ligne » très demandé.",
        permanences=(0, 1),
        visibility=PUBLIC,
        phone=True,
    ),
    ProfileSpec(  # Rachid Tissot
        "france-services-firminy",
        C,
        1180,
        "France Services de Firminy, et le mardi matin en mairie d’Unieux. Je connais bien les démarches de titres "
        "de séjour et de naturalisation : n’hésitez pas à m’orienter des personnes.",
        permanences=(0, 1),
        languages=("ar",),
    ),
    ProfileSpec(  # Manon Nguyen
        "centre-social-sury",
        M,
        480,
        "Médiatrice numérique au centre social de Sury-le-Comtal. Ateliers parents-enfants le mercredi, "
        "accompagnement individuel le reste de la semaine. Je m’intéresse beaucoup à l’IA et à ses usages au "
        "quotidien.",
        languages=("vi",),
        co_animation=True,
    ),
    ProfileSpec(  # Loïc Diallo
        "coup-de-pouce-numerique",
        M,
        600,
        "Salarié de l’association Coup de pouce numérique à Pélussin. Je reconditionne des ordinateurs donnés par "
        "les entreprises et je les remets à des familles, avec une initiation.",
        intervention=("42168", "42056", "42129", "42272", "42191"),
    ),
    ProfileSpec(  # Amandine Mathevon
        "hub-numerique-loire",
        OTHER,
        900,
        "Chargée de projets au Hub numérique Loire. J’organise les formations des aidants et je tiens à jour les "
        "supports partagés du réseau. Si vous cherchez un support d’atelier, demandez-moi !",
        co_animation=True,
        chat="mattermost",
        promo=False,
    ),
    ProfileSpec(  # Théo Granjon
        "france-services-saint-germain-laval",
        C,
        95,
        "Nouveau conseiller numérique à France Services de Saint-Germain-Laval. Je découvre le territoire des Vals "
        "d’Aix et Isable et je serais ravi d’échanger avec les collègues des communes voisines.",
    ),
    ProfileSpec(  # Leïla Peyron
        "ccas-roanne",
        C,
        1020,
        "Conseillère numérique au CCAS de Roanne. J’accompagne des personnes âgées et isolées, souvent à domicile. "
        "Je parle turc et anglais.",
        languages=("tr", "en"),
        phone=True,
    ),
    ProfileSpec(  # Bruno Bonnefoy
        "mjc-veauche",
        M,
        1450,
        "Animateur multimédia à la MJC de Veauche depuis longtemps : photo, vidéo, montage, et depuis peu des "
        "ateliers d’éducation aux médias avec les lycéens.",
        co_animation=True,
    ),
    ProfileSpec(  # Mélanie Courbon
        "mediatheque-riorges",
        M,
        560,
        "Bibliothécaire référente numérique à Riorges : liseuses, ressources en ligne de la médiathèque, "
        "initiation à internet le mardi après-midi.",
        permanences=((0, "Tu 14:00-18:00"),),
        languages=("en",),
        visibility=PUBLIC,
    ),
    ProfileSpec(  # Sébastien Reynaud
        "centre-social-entre-loire-et-rhone",
        C,
        890,
        "Conseiller numérique au centre social, entre Saint-Symphorien-de-Lay et Régny. Je me déplace aussi dans "
        "les petites communes du Pays entre Loire et Rhône pour des permanences en mairie.",
        permanences=(0, 1),
        intervention=("42289", "42181", "42118", "42153", "42178", "42098"),
    ),
    ProfileSpec(  # Awa Thivillier
        "centre-social-passerelles",
        C,
        75,
        "Tout juste arrivée au centre social Les Passerelles après ma formation. J’accompagne les démarches du "
        "quotidien et j’aimerais rejoindre un groupe de travail sur l’accueil des personnes allophones.",
        languages=("wo",),
    ),
    ProfileSpec(  # Nicolas Fayolle
        "france-services-feurs",
        A,
        1380,
        "Agent France Services à Feurs et aidant Aidants Connect. Le mercredi matin, je suis à Panissières. "
        "Je connais par cœur les démarches de l’ANTS (permis, carte grise).",
        permanences=(0, 1),
        phone=True,
        promo=False,
    ),
    ProfileSpec(  # Justine Haddad
        "mediatheque-saint-etienne",
        C,
        110,
        "Conseillère numérique arrivée il y a quelques semaines à la médiathèque de Saint-Étienne. Je tiens le "
        "point lecture de Montreynaud le mercredi après-midi. Anglais et espagnol.",
        permanences=(0, 1),
        languages=("en", "es"),
        co_animation=True,
    ),
    ProfileSpec(  # Mehdi Da Silva
        "fablab-etabli",
        M,
        430,
        "Médiateur au fablab L’Établi. Je m’occupe des repair cafés numériques du samedi et des ateliers de "
        "découverte de l’électronique.",
        permanences=((0, "Sa 10:00-18:00"),),
        languages=("pt", "ar"),
        co_animation=True,
        chat="discord",
    ),
    ProfileSpec(  # Pauline Lacroix
        "tiers-lieu-pays-urfe",
        M,
        690,
        "Médiatrice au tiers-lieu du Pays d’Urfé : coworking, visio pour les télétravailleurs, ateliers "
        "d’initiation. Je signe (LSF, niveau intermédiaire).",
        languages=("lsf",),
        visibility=PUBLIC,
        co_animation=True,
        intervention="epci",
    ),
    ProfileSpec(  # Grégory Girard
        "france-services-roanne",
        A,
        1300,
        "Agent France Services et aidant habilité. Je reçois sur rendez-vous pour les dossiers de retraite et les "
        "demandes de complémentaire santé solidaire.",
        promo=False,
    ),
    ProfileSpec(  # Sarah Chambon
        "clic-et-partage",
        M,
        820,
        "Bénévole devenue salariée de l’association Clic et partage. Ateliers en petits groupes pour les seniors, "
        "et une ligne téléphonique d’entraide le jeudi.",
        languages=("en",),
        co_animation=True,
        phone=True,
    ),
    ProfileSpec(  # Jean-Marc Roux
        "monts-du-pilat",
        C,
        1280,
        "Conseiller numérique de la communauté de communes des Monts du Pilat. Je partage le bus France Services "
        "avec Aurélie : le mercredi à Marlhes, le jeudi à Jonzieux.",
        permanences=(2, 3),
        phone=True,
        intervention=("42139", "42115", "42224", "42023"),
    ),
    ProfileSpec(  # Anne-Sophie Marcoux
        "ccas-saint-chamond",
        C,
        540,
        "Conseillère numérique au CCAS de Saint-Chamond. Accompagnement individuel, surtout sur la santé en ligne "
        "(Mon espace santé, ameli, prise de rendez-vous).",
        visibility=COORDINATORS,
    ),
    ProfileSpec(  # Kévin Besson
        "epn-chambon-feugerolles",
        M,
        100,
        "Nouveau à l’EPN du Chambon-Feugerolles. Je m’occupe du libre accès et des ateliers « premiers pas ». "
        "J’ai hâte de rencontrer les autres animateurs de la vallée de l’Ondaine.",
    ),
    ProfileSpec(  # Yasmina Cellier
        "france-services-firminy",
        C,
        730,
        "Conseillère numérique France Services à Firminy. Ateliers collectifs « mes démarches en ligne » et "
        "permanence du samedi matin.",
        permanences=((0, "Sa 09:00-12:00"),),
        languages=("ar", "es"),
        visibility=PUBLIC,
        co_animation=True,
    ),
    ProfileSpec(  # Olivier Rivollier
        "mairie-chevrieres",
        A,
        1100,
        "Secrétaire de mairie à Chevrières et aidant numérique. Je tiens le point numérique le mercredi après-midi "
        "et le samedi matin, pour les habitants des Monts du Lyonnais.",
        permanences=((0, "We 14:00-17:00"), (0, "Sa 09:00-12:00")),
        phone=True,
        promo=False,
        intervention=("42062", "42102", "42138", "42216", "42335", "42336"),
    ),
    ProfileSpec(  # Lucie Ouedraogo
        "mediatheque-montbrison",
        C,
        65,
        "Je viens de rejoindre la médiathèque de Montbrison comme conseillère numérique. J’aime les ateliers "
        "créatifs (photo, musique assistée par ordinateur) et je cherche des idées pour les ados.",
        languages=("en",),
        co_animation=True,
    ),
    ProfileSpec(  # Abdel Mercier
        "pimms-rive-de-gier",
        A,
        950,
        "Médiateur social au PIMMS de Rive-de-Gier, habilité Aidants Connect. Factures d’énergie, chèque énergie, "
        "litiges : j’oriente aussi vers les ateliers numériques quand c’est possible.",
        languages=("ar",),
        visibility=COORDINATORS,
        promo=False,
    ),
    ProfileSpec(  # Maëlle Pitiot
        "france-services-saint-germain-laval",
        A,
        1230,
        "Agente France Services à Saint-Germain-Laval depuis l’ouverture. Aidants Connect, démarches de la MSA, "
        "et un peu de tout : c’est le principe du guichet unique.",
        promo=False,
    ),
    ProfileSpec(  # François Vernet
        "mairie-charlieu",
        M,
        1000,
        "Médiateur numérique à Charlieu, ancien formateur en informatique. Cours de bureautique le matin, "
        "accompagnement des artisans et commerçants pour leur présence en ligne.",
        co_animation=True,
    ),
    ProfileSpec(  # Thi Lan Favier
        "centre-social-passerelles",
        M,
        870,
        "Médiatrice numérique au centre social. J’anime un atelier « français et numérique » avec la formatrice "
        "FLE, pour les personnes qui apprennent le français.",
        languages=("vi", "en"),
    ),
    ProfileSpec(  # Gaëlle Duplay
        "grange-numerique",
        C,
        1320,
        "Conseillère numérique à La Grange numérique, tiers-lieu de Saint-Just-Saint-Rambert. Ateliers du soir "
        "pour les actifs, et de la médiation pour les petites entreprises du coin.",
        visibility=PUBLIC,
        co_animation=True,
    ),
    ProfileSpec(  # Inès Bouchet
        "coup-de-pouce-numerique",
        C,
        450,
        "Conseillère numérique de l’association Coup de pouce numérique ; je tiens la permanence du samedi matin "
        "à Chavanay. Espagnol courant.",
        permanences=(1,),
        languages=("es",),
    ),
    ProfileSpec(  # Karim Martin
        "france-services-roanne",
        C,
        90,
        "Conseiller numérique arrivé il y a peu à France Services de Roanne, après ma formation. Je découvre le "
        "réseau et j’apprends beaucoup de mes collègues.",
        languages=("ar",),
    ),
    ProfileSpec(  # Sophie Bernard
        "mjc-veauche",
        C,
        660,
        "Conseillère numérique à la MJC de Veauche, plutôt côté adultes : ateliers du mercredi, accompagnement "
        "à la recherche d’emploi en ligne.",
        permanences=((0, "We 14:00-19:00"),),
        visibility=COORDINATORS,
    ),
    ProfileSpec(  # Julien Dubois
        "roannais-agglomeration",
        C,
        380,
        "Conseiller numérique de l’agglomération, basé à Roanne. J’interviens sur rendez-vous dans les mairies de "
        "Renaison, Villerest, Saint-Léger-sur-Roanne et Commelle-Vernay.",
        co_animation=True,
        intervention=("42182", "42332", "42253", "42069"),
    ),
    ProfileSpec(  # Nadia Moulin
        "mediatheque-montbrison",
        M,
        1150,
        "Médiatrice numérique entre Montbrison et Savigneux ; mes ateliers préférés : généalogie en ligne et "
        "photo numérique.",
        permanences=(0, 1),
        languages=("it",),
    ),
    ProfileSpec(  # Thomas Benali
        "clic-et-partage",
        A,
        990,
        "Bénévole à Clic et partage, aidant numérique. Je tiens l’accueil du mardi après-midi : mots de passe "
        "oubliés, smartphones récalcitrants, et beaucoup de café.",
        permanences=((0, "Tu 14:00-17:30"),),
        languages=("ar",),
        promo=False,
    ),
    ProfileSpec(  # Aurélie Ferreira
        "france-services-feurs",
        C,
        720,
        "Conseillère numérique à France Services de Feurs. Je m’occupe surtout d’insertion professionnelle : "
        "espace France Travail, CV, entretiens en visio.",
        languages=("pt", "es"),
        visibility=PUBLIC,
        co_animation=True,
    ),
    ProfileSpec(  # Mamadou Rousseau
        "centre-social-entre-loire-et-rhone",
        M,
        560,
        "Médiateur au centre social du Pays entre Loire et Rhône : accueil jeunes, Promeneur du net sur les "
        "réseaux sociaux, et ateliers de jeux vidéo coopératifs.",
        languages=("wo",),
        chat="discord",
    ),
    ProfileSpec(  # Élodie Chabert
        "mediatheque-saint-etienne",
        M,
        1350,
        "Médiatrice numérique à la médiathèque de Saint-Étienne, je coordonne les ateliers grand public. "
        "Toujours partante pour une Fête du numérique !",
        languages=("en",),
        co_animation=True,
        chat="mattermost",
    ),
    ProfileSpec(  # Yannick Perrin
        "ccas-roanne",
        A,
        880,
        "Travailleur social au CCAS de Roanne, habilité Aidants Connect. Je travaille en binôme avec la conseillère "
        "numérique pour les situations les plus complexes.",
        promo=False,
    ),
    ProfileSpec(  # Fatima Faure
        "centre-social-sury",
        C,
        1050,
        "Conseillère numérique au centre social de Sury-le-Comtal : accompagnement des familles, ENT, Pronote et "
        "inscriptions scolaires en ligne.",
        languages=("ar",),
    ),
    ProfileSpec(  # Hugo Berthet
        "tiers-lieu-pays-urfe",
        C,
        70,
        "Conseiller numérique tout juste arrivé au tiers-lieu du Pays d’Urfé. J’ai grandi ici : je connais les "
        "hameaux et leurs difficultés de connexion !",
    ),
    ProfileSpec(  # Chloé Gonon
        "france-services-firminy",
        A,
        1210,
        "Agente France Services à Firminy, aidante Aidants Connect. Impôts, CAF, retraite : j’accompagne, et je "
        "passe le relais aux ateliers quand la personne veut apprendre.",
        promo=False,
    ),
    ProfileSpec(  # Rachid Vial
        "mediatheque-montbrison",
        C,
        970,
        "Conseiller numérique à Montbrison. J’anime le café numérique du samedi matin et des ateliers de sécurité "
        "numérique pour les associations.",
        permanences=((0, "Sa 10:00-12:30"),),
        languages=("ar",),
        co_animation=True,
    ),
    ProfileSpec(  # Manon Tissot
        "mairie-charlieu",
        A,
        1320,
        "Agente d’accueil à la mairie de Charlieu et aidante numérique. État civil, cartes d’identité, et le point "
        "numérique en libre-service.",
        promo=False,
    ),
    ProfileSpec(  # Loïc Nguyen
        "coup-de-pouce-numerique",
        M,
        105,
        "Service civique devenu médiateur à Coup de pouce numérique. J’anime les ateliers smartphone et j’aide au "
        "reconditionnement du matériel.",
        co_animation=True,
    ),
    ProfileSpec(  # Amandine Diallo
        "france-services-feurs",
        C,
        1100,
        "Conseillère numérique France Services à Feurs, référente pour l’accueil des personnes en situation de "
        "handicap.",
        languages=("en",),
        visibility=COORDINATORS,
    ),
    ProfileSpec(  # Théo Mathevon
        "hub-numerique-loire",
        M,
        1000,
        "Formateur au Hub numérique Loire : je forme les nouveaux conseillers au diagnostic numérique et à "
        "l’animation d’ateliers collectifs.",
        co_animation=True,
        chat="mattermost",
    ),
    ProfileSpec(  # Leïla Granjon
        "centre-social-passerelles",
        C,
        400,
        "Conseillère numérique au centre social Les Passerelles ; le mardi après-midi, je tiens la permanence de "
        "la résidence autonomie voisine : tablettes, visio et photos des petits-enfants.",
        permanences=(1,),
        languages=("ar", "en"),
        visibility=PUBLIC,
    ),
]


# Skills of the demo profiles (the skills directory). Levels follow simple rules so that the
# skills map tells a story a coordinator recognises; the rules live in ``demo._skill_level``.
# "maitrise", "pratique", "appetence": the values of skills.enums.SkillLevel.
MASTER, PRACTICE, LEARN = "maitrise", "pratique", "appetence"

# Everybody in the network masters these.
SKILLS_MASTERED_EVERYWHERE = ("e-mail", "navigation-sur-internet")
# Nobody in the Loire masters these yet: a few practise them, many want to learn.
SKILL_GAPS = ("intelligence-artificielle", "justice")
# Training needs: in the EPCI of the commune (INSEE code), the skill has many appétences and no master.
TRAINING_NEEDS = (
    ("42023", "prevention-en-securite-numerique"),  # Monts du Pilat: the bus sees phone scams every day
    ("42187", "scolarite-et-numerique"),  # Roannais Agglomération: parents ask, few advisors know Pronote
)
# A level with a short note, for the first advisor of a structure (a structure key).
SKILL_NOTES = (
    ("clic-et-partage", "diagnostic-numerique", MASTER, "ateliers Pix chaque mardi"),
    ("mediatheque-saint-etienne", "creer-avec-le-numerique", MASTER, "club photo numérique des seniors, le vendredi"),
    (
        "france-services-roanne",
        "papiers-elections-citoyennete",
        MASTER,
        "ANTS, permis, cartes grises : tous les jours",
    ),
    ("centre-social-passerelles", "parentalite", MASTER, "contrôle parental et écrans, le mercredi"),
    ("fablab-etabli", "fabrication-numerique", MASTER, "impression 3D et découpe laser, le jeudi soir"),
    ("hub-numerique-loire", "outils-collaboratifs", MASTER, "cafés-visio du premier jeudi du mois"),
    ("monts-du-pilat", "prevention-en-securite-numerique", LEARN, "arnaques au téléphone : on en voit chaque semaine"),
)
# Skills members proposed, waiting for a coordinator: (slug, name, domain slug, structure key of the proposer).
PROPOSED_SKILLS = (
    ("habilitation-aidants-connect", "Habilitation Aidants Connect", DEMARCHES, "france-services-roanne"),
    ("facile-a-lire-et-a-comprendre", "Facile à lire et à comprendre (FALC)", METIER, "centre-social-passerelles"),
    ("jeux-video-et-retrogaming", "Jeux vidéo et rétrogaming", CREATION, "fablab-etabli"),
)


@dataclass(frozen=True)
class CardSpec:
    author: str  # structure key: its first advisor writes the card
    title: str
    body: str
    skills: tuple = ()
    interested: int = 0  # how many colleagues marked "ça m'interpelle"


PROJECT_CARDS = (
    CardSpec(
        "mediatheque-saint-etienne",
        "Un club photo numérique entre médiathèques",
        "Nos seniors adorent le club photo du vendredi. J’aimerais l’ouvrir à d’autres médiathèques de la Loire : "
        "une sortie commune, une expo en ligne, des tutoriels partagés.",
        ("creer-avec-le-numerique", "gerer-ses-contenus-numeriques", "animation-d-ateliers-collectifs"),
        6,
    ),
    CardSpec(
        "monts-du-pilat",
        "Arnaques au téléphone : un atelier itinérant",
        "Dans le bus France Services, on voit chaque semaine des personnes piégées par de faux conseillers bancaires. "
        "Je cherche quelqu’un qui maîtrise la prévention pour construire un atelier court, à rejouer de village en "
        "village.",
        ("prevention-en-securite-numerique", "banque-et-achats-en-ligne"),
        5,
    ),
    CardSpec(
        "centre-social-passerelles",
        "Pronote et ENT expliqués aux parents",
        "Un kit d’atelier pour les parents : se connecter, suivre les notes, écrire aux enseignants. À tester dans "
        "deux ou trois centres sociaux avant la rentrée.",
        ("scolarite-et-numerique", "parentalite"),
        4,
    ),
    CardSpec(
        "fablab-etabli",
        "Réparer plutôt que jeter : un repair café numérique",
        "Un samedi par mois, on répare smartphones et ordinateurs avec les habitants. Il nous manque des bénévoles "
        "qui connaissent le matériel et une structure partenaire à Saint-Chamond.",
        ("maintenance-de-materiel", "fabrication-numerique"),
        3,
    ),
    CardSpec(
        "hub-numerique-loire",
        "Comprendre l’intelligence artificielle, ensemble",
        "Personne dans le réseau ne se sent à l’aise pour en parler au public. Et si on se formait ensemble, puis "
        "qu’on construisait un atelier « l’IA, comment ça marche » ?",
        ("intelligence-artificielle", "culture-numerique"),
        8,
    ),
    CardSpec(
        "france-services-roanne",
        "Une fiche commune pour les démarches de l’ANTS",
        "Permis, carte grise, titres d’identité : chacun a ses fiches. Mettons-les en commun, en langage clair, et "
        "publions-les dans la bibliothèque de ressources.",
        ("papiers-elections-citoyennete", "transports-mobilite"),
        4,
    ),
    CardSpec(
        "clic-et-partage",
        "Passer la certification Pix en groupe",
        "Nos ateliers Pix du mardi marchent bien. Je propose de monter une session de certification commune à "
        "plusieurs structures de la plaine du Forez.",
        ("diagnostic-numerique", "pedagogie"),
        2,
    ),
    CardSpec(
        "pimms-rive-de-gier",
        "Accueillir en plusieurs langues",
        "Beaucoup de personnes que nous recevons parlent mal le français. Un lexique illustré des démarches les plus "
        "courantes aiderait tout le monde.",
        ("accompagnement-des-publics-allophones", "etrangers-europe"),
        3,
    ),
    CardSpec(
        "mediatheque-montbrison",
        "Une Fête du numérique dans chaque intercommunalité",
        "Plutôt qu’un grand événement à Saint-Étienne, une journée dans chaque EPCI avec les structures du coin. "
        "Qui est partant pour tenir un stand ?",
        ("animation-d-ateliers-collectifs", "culture-numerique"),
        5,
    ),
    CardSpec(
        "france-services-feurs",
        "Accompagner les petites entreprises du Forez",
        "Artisans et commerçants nous demandent de l’aide pour leur fiche en ligne et leurs factures électroniques. "
        "J’aimerais construire un parcours avec la CCI.",
        ("accompagner-un-professionnel", "bureautique"),
        1,
    ),
    CardSpec(
        "epn-chambon-feugerolles",
        "Les réseaux sociaux sans se faire avoir",
        "Un atelier pour les ados et leurs parents : réglages de confidentialité, harcèlement, fausses informations.",
        ("reseaux-sociaux", "prevention-en-securite-numerique", "parentalite"),
        2,
    ),
    CardSpec(
        "ccas-saint-chamond",
        "Prêter des tablettes aux personnes isolées",
        "Le CCAS a récupéré vingt tablettes. Il faut les préparer et accompagner les premières semaines : qui a "
        "déjà monté un prêt de matériel ?",
        ("prendre-en-main-du-materiel",),
        0,
    ),
)
