"""Writes on project cards: post, edit, delete, mark "ça m'interpelle"."""

from django.db import transaction

from advisors.services import advisor_ensure
from skills.models import ProjectCard, ProjectInterest


@transaction.atomic
def card_create(*, user, departement, title, body, skills):
    """A new card in ``departement``'s board, by the member's profile (created on first need)."""
    author = advisor_ensure(user=user, departement=departement)
    card = ProjectCard.objects.create(author=author, departement=departement, title=title, body=body)
    card.skills.set(skills)
    return card


@transaction.atomic
def card_update(*, card, title, body, skills):
    card.title = title
    card.body = body
    card.save(update_fields=["title", "body", "updated_at"])
    card.skills.set(skills)
    return card


def card_delete(*, card):
    """Removes the card with its interests (cascade)."""
    card.delete()


def card_interest_set(*, card, user, interested):
    """Mark (``interested=True``) or unmark the member's interest in ``card``.

    Setting a state rather than flipping it makes the request idempotent: a double click or a
    replayed form leaves the same result. Two concurrent marks meet the unique constraint and
    the second is ignored (``ON CONFLICT DO NOTHING``), so nobody gets an error. Returns
    whether the member is interested afterwards.
    """
    advisor = advisor_ensure(user=user, departement=card.departement)
    if interested:
        ProjectInterest.objects.bulk_create([ProjectInterest(card=card, advisor=advisor)], ignore_conflicts=True)
    else:
        ProjectInterest.objects.filter(card=card, advisor=advisor).delete()
    return interested
