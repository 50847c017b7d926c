"""What the network's life hears from the apps below it (which may not import it).

An event or a resource saved published and visible is announced on the channels' webhooks once it is
committed. A ``post_save`` receiver rather than a signal sent by the publishing services: every road
to « published » passes here (created published, a draft published, an edit that publishes, a
postponed event published again with its date, the admin, a resource the coordination shows again),
and events and resources stay unaware of the channels. It reads the saved row only — no query in the
transaction that publishes; after the commit, the ``Announcement`` rows make each item announced once
per channel, however many saves follow. The occurrences of a recurring event are created in bulk,
without ``post_save``: the series is announced once, by its first event.

A newcomer who withdraws her consent to be introduced in the letter (``introduce_in_letter`` turned off in
Mon profil), hides her profile from the network, or deletes her profile or account, is removed from every
letter's content — the sent ones too: the archive is a web page the network reads. Letters name a newcomer by
her profile's id (``item["id"]`` of the ``newcomers`` section), found with a JSON containment query.

A membership deleted while active (the member left, or deleted her account) is recorded as a
``Departure`` for the coordinators' dashboard: dates only, nothing about the person.
"""

from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from advisors.models import Advisor, Membership
from animation.models import Departure, Letter
from animation.queries.letters import INTRODUCIBLE_VISIBILITIES
from animation.services import webhooks
from events.models import Event
from resources.models import Resource


def _announce_later(kind, instance, update_fields, raw):
    if raw:
        return  # fixtures loading
    if update_fields is not None and not webhooks.ANNOUNCE_FIELDS[kind] & set(update_fields):
        return
    if not webhooks.is_announceable(kind, instance):
        return
    transaction.on_commit(
        partial(
            webhooks.announcements_create, kind=kind, object_id=instance.pk, departement_id=instance.departement_id
        ),
        robust=True,  # a failure is logged: it never reaches the person who published
    )


@receiver(post_save, sender=Event, dispatch_uid="animation_announce_event")
def event_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    _announce_later("event", instance, update_fields, raw)


@receiver(post_save, sender=Resource, dispatch_uid="animation_announce_resource")
def resource_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    _announce_later("resource", instance, update_fields, raw)


@receiver(post_delete, sender=Membership, dispatch_uid="animation_membership_departure")
def membership_deleted(sender, instance, origin=None, **kwargs):
    """An active member leaves (``membership_leave``) or deletes her account: the dashboard counts a
    departure, with dates only. Withdrawn requests are no departure."""
    if instance.is_active:
        Departure.objects.create(
            departement_id=instance.departement_id,
            joined_at=instance.decided_at,
            was_coordinator=instance.is_coordinator,
        )


def letters_forget_newcomer(advisor_id):
    """Remove the newcomer of profile ``advisor_id`` from every letter that introduces her, drafts and sent
    ones, whatever the network (she may have moved). The rows are locked: a letter being sent at the same
    moment is rewritten once it is sent."""
    if connection.features.supports_json_field_contains:
        # PostgreSQL: ``@>`` on the GIN index of the letters' content (migration 0003), one query.
        naming = Letter.objects.filter(content__contains={"newcomers": [{"id": advisor_id}]})
    else:
        # SQLite (the embedded default of ``make run``) has no JSON containment: its few letters are read.
        naming = Letter.objects.filter(
            pk__in=[
                letter.pk
                for letter in Letter.objects.only("pk", "content")
                if any(
                    isinstance(item, dict) and item.get("id") == advisor_id
                    for item in (letter.content or {}).get("newcomers", [])
                )
            ]
        )
    if not naming.exists():
        return  # the usual case
    with transaction.atomic():
        for letter in naming.select_for_update():
            content = dict(letter.content)
            content["newcomers"] = [
                item
                for item in content.get("newcomers", [])
                if not (isinstance(item, dict) and item.get("id") == advisor_id)
            ]
            content["left_out"] = [key for key in content.get("left_out", []) if key != f"newcomer-{advisor_id}"]
            letter.content = content
            letter.save(update_fields=["content", "updated_at"])


LETTER_FIELDS = {"introduce_in_letter", "visibility"}


@receiver(post_save, sender=Advisor, dispatch_uid="animation_letters_consent")
def advisor_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """A profile saved without the consent to be introduced, or hidden from the network: out of the letters.
    A profile just created is in none."""
    if raw or created or (update_fields is not None and not LETTER_FIELDS & set(update_fields)):
        return
    if not instance.introduce_in_letter or instance.visibility not in INTRODUCIBLE_VISIBILITIES:
        letters_forget_newcomer(instance.pk)


@receiver(post_delete, sender=Advisor, dispatch_uid="animation_letters_profile_deleted")
def advisor_deleted(sender, instance, **kwargs):
    """A profile deleted (by itself, or with its account): out of the letters."""
    letters_forget_newcomer(instance.pk)
