"""The monthly letter: composing, editing, testing, sending once, and the one-click unsubscribe."""

from django.core import signing

UNSUBSCRIBE_SALT = "animation.letter.unsubscribe"


def unsubscribe_token(user):
    """The key of the unsubscribe link in every letter: signed, so it names only this person, and
    without expiry (a letter read a year later still unsubscribes)."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_user_id(token):
    """The person a token names, or ``None`` for a forged or damaged one."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
