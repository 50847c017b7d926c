"""The Django admin's login goes through the same failed-login limits as the site's login."""

from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class AdminLoginForm(AdminAuthenticationForm):
    """Authenticates through allauth's adapter, which counts failed logins per address and
    per account in the cache (``ACCOUNT_RATE_LIMITS["login_failed"]``): guessing a password
    on /admin/ uses up the same allowance as on /compte/connexion/, instead of none."""

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            # Raises the "too many failed logins" error once the allowance is spent.
            self.user_cache = get_adapter(self.request).authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
