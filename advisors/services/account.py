"""What a person does with their own account (RGPD): leave a network, delete the account.

Rules, also told on the confirmation pages and in the README:

- A network always keeps an active coordinator: its last one cannot leave it, nor delete their
  account, before naming another (an invitation with the coordinator role).
- Leaving a network ends the membership (an active one, or a request still pending) and takes
  back what the person published in it: their project cards and their « ça m'interpelle ».
  When the profile belonged to that network it moves to another network the person is an active
  member of, or, if there is none, it is deleted: a profile shows in the directory of its network
  and nobody else may hold it. The account stays; the person may ask to join again.
- Deleting the account removes everything personal: the account, its email addresses and
  sessions, memberships, the profile and its photo file, skills, project cards and interests,
  the invitations addressed to the person. What others co-own stays without the person's name:
  invitations they sent, requests they decided, skills they proposed.
"""

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from advisors.enums import MembershipStatus
from advisors.models import Advisor, Invitation, Membership
from advisors.services.serving import serving_refresh
from skills.models import ProjectCard, ProjectInterest
from territories.models import Departement

LAST_COORDINATOR = (
    "Vous êtes la dernière personne qui coordonne le réseau {names}. Nommez d’abord une autre "
    "coordinatrice ou un autre coordinateur (une invitation avec le rôle de coordination), puis revenez ici."
)


def _lock_coordinators(departement_codes):
    """Lock the active coordinator rows of these départements, always in the same order, so two
    coordinators leaving at once cannot both see the other one stay."""
    return list(
        Membership.objects.coordinators()
        .filter(departement__in=departement_codes)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "departement_id", "user_id", named=True)
    )


def _sole_coordinator_of(user, locked):
    """The départements among ``locked`` rows that ``user`` alone coordinates."""
    codes = {row.departement_id for row in locked if row.user_id == user.pk}
    others = {row.departement_id for row in locked if row.user_id != user.pk}
    return sorted(codes - others)


def _last_coordinator_error(codes):
    names = ", ".join(f"{dep.name} ({dep.code})" for dep in Departement.objects.filter(code__in=codes))
    return ValidationError(LAST_COORDINATOR.format(names=names), code="last_coordinator")


def _delete_profile(advisor):
    name = advisor.photo.name
    if name:
        storage = advisor.photo.storage
        # After the commit: a rolled-back deletion must not lose the photo.
        transaction.on_commit(lambda: storage.delete(name))
    advisor.delete()


@transaction.atomic
def membership_leave(*, membership):
    """End ``membership`` (active, or a pending request): see the module's rules.

    Returns the profile as it stays (moved to another network if it was in this one), or ``None``
    when the person has no profile any more. Raises ``ValidationError`` for the last coordinator
    of the network and for a refused request (nothing to leave: the refusal stays on record).
    """
    locked = _lock_coordinators([membership.departement_id])
    membership = Membership.objects.select_for_update().select_related("user").filter(pk=membership.pk).first()
    if membership is None:
        raise ValidationError("Vous ne faites déjà plus partie de ce réseau.", code="gone")
    if membership.status == MembershipStatus.REFUSED:
        raise ValidationError("Cette demande a été refusée : il n’y a pas d’adhésion à quitter.", code="refused")
    user, departement_id = membership.user, membership.departement_id
    if membership.is_coordinator and _sole_coordinator_of(user, locked):
        raise _last_coordinator_error([departement_id])
    membership.delete()
    advisor = Advisor.objects.select_for_update().filter(user=user).first()
    if advisor is None:
        return None
    ProjectCard.objects.filter(author=advisor, departement_id=departement_id).delete()
    ProjectInterest.objects.filter(advisor=advisor, card__departement_id=departement_id).delete()
    if advisor.departement_id != departement_id:
        return advisor
    elsewhere = user.memberships.active().order_by("created_at").values_list("departement_id", flat=True).first()
    if elsewhere is None:
        _delete_profile(advisor)
        return None
    advisor.departement_id = elsewhere
    advisor.save(update_fields=["departement", "updated_at"])
    serving_refresh(advisors=[advisor])
    return advisor


def _user_session_keys(user):
    """Keys of the stored sessions logged in as ``user``. Sessions carry no user column, so each
    live one is decoded: fine for a network's few thousand sessions, run once per deletion."""
    keys = []
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def account_delete(*, user):
    """Delete ``user`` and everything personal the platform holds about them (module's rules).

    Raises ``ValidationError`` while they are the last active coordinator of a network.
    """
    coordinated = list(user.memberships.coordinators().values_list("departement_id", flat=True))
    if coordinated:
        sole = _sole_coordinator_of(user, _lock_coordinators(coordinated))
        if sole:
            raise _last_coordinator_error(sole)
    advisor = Advisor.objects.select_for_update().filter(user=user).first()
    if advisor is not None:
        _delete_profile(advisor)
    addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
    email_match = Q()
    for address in addresses:
        email_match |= Q(email__iexact=address)
    # Invitations addressed to the person hold their address; those they sent stay, unsigned.
    Invitation.objects.filter(email_match | Q(used_by=user)).delete()
    Session.objects.filter(session_key__in=_user_session_keys(user)).delete()
    # Cascades: memberships, email addresses; sets to nothing: invitations sent, requests decided,
    # skills proposed.
    user.delete()
