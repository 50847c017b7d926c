"""Reads of project cards: the cards a viewer may see, and who is interested in one."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from advisors.models import Advisor
from advisors.perms import can_see_contact, can_view_advisor
from skills.models import ProjectCard, ProjectInterest


def cards_for(user):
    """The cards ``user`` may see (their author's profile is visible to them), with what a card shows:
    author, skills, the number of interested people and whether ``user`` is one of them.

    The count takes in everyone; ``hidden_interest_count`` says how many of them have a profile
    ``user`` may not see, so the page can say so (README, « Ce que voit qui »)."""
    visible = Advisor.objects.visible_to(user)
    interests = ProjectInterest.objects.filter(card=OuterRef("pk")).order_by().values("card")
    interest_count = interests.annotate(n=Count("pk")).values("n")
    hidden_count = interests.exclude(advisor__in=visible.values("pk")).annotate(n=Count("pk")).values("n")
    cards = (
        ProjectCard.objects.filter(author__in=visible.values("pk"))
        .select_related("author__user", "author__commune", "author__structure")
        .prefetch_related("skills")
        .annotate(
            interest_count=Coalesce(Subquery(interest_count, output_field=IntegerField()), 0),
            hidden_interest_count=Coalesce(Subquery(hidden_count, output_field=IntegerField()), 0),
        )
    )
    if user.is_authenticated:
        return cards.annotate(
            is_interested=Exists(ProjectInterest.objects.filter(card=OuterRef("pk"), advisor__user=user))
        )
    return cards.annotate(is_interested=Value(False))


def board_cards(user, departement):
    """The cards of one département's board that ``user`` may see, the newest first."""
    return cards_for(user).filter(departement=departement).order_by("-created_at", "-pk")


def card_interested(card, user):
    """``(people, hidden)``: those interested in ``card`` whose profile ``user`` may see, the newest
    first, each with whether ``user`` may see their contact; and how many others there are."""
    people = [
        interest.advisor
        for interest in ProjectInterest.objects.filter(card=card)
        .select_related("advisor__user", "advisor__structure", "advisor__commune")
        .order_by("-created_at", "-pk")
    ]
    shown = [
        {"advisor": advisor, "show_contact": can_see_contact(user, advisor)}
        for advisor in people
        if can_view_advisor(user, advisor)
    ]
    return shown, len(people) - len(shown)
