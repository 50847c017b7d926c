"""Writes of the advisors app: memberships and invitations. Keyword-only, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from advisors.enums import AdvisorRole, MembershipRole, MembershipStatus
from advisors.models import Advisor, Invitation, Membership
from advisors.services.serving import serving_refresh
from common.mail import email_send
from territories.text import normalize


def _send(*, template, to, context):
    email_send(template=f"advisors/emails/{template}", to=to, context=context)


def membership_request(*, user, departement, role=MembershipRole.MEMBER, structure_name="", commune=None, message=""):
    """Ask to join a département network; the coordinators are told by email."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                departement=departement,
                role=role,
                structure_name=structure_name,
                commune=commune,
                message=message,
            )
    except IntegrityError as error:
        raise ValidationError("Vous avez déjà une demande ou une adhésion pour ce département.") from error
    coordinators = Membership.objects.in_departement(departement).coordinators().select_related("user")
    for coordinator in coordinators:
        transaction.on_commit(
            lambda email=coordinator.user.email: _send(
                template="membership_requested", to=email, context={"membership": membership}
            )
        )
    return membership


@transaction.atomic
def membership_decide(*, membership, by, approve):
    """Approve or refuse a pending request. Locks the row so two coordinators cannot both decide."""
    membership = Membership.objects.select_for_update().select_related("user", "departement").get(pk=membership.pk)
    if membership.status != MembershipStatus.PENDING:
        raise ValidationError("Cette demande a déjà été traitée.")
    membership.status = MembershipStatus.ACTIVE if approve else MembershipStatus.REFUSED
    membership.decided_at = timezone.now()
    membership.decided_by = by
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        advisor_ensure(user=membership.user, departement=membership.departement)
    template = "membership_approved" if approve else "membership_refused"
    transaction.on_commit(
        lambda: _send(template=template, to=membership.user.email, context={"membership": membership})
    )
    return membership


def invitation_create(*, departement, email, role=MembershipRole.MEMBER, by):
    """Create a single-use invitation link and email it."""
    invitation = Invitation.objects.create(
        departement=departement, email=email.strip().lower(), role=role, created_by=by
    )
    transaction.on_commit(
        lambda: _send(template="invitation", to=invitation.email, context={"invitation": invitation})
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user):
    """Use an invitation: the user becomes an active member (or coordinator) of its département.

    The invitation is bound to an email address: only the account with that (verified)
    address may use it, once, before it expires.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError("Cette invitation n’est plus valable : elle a déjà servi, a expiré ou a été annulée.")
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"Cette invitation est destinée à {invitation.email}. Connectez-vous avec cette adresse pour l’utiliser."
        )
    membership, _ = Membership.objects.select_for_update().get_or_create(
        user=user, departement_id=invitation.departement_id
    )
    # An invitation never lowers an active coordinator to a member; but the coordinator role
    # that a pending or refused request only asked for is not granted by a member invitation.
    if not membership.is_coordinator:
        membership.role = invitation.role
    membership.status = MembershipStatus.ACTIVE
    membership.decided_at = timezone.now()
    membership.decided_by = invitation.created_by
    membership.save()
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    advisor_ensure(user=user, departement=membership.departement)
    return membership


@transaction.atomic
def invitation_revoke(*, invitation):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_usable:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def coordinator_make(*, user, departement):
    """Make ``user`` an active coordinator of ``departement`` (bootstrap of a network)."""
    membership, created = Membership.objects.select_for_update().get_or_create(user=user, departement=departement)
    membership.role = MembershipRole.COORDINATOR
    membership.status = MembershipStatus.ACTIVE
    membership.decided_at = membership.decided_at or timezone.now()
    membership.save()
    return membership, created


def advisor_ensure(*, user, departement):
    """The member's profile, created on first need with what the membership already tells.

    Two tabs opened at once may both find no profile: the second insert then fails on the
    one-profile-per-account constraint, and returns the profile the first one created.
    """
    advisor = Advisor.objects.filter(user=user).first()
    if advisor is not None:
        return advisor
    membership = Membership.objects.filter(user=user, departement=departement).first()
    try:
        with transaction.atomic():
            advisor = Advisor.objects.create(
                user=user,
                departement=departement,
                role=AdvisorRole.COORDINATEUR
                if membership and membership.role == MembershipRole.COORDINATOR
                else AdvisorRole.CONSEILLER,
                commune=membership.commune if membership else None,
                arrival_date=timezone.localdate(),
                search_text=normalize(user.get_full_name()),
            )
            serving_refresh(advisors=[advisor])
            return advisor
    except IntegrityError:
        advisor = Advisor.objects.filter(user=user).first()
        if advisor is None:
            raise
        return advisor


def advisor_search_text(advisor):
    """The normalised name, structure name and bio that the directory's free-text search matches."""
    parts = [advisor.user.get_full_name(), advisor.structure.name if advisor.structure_id else "", advisor.bio]
    return normalize(" ".join(part for part in parts if part))


def advisors_refresh_search_text(*, advisors):
    """Recompute ``search_text`` of ``advisors`` (profiles or their pks, a QuerySet or a list).

    Call it whenever a name, a bio, an advisor's structure or a structure's name changes:
    the directory finds people through this column only. Leaves "mis à jour le" alone.
    """
    if isinstance(advisors, QuerySet):
        selected = Advisor.objects.filter(pk__in=advisors.values("pk"))
    else:
        selected = Advisor.objects.filter(pk__in=[getattr(advisor, "pk", advisor) for advisor in advisors])
    profiles = list(selected.select_related("user", "structure"))
    for profile in profiles:
        profile.search_text = advisor_search_text(profile)
    Advisor.objects.bulk_update(profiles, ["search_text"], batch_size=500)
    return len(profiles)
