"""The test client the suite uses: CSRF checks on, forms submitted as a browser submits them.

Django's default test client skips CSRF checks, so a form rendered without its token passed
every test and failed for every person (issue 8: an ``{% include … only %}`` dropped it).
This client enforces the checks, sends the token the way the real form would (from the
``csrftoken`` cookie), and fails the test when a page it receives holds a POST form to this
site without a ``csrfmiddlewaretoken`` field.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.client import MULTIPART_CONTENT

TOKEN_FIELD = "csrfmiddlewaretoken"


class _PostForms(HTMLParser):
    """The POST forms of a page, each with its action and whether it holds the token field."""

    def __init__(self):
        super().__init__()
        self.forms, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._open = {"action": attrs.get("action") or "", "has_token": False, "line": self.getpos()[0]}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and attrs.get("name") == TOKEN_FIELD and attrs.get("value"):
            self._open["has_token"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _posts_to_this_site(action):
    parts = urlsplit(action)
    return not parts.scheme and not parts.netloc or parts.netloc in ("testserver", "localhost", "127.0.0.1")


def forms_without_token(html):
    parser = _PostForms()
    parser.feed(html)
    return [form for form in parser.forms if _posts_to_this_site(form["action"]) and not form["has_token"]]


class CsrfClient(Client):
    def __init__(self, **defaults):
        super().__init__(enforce_csrf_checks=True, **defaults)

    def request(self, **request):
        response = super().request(**request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and not response.streaming:
            missing = forms_without_token(response.content.decode(response.charset or "utf-8"))
            if missing:
                where = ", ".join(f"action={form['action']!r} (line {form['line']})" for form in missing)
                pytest.fail(f"{request.get('PATH_INFO')} renders a POST form without its CSRF token: {where}")
        return response

    def _csrf_token(self):
        """The token a page of the site would have put in the form: the one of the csrftoken
        cookie, which the browser got from an earlier page (made here when there was none yet,
        without a request, so that query counts around a POST stay those of the POST)."""
        cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
        if cookie is None or not cookie.value:
            request = RequestFactory().get("/")
            token = get_token(request)
            self.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
            return token
        return cookie.value

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, *args, **extra):
        token = self._csrf_token()
        if data is None:
            data = {}
        if isinstance(data, dict) and content_type == MULTIPART_CONTENT:
            data = data.copy()  # a QueryDict's copy keeps its repeated keys
            data.setdefault(TOKEN_FIELD, token)
        else:
            # A body that is not a form (JSON, a raw string): the header a script sends.
            extra.setdefault("HTTP_X_CSRFTOKEN", token)
        return super().post(path, data, content_type, *args, **extra)
