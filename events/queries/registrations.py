"""Reads about registrations (owner: the registrations work)."""


def registration_panel(event, user):
    """Context of ``events/detail/registration.html`` for ``user`` on ``event``'s page."""
    return {}
