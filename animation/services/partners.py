"""Writes of the partners directory. Keyword-only, one transaction each; emails leave after commit."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from advisors.models import Membership
from advisors.perms import is_coordinator
from animation.enums import PartnerStatus
from animation.models import Partner, PartnerAcquaintance
from common.mail import email_send


@transaction.atomic
def partner_create(*, partner, by):
    """Save ``partner`` (built by the form, its département set) on behalf of ``by``: published at once
    for a coordinator of its département; a suggestion waiting for them otherwise, and they are emailed."""
    if is_coordinator(by, partner.departement_id):
        partner.status = PartnerStatus.PUBLISHED
        partner.decided_by, partner.decided_at = by, timezone.now()
    else:
        partner.status = PartnerStatus.SUGGESTED
    partner.suggested_by = by
    partner.save()
    if partner.status == PartnerStatus.SUGGESTED:
        coordinators = Membership.objects.in_departement(partner.departement_id).coordinators().select_related("user")
        # One email each: the coordinators' addresses are not handed to one another.
        for email in sorted({membership.user.email for membership in coordinators if membership.user.email}):
            email_send(
                template="animation/emails/partner_suggested",
                to=email,
                context={"partner": partner, "by": by.display_name},
            )
    return partner


@transaction.atomic
def partner_decide(*, partner, by, approve):
    """Publish or refuse a suggestion. The row is locked: when two coordinators decide at once, the
    second is told that it is done. The suggester is emailed the decision."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    if locked.status != PartnerStatus.SUGGESTED:
        who = f" par {locked.decided_by.display_name}" if locked.decided_by_id else ""
        raise ValidationError(
            f"Cette proposition a déjà été traitée{who}\u00a0: le partenaire est « {locked.get_status_display()} ».",
            code="decided",
        )
    locked.status = PartnerStatus.PUBLISHED if approve else PartnerStatus.REFUSED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    suggester = locked.suggested_by
    if suggester is not None and suggester.pk != by.pk and suggester.email:
        email_send(
            template="animation/emails/partner_decided",
            to=suggester.email,
            context={"partner": locked, "approved": approve, "departement": locked.departement},
        )
    return locked


@transaction.atomic
def partner_delete(*, partner):
    """Delete ``partner`` and who knew it."""
    Partner.objects.filter(pk=partner.pk).delete()


@transaction.atomic
def partner_know(*, partner, advisor, know, note=""):
    """Say that ``advisor`` knows ``partner`` (with how: ``note``), or no longer. Idempotent: saying it
    twice keeps one row (its note updated). The partner's row is locked, so a coordinator deleting or
    refusing it meanwhile waits; two requests of the same person at once meet the unique constraint,
    and the second one updates the first one's row instead of failing."""
    locked = Partner.objects.select_for_update().filter(pk=partner.pk).first()
    if locked is None:
        raise ValidationError("Ce partenaire a été retiré de l’annuaire entre-temps.", code="gone")
    if know and locked.status != PartnerStatus.PUBLISHED:
        raise ValidationError("Ce partenaire n’est pas (ou plus) publié dans l’annuaire.", code="unpublished")
    note = note.strip()[:200]
    if not know:
        PartnerAcquaintance.objects.filter(partner=partner, advisor=advisor).delete()
        return None
    try:
        with transaction.atomic():
            acquaintance, created = PartnerAcquaintance.objects.get_or_create(
                partner=partner, advisor=advisor, defaults={"note": note}
            )
    except IntegrityError:
        # Another request created it between our look-up and our insert.
        acquaintance, created = PartnerAcquaintance.objects.get(partner=partner, advisor=advisor), False
    if not created and acquaintance.note != note:
        acquaintance.note = note
        acquaintance.save(update_fields=["note"])
    return acquaintance
