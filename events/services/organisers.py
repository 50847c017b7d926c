"""Writes of co-organisation: invitations, answers, leads, structures, and the needs of an event.

Keyword-only, one transaction each. Every change that can leave an event without a lead first locks
the organiser rows of that event (in primary-key order, so that two such writes never wait on each
other in a circle): two leads leaving at the same second cannot both leave.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from advisors.models import Advisor
from advisors.perms import is_member_anywhere
from common.mail import email_send
from events.enums import OrganiserRole, OrganiserStatus
from events.models import Need, NeedOffer, Organiser


def _send(*, template, to, context):
    email_send(template=f"events/emails/{template}", to=to, context=context)


def _locked_organisers(event):
    """The advisor organisers of ``event``, locked, in a fixed order."""
    return list(
        Organiser.objects.select_for_update(of=("self",))
        .select_related("advisor")
        .filter(event=event, advisor__isnull=False)
        .order_by("pk")
    )


@transaction.atomic
def organiser_invite(*, event, by, email):
    """Invite a member (of any network, with a profile) to co-organise ``event``; they are emailed a link.

    Unknown addresses are refused: an invitation goes to someone the network knows."""
    email = email.strip()
    advisor = Advisor.objects.select_related("user").filter(user__email__iexact=email, user__is_active=True).first()
    if advisor is None or not is_member_anywhere(advisor.user):
        raise ValidationError(
            {"email": f"Aucun membre d’un réseau de Maillage n’a l’adresse {email} : invitez une personne déjà "
             "inscrite, avec son profil, ou demandez-lui de rejoindre le réseau d’abord."}
        )  # fmt: skip
    existing = Organiser.objects.select_for_update().filter(event=event, advisor=advisor).first()
    if existing is not None and existing.status != OrganiserStatus.DECLINED:
        what = (
            "est déjà organisatrice ou organisateur"
            if existing.status == OrganiserStatus.ACCEPTED
            else ("a déjà une invitation en attente")
        )
        raise ValidationError({"email": f"{advisor.user.display_name} {what} de cet événement."})
    if existing is None:
        try:
            with transaction.atomic():
                organiser = Organiser.objects.create(
                    event=event,
                    advisor=advisor,
                    role=OrganiserRole.CO,
                    status=OrganiserStatus.INVITED,
                    invited_by=by,
                )
        except IntegrityError as error:  # invited by two people at the same second
            raise ValidationError({"email": f"{advisor.user.display_name} vient d’être invité·e."}) from error
    else:
        organiser = existing
        organiser.status, organiser.role, organiser.invited_by = OrganiserStatus.INVITED, OrganiserRole.CO, by
        organiser.created_at, organiser.responded_at = timezone.now(), None
        organiser.save()
    _send(
        template="organiser_invited",
        to=advisor.user.email,
        context={"event": event, "by": by, "organiser": organiser},
    )
    return organiser


@transaction.atomic
def organiser_respond(*, organiser, accept):
    """The invited person accepts (they can then edit the event) or declines."""
    organiser = Organiser.objects.select_for_update().get(pk=organiser.pk)
    if organiser.status != OrganiserStatus.INVITED:
        raise ValidationError("Cette invitation a déjà reçu une réponse.")
    organiser.status = OrganiserStatus.ACCEPTED if accept else OrganiserStatus.DECLINED
    organiser.responded_at = timezone.now()
    organiser.save(update_fields=["status", "responded_at"])
    return organiser


@transaction.atomic
def organiser_promote(*, organiser, by):
    """Make an accepted co-organiser a lead too (a lead can then invite and remove)."""
    _locked_organisers(organiser.event_id)
    organiser = Organiser.objects.get(pk=organiser.pk)
    if organiser.advisor_id is None or organiser.status != OrganiserStatus.ACCEPTED:
        raise ValidationError("Seule une personne qui a accepté de co-organiser peut devenir responsable.")
    if organiser.is_lead:
        raise ValidationError("Cette personne est déjà responsable de l’événement.")
    organiser.role = OrganiserRole.LEAD
    organiser.save(update_fields=["role"])
    return organiser


@transaction.atomic
def organiser_remove(*, organiser, by):
    """Remove a co-organiser (a person, invited or accepted, or a structure). A lead is not removed by
    someone else: they leave themselves, which keeps at least one lead."""
    _locked_organisers(organiser.event_id)
    organiser = Organiser.objects.filter(pk=organiser.pk).first()
    if organiser is None:
        return
    if organiser.is_lead and organiser.advisor_id is not None and organiser.status == OrganiserStatus.ACCEPTED:
        raise ValidationError(
            "Un ou une responsable ne se retire pas : c’est à cette personne de quitter l’organisation."
        )
    organiser.delete()


@transaction.atomic
def organiser_leave(*, event, user):
    """``user`` stops co-organising ``event``. The last lead cannot leave: someone must answer for it."""
    organisers = _locked_organisers(event)
    mine = next((organiser for organiser in organisers if organiser.advisor.user_id == user.pk), None)
    if mine is None or mine.status != OrganiserStatus.ACCEPTED:
        raise ValidationError("Vous n’organisez pas cet événement.")
    other_leads = [
        organiser
        for organiser in organisers
        if organiser.pk != mine.pk and organiser.is_lead and organiser.status == OrganiserStatus.ACCEPTED
    ]
    if mine.is_lead and not other_leads:
        raise ValidationError(
            "Vous êtes le dernier ou la dernière responsable : nommez d’abord une autre personne responsable "
            "(parmi les co-organisateurs), ou annulez l’événement."
        )
    mine.delete()


@transaction.atomic
def organiser_structure_add(*, event, structure, by):
    """A structure shown as co-organiser on the event page (it gives no right to anyone)."""
    try:
        with transaction.atomic():
            return Organiser.objects.create(
                event=event, structure=structure, role=OrganiserRole.CO, status=OrganiserStatus.ACCEPTED, invited_by=by
            )
    except IntegrityError as error:
        raise ValidationError({"structure": f"{structure.name} co-organise déjà cet événement."}) from error


# Needs


@transaction.atomic
def need_create(*, event, by, kind, description):
    """A need shown on ``event``'s page, for the members to offer help."""
    return Need.objects.create(event=event, created_by=by, kind=kind, description=description)


