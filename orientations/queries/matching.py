"""Who can help a person: the lieux and advisors that fit a need and her constraints, nearest first,
each saying why it fits and what does not.

Hard conditions (a result that fails them is not listed): the need (the service offered, or the
skill practised or mastered), and the reach (within ``TRAVEL_KM`` of her commune's point, or
``NEAR_KM`` when she cannot travel; anywhere for those who help remotely when that suits her).
Soft conditions (listed, but after those that meet them, and marked): the times she is free, her
language, her public or specific support. Results are ordered by how many soft conditions they
miss, then by distance, and capped (``LIMIT`` each).

Distances are computed in SQL with the equirectangular approximation (exact to well under 1 % at
these ranges) to filter and order, after a bounding-box prefilter on the indexed coordinate columns;
the distance shown is the haversine one. Six queries, whatever the number of lieux and advisors.
"""

import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import time

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from advisors.enums import SupportMode, Weekday
from advisors.models import Advisor, AdvisorCommune, Lieu, LieuClosure, OpeningSlot, Permanence
from advisors.opening_hours import DAY_NAMES, french_date
from orientations.enums import TimeOfDay
from skills.enums import SkillLevel
from skills.models import AdvisorSkill
from territories.geo import KM_PER_DEGREE, Box, distance_km, format_distance

TRAVEL_KM = 30
NEAR_KM = 5
LIMIT = 10
FAR = 1e9  # squared degrees: farther than anything

# The hours each moment of the day covers: a slot fits when it overlaps them.
MOMENTS = {
    TimeOfDay.ANY: (time(0, 0), time(23, 59, 59)),
    TimeOfDay.MORNING: (time(0, 0), time(12, 0)),
    TimeOfDay.AFTERNOON: (time(12, 0), time(18, 0)),
    TimeOfDay.EVENING: (time(18, 0), time(23, 59, 59)),
}
MOMENT_WORDS = {
    TimeOfDay.ANY: "",
    TimeOfDay.MORNING: " matin",
    TimeOfDay.AFTERNOON: " après-midi",
    TimeOfDay.EVENING: " soir",
}
MASTERED = (SkillLevel.MASTER, SkillLevel.PRACTICE)
REMOTE = SupportMode.REMOTE.value


@dataclass(frozen=True)
class Criteria:
    commune: object  # territories.models.Commune
    domain: object = None  # skills.models.Domain (kind SERVICE): the skill's domain when a skill is given
    skill: object = None
    language: object = None
    public: object = None
    days: tuple = ()  # weekdays, 0 = lundi; empty: any day
    time_of_day: str = TimeOfDay.ANY
    can_travel: bool = True
    online_ok: bool = False

    @property
    def radius_km(self):
        return TRAVEL_KM if self.can_travel else NEAR_KM

    @property
    def asks_times(self):
        return bool(self.days) or self.time_of_day != TimeOfDay.ANY

    def times_text(self):
        """« le samedi matin », « le mardi ou le samedi », « l’après-midi »."""
        moment = MOMENT_WORDS[TimeOfDay(self.time_of_day)]
        if self.days:
            return " ou ".join(f"le {DAY_NAMES[day]}{moment}" for day in self.days)
        return TimeOfDay(self.time_of_day).label


@dataclass
class Match:
    """One lieu or advisor that fits: ``reasons`` say why, ``misses`` what does not fit."""

    kind: str  # "lieu" or "conseiller"
    obj: object
    distance: float | None
    reasons: list = field(default_factory=list)
    misses: list = field(default_factory=list)

    @property
    def fits_all(self):
        return not self.misses


@dataclass
class Results:
    criteria: Criteria
    lieux: list
    advisors: list

    @property
    def is_empty(self):
        return not self.lieux and not self.advisors


def _squared_degrees(point, prefix=""):
    """Squared equirectangular distance, in degrees², from ``point`` to the row's coordinates."""
    lat, lon = point
    shrink = math.cos(math.radians(lat))
    dlat = F(f"{prefix}latitude") - Value(lat)
    dlon = (F(f"{prefix}longitude") - Value(lon)) * Value(shrink)
    return ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())


