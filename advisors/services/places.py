"""Writes of structures, their perimeter, their lieux and opening hours. Keyword-only, one transaction each.

Views validate what people type with the forms of ``forms_places``; these functions enforce
the rules again (a SIRET used once, slots that close after they open and do not overlap), so
that a command or a test cannot store what a form would refuse.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from advisors.enums import AccessMode, Dispositif, SupportMode
from advisors.models import Advisor, Lieu, OpeningSlot, Structure
from advisors.opening_hours import DAY_NAMES, french_time
from advisors.services.network import advisor_ensure, advisors_refresh_search_text
from territories.models import Commune

STRUCTURE_FIELDS = ("name", "kind", "siret", "address", "website", "email", "phone", "presentation", "dispositifs")
LIEU_FIELDS = (
    "name",
    "address",
    "access_modes",
    "support_modes",
    "fees",
    "reduced_mobility_access",
    "itinerant",
    "hours_note",
)


# The JSON lists of the models hold values of these choices, nothing else.
LIST_CHOICES = {"dispositifs": Dispositif, "access_modes": AccessMode, "support_modes": SupportMode}


def _check_lists(fields):
    for name, choices in LIST_CHOICES.items():
        unknown = set(fields.get(name, ())) - set(choices.values)
        if unknown:
            raise ValidationError({name: f"Valeur inconnue : {', '.join(sorted(unknown))}."})
        if name in fields:
            # Stored in the order of the choices, whatever order they came in.
            fields[name] = [value for value in choices.values if value in fields[name]]


def _check_siret_free(siret, structure=None):
    if not siret:
        return
    others = Structure.objects.filter(siret=siret)
    if structure is not None:
        others = others.exclude(pk=structure.pk)
    existing = others.first()
    if existing is not None:
        raise ValidationError({"siret": f"Ce SIRET est déjà celui de la structure « {existing.name} »."})


def _save_structure(structure, *, services, publics):
    structure.full_clean(exclude=["departement"], validate_constraints=False, validate_unique=False)
    structure.save()
    if services is not None:
        structure.services.set(services)
    if publics is not None:
        structure.publics.set(publics)
    return structure


@transaction.atomic
def structure_create(*, commune, services=(), publics=(), member=None, **fields):
    """Create a structure. ``member``, a user who works there (its creator, say), joins it: their
    profile, created if they have none yet, gets it as structure unless it already has one.

    ``fields`` are the plain fields of ``STRUCTURE_FIELDS``; ``services`` are ``skills.Domain``
    and ``publics`` ``skills.Public`` rows.
    """
    unknown = set(fields) - set(STRUCTURE_FIELDS)
    if unknown:
        raise TypeError(f"structure_create() got unexpected fields: {', '.join(sorted(unknown))}")
    _check_lists(fields)
    fields["siret"] = fields.get("siret", "").replace(" ", "")
    _check_siret_free(fields["siret"])
    structure = _save_structure(Structure(commune=commune, **fields), services=services, publics=publics)
    if member is not None:
        advisor = advisor_ensure(user=member, departement=structure.departement)
        Advisor.objects.filter(pk=advisor.pk, structure__isnull=True).update(structure=structure)
    return structure


@transaction.atomic
def structure_update(*, structure, services=None, publics=None, **fields):
    """Change a structure's fields (``STRUCTURE_FIELDS`` and ``commune``); ``services``/``publics`` replace."""
    unknown = set(fields) - set(STRUCTURE_FIELDS) - {"commune"}
    if unknown:
        raise TypeError(f"structure_update() got unexpected fields: {', '.join(sorted(unknown))}")
    _check_lists(fields)
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if "siret" in fields:
        fields["siret"] = fields["siret"].replace(" ", "")
        _check_siret_free(fields["siret"], structure)
    renamed = "name" in fields and fields["name"] != structure.name
    for name, value in fields.items():
        setattr(structure, name, value)
    structure = _save_structure(structure, services=services, publics=publics)
    if renamed:
        # The directory finds people by their structure's name too.
        advisors_refresh_search_text(advisors=structure.advisors.all())
    return structure


