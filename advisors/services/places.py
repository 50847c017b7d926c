"""Writes of structures, their perimeter, their lieux and opening hours. Keyword-only, one transaction each.

Views validate what people type with the forms of ``forms_places``; these functions enforce
the rules again (a SIRET used once, slots that close after they open and do not overlap), so
that a command or a test cannot store what a form would refuse.
"""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from advisors import perms
from advisors.enums import AccessMode, Dispositif, LieuApproval, PositionSource, SupportMode
from advisors.models import (
    Advisor,
    Lieu,
    LieuClosure,
    OpeningSlot,
    PerimeterRequest,
    Structure,
    StructureAttachment,
)
from advisors.opening_hours import DAY_NAMES, french_time
from advisors.services.geocoding import address_geocode
from advisors.services.network import advisor_ensure, advisors_refresh_search_text
from advisors.services.serving import serving_refresh, serving_refresh_lieu, serving_refresh_structure
from territories.enums import OutlineKind
from territories.geo import bounds, decode, distance_km
from territories.models import Commune, Outline

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
    "public_phone",
    "public_email",
    "booking_url",
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
def structure_create(*, commune, services=(), publics=(), member=None, created_by=None, **fields):
    """Create a structure. ``created_by`` may edit it from then on. ``member``, a user who works
    there (its creator, say), joins it: their profile, created if they have none yet, gets it as
    structure unless it already has one.

    ``fields`` are the plain fields of ``STRUCTURE_FIELDS``; ``services`` are ``skills.Domain``
    and ``publics`` ``skills.Public`` rows.
    """
    unknown = set(fields) - set(STRUCTURE_FIELDS)
    if unknown:
        raise TypeError(f"structure_create() got unexpected fields: {', '.join(sorted(unknown))}")
    _check_lists(fields)
    fields["siret"] = fields.get("siret", "").replace(" ", "")
    _check_siret_free(fields["siret"])
    structure = _save_structure(
        Structure(commune=commune, created_by=created_by, **fields), services=services, publics=publics
    )
    if member is not None:
        advisor = advisor_ensure(user=member, departement=structure.departement)
        if Advisor.objects.filter(pk=advisor.pk, structure__isnull=True).update(structure=structure):
            serving_refresh(advisors=[advisor])
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
    moved = "commune" in fields and fields["commune"].pk != structure.commune_id
    for name, value in fields.items():
        setattr(structure, name, value)
    structure = _save_structure(structure, services=services, publics=publics)
    if renamed:
        # The directory finds people by their structure's name too.
        advisors_refresh_search_text(advisors=structure.advisors.all())
    if moved:
        serving_refresh_structure(structure=structure)
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


@dataclass(frozen=True)
class PerimeterChange:
    added: int  # communes now in the perimeter
    requested: int  # communes of other départements now waiting for their coordination


def _accepted_in(user, departement_code, structure):
    """A place in ``departement_code`` counts at once in the structure's own département, or
    when the one who adds it coordinates that département; elsewhere it waits for them."""
    if departement_code == structure.departement_id:
        return True
    return user is not None and perms.is_coordinator(user, departement_code)


@transaction.atomic
def structure_perimeter_add(*, structure, communes=None, epci=None, departement=None, by=None):
    """Add communes to the perimeter: some communes, every commune of an EPCI (in all the
    départements it spans) or of a département.

    Communes of another département than the structure's become ``PerimeterRequest`` rows, which
    that département's coordination accepts (``perimeter_requests_decide``), unless ``by``
    coordinates it. Four queries whatever the number of communes: lock, read what is missing,
    insert it, insert the requests.
    """
    Structure.objects.select_for_update().filter(pk=structure.pk).first()
    through = Structure.perimeter.through
    missing = list(
        _perimeter_communes(communes=communes, epci=epci, departement=departement)
        .exclude(covering_structures=structure)
        .values_list("code", "departement_id")
    )
    accepted = {dep: _accepted_in(by, dep, structure) for dep in {dep for _, dep in missing}}
    added = [code for code, dep in missing if accepted[dep]]
    requested = [code for code, dep in missing if not accepted[dep]]
    through.objects.bulk_create(
        [through(structure_id=structure.pk, commune_id=code) for code in added], ignore_conflicts=True
    )
    already = set(
        PerimeterRequest.objects.filter(structure=structure, commune__in=requested).values_list("commune", flat=True)
    )
    new_requests = [code for code in requested if code not in already]
    PerimeterRequest.objects.bulk_create(
        [PerimeterRequest(structure_id=structure.pk, commune_id=code, requested_by=by) for code in new_requests],
        ignore_conflicts=True,
    )
    serving_refresh_structure(structure=structure)
    return PerimeterChange(added=len(added), requested=len(new_requests))


