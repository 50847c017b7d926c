"""The Loire demo network that ``manage.py seed_demo`` creates.

Accounts and memberships, then the structures of ``demo/data/loire/`` with their lieux and opening
hours, public contacts and exceptional closures, the promos de formation, a complete profile for
every active member (``demo.network``), and their skills, proposed skills and project cards
(``demo.skills``), the network's events (``demo.events``), its resource library (``demo.resources``)
and the orientations between its members (``demo.orientations``).

The structures and lieux tell a coverage story (``tests/demo/test_seed_demo_story.py``): the Monts du
Pilat and the Pays d'Urfé are zones blanches for several services (only the bus France Services, a
local association or the tiers-lieu reach them), and Saint-Étienne piles up the « aide aux démarches
administratives ».

Everything is deterministic: fixed lists of people, structures and profiles, communes found by
their INSEE code (or, when a code is missing from the database, taken in a fixed order from
the communes that exist), so that two machines get the same demo. Every object is looked up
before it is created, so a second run creates nothing and a partial demo is completed. Writes
are bulk inserts, including the through tables of the many-to-many fields: the whole demo
takes about a second.
"""

from dataclasses import dataclass, field

from django.db import transaction

from advisors.services.serving import serving_rebuild
from demo import events, network, orientations, partners, resources, skills
from demo.channels import channels_ensure
from demo.content import OWN_COMMUNE, OWN_EPCI, WHOLE_DEPARTEMENT
from demo.drift import drift_ensure
from demo.letters import letters_ensure
from territories.models import Commune

DEMO_DEPARTEMENT_CODE = "42"


@dataclass
class DemoReport:
    users_created: int = 0
    # New memberships by kind: "coordinators", "members" (active) and "pending" (requests).
    created: dict = field(default_factory=lambda: {"coordinators": 0, "members": 0, "pending": 0})
    # New rows of the directory: "cohorts", "structures", "lieux", "slots", "closures", "profiles".
    directory: dict = field(
        default_factory=lambda: {"cohorts": 0, "structures": 0, "lieux": 0, "slots": 0, "closures": 0, "profiles": 0}
    )
    # New rows of the skills directory: "levels" (advisor skills), "notes" (levels with a note),
    # "proposed" (skills proposed by members), "cards" (project cards), "interests".
    skills: dict = field(default_factory=lambda: {"levels": 0, "notes": 0, "proposed": 0, "cards": 0, "interests": 0})
    # What the demo holds after the run (found or created): "structures", "lieux", "profiles",
    # "levels", "cards", "interests".
    totals: dict = field(default_factory=dict)
    accounts: list = field(default_factory=list)
    # New events (each occurrence of a series counts).
    events: int = 0
    # New resources of the library, and the files generated for them.
    resources: int = 0
    resource_files: int = 0
    # New orientations between members.
    orientations: int = 0
    # New partners of the network (demo.partners), and members marked as knowing one.
    partners: int = 0
    partner_acquaintances: int = 0

    @property
    def changed(self):
        return bool(
            self.users_created
            or any(self.created.values())
            or any(self.directory.values())
            or any(self.skills.values())
            or self.events
            or self.resources
            or self.orientations
            or self.partners
            or self.partner_acquaintances
        )


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
        if codes == OWN_COMMUNE:
            return [home]
        if codes == OWN_EPCI:
            return self.of_epci(home)
        if codes == WHOLE_DEPARTEMENT:
            return list(self.ordered)
        found = {}
        for code in codes:
            if len(code) == 9:  # a SIREN: every commune of that EPCI
                found.update((commune.code, commune) for commune in self.ordered if commune.epci_id == code)
            else:
                commune = self.get(code)
                found[commune.code] = commune
        return list(found.values())


@transaction.atomic
def demo_network_create(*, departement, password):
    """Create what the demo lacks: accounts, memberships, promos, structures, lieux, profiles.

    Bulk inserts, and the password is hashed once for all accounts (hashing is deliberately
    slow). Returns a ``DemoReport`` of what was created and what the demo holds.
    """
    communes = DemoCommunes(departement)
    accounts = network.demo_accounts(communes)
    report = DemoReport()
    users = network.accounts_ensure(accounts=accounts, departement=departement, password=password, report=report)
    cohorts = network.cohorts_ensure(report=report)
    structures = network.structures_ensure(departement=departement, communes=communes, report=report)
    lieux = network.lieux_ensure(structures=structures, communes=communes, report=report)
    network.closures_ensure(lieux=lieux, report=report)
    network.profiles_ensure(
        accounts=[account for account in accounts if account.profile],
        users=users,
        departement=departement,
        structures=structures,
        lieux=lieux,
        cohorts=cohorts,
        communes=communes,
        report=report,
    )
    skills.skills_ensure(
        accounts=[account for account in accounts if account.profile],
        users=users,
        departement=departement,
        communes=communes,
        report=report,
    )
    events.events_ensure(departement=departement, report=report)
    resources.resources_ensure(departement=departement, report=report)
    channels_ensure(departement=departement)
    orientations.orientations_ensure(departement=departement, lieux=lieux, report=report)
    # What the coordinators' dashboard shows: stale profiles among the quiet members (demo.drift).
    drift_ensure(departement=departement)
    # Two past letters in the archive, and the newcomers who agreed to be introduced in them (demo.letters).
    letters_ensure(departement=departement)
    partners.partners_ensure(departement=departement, report=report)
    report.accounts = [*network.COORDINATORS, network.DEMO_MEMBER]
    # Written in bulk, around the services: what each profile and lieu serves is computed once here.
    serving_rebuild()
    return report
