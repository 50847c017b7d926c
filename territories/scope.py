"""The current département scope: chosen once, remembered in a long-lived cookie."""

from territories.models import Departement

COOKIE_NAME = "maillage_dep"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def get_current_departement(request):
    if not hasattr(request, "_current_departement"):
        code = request.COOKIES.get(COOKIE_NAME, "")
        departement = None
        # A cookie is whatever the browser sends: only a well-formed code reaches the database.
        if len(code) in (2, 3) and code.isascii() and code.isalnum():
            departement = Departement.objects.filter(code=code).first()
        request._current_departement = departement
    return request._current_departement


def remember_departement(response, departement):
    if departement is None:
        response.delete_cookie(COOKIE_NAME)
    else:
        response.set_cookie(COOKIE_NAME, departement.code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    return response


def query_with_departement(request, name="departement"):
    """``request.GET`` with the visitor's département as ``name`` when the query names none: the one
    "default département from the visitor's choice". An explicit empty value stays empty (all of France)."""
    data = request.GET.copy()
    if name not in data and (current := get_current_departement(request)):
        data[name] = current.code
    return data


def departement_or_current(request, code):
    """The département ``code`` names (None when unknown); the visitor's own when ``code`` is empty."""
    return departement_named(request, code) if code else get_current_departement(request)


def departement_named(request, code):
    """The département of ``code``, None when it is empty or unknown; the visitor's own is not fetched twice."""
    current = get_current_departement(request)
    if current is not None and code == current.code:
        return current
    return Departement.objects.filter(code=code).first() if code and len(code) <= 3 else None