@transaction.atomic
def structure_perimeter_remove(*, structure, communes=None, epci=None):
    """Remove some communes, or all the communes of an EPCI, from the perimeter (and withdraw the
    requests for them). Returns how many left the perimeter."""
    chosen = _perimeter_communes(communes=communes, epci=epci)
    PerimeterRequest.objects.filter(structure_id=structure.pk, commune__in=chosen).delete()
    removed, _ = Structure.perimeter.through.objects.filter(structure_id=structure.pk, commune__in=chosen).delete()
    serving_refresh_structure(structure=structure)
    return removed


@transaction.atomic
def perimeter_requests_decide(*, structure, departement, accept):
    """Accept (into the perimeter) or refuse (delete) every commune of ``departement`` that
    ``structure`` asks to cover. Returns how many requests were decided."""
    Structure.objects.select_for_update().filter(pk=structure.pk).first()
    requests = PerimeterRequest.objects.filter(structure=structure, commune__departement=departement)
    codes = list(requests.values_list("commune", flat=True))
    if accept:
        through = Structure.perimeter.through
        through.objects.bulk_create(
            [through(structure_id=structure.pk, commune_id=code) for code in codes], ignore_conflicts=True
        )
        serving_refresh_structure(structure=structure)
    PerimeterRequest.objects.filter(structure=structure, commune__in=codes).delete()
    return len(codes)


@transaction.atomic
def structure_attachment_request(*, advisor, structure, save=True):
    """Say that ``advisor`` works at ``structure`` (``None``: at none). Returns the pending
    ``StructureAttachment``, or ``None`` when the change is made at once.

    Leaving a structure, or joining one that the person may already edit (its creator, the
    coordination), is immediate. Joining any other structure is a request that its editors or
    the coordination accept (``structure_attachment_decide``); the profile keeps its current
    structure until then. A new choice replaces the previous request. With ``save=False`` the
    caller, who holds the profile row locked, saves ``advisor`` itself.
    """
    if save:
        advisor = Advisor.objects.select_for_update(of=("self",)).select_related("user").get(pk=advisor.pk)
    if structure is None or structure.pk == advisor.structure_id or perms.can_edit_structure(advisor.user, structure):
        StructureAttachment.objects.filter(advisor=advisor).delete()
        if getattr(structure, "pk", None) != advisor.structure_id:
            advisor.structure = structure
            if save:
                advisor.save(update_fields=["structure", "updated_at"])
                advisors_refresh_search_text(advisors=Advisor.objects.filter(pk=advisor.pk))
                serving_refresh(advisors=[advisor])
        return None
    attachment, _ = StructureAttachment.objects.update_or_create(advisor=advisor, defaults={"structure": structure})
    return attachment


@transaction.atomic
def structure_attachment_decide(*, attachment, accept):
    """Accept (the advisor's structure becomes the one asked for) or refuse a request to join."""
    attachment = StructureAttachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if attachment is None:
        return False  # Decided meanwhile by someone else, or withdrawn.
    if accept:
        Advisor.objects.filter(pk=attachment.advisor_id).update(structure=attachment.structure_id)
        advisors_refresh_search_text(advisors=Advisor.objects.filter(pk=attachment.advisor_id))
        serving_refresh(advisors=[attachment.advisor_id])
    attachment.delete()
    return True


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


def _approval(lieu, structure, by):
    accepted = _accepted_in(by, lieu.commune.departement_id, structure)
    return LieuApproval.ACCEPTED if accepted else LieuApproval.PENDING


# A typed position farther than this outside its commune is a slip (latitude and longitude
# swapped, a sign lost): refused. Without the commune's outline, this far from its point.
POSITION_MARGIN_KM = 5
POSITION_RADIUS_KM = 50
_KEEP = object()


@dataclass(frozen=True)
class LieuPosition:
    latitude: float | None
    longitude: float | None
    source: str


