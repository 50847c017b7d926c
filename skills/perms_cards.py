"""Who may do what with project cards ("cartes projets"). Plain predicates, used by views and templates."""

from advisors.perms import can_view_advisor, is_coordinator, is_member


def can_view_card(user, card):
    """A card is seen by whoever may see its author's profile (same rule as ``visible_to``)."""
    return can_view_advisor(user, card.author)


def can_post_card(user, departement):
    """Active members of the département's network (coordinators included)."""
    return is_member(user, departement)


def can_edit_card(user, card):
    """Only the author, while still a member of the network the card was posted in."""
    return user.is_authenticated and card.author.user_id == user.pk and is_member(user, card.departement_id)


def can_delete_card(user, card):
    """The author, and the coordinators of the card's département (moderation)."""
    return can_edit_card(user, card) or is_coordinator(user, card.departement_id)


def can_mark_interest(user, card):
    """Members of the card's network who see it, except its author: "ça m'interpelle" is for the others."""
    return is_member(user, card.departement_id) and card.author.user_id != user.pk and can_view_card(user, card)


def can_see_interested(user, card):
    """Who is interested, and how to reach them: the author."""
    return user.is_authenticated and card.author.user_id == user.pk
