"""What the views do around a write: run a service and show its refusal (a ``ValidationError`` in
French) to the person, in the form or as a message. The services decide; the views only tell."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def write_into_form(form, write):
    """``write()`` (a service call); ``None`` when it is refused, its ``ValidationError`` then in ``form``
    (next to its field when it names one)."""
    try:
        return write()
    except ValidationError as error:
        form.add_error(None, error)
        return None


def write_with_messages(request, write, success, *, extra_tags=""):
    """``write()`` for a button: ``(True, its result)`` and the ``success`` message, or ``(False, None)``
    and the refusal as error messages. ``extra_tags``: where the page shows them (« creneau-12 »: in that slot)."""
    try:
        result = write()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text, extra_tags=extra_tags)
        return False, None
    messages.success(request, success, extra_tags=extra_tags)
    return True, result
