"""The events of the Loire demo (``demo/data/loire/events.json``): a Fête du numérique with its
programme of three rooms and twelve slots (most with animators, a few still looking for some),
registrations and a waiting list; two rencontres d'inter-connaissance in two EPCI; the monthly
café-visio as a series; past events with their attendance and bilan; one event in La Réunion.

Dates are relative to the day of the run, times are the département's wall-clock time. Each event is
found by its département and title before it is created, so a second run creates nothing. Like the
rest of the demo, rows are written in bulk: a dozen queries whatever the content.
"""

import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone

from advisors.models import Advisor, Structure
from demo.content import LOIRE, read
from events.enums import (
    AnimatorStatus,
    Audience,
    EventKind,
    EventMode,
    EventScope,
    EventStatus,
    EventVisibility,
    OrganiserRole,
    RegistrationStatus,
)
from events.models import AnimatorSignup, Event, EventSeries, Need, NeedOffer, Organiser, Registration, Slot
from events.queries.series import horizon, occurrence_dates
from skills.models import Skill
from territories.models import Commune, Departement

EVENTS = read("loire", "events")
STRUCTURE_NAMES = {spec.key: spec.name for spec in LOIRE.structures}


class _People:
    """The demo's advisors: coordinators by email, members by their rank (``member:N``), in a stable order."""

    def __init__(self, departement):
        advisors = list(Advisor.objects.filter(departement=departement).select_related("user").order_by("pk"))
        self.by_email = {advisor.user.email: advisor for advisor in advisors}
        coordinators = {person["email"] for person in LOIRE.people["coordinators"]}
        self.members = [advisor for advisor in advisors if advisor.user.email not in coordinators]

    def get(self, key):
        if key.startswith("member:"):
            return self.members[int(key.split(":")[1]) % len(self.members)] if self.members else None
        return self.by_email.get(key)

    def crowd(self, count, *, skip=0):
        """``count`` members from the ``skip``-th on (wrapping): a stable crowd of registrants or animators."""
        if not self.members:
            return []
        return [self.members[(skip + index) % len(self.members)] for index in range(min(count, len(self.members)))]


def _at(day, hhmm, tz):
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=tz)


class _Plan:
    """The rows to write, gathered event by event, then inserted in bulk by ``write``."""

    def __init__(self, people, now):
        self.people, self.now = people, now
        self.events = []  # (Event, spec)
        self.communes = {}

    def event(self, *, departement, spec, day, kind, **fields):
        tz = zoneinfo.ZoneInfo(departement.timezone)
        commune = self.communes.get(spec.get("commune"))
        lead = self.people.get(spec["lead"])
        event = Event(
            departement=departement,
            kind=kind,
            title=spec["title"],
            description=spec.get("description", ""),
            starts_at=_at(day, spec["start"], tz),
            ends_at=_at(day, spec["end"], tz)
            if "end" in spec
            else _at(day, spec["start"], tz) + fields.pop("duration"),
            mode=fields.pop("mode", spec.get("mode", EventMode.PRESENTIEL)),
            address=spec.get("address", ""),
            commune=commune,
            epci_id=commune.epci_id if commune and spec.get("scope") == "epci" else None,
            scope=spec.get("scope", EventScope.DEPARTEMENT),
            online_url=spec.get("online_url", ""),
            capacity=spec.get("capacity"),
            accessibility=spec.get("accessibility", ""),
            attendance_count=spec.get("attendance"),
            report=spec.get("report", ""),
            status=EventStatus.PUBLISHED,
            created_by=lead.user if lead else None,
            **fields,
        )
        self.events.append((event, spec))
        return event

    def write(self):
        """Insert the events, then everything that points at them."""
        Event.objects.bulk_create([event for event, _ in self.events])
        skills = {skill.slug: skill for skill in Skill.objects.filter(slug__in=self._all("skills"))}
        structures = {
            structure.name: structure
            for structure in Structure.objects.filter(name__in=[STRUCTURE_NAMES[k] for k in self._all("structures")])
        }
        organisers, event_skills, needs, offers, slots, animators, registrations = [], [], [], [], [], [], []
        for event, spec in self.events:
            lead = self.people.get(spec["lead"])
            if lead is not None:
                organisers.append(Organiser(event=event, advisor=lead, role=OrganiserRole.LEAD))
            for key in spec.get("co_organisers", []):
                advisor = self.people.get(key)
                if advisor is not None and advisor != lead:
                    organisers.append(Organiser(event=event, advisor=advisor, role=OrganiserRole.CO))
            for key in spec.get("structures", []):
                if STRUCTURE_NAMES.get(key) in structures:
                    organisers.append(Organiser(event=event, structure=structures[STRUCTURE_NAMES[key]]))
            event_skills += [
                Event.skills.through(event=event, skill=skills[slug])
                for slug in spec.get("skills", [])
                if slug in skills
            ]
            for need_spec in spec.get("needs", []):
                need = Need(
                    event=event,
                    kind=need_spec["kind"],
                    description=need_spec["description"],
                    covered=need_spec.get("covered", False),
                    created_by=event.created_by,
                )
                needs.append(need)
                helper = self.people.get(need_spec["offer"]) if need_spec.get("offer") else None
                if helper is not None:
                    offers.append(
                        NeedOffer(need=need, user=helper.user, message="Je peux m’en charger, dites-moi quand.")
                    )
            if spec.get("registrations") and spec.get("crowd", True):
                registrations += self._registrations(event, None, spec.get("capacity"), spec)
            for index, slot_spec in enumerate(spec.get("slots", [])):
                tz = event.tzinfo
                day = timezone.localtime(event.starts_at, tz).date()
                slot = Slot(
                    event=event,
                    title=slot_spec["title"],
                    room=slot_spec["room"],
                    starts_at=_at(day, slot_spec["start"], tz),
                    ends_at=_at(day, slot_spec["end"], tz),
                    capacity=slot_spec.get("capacity"),
                    animators_wanted=slot_spec["wanted"],
                )
                slots.append(slot)
                for rank, advisor in enumerate(self.people.crowd(slot_spec["animators"], skip=2 + 2 * index)):
                    status = AnimatorStatus.CONFIRMED if rank == 0 else AnimatorStatus.PROPOSED
                    animators.append(AnimatorSignup(slot=slot, advisor=advisor, status=status))
                if slot_spec.get("registrations"):
                    registrations += self._registrations(
                        event, slot, slot_spec.get("capacity"), slot_spec, visitors=True
                    )
        Organiser.objects.bulk_create(organisers)
        Event.skills.through.objects.bulk_create(event_skills)
        Need.objects.bulk_create(needs)
        NeedOffer.objects.bulk_create(offers)
        Slot.objects.bulk_create(slots)
        AnimatorSignup.objects.bulk_create(animators)
        Registration.objects.bulk_create(registrations)

    def _all(self, key):
        return {value for _, spec in self.events for value in spec.get(key, [])}

    def _registrations(self, event, slot, capacity, spec, visitors=False):
        """In arrival order: the first ``capacity`` confirmed, the others on the waiting list."""
        count = spec["registrations"]
        if visitors:  # the public of the Fête's ateliers, without an account
            people = [(None, f"Visiteuse {n + 1}", f"visiteuse{n + 1}@exemple.fr") for n in range(count)]
        else:
            skip = spec.get("skip", len(self.events))
            people = [(a.user, a.user.get_full_name(), a.user.email) for a in self.people.crowd(count, skip=skip)]
        return [
            Registration(
                event=event,
                slot=slot,
                user=user,
                name=name,
                email=email,
                status=RegistrationStatus.CONFIRMED
                if capacity is None or rank < capacity
                else RegistrationStatus.WAITLISTED,
                queued_at=self.now - timedelta(minutes=len(people) - rank),
            )
            for rank, (user, name, email) in enumerate(people)
        ]