def _near_commune(point, commune):
    contour = Outline.objects.of(OutlineKind.COMMUNE, [commune.code]).get(commune.code)
    extent = bounds([decode(contour)]) if contour else None
    if extent is not None:
        lon_min, lat_min, lon_max, lat_max = extent
        latitude, longitude = point
        nearest = (min(max(latitude, lat_min), lat_max), min(max(longitude, lon_min), lon_max))
        return distance_km(point, nearest) <= POSITION_MARGIN_KM
    if commune.point is not None:
        return distance_km(point, commune.point) <= POSITION_RADIUS_KM
    return True


def position_errors(*, latitude, longitude, commune):
    """``{field: message}``: what is wrong with a typed position (``None`` and ``None``: no position)."""
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        return {missing: "Indiquez la latitude et la longitude, ou aucune des deux."}
    if latitude is None:
        return {}
    if not -90 <= latitude <= 90:
        return {"latitude": "La latitude est comprise entre -90 et 90 degrés."}
    if not -180 <= longitude <= 180:
        return {"longitude": "La longitude est comprise entre -180 et 180 degrés."}
    if not _near_commune((latitude, longitude), commune):
        return {
            "latitude": f"Cette position est loin de {commune.name} : vérifiez la latitude et la longitude "
            "(inversées, ou un signe moins oublié ?)."
        }
    return {}


def lieu_position(*, commune, address, latitude=None, longitude=None, current=None):
    """Where a lieu stands: the position typed (``latitude`` and ``longitude``, both or neither),
    else its address geocoded (only when ``settings.GEOCODER_URL`` is set, see ``geocoding``), else
    its commune's point. ``current``, the lieu before a change, keeps a geocoded position as long
    as its address and commune stay the same (no request to the geocoder at each save).

    Runs outside any transaction: the geocoder may take up to its timeout.
    """
    errors = position_errors(latitude=latitude, longitude=longitude, commune=commune)
    if errors:
        raise ValidationError(errors)
    if latitude is not None:
        return LieuPosition(latitude, longitude, PositionSource.TYPED)
    if (
        current is not None
        and current.position_source == PositionSource.ADDRESS
        and current.address == address
        and current.commune_id == commune.pk
    ):
        return LieuPosition(current.latitude, current.longitude, PositionSource.ADDRESS)
    found = address_geocode(address=address, commune=commune)
    if found is not None:
        return LieuPosition(*found, PositionSource.ADDRESS)
    return LieuPosition(None, None, PositionSource.COMMUNE)


def _place(lieu, position):
    lieu.latitude, lieu.longitude, lieu.position_source = position.latitude, position.longitude, position.source
    # A commune position is the commune's point, set by Lieu.save().


def lieu_create(*, structure, commune, slots=(), by=None, latitude=None, longitude=None, **fields):
    """Create a lieu of ``structure`` with its opening hours (``slots``, see ``lieu_hours_set``) at
    its position (``lieu_position``: typed, geocoded or its commune's point).

    A lieu in another département than the structure's waits for that département's
    coordination (``lieu_decide``) unless ``by`` coordinates it; until then it shows nowhere there.
    """
    _check_lieu_fields(fields)
    position = lieu_position(
        commune=commune, address=fields.get("address", ""), latitude=latitude, longitude=longitude
    )
    return _lieu_create(structure=structure, commune=commune, slots=slots, by=by, position=position, fields=fields)


@transaction.atomic
def _lieu_create(*, structure, commune, slots, by, position, fields):
    lieu = Lieu(structure=structure, commune=commune, **fields)
    _place(lieu, position)
    lieu.approval = _approval(lieu, structure, by)
    lieu.full_clean(exclude=["departement"])
    lieu.save()
    lieu_hours_set(lieu=lieu, slots=slots)
    serving_refresh(lieux=[lieu])
    return lieu