def _slot_fits(criteria, prefix=""):
    """Slots (opening slots or permanences) overlapping the days and moment asked for."""
    starts, ends = MOMENTS[TimeOfDay(criteria.time_of_day)]
    condition = Q(**{f"{prefix}opens__lt": ends, f"{prefix}closes__gt": starts})
    if criteria.days:
        condition &= Q(**{f"{prefix}weekday__in": criteria.days})
    return condition


def _fit(condition_or_exists):
    return Case(When(condition_or_exists, then=Value(True)), default=Value(False), output_field=BooleanField())


def _misses(*names, closed=False):
    """How many soft conditions a row misses; ``closed``: an exceptional closure today counts as one."""
    terms = [
        Case(When(**{name: False}, then=Value(1)), default=Value(0), output_field=IntegerField()) for name in names
    ]
    if closed:
        terms.append(
            Case(When(closed_until__isnull=False, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    return sum(terms, Value(0))


def matching(criteria, viewer):
    """The lieux and advisors that fit ``criteria``, as ``viewer`` may see them (``Results``)."""
    point = criteria.commune.point
    if point is None:
        return Results(criteria, [], [])
    radius2 = (criteria.radius_km / KM_PER_DEGREE) ** 2
    box = Box.around(point, criteria.radius_km)
    return Results(
        criteria,
        _lieux(criteria, point, radius2, box, viewer),
        _advisors(criteria, point, radius2, box, viewer),
    )


def _lieux(criteria, point, radius2, box, viewer):
    # What a lieu's advisors speak or practise counts only for the profiles ``viewer`` may see: a hidden
    # profile must not show through its lieu (« parle portugais » because of someone who hides).
    visible = Advisor.objects.visible_to(viewer)
    staff = visible.filter(structure_id=OuterRef("structure_id"))
    lieux = Lieu.objects.accepted().annotate(d2=_squared_degrees(point))
    reach = Q(**box.lookups(), d2__lte=radius2)
    if criteria.online_ok:
        reach |= Q(support_modes__icontains=REMOTE)
    lieux = lieux.filter(reach)
    # The need: the service offered by the lieu's structure; for a skill, also an advisor of the structure
    # who practises it.
    offers = Q(structure__services=criteria.domain) if criteria.domain else Q()
    lieux = lieux.annotate(offers_service=Exists(Lieu.objects.filter(offers, pk=OuterRef("pk"))))
    if criteria.skill:
        lieux = lieux.annotate(
            skill_level=Subquery(
                AdvisorSkill.objects.filter(
                    advisor__structure_id=OuterRef("structure_id"),
                    advisor_id__in=visible.values("pk"),
                    skill=criteria.skill,
                    level__in=MASTERED,
                )
                .order_by("level")  # "maitrise" before "pratique"
                .values("level")[:1]
            )
        )
        lieux = lieux.filter(Q(offers_service=True) | Q(skill_level__isnull=False))
    else:
        lieux = lieux.filter(offers_service=True)
    soft = []
    if criteria.asks_times:
        slots = OpeningSlot.objects.filter(_slot_fits(criteria), lieu=OuterRef("pk"))
        lieux = lieux.annotate(fits_times=_fit(Exists(slots)))
        soft.append("fits_times")
    if criteria.language:
        lieux = lieux.annotate(fits_language=_fit(Exists(staff.filter(languages=criteria.language))))
        soft.append("fits_language")
    if criteria.public:
        served = Lieu.objects.filter(pk=OuterRef("pk"), structure__publics=criteria.public)
        lieux = lieux.annotate(fits_public=_fit(Exists(served)))
        soft.append("fits_public")
    # Closed today for holidays or works (``LieuClosure``): listed, after the others, with until when.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(criteria.commune.departement.timezone))
    closures = LieuClosure.objects.filter(lieu=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today)
    lieux = lieux.annotate(closed_until=Subquery(closures.order_by("-ends_on").values("ends_on")[:1]))
    lieux = (
        lieux.annotate(misses=_misses(*soft, closed=True))
        .select_related("commune", "structure", "departement")
        .prefetch_related(Prefetch("opening_slots", queryset=OpeningSlot.objects.order_by("weekday", "opens")))
        .order_by("misses", "d2", "name", "pk")[:LIMIT]
    )
    matches = []
    for lieu in lieux:
        distance = distance_km(point, lieu.point) if lieu.point else None
        match = Match("lieu", lieu, distance)
        match.reasons.append(_where(criteria, lieu.commune_id, distance))
        if distance is not None and distance > criteria.radius_km and REMOTE in lieu.support_modes:
            match.reasons.append("accompagne à distance")
        if lieu.offers_service and criteria.domain:
            match.reasons.append(f"propose : {criteria.domain.name.lower()}")
        if criteria.skill and getattr(lieu, "skill_level", None):
            match.reasons.append(_skill_reason(criteria.skill, lieu.skill_level, "un conseiller "))
        _soft_reasons(match, criteria, lieu, lieu.opening_slots.all(), "ouvert")
        if lieu.closed_until:
            match.misses.append(f"fermé exceptionnellement jusqu’au {french_date(lieu.closed_until)}")
        matches.append(match)
    return sorted(matches, key=lambda match: (len(match.misses), match.distance or 0))


def _advisors(criteria, point, radius2, box, viewer):
    permanences = Permanence.objects.filter(advisor=OuterRef("pk"), lieu__latitude__isnull=False)
    nearest_permanence = Subquery(
        permanences.annotate(d2=_squared_degrees(point, "lieu__")).order_by("d2").values("d2")[:1]
    )
    serves_commune = Exists(AdvisorCommune.objects.filter(advisor=OuterRef("pk"), commune=criteria.commune))
    advisors = (
        Advisor.objects.visible_to(viewer)
        .exclude(user_id=viewer.pk)
        .annotate(
            serves_commune=serves_commune,
            d2=Case(
                When(serves_commune, then=Value(0.0)),
                default=Least(
                    Coalesce(_squared_degrees(point, "commune__"), Value(FAR)),
                    Coalesce(nearest_permanence, Value(FAR)),
                ),
                output_field=FloatField(),
            ),
        )
    )
    # The indexed prefilter: based in the box, holding a permanence in it, or serving the commune.
    near = (
        Q(**box.lookups("commune__"))
        | Exists(Permanence.objects.filter(advisor=OuterRef("pk"), **box.lookups("lieu__")))
        | Q(serves_commune=True)
    )
    reach = near & Q(d2__lte=radius2)
    if criteria.online_ok:
        remote = Permanence.objects.filter(advisor=OuterRef("pk"), lieu__support_modes__icontains=REMOTE)
        advisors = advisors.annotate(remote=Exists(remote))
        reach |= Q(remote=True)
    advisors = advisors.filter(reach)
    # The need: the skill practised or mastered; for a service, a skill of that service, or the
    # service offered by their structure.
    if criteria.skill:
        own = AdvisorSkill.objects.filter(advisor=OuterRef("pk"), skill=criteria.skill, level__in=MASTERED)
    else:
        own = AdvisorSkill.objects.filter(
            advisor=OuterRef("pk"), skill__domain=criteria.domain, skill__merged_into__isnull=True, level__in=MASTERED
        )
    advisors = advisors.annotate(
        skill_level=Subquery(own.order_by("level").values("level")[:1]),
        skill_name=Subquery(own.order_by("level", "skill__name").values("skill__name")[:1]),
    )
    if criteria.skill:
        advisors = advisors.filter(skill_level__isnull=False)
    else:
        offered = Advisor.objects.filter(pk=OuterRef("pk"), structure__services=criteria.domain)
        advisors = advisors.annotate(offers_service=Exists(offered)).filter(
            Q(skill_level__isnull=False) | Q(offers_service=True)
        )
    soft = []
    if criteria.asks_times:
        advisors = advisors.annotate(
            fits_times=_fit(Exists(Permanence.objects.filter(_slot_fits(criteria), advisor=OuterRef("pk"))))
        )
        soft.append("fits_times")
    if criteria.language:
        speaks = Advisor.objects.filter(pk=OuterRef("pk"), languages=criteria.language)
        advisors = advisors.annotate(fits_language=_fit(Exists(speaks)))
        soft.append("fits_language")
    if criteria.public:
        served = Advisor.objects.filter(
            Q(publics=criteria.public) | Q(structure__publics=criteria.public), pk=OuterRef("pk")
        )
        advisors = advisors.annotate(fits_public=_fit(Exists(served)))
        soft.append("fits_public")
    advisors = (
        advisors.annotate(misses=_misses(*soft))
        .select_related("user", "structure", "commune")
        .prefetch_related(
            Prefetch(
                "permanences",
                queryset=Permanence.objects.select_related("lieu", "lieu__commune").order_by("weekday", "opens"),
            )
        )
        .order_by("misses", "d2", "user__last_name", "user__first_name", "pk")[:LIMIT]
    )
    matches = []
    for advisor in advisors:
        distance = _advisor_distance(point, advisor)
        match = Match("conseiller", advisor, distance)
        if advisor.serves_commune:
            match.reasons.append(f"intervient à {criteria.commune.name}")
        else:
            match.reasons.append(_where(criteria, advisor.commune_id, distance))
        if distance is not None and distance > criteria.radius_km and getattr(advisor, "remote", False):
            match.reasons.append("accompagne à distance")
        if advisor.skill_level:
            skill = criteria.skill.name if criteria.skill else advisor.skill_name
            match.reasons.append(_skill_reason(skill, advisor.skill_level))
        elif criteria.domain:
            match.reasons.append(f"sa structure propose : {criteria.domain.name.lower()}")
        _soft_reasons(match, criteria, advisor, advisor.permanences.all(), "en permanence")
        matches.append(match)
    return sorted(matches, key=lambda match: (len(match.misses), match.distance or 0))


def _advisor_distance(point, advisor):
    if advisor.serves_commune:
        return 0.0
    points = [permanence.lieu.point for permanence in advisor.permanences.all() if permanence.lieu.point]
    if advisor.commune and advisor.commune.point:
        points.append(advisor.commune.point)
    return min((distance_km(point, other) for other in points), default=None)


def _where(criteria, commune_id, distance):
    if commune_id == criteria.commune.pk:
        return f"à {criteria.commune.name}"
    if distance is None:
        return "distance inconnue"
    return format_distance(distance)


def _skill_reason(skill, level, who=""):
    verb = "maîtrise" if level == SkillLevel.MASTER else "pratique"
    return f"{who}{verb} : {str(skill).lower()}"


def _soft_reasons(match, criteria, obj, slots, open_word):
    if criteria.asks_times:
        if obj.fits_times:
            match.reasons.append(f"{open_word} {_matching_times(criteria, slots)}")
        else:
            match.misses.append(f"pas {open_word} {criteria.times_text()}")
    if criteria.language:
        name = criteria.language.name
        if obj.fits_language:
            match.reasons.append(f"parle {name}" if match.kind == "conseiller" else f"on y parle {name}")
        else:
            match.misses.append(f"ne parle pas {name}" if match.kind == "conseiller" else f"personne n’y parle {name}")
    if criteria.public:
        name = criteria.public.name.lower()
        if obj.fits_public:
            match.reasons.append(f"accueille : {name}")
        else:
            match.misses.append(f"n’indique pas accueillir : {name}")


def _matching_times(criteria, slots):
    """The first days asked for on which a slot fits: « le samedi matin », « le mardi et le jeudi »."""
    starts, ends = MOMENTS[TimeOfDay(criteria.time_of_day)]
    moment = MOMENT_WORDS[TimeOfDay(criteria.time_of_day)]
    days = sorted(
        {
            slot.weekday
            for slot in slots
            if slot.opens < ends and slot.closes > starts and (not criteria.days or slot.weekday in criteria.days)
        }
    )
    if not days:  # the prefetch and the annotation disagree only if a slot changed in between
        return criteria.times_text()
    names = [f"le {Weekday(day).label}{moment}" for day in days[:3]]
    return " et ".join(names) + (" …" if len(days) > 3 else "")
