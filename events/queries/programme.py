"""Reads about the programme of an event (owner: the programme work)."""


def programme_panel(event, user):
    """Context of ``events/detail/programme.html`` for ``user`` on ``event``'s page."""
    return {}
