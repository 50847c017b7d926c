"""Reads of advisor profiles: their page, "Mon profil", the communes they serve and what they still lack."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from advisors.models import Advisor, Lieu, Permanence, Structure
from skills.models import AdvisorSkill
from territories.models import Commune
from territories.text import normalize


def profile_queryset():
    """Profiles with all that their page and "Mon profil" show, in a fixed number of queries."""
    return (
        Advisor.objects.with_cards()
        .select_related("cohort", "structure__commune", "structure_request__structure")
        .prefetch_related(
            Prefetch(
                "permanences",
                queryset=Permanence.objects.select_related("lieu", "lieu__commune").order_by("weekday", "opens"),
            ),
            "languages",
            "publics",
            Prefetch("intervention_communes", queryset=Commune.objects.with_territory()),
            Prefetch(
                "advisor_skills",
                queryset=AdvisorSkill.objects.filter(skill__merged_into__isnull=True)
                .select_related("skill")
                .order_by("skill__name"),
            ),
        )
    )


def derived_communes(advisor):
    """The communes an advisor serves when they listed none: those of the lieux where they hold
    a permanence, and the perimeter of their structure."""
    codes = Lieu.objects.accepted().filter(permanences__advisor=advisor).values("commune")
    if advisor.structure_id:
        # One ``IN (… UNION …)`` rather than an ``OR`` of two ``IN``: the communes are then read by their
        # primary key, not scanned (35,000 of them on a national database).
        codes = codes.union(
            Structure.perimeter.through.objects.filter(structure=advisor.structure_id).values("commune")
        )
    return Commune.objects.filter(pk__in=codes)


def communes_served_by(advisor):
    """``(communes, derived)``: the communes where the advisor intervenes, sorted by name.

    The explicit list when they gave one (read from the prefetch cache when the view
    prefetched ``intervention_communes``), else the communes derived from their lieux and
    structure, and ``derived`` is then true.
    """
    explicit = sorted(advisor.intervention_communes.all(), key=lambda commune: normalize(commune.name))
    if explicit:
        return explicit, False
    return list(derived_communes(advisor).with_territory().order_by("search_name", "code")), True


def derived_commune_names(advisor):
    """The names of the derived communes, for "Mon profil", when the advisor listed none (else empty).

    Reads ``intervention_communes`` through ``.all()``, so a prefetched profile costs no query for it."""
    if advisor.intervention_communes.all():
        return []
    return list(derived_communes(advisor).order_by("search_name").values_list("name", flat=True))


@dataclass
class Completeness:
    done: int
    total: int
    missing: list = field(default_factory=list)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self):
        return not self.missing


def profile_completeness(advisor):
    """What the profile still lacks, each item with the slug of the section of "Mon profil" that fills it.

    Reads ``permanences``, ``languages`` and ``intervention_communes`` through ``.all()``, so
    a prefetched profile costs no query.
    """
    user = advisor.user
    checks = [
        (bool(user.first_name and user.last_name), "vos prénom et nom", "identite"),
        (advisor.structure_id is not None, "votre structure", "identite"),
        (advisor.commune_id is not None, "votre commune de rattachement", "identite"),
        (bool(advisor.photo), "une photo", "presentation"),
        (bool(advisor.bio.strip()), "une courte présentation", "presentation"),
        (
            bool(advisor.permanences.all()) or bool(advisor.intervention_communes.all()),
            "une permanence ou des communes d’intervention",
            "lieux",
        ),
        (bool(advisor.languages.all()), "les langues que vous parlez", "langues"),
        (
            any([advisor.contact_email, advisor.phone, advisor.mattermost, advisor.discord, advisor.linkedin]),
            "un moyen de vous contacter",
            "contact",
        ),
    ]
    missing = [{"label": label, "section": section} for ok, label, section in checks if not ok]
    return Completeness(done=len(checks) - len(missing), total=len(checks), missing=missing)
