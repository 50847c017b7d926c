"""The secret address of a member's private calendar feed."""

from django.db import transaction

from events.models import CalendarToken


def calendar_token_ensure(*, user):
    """``user``'s token, created the first time they look for their feed's address."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_reset(*, user):
    """A new secret: the old address answers 404 at once (a calendar subscribed to it stops updating)."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = CalendarToken._meta.get_field("token").get_default()
        token.save(update_fields=["token"])
    return token
