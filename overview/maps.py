"""The maps of the overview pages (territories/maps.py draws them): France's départements and their
networks on the home page, a département's communes and who serves them, a commune and its neighbours.

Each function reads its figures in a fixed number of queries, whatever the number of shapes, and
returns what the page needs: the map(s) and the same figures as rows for the table that is the
map's text alternative.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse

from advisors.enums import MembershipRole
from advisors.models import Advisor, AdvisorCommune, LieuCommune, Membership
from territories.enums import OutlineKind
from territories.geo import Box, distance_km
from territories.maps import Category, MapShape, SvgMap
from territories.models import Commune, Outline
from territories.text import normalize

# The drawing is cached under a digest of everything drawn: a new figure or contour is a new key.
CACHE_SECONDS = 24 * 3600
OVERSEAS = ("971", "972", "973", "974", "976")


def commune_url():
    """``code`` → the commune's page: one ``reverse()`` for a map's hundreds of communes (each costs ~0.1 ms)."""
    pattern = reverse("overview:commune", args=["00000"])
    return lambda code: pattern.replace("00000", code)


# Home page ------------------------------------------------------------------------------------------

NETWORK_ACTIVE, NETWORK_NOT_YET = "reseau-actif", "pas-encore"
NETWORK_CATEGORIES = [
    Category(
        NETWORK_ACTIVE,
        "réseau actif : au moins une personne à sa coordination",
        "#a8d5ba",
        "hatch",
        "#14472c",
    ),
    Category(NETWORK_NOT_YET, "pas encore de réseau", "#ffffff", "plain"),
]


@dataclass
class DepartementNetwork:
    departement: object
    members: int = 0
    coordinators: int = 0

    @property
    def active(self):
        return self.coordinators > 0


def france_networks(departements):
    """The départements (already read, with their names) and their networks' figures, for the home map.

    Two queries: the active memberships counted by département, the départements' outlines. Returns
    ``{"metropole": SvgMap, "overseas": [SvgMap…], "active": [DepartementNetwork…]}``.
    """
    counts = {
        row["departement_id"]: row
        for row in Membership.objects.active()
        .order_by()
        .values("departement_id")
        .annotate(members=Count("pk"), coordinators=Count("pk", filter=Q(role=MembershipRole.COORDINATOR)))
    }
    networks = []
    for departement in departements:
        row = counts.get(departement.code, {})
        networks.append(DepartementNetwork(departement, row.get("members", 0), row.get("coordinators", 0)))
    outlines = Outline.objects.of(OutlineKind.DEPARTEMENT, [network.departement.code for network in networks])

    def shape(network):
        departement = network.departement
        if network.active:
            detail = f"réseau actif, {network.members} membre{'s' if network.members > 1 else ''}"
        else:
            detail = "pas encore de réseau"
        return MapShape(
            departement.code,
            f"{departement.name} ({departement.code})",
            outlines[departement.code],
            NETWORK_ACTIVE if network.active else NETWORK_NOT_YET,
            departement.get_absolute_url(),
            detail,
        )

    drawn = [network for network in networks if network.departement.code in outlines]
    metropole = SvgMap(
        "Les réseaux départementaux en France métropolitaine",
        [shape(network) for network in drawn if network.departement.code not in OVERSEAS],
        categories=NETWORK_CATEGORIES,
        id_prefix="carte-france",
        decimals=0,
        description="Le tableau qui suit la carte liste les départements au réseau actif et leurs membres.",
        cache_timeout=CACHE_SECONDS,
    )
    overseas = [
        SvgMap(
            f"{network.departement.name} ({network.departement.code})",
            [shape(network)],
            categories=NETWORK_CATEGORIES,
            width=240,
            id_prefix=f"carte-{network.departement.code}",
            cache_timeout=CACHE_SECONDS,
        )
        for network in sorted(drawn, key=lambda network: network.departement.code)
        if network.departement.code in OVERSEAS
    ]
    maps = ([metropole] if metropole.shapes else []) + overseas
    return {
        "metropole": metropole if metropole.shapes else None,
        "overseas": overseas,
        # The swatches reuse the patterns of the first map drawn on the page.
        "legend": maps[0].legend() if maps else [],
        "active": [network for network in networks if network.active],
    }


# Département page -----------------------------------------------------------------------------------

LIEU_HERE, SERVED, NOBODY = "lieu", "servie", "personne"
SERVING_CATEGORIES = [
    Category(LIEU_HERE, "un lieu d’accueil dans la commune", "#2b5d9b", "dots", "#ffffff"),
    Category(
        SERVED, "servie sans lieu dans la commune (un conseiller, un lieu voisin)", "#cadcf2", "hatch", "#1e3f66"
    ),
    Category(NOBODY, "personne ne s’y déclare", "#ffffff", "plain"),
]
SERVING_LABELS = {category.key: category.label for category in SERVING_CATEGORIES}


@dataclass
class CommuneServing:
    code: str
    name: str
    population: int
    lieux_here: int = 0
    lieux_serving: int = 0
    advisors: int = 0
    url: str = ""

    @property
    def category(self):
        if self.lieux_here:
            return LIEU_HERE
        if self.lieux_serving or self.advisors:
            return SERVED
        return NOBODY

    @property
    def category_label(self):
        return SERVING_LABELS[self.category]

    @property
    def detail(self):
        if self.category == NOBODY:
            return "personne ne s’y déclare"
        parts = []
        if self.lieux_here:
            parts.append(f"{self.lieux_here} lieu{'x' if self.lieux_here > 1 else ''} dans la commune")
        elif self.lieux_serving:
            plural = "x voisins" if self.lieux_serving > 1 else " voisin"
            parts.append(f"servie par {self.lieux_serving} lieu{plural}")
        if self.advisors:
            parts.append(f"{self.advisors} conseiller{'s' if self.advisors > 1 else ''}")
        return ", ".join(parts)


def departement_serving(departement, viewer):
    """A département's communes, each with the lieux in it, the lieux and the advisors (those ``viewer`` may
    see) that serve it, drawn as a map. Four queries: communes, outlines, lieux, advisors.

    Only the rows of a commune count: a member who serves « the whole département » colours no commune.
    """
    lieux = {
        row["commune_id"]: row
        for row in LieuCommune.objects.filter(departement=departement, commune__isnull=False)
        .order_by()
        .values("commune_id")
        .annotate(serving=Count("lieu_id"), here=Count("lieu_id", filter=Q(lieu__commune_id=F("commune_id"))))
    }
    advisors = dict(
        AdvisorCommune.objects.filter(
            departement=departement, commune__isnull=False, advisor__in=Advisor.objects.visible_to(viewer)
        )
        .order_by()
        .values("commune_id")
        .annotate(count=Count("advisor_id"))
        .values_list("commune_id", "count")
    )
    communes = []
    url = commune_url()
    for code, name, population in departement.communes.order_by("name").values_list("code", "name", "population"):
        row = lieux.get(code, {})
        here, serving = row.get("here", 0), row.get("serving", 0)
        communes.append(CommuneServing(code, name, population or 0, here, serving, advisors.get(code, 0), url(code)))
    outlines = Outline.objects.of(OutlineKind.COMMUNE, [commune.code for commune in communes])
    drawn = SvgMap(
        f"Qui sert les communes du département : {departement.name} ({departement.code})",
        [
            MapShape(commune.code, commune.name, outlines[commune.code], commune.category, commune.url, commune.detail)
            for commune in communes
            if commune.code in outlines
        ],
        categories=SERVING_CATEGORIES,
        id_prefix="carte-departement",
        decimals=0,
        description="Le tableau qui suit la carte donne les mêmes chiffres, commune par commune.",
        cache_timeout=CACHE_SECONDS,
    )
    summary = []
    for category in SERVING_CATEGORIES:
        members = [commune for commune in communes if commune.category == category.key]
        summary.append(
            {
                "label": category.label,
                "communes": len(members),
                "population": sum(commune.population for commune in members),
            }
        )
    return {"map": drawn if drawn.shapes else None, "communes": communes, "summary": summary}


# Commune page ---------------------------------------------------------------------------------------

HERE, NEIGHBOUR = "ici", "voisine"
NEIGHBOUR_CATEGORIES = [
    Category(HERE, "la commune", "#2b5d9b", "cross", "#ffffff"),
    Category(NEIGHBOUR, "une commune voisine", "#ffffff", "plain"),
]
# Communes whose reference point lies this close to the commune's are its neighbours on the small map.
NEIGHBOURS_KM = 10
NEIGHBOURS_LIMIT = 40


def commune_neighbours(commune):
    """``commune`` and the communes around it (their reference point within ``NEIGHBOURS_KM`` of its own,
    the nearest ``NEIGHBOURS_LIMIT``), as a small map. Two queries: the communes around, the outlines; none
    for a commune without a point."""
    if commune.point is None:
        return None
    rows = (
        Commune.objects.exclude(code=commune.code)
        .filter(**Box.around(commune.point, NEIGHBOURS_KM).lookups())
        .values_list("code", "name", "latitude", "longitude")
    )
    # The nearest first when a dense suburb has more neighbours than a small map can show, then by name.
    by_distance = sorted((distance_km(commune.point, (lat, lon)), code, name) for code, name, lat, lon in rows)
    nearest = [(code, name) for km, code, name in by_distance if km <= NEIGHBOURS_KM][:NEIGHBOURS_LIMIT]
    around = sorted(nearest, key=lambda row: normalize(row[1]))
    outlines = Outline.objects.of(OutlineKind.COMMUNE, [commune.code] + [code for code, _ in around])
    url = commune_url()
    shapes = [MapShape(code, name, outlines[code], NEIGHBOUR, url(code)) for code, name in around if code in outlines]
    if commune.code in outlines:
        # Drawn last, on top of its neighbours' borders; not a link: it is the page itself.
        shapes.append(MapShape(commune.code, commune.name, outlines[commune.code], HERE, detail="cette commune"))
    if not shapes:
        return None
    return {
        "map": SvgMap(
            f"{commune.name} et les communes voisines",
            shapes,
            categories=NEIGHBOUR_CATEGORIES,
            id_prefix="carte-commune",
            width=600,
            decimals=0,
            description="La liste qui suit la carte nomme les communes voisines, chacune un lien vers sa page.",
            cache_timeout=CACHE_SECONDS,
        ),
        "neighbours": [{"code": code, "name": name} for code, name in around if code in outlines],
    }