def lieu_update(*, lieu, slots=None, by=None, latitude=_KEEP, longitude=_KEEP, **fields):
    """Change a lieu's fields and, when ``slots`` is given, replace its opening hours, together.

    ``latitude`` and ``longitude`` (``None``: no typed position) place it again (``lieu_position``);
    left out, a typed position stays, and a new address or commune places it again.
    Moved to another commune, it is judged again as a new lieu would be (see ``lieu_create``).
    """
    _check_lieu_fields(fields)
    position = None
    typed = latitude is not _KEEP or longitude is not _KEEP
    if typed or "address" in fields or "commune" in fields:
        # As stored now (the caller's copy may be older), read without a lock: the geocoder may be slow.
        lieu = Lieu.objects.select_related("commune").get(pk=lieu.pk)
        if not typed and lieu.position_source == PositionSource.TYPED:
            latitude, longitude = lieu.latitude, lieu.longitude
        position = lieu_position(
            commune=fields.get("commune", lieu.commune),
            address=fields.get("address", lieu.address),
            latitude=None if latitude is _KEEP else latitude,
            longitude=None if longitude is _KEEP else longitude,
            current=lieu,
        )
    return _lieu_update(lieu=lieu, slots=slots, by=by, position=position, fields=fields)


@transaction.atomic
def _lieu_update(*, lieu, slots, by, position, fields):
    lieu = Lieu.objects.select_for_update().select_related("structure").get(pk=lieu.pk)
    moved = "commune" in fields and fields["commune"].pk != lieu.commune_id
    for name, value in fields.items():
        setattr(lieu, name, value)
    if position is not None:
        _place(lieu, position)
    if moved:
        lieu.approval = _approval(lieu, lieu.structure, by)
    lieu.full_clean(exclude=["departement"])
    lieu.save()
    if slots is not None:
        lieu_hours_set(lieu=lieu, slots=slots)
    if moved:
        serving_refresh_lieu(lieu=lieu)
    return lieu


def lieux_follow_communes():
    """Put every lieu placed at its commune's point back on that point (after an import of the
    territories moved some): one UPDATE, whatever the number of lieux."""
    point = Commune.objects.filter(pk=OuterRef("commune_id"))
    return Lieu.objects.filter(position_source=PositionSource.COMMUNE).update(
        latitude=Subquery(point.values("latitude")[:1]), longitude=Subquery(point.values("longitude")[:1])
    )


@transaction.atomic
def lieu_decide(*, lieu, accept):
    """The coordination of the lieu's département accepts it there, or refuses it (it stays, out of every list)."""
    updated = Lieu.objects.filter(pk=lieu.pk, approval=LieuApproval.PENDING).update(
        approval=LieuApproval.ACCEPTED if accept else LieuApproval.REFUSED
    )
    if updated and accept:
        serving_refresh_lieu(lieu=lieu)
    return bool(updated)


# Exceptional closures (« fermé du 22 décembre au 2 janvier »).
CLOSURE_MAX_DAYS = 366  # both days included: a year, a leap one too
CLOSURE_AHEAD_DAYS = 2 * 365


def lieu_today(lieu):
    """Today on the lieu's clocks (its département's time zone: La Réunion is ahead of Paris)."""
    return timezone.localdate(timezone=ZoneInfo(lieu.departement.timezone))


def closure_errors(*, starts_on, ends_on, today):
    """``{field: message}``: what is wrong with a closure from ``starts_on`` to ``ends_on`` (both closed) recorded
    on ``today``: it ends after it starts, lasts a year at most, is not over and is planned at most two years ahead."""
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = "La fermeture doit finir le jour où elle commence ou après."
    elif (ends_on - starts_on).days + 1 > CLOSURE_MAX_DAYS:
        errors["ends_on"] = "Une fermeture exceptionnelle dure un an au plus."
    elif ends_on < today:
        errors["ends_on"] = "Cette fermeture est déjà passée : indiquez une fin à partir d’aujourd’hui."
    if starts_on > today + timedelta(days=CLOSURE_AHEAD_DAYS):
        errors["starts_on"] = "Une fermeture s’annonce au plus deux ans à l’avance."
    return errors


@transaction.atomic
def lieu_closure_add(*, lieu, starts_on, ends_on, reason=""):
    """Record that ``lieu`` is closed from ``starts_on`` to ``ends_on`` (both days): its status and its OSM
    string say so. Refused (``ValidationError`` by field) when ``closure_errors`` finds something."""
    errors = closure_errors(starts_on=starts_on, ends_on=ends_on, today=lieu_today(lieu))
    if errors:
        raise ValidationError(errors)
    return LieuClosure.objects.create(lieu=lieu, starts_on=starts_on, ends_on=ends_on, reason=reason.strip())


@transaction.atomic
def lieu_closure_delete(*, closure):
    """Remove an exceptional closure (the lieu opens on those days again)."""
    closure.delete()
