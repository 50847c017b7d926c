"""Advisor profiles: the writes of "Mon profil", one section at a time (reads: ``advisors.queries.profiles``).

Writes are keyword-only and run in one transaction that locks the profile row, so two tabs
saving two sections at once cannot overwrite each other's fields.
"""

import itertools
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from advisors.images import photo_process
from advisors.models import Advisor, Cohort, Permanence
from advisors.services.network import advisor_search_text
from advisors.services.places import structure_attachment_request
from advisors.services.serving import serving_refresh
from skills.services import advisor_skills_set


def _lock(advisor):
    return Advisor.objects.select_for_update(of=("self",)).select_related("user", "structure").get(pk=advisor.pk)


def cohort_create(*, name, training_body, start_date):
    """A new promo de formation, or the existing one with the same name, body and start date.

    The same promo always slugifies to the same base: the slug's unique constraint is what
    serialises two people creating it at once. The second insert fails on the slug, reads
    who holds it, and returns the first one's promo (a different promo holding it: next slug).
    """
    name, training_body = name.strip(), training_body.strip()
    same = Cohort.objects.filter(name__iexact=name, training_body__iexact=training_body, start_date=start_date)
    existing = same.first()
    if existing:
        return existing
    base = slugify(f"{name} {training_body} {start_date:%Y-%m}")[:100] or "promo"
    slugs = (base if n == 1 else f"{base}-{n}" for n in itertools.count(1))
    slug = next(slugs)
    while True:
        holder = Cohort.objects.filter(slug=slug).first()
        if holder is None:
            try:
                with transaction.atomic():
                    return Cohort.objects.create(
                        slug=slug, name=name, training_body=training_body, start_date=start_date
                    )
            except IntegrityError:
                continue
        if same.filter(pk=holder.pk).exists():
            return holder
        slug = next(slugs)


def _update_identity(advisor, data):
    user = advisor.user
    user.first_name, user.last_name = data["first_name"].strip(), data["last_name"].strip()
    user.save(update_fields=["first_name", "last_name"])
    advisor.role = data["role"]
    # Picking a structure one may not edit yet is a request to its editors, not a change.
    structure_attachment_request(advisor=advisor, structure=data["structure"], save=False)
    advisor.commune = data["commune"]
    advisor.arrival_date = data["arrival_date"]
    new_cohort = data.get("new_cohort")
    advisor.cohort = cohort_create(**new_cohort) if new_cohort else data["cohort"]


def _update_presentation(advisor, data):
    advisor.bio = data["bio"].strip()
    if data.get("photo"):
        advisor_photo_set(advisor=advisor, upload=data["photo"], save=False)
    elif data.get("remove_photo"):
        advisor_photo_remove(advisor=advisor, save=False)


def _update_places(advisor, data):
    # The rows of the form are the whole list: simpler and safer than matching ids.
    advisor.permanences.all().delete()
    Permanence.objects.bulk_create(
        Permanence(advisor=advisor, lieu=row["lieu"], weekday=row["weekday"], opens=row["opens"], closes=row["closes"])
        for row in data["permanences"]
    )
    if data.get("remove_communes"):
        advisor.intervention_communes.remove(*data["remove_communes"])
    if data.get("add_commune"):
        advisor.intervention_communes.add(data["add_commune"])


def _update_languages(advisor, data):
    advisor.languages.set(data["languages"])
    advisor.publics.set(data["publics"])


def _update_skills(advisor, data):
    advisor_skills_set(advisor=advisor, levels=data["levels"])


def _update_contact(advisor, data):
    for name in ("contact_email", "phone", "mattermost", "discord", "linkedin"):
        setattr(advisor, name, data[name].strip())
    advisor.available_for_co_animation = data["available_for_co_animation"]


def _update_visibility(advisor, data):
    advisor.visibility = data["visibility"]


def _update_letter(advisor, data):
    advisor.introduce_in_letter = data["introduce_in_letter"]
    if advisor.user.receives_letter != data["receives_letter"]:
        advisor.user.receives_letter = data["receives_letter"]
        advisor.user.save(update_fields=["receives_letter"])


# The sections that change what the profile serves (its commune, structure, permanences, communes).
_SERVING_SECTIONS = {"identity", "places"}

_UPDATERS = {
    "identity": _update_identity,
    "presentation": _update_presentation,
    "places": _update_places,
    "languages": _update_languages,
    "skills": _update_skills,
    "contact": _update_contact,
    "visibility": _update_visibility,
    "letter": _update_letter,
}
# Preferences, not what the profile says: saving them leaves its « mis à jour le » (the dashboard's stale
# profiles read it) as it was.
_PREFERENCE_SECTIONS = {"letter": ["introduce_in_letter"]}


@transaction.atomic
def profile_update_section(*, advisor, section, data):
    """Save one section of a profile from a validated form's ``cleaned_data``; the other
    sections are not touched. Always bumps "mis à jour le".

    Raises ``ValidationError`` keyed by field name (e.g. a photo whose pixels turn out to be
    unreadable); the transaction then leaves the whole section unchanged.
    """
    if section not in _UPDATERS:
        raise ValueError(f"Unknown profile section: {section}")
    advisor = _lock(advisor)
    _UPDATERS[section](advisor, data)
    if section in _PREFERENCE_SECTIONS:
        advisor.save(update_fields=_PREFERENCE_SECTIONS[section])
        return advisor
    # The directory finds people by name, structure and bio through this column.
    advisor.search_text = advisor_search_text(advisor)
    advisor.save()
    if section in _SERVING_SECTIONS:
        serving_refresh(advisors=[advisor])
    return advisor


def advisor_photo_set(*, advisor, upload, save=True):
    """Replace the profile photo with ``upload``, checked, resized and stripped of its metadata.

    The previous file is deleted once the transaction commits.
    """
    try:
        photo = photo_process(upload)
    except ValidationError as error:
        raise ValidationError({"photo": error.error_list}) from error
    old_name = advisor.photo.name
    # A new name each time: browsers and proxies never show a cached older photo.
    extension = photo.name.rsplit(".", 1)[-1]
    advisor.photo.save(f"{advisor.pk}-{secrets.token_urlsafe(6)}.{extension}", photo, save=False)
    _delete_after_commit(advisor, old_name)
    if save:
        advisor.save(update_fields=["photo", "updated_at"])
    return advisor


def advisor_photo_remove(*, advisor, save=True):
    old_name = advisor.photo.name
    advisor.photo = ""
    _delete_after_commit(advisor, old_name)
    if save:
        advisor.save(update_fields=["photo", "updated_at"])
    return advisor


def _delete_after_commit(advisor, name):
    if name:
        storage = advisor.photo.storage
        transaction.on_commit(lambda: storage.delete(name))
