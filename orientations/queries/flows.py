"""The orientation flows between the structures of a département, for its coordinators: who sends
to whom, how many, how many taken in charge. Counts and structure names only, never a person."""

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from orientations.enums import OrientationStatus
from orientations.models import Orientation

# The periods the flows page offers, in months.
PERIODS = (3, 6, 12)
DEFAULT_PERIOD = 3
NO_STRUCTURE = "sans structure"


def months_ago(moment, months):
    """The same day ``months`` months before ``moment``'s date (the last day of a shorter month)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.date().replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Flow:
    """Orientations sent by one structure to another over the period."""

    source: str
    target: str
    count: int
    taken: int

    @property
    def taken_percent(self):
        return round(100 * self.taken / self.count) if self.count else 0


@dataclass
class StructureTotal:
    name: str
    sent: int = 0
    received: int = 0
    taken: int = 0  # of those received

    @property
    def volume(self):
        return self.sent + self.received

    @property
    def taken_percent(self):
        return round(100 * self.taken / self.received) if self.received else 0


@dataclass
class Flows:
    departement: object
    months: int
    since: object  # a date, in the département's time zone
    flows: list = field(default_factory=list)
    structures: list = field(default_factory=list)

    @property
    def total(self):
        return sum(flow.count for flow in self.flows)

    @property
    def taken(self):
        return sum(flow.taken for flow in self.flows)

    @property
    def taken_percent(self):
        return round(100 * self.taken / self.total) if self.total else 0


def flows(departement, *, months=DEFAULT_PERIOD, now=None):
    """The orientations of ``departement`` sent in the last ``months`` months, grouped by the
    structures they went from and to (as they were when sent). One query, whatever the number of
    orientations or structures; no person anywhere."""
    tz = ZoneInfo(departement.timezone)
    now = timezone.localtime(now or timezone.now(), tz)
    since = months_ago(now, months)
    rows = (
        Orientation.objects.filter(departement=departement, created_at__gte=datetime.combine(since, time(), tz))
        .order_by()
        .values("sender_structure_id", "sender_structure__name", "receiver_structure_id", "receiver_structure__name")
        .annotate(count=Count("pk"), taken=Count("pk", filter=Q(status=OrientationStatus.TAKEN)))
    )
    result = Flows(departement=departement, months=months, since=since)
    totals = {}

    def total(key, name):
        if key not in totals:
            totals[key] = StructureTotal(name=name)
        return totals[key]

    for row in rows:
        source = row["sender_structure__name"] or NO_STRUCTURE
        target = row["receiver_structure__name"] or NO_STRUCTURE
        result.flows.append(Flow(source=source, target=target, count=row["count"], taken=row["taken"]))
        sender = total(row["sender_structure_id"], source)
        sender.sent += row["count"]
        receiver = total(row["receiver_structure_id"], target)
        receiver.received += row["count"]
        receiver.taken += row["taken"]
    result.flows.sort(key=lambda flow: (-flow.count, flow.source.casefold(), flow.target.casefold()))
    result.structures = sorted(totals.values(), key=lambda item: (-item.volume, item.name.casefold()))
    return result
