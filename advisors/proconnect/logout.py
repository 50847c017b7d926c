"""Signing out of ProConnect too (« Déconnexion de l'utilisateur » in ProConnect's documentation).

At a sign-in through ProConnect, the ID token and ProConnect's ``end_session_endpoint`` are kept in the
session, and only there (never in the database's accounts nor tokens, never logged: SOCIALACCOUNT_STORE_TOKENS
is off). At « Se déconnecter », the session ends here and the browser goes to that endpoint with
``id_token_hint``, a fresh ``state`` and ``post_logout_redirect_uri``: ProConnect ends its session and the
identity provider's, then sends the browser back to ``post_logout_redirect_uri`` (our ``callback``) with
the ``state``, checked against the one kept in the new session.
"""

from urllib.parse import urlencode

from allauth.account import app_settings
from allauth.account.internal.decorators import login_not_required
from django.contrib import messages
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string

from advisors.proconnect.provider import RANDOM_LENGTH

# In the session of a sign-in through ProConnect: {"id_token": …, "end_session_endpoint": …}.
SESSION_KEY = "proconnect_logout"
# In the session that follows the logout, until ProConnect sends the browser back.
STATE_SESSION_KEY = "proconnect_logout_state"


def remember(request, sociallogin):
    """After a sign-in through ProConnect (allauth's ``user_logged_in``): what its logout will need."""
    details = getattr(sociallogin, "proconnect_logout", None)
    if details and details.get("id_token") and details.get("end_session_endpoint"):
        request.session[SESSION_KEY] = details


def end_session_url(request):
    """Where the logout sends the browser: ProConnect's ``end_session_endpoint``, when the session began
    there; ``None`` otherwise. The ``state`` it carries waits on ``request`` for the session that follows
    (``keep_state``), the current one being flushed by the logout."""
    details = request.session.get(SESSION_KEY)
    if not request.user.is_authenticated or not details:
        return None
    state = get_random_string(RANDOM_LENGTH)
    request.proconnect_logout_state = state
    query = urlencode(
        {
            "id_token_hint": details["id_token"],
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("proconnect_logout_callback")),
        }
    )
    return f"{details['end_session_endpoint']}?{query}"


def keep_state(request):
    """After the logout flushed the session: the ``state`` sent to ProConnect, in the new one."""
    state = getattr(request, "proconnect_logout_state", None)
    if state:
        request.session[STATE_SESSION_KEY] = state


@login_not_required
def callback(request):
    """ProConnect sends the browser back here once signed out: to the logout's usual landing page. The
    logout is already done here; the ``state`` kept (used once) only decides whether to say that ProConnect's
    session ended too: a link made elsewhere says nothing."""
    expected = request.session.pop(STATE_SESSION_KEY, None)
    if expected and constant_time_compare(request.GET.get("state", ""), expected):
        messages.success(request, "Vous êtes aussi déconnecté·e de ProConnect.")
    return redirect(resolve_url(app_settings.LOGOUT_REDIRECT_URL))
