import logging
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.shortcuts import render

from advisors.models import Membership
from advisors.proconnect.logout import end_session_url, keep_state
from common.mail import send_email

logger = logging.getLogger(__name__)

SITE_NAME = "Maillage"
# The links allauth puts in its emails, built from the request's host.
EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


def public_url(url):
    """``url`` on the site's public address (``SITE_URL``), whatever host the request came through."""
    parts, site = urlsplit(url), urlsplit(settings.SITE_URL)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


def lockout_minutes():
    """How long an account stays locked after too many failed logins: the longest period of the
    per-account ``login_failed`` limit (``5/5m/key`` → 5)."""
    units = {"s": 1 / 60, "m": 1, "h": 60, "d": 1440}
    minutes = [1]
    for limit in settings.ACCOUNT_RATE_LIMITS.get("login_failed", "").split(","):
        _, _, period = limit.strip().partition("/")
        period = period.partition("/")[0]
        if period:
            count = period[:-1] or "1"
            minutes.append(round(float(count) * units.get(period[-1], 1)))
    return max(minutes)


class AccountAdapter(DefaultAccountAdapter):
    """Our own account rules on top of allauth's defaults."""

    @property
    def error_messages(self):
        # allauth's "try again later" does not say when: a locked-out person needs to know.
        minutes = lockout_minutes()
        return {
            **DefaultAccountAdapter.error_messages,
            "too_many_login_attempts": (
                "Trop de tentatives de connexion échouées. Par sécurité, ce compte est bloqué pendant "
                f"{minutes} minute{'s' if minutes > 1 else ''}\u00a0: réessayez ensuite, "
                "ou réinitialisez votre mot de passe."
            ),
        }

    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites, allauth names the site after the request's host
        # ("Bonjour, c'est 127.0.0.1:8000 !"): the emails speak of Maillage and its public address.
        # Its links follow the request's host: they name the public address too, like our own emails.
        site = SimpleNamespace(name=SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        links = {key: public_url(context[key]) for key in EMAIL_LINKS if context.get(key)}
        message = self.render_mail(template_prefix, email, {**context, "current_site": site, **links})
        # Like every email of the site, through the tasks framework (common.mail): with the database
        # backend the task row belongs to the request's transaction, and a failing mail server is
        # retried by the worker instead of failing the sign-up or the password reset.
        html = next((content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"), "")
        if message.content_subtype == "html":
            html = message.body
        send_email.enqueue(subject=message.subject, body=message.body, to=list(message.to), html=html)

    def get_logout_redirect_url(self, request):
        # Signed in through ProConnect: out of ProConnect too, which then sends the browser back
        # (advisors.proconnect.logout). Computed by allauth's logout view before the session ends.
        return end_session_url(request) or super().get_logout_redirect_url(request)

    def logout(self, request):
        super().logout(request)
        keep_state(request)

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in through ProConnect (advisors.proconnect), configured by the environment only."""

    def list_apps(self, request, provider=None, client_id=None):
        # Only settings.SOCIALACCOUNT_PROVIDERS (config.settings.proconnect_providers), never rows of
        # allauth's SocialApp table: no query on every login page, and nothing the admin could add.
        apps = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for provider_apps in apps.values() for app in provider_apps]

    def pre_social_login(self, request, sociallogin):
        """An account with rights is never signed into by its address alone.

        allauth has just looked the identity up (``SocialLogin.lookup``): by the ProConnect identity
        already linked, else by the verified address (SOCIALACCOUNT_EMAIL_AUTHENTICATION), which it would
        then link and sign into. Any identity provider of the federation vouches for the addresses it
        gives: for an ordinary member, that is enough; for a staff account or a coordinator, a careless or
        compromised one would take the account over. Those link ProConnect themselves, signed in with
        their password (« Mon compte › ProConnect », the ``connect`` process, not checked here); until
        then the sign-in is refused, nobody is signed in and nothing is created or linked.
        """
        super().pre_social_login(request, sociallogin)
        found_by_email = sociallogin.user is not None and sociallogin.user.pk and not sociallogin.account.pk
        if not found_by_email or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        if has_rights(sociallogin.user):
            logger.warning(
                "Connexion ProConnect refusée : le compte %s a des droits, il n’est pas relié par son adresse",
                sociallogin.user.pk,
            )
            response = render(request, "socialaccount/privileged_account.html", status=403)
            raise ImmediateHttpResponse(response)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # What went wrong, for whoever runs the site; never a token (the messages of advisors.proconnect
        # name the check that failed, not the values).
        logger.warning("Connexion %s refusée : %s (%r)", getattr(provider, "name", provider), error, exception)
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )


def has_rights(user):
    """Staff, superuser, or coordinator of a département's network (an active membership)."""
    return user.is_staff or user.is_superuser or Membership.objects.coordinators().filter(user=user).exists()