def events_ensure(*, departement, report):
    """Create the demo's events that do not exist yet; sets ``report.events`` to how many were created."""
    now = timezone.now()
    people = _People(departement)
    plan = _Plan(people, now)
    reunion = EVENTS["reunion"]
    codes = {spec["commune"] for spec in _specs() if spec.get("commune")}
    plan.communes = {commune.code: commune for commune in Commune.objects.filter(code__in=codes)}
    existing = set(
        Event.objects.filter(departement__code__in=[departement.code, reunion["departement"]]).values_list(
            "title", flat=True
        )
    )
    today = timezone.localtime(now, zoneinfo.ZoneInfo(departement.timezone)).date()

    def add(spec, kind, **fields):
        if spec["title"] not in existing and (not spec.get("commune") or spec["commune"] in plan.communes):
            plan.event(
                departement=departement, spec=spec, day=today + timedelta(days=spec["days"]), kind=kind, **fields
            )

    add(EVENTS["fete"], EventKind.FETE, audience=Audience.GRAND_PUBLIC, visibility=EventVisibility.PUBLIC)
    for spec in EVENTS["rencontres"]:
        add(spec, EventKind.RENCONTRE)
    for spec in EVENTS["past"]:
        add(spec, spec["kind"])
    _cafe_visio(plan, departement=departement, today=today, existing=existing)
    elsewhere = Departement.objects.filter(code=reunion["departement"]).first()
    if elsewhere is not None and reunion["title"] not in existing and reunion["commune"] in plan.communes:
        plan.event(
            departement=elsewhere,
            spec=reunion,
            day=timezone.localtime(now, zoneinfo.ZoneInfo(elsewhere.timezone)).date()
            + timedelta(days=reunion["days"]),
            kind=EventKind.RENCONTRE,
            visibility=EventVisibility.PUBLIC,
            audience=Audience.PARTENAIRES,
        )
    plan.write()
    report.events = len(plan.events)


def _specs():
    return [EVENTS["fete"], *EVENTS["rencontres"], *EVENTS["past"], EVENTS["reunion"]]


def _cafe_visio(plan, *, departement, today, existing):
    """The monthly café-visio: a series in the département's wall-clock time, its occurrences six months ahead
    (``manage.py extend_event_series`` carries them on); registrations to the first one."""
    spec = EVENTS["cafe_visio"]
    if spec["title"] in existing:
        return
    series = EventSeries(
        departement=departement,
        rule=spec["rule"],
        starts_on=today + timedelta(days=1),
        start_time=time.fromisoformat(spec["start"]),
        duration=timedelta(minutes=spec["minutes"]),
        generated_until=horizon(today),
    )
    days = occurrence_dates(series, until=series.generated_until)
    series.save()
    for index, day in enumerate(days):
        occurrence = {**spec, "registrations": spec["registrations"] if index == 0 else 0, "skip": 40}
        plan.event(
            departement=departement,
            spec=occurrence,
            day=day,
            kind=EventKind.CAFE_VISIO,
            mode=EventMode.DISTANCIEL,
            series=series,
            occurrence_date=day,
            duration=series.duration,
        )
