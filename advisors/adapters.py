from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

SITE_NAME = "Maillage"
# The links allauth puts in its emails, built from the request's host.
EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


def public_url(url):
    """``url`` on the site's public address (``SITE_URL``), whatever host the request came through."""
    parts, site = urlsplit(url), urlsplit(settings.SITE_URL)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    """Our own account rules on top of allauth's defaults."""

    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites, allauth names the site after the request's host
        # ("Bonjour, c'est 127.0.0.1:8000 !"): the emails speak of Maillage and its public address.
        # Its links follow the request's host: they name the public address too, like our own emails.
        site = SimpleNamespace(name=SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        links = {key: public_url(context[key]) for key in EMAIL_LINKS if context.get(key)}
        super().send_mail(template_prefix, email, {**context, "current_site": site, **links})

    def save_user(self, request, user, form, commit=True):
        """Sign-up: an invitation proves only its own address.

        Following an invitation link stashes its (verified) address in the session. allauth would
        then make that address the account's primary one whatever the person typed; if they chose
        another address, it is that one they get, and it goes through the usual verification.
        """
        user = super().save_user(request, user, form, commit=commit)
        stashed = request.session.get("account_verified_email")
        if stashed and stashed.lower() != (user.email or "").lower():
            request.session["account_verified_email"] = None
        return user
