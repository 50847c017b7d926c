"""Who may do what with events. Plain predicates, used by views (403) and templates (buttons)."""

from advisors.models import memberships_of
from advisors.perms import advisor_of, is_coordinator, is_member, is_member_anywhere
from events.enums import AnimatorStatus, EventStatus, EventVisibility, OrganiserStatus, RegistrationStatus
from events.models import AnimatorSignup


def organiser_of(user, event):
    """``user``'s ``Organiser`` row on ``event`` (accepted, invited or declined: check its status), or ``None``.

    Reads ``event.organisers.all()``, so a page that prefetched them asks nothing more."""
    if not user.is_authenticated:
        return None
    return next(
        (
            organiser
            for organiser in event.organisers.all()
            if organiser.advisor_id is not None and organiser.advisor.user_id == user.pk
        ),
        None,
    )


def is_organiser(user, event):
    """An accepted organiser of ``event``."""
    organiser = organiser_of(user, event)
    return organiser is not None and organiser.status == OrganiserStatus.ACCEPTED


def is_lead(user, event):
    organiser = organiser_of(user, event)
    return organiser is not None and organiser.status == OrganiserStatus.ACCEPTED and organiser.is_lead


def can_create_event(user, departement):
    """Members of the département's network (coordinators included) publish its events."""
    return is_coordinator(user, departement) or (is_member(user, departement) and advisor_of(user) is not None)


def can_create_event_somewhere(user):
    """« Proposer un événement »: ``can_create_event`` in one of ``user``'s départements. Reads the
    memberships cached for the request and, for members, their profile once."""
    return any(can_create_event(user, code) for code in memberships_of(user))


def can_view_event(user, event):
    """Same rule as ``Event.objects.visible_to``, for one event already loaded."""
    if is_coordinator(user, event.departement_id):
        return True
    organiser = organiser_of(user, event)
    if organiser is not None and organiser.status != OrganiserStatus.DECLINED:
        return True
    if event.status == EventStatus.DRAFT:
        return False
    if event.visibility == EventVisibility.PUBLIC:
        return True
    return is_member_anywhere(user)


def can_edit_event(user, event):
    """Every accepted organiser, and the coordinators of the event's département."""
    return is_organiser(user, event) or is_coordinator(user, event.departement_id)


def can_manage_organisers(user, event):
    """Inviting and removing co-organisers: the leads and the coordination."""
    return is_lead(user, event) or is_coordinator(user, event.departement_id)


def is_animator(user, event):
    """``user`` animates a slot of ``event``: an organiser confirmed them. A mere offer (« Je peux
    animer », open to any member) gives nothing: it would hand out the online link to whoever clicks.

    Reads ``event.slots.all()`` and their animators with their advisor when the page prefetched them
    (``events.queries.programme.slots_prefetch``); otherwise one query."""
    if not user.is_authenticated:
        return False
    slots = getattr(event, "_prefetched_objects_cache", {}).get("slots")
    if slots is not None and all("animators" in getattr(slot, "_prefetched_objects_cache", {}) for slot in slots):
        return any(
            signup.advisor.user_id == user.pk and signup.status == AnimatorStatus.CONFIRMED
            for slot in slots
            for signup in slot.animators.all()
        )
    return AnimatorSignup.objects.filter(
        slot__event=event, advisor__user=user, status=AnimatorStatus.CONFIRMED
    ).exists()


def can_see_online_link(user, event, registration=None, *, animates=None):
    """The connection link: organisers, coordinators, people with a confirmed place, and the confirmed
    animators of its slots (the invited expert of a café-visio connects too). ``animates``: whether
    ``user`` is a confirmed animator of a slot of ``event``, when the caller already knows it (a feed,
    the reminders), so that nothing is read per event; ``None`` reads it (``is_animator``)."""
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        return True
    if animates:
        return True
    if can_edit_event(user, event):
        return True
    return animates is None and is_animator(user, event)


def can_offer_help(user, event):
    """Offer to cover a need, sign up to animate: members of any network who can see the event."""
    return is_member_anywhere(user) and advisor_of(user) is not None and can_view_event(user, event)


# Creating and editing events, co-organisers, needs (views/manage.py)


def can_delete_event(user, event):
    """Only a draft is deleted; a published event is cancelled, so that registrants learn it."""
    return event.status == EventStatus.DRAFT and can_edit_event(user, event)


def can_respond_invitation(user, organiser):
    """Accept or decline an invitation to co-organise: the invited person, while it is pending."""
    return (
        user.is_authenticated
        and organiser.status == OrganiserStatus.INVITED
        and organiser.advisor_id is not None
        and organiser.advisor.user_id == user.pk
    )


def can_change_organiser(user, organiser):
    """Promote or remove another organiser (an advisor or a structure): the leads and the coordination."""
    return can_manage_organisers(user, organiser.event) and not (
        organiser.advisor_id is not None and organiser.advisor.user_id == user.pk
    )


def can_leave_event(user, event):
    """« Ne plus co-organiser » : an accepted organiser, except the last lead (someone must answer for
    the event). Reads ``event.organisers.all()``. The view lets any organiser post, so that a lead
    whose co-lead left meanwhile reads the service's explanation rather than a 403."""
    organiser = organiser_of(user, event)
    if organiser is None or organiser.status != OrganiserStatus.ACCEPTED:
        return False
    return not organiser.is_lead or any(
        other.pk != organiser.pk and other.is_lead and other.status == OrganiserStatus.ACCEPTED
        for other in event.organisers.all()
    )


def can_change_need(user, need):
    """Mark a need covered, delete it: those who edit its event."""
    return can_edit_event(user, need.event)


def can_offer_for_need(user, need):
    return can_offer_help(user, need.event)


def can_withdraw_offer(user, need):
    """One's own offer (the view finds it): anyone who can still see the event."""
    return user.is_authenticated and can_view_event(user, need.event)