NEED_GONE = "Ce besoin vient d’être supprimé par un organisateur."


def _locked_need(need):
    """``need``'s row, locked: deleting, covering and offering for one need run one after the other.
    ``ValidationError`` when it was deleted meanwhile."""
    locked = Need.objects.select_for_update().filter(pk=need.pk).first()
    if locked is None:
        raise ValidationError(NEED_GONE)
    return locked


@transaction.atomic
def need_cover(*, need, covered=True):
    """Mark a need covered (or open again)."""
    need = _locked_need(need)
    need.covered = covered
    need.save(update_fields=["covered"])
    return need


@transaction.atomic
def need_delete(*, need):
    """Delete a need and its offers (deleting it twice changes nothing). An offer or a « couvert »
    arriving meanwhile waits for the lock, then is told the need is gone."""
    locked = Need.objects.select_for_update().filter(pk=need.pk).first()
    if locked is not None:
        locked.delete()


@transaction.atomic
def need_offer(*, need, user, message):
    """« Je peux apporter un vidéoprojecteur » : once per need and person; the organisers are emailed."""
    _locked_need(need)
    try:
        with transaction.atomic():
            offer = NeedOffer.objects.create(need=need, user=user, message=message)
    except IntegrityError as error:  # the same offer sent twice (two tabs, a double click)
        raise ValidationError({"message": "Vous avez déjà proposé votre aide pour ce besoin."}) from error
    organisers = Organiser.objects.filter(
        event=need.event_id, advisor__isnull=False, status=OrganiserStatus.ACCEPTED
    ).values_list("advisor__user__email", flat=True)
    for email in organisers:
        if email.lower() != user.email.lower():
            _send(
                template="need_offered",
                to=email,
                context={"need": need, "event": need.event, "offer": offer, "by": user},
            )
    return offer


@transaction.atomic
def need_offer_withdraw(*, need, user):
    """Take one's offer back; ``False`` when there was none."""
    deleted, _ = NeedOffer.objects.filter(need=need, user=user).delete()
    return deleted > 0
