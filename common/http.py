"""Where a form sends the person back: only ever a path of this site."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, fallback, *, field="next"):
    """The ``next`` value of the request (POST, then GET) when it is a local path, else ``fallback``.

    Only paths starting with one ``/`` are kept: a bare word would be read as a URL name by
    ``redirect()`` (500), and ``//host``, ``/\\host`` or ``javascript:`` lead off the site.
    ``fallback`` is a path, a URL name or a model instance, as for ``redirect()``.
    """
    url = request.POST.get(field) or request.GET.get(field) or ""
    if (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return url
    return resolve_url(fallback)


def redirect_to_next(request, fallback, *, field="next"):
    return HttpResponseRedirect(safe_next_url(request, fallback, field=field))