def _perimeter_communes(*, communes=None, epci=None, departement=None):
    """Commune codes chosen by any of the three ways: a list, a whole EPCI, a whole département."""
    queryset = Commune.objects.none()
    if communes is not None:
        codes = [getattr(commune, "code", commune) for commune in communes]
        queryset |= Commune.objects.filter(code__in=codes)
    if epci is not None:
        queryset |= Commune.objects.filter(epci=epci)
    if departement is not None:
        queryset |= Commune.objects.filter(departement=departement)
    return queryset


@transaction.atomic
def structure_perimeter_add(*, structure, communes=None, epci=None, departement=None):
    """Add communes to the perimeter: some communes, every commune of an EPCI (in all the
    départements it spans) or of a département. Returns how many were not there yet.

    Three queries whatever the number of communes: lock, read what is missing, insert it.
    """
    Structure.objects.select_for_update().filter(pk=structure.pk).first()
    through = Structure.perimeter.through
    missing = list(
        _perimeter_communes(communes=communes, epci=epci, departement=departement)
        .exclude(covering_structures=structure)
        .values_list("code", flat=True)
    )
    through.objects.bulk_create(
        [through(structure_id=structure.pk, commune_id=code) for code in missing], ignore_conflicts=True
    )
    return len(missing)


@transaction.atomic
def structure_perimeter_remove(*, structure, communes=None, epci=None):
    """Remove some communes, or all the communes of an EPCI, from the perimeter. Returns how many."""
    through = Structure.perimeter.through
    removed, _ = through.objects.filter(
        structure_id=structure.pk,
        commune__in=_perimeter_communes(communes=communes, epci=epci),
    ).delete()
    return removed


def _check_slots(slots):
    """Each slot closes after it opens; two slots of the same day do not overlap."""
    by_day = {}
    for weekday, opens, closes in slots:
        if weekday not in range(7):
            raise ValidationError("Jour inconnu : choisissez un jour de lundi à dimanche.")
        if closes <= opens:
            raise ValidationError(
                f"Le {DAY_NAMES[weekday]}, l’heure de fermeture ({french_time(closes)}) doit suivre "
                f"l’heure d’ouverture ({french_time(opens)})."
            )
        by_day.setdefault(weekday, []).append((opens, closes))
    for weekday, ranges in by_day.items():
        ranges.sort()
        for (opens, closes), (next_opens, next_closes) in zip(ranges, ranges[1:], strict=False):
            if next_opens < closes:
                raise ValidationError(
                    f"Le {DAY_NAMES[weekday]}, les créneaux {french_time(opens)} – {french_time(closes)} et "
                    f"{french_time(next_opens)} – {french_time(next_closes)} se chevauchent."
                )


@transaction.atomic
def lieu_hours_set(*, lieu, slots):
    """Replace the opening hours of a lieu with ``slots``, (weekday, opens, closes) tuples.

    All or nothing: on a bad slot nothing changes and ``ValidationError`` says why.
    """
    slots = list(slots)
    _check_slots(slots)
    Lieu.objects.select_for_update().filter(pk=lieu.pk).first()
    OpeningSlot.objects.filter(lieu=lieu).delete()
    OpeningSlot.objects.bulk_create(
        [OpeningSlot(lieu=lieu, weekday=weekday, opens=opens, closes=closes) for weekday, opens, closes in slots]
    )
    return lieu


def _check_lieu_fields(fields):
    unknown = set(fields) - set(LIEU_FIELDS) - {"commune"}
    if unknown:
        raise TypeError(f"unexpected lieu fields: {', '.join(sorted(unknown))}")
    _check_lists(fields)


@transaction.atomic
def lieu_create(*, structure, commune, slots=(), **fields):
    """Create a lieu of ``structure`` with its opening hours (``slots``, see ``lieu_hours_set``)."""
    _check_lieu_fields(fields)
    lieu = Lieu(structure=structure, commune=commune, **fields)
    lieu.full_clean(exclude=["departement"])
    lieu.save()
    lieu_hours_set(lieu=lieu, slots=slots)
    return lieu


@transaction.atomic
def lieu_update(*, lieu, slots=None, **fields):
    """Change a lieu's fields and, when ``slots`` is given, replace its opening hours, together."""
    _check_lieu_fields(fields)
    lieu = Lieu.objects.select_for_update().get(pk=lieu.pk)
    for name, value in fields.items():
        setattr(lieu, name, value)
    lieu.full_clean(exclude=["departement"])
    lieu.save()
    if slots is not None:
        lieu_hours_set(lieu=lieu, slots=slots)
    return lieu
