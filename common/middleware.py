"""Requests that no page of the site can answer are stopped before they reach a view."""

from django.http import HttpResponseBadRequest
from django.template import loader

NUL = "\x00"


def _carries_nul(querydict):
    return any(NUL in key or any(NUL in value for value in values) for key, values in querydict.lists())


class RejectNulMiddleware:
    """A NUL character in the path, the query string or a form answers 400.

    PostgreSQL refuses NUL in text (``DataError``): without this, every view that looks a
    parameter up would answer 500. A cookie carrying NUL is dropped instead, so that a bad
    cookie (the département one, a stale session) does not break every page of the site.
    Reading the posted form here changes nothing for the views: the CSRF check reads it
    before any of them anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]:
            del request.COOKIES[name]
        if NUL in request.path or NUL in request.path_info or _carries_nul(request.GET) or self._form_has_nul(request):
            return HttpResponseBadRequest(loader.get_template("errors/400.html").render())
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request):
        return request.method == "POST" and _carries_nul(request.POST)
