from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.urls import reverse
from django.utils.crypto import get_random_string

from advisors.proconnect.views import ProConnectOAuth2Adapter

# What we ask for (partenaires.proconnect.gouv.fr, « Données fournies »): who the agent is and the SIRET of
# the establishment they work for. ``openid`` gives ``sub``, the identifier the account is linked by.
SCOPES = ["openid", "email", "given_name", "usual_name", "uid", "siret"]
# ProConnect wants a ``state`` and a ``nonce`` of at least 32 characters (allauth's state has 16).
RANDOM_LENGTH = 43


class ProConnectAccount(ProviderAccount):
    def to_str(self):
        data = self.get_user_data() or {}
        return data.get("email") or super().to_str()

    def get_user_data(self):
        return self.account.extra_data.get("userinfo") or {}


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectOAuth2Adapter
    # Signing in by posting a token (allauth's headless API) is not offered.
    supports_token_authentication = False

    def __init__(self, request, app=None):
        super().__init__(request, app=app)
        self.name = "ProConnect"  # allauth's OpenID Connect provider takes the app's name, here empty

    def get_login_url(self, request, **kwargs):
        return OAuth2Provider.get_login_url(self, request, **kwargs)

    def get_callback_url(self):
        return reverse("proconnect_callback")

    def get_oauth2_adapter(self, request):
        return ProConnectOAuth2Adapter(request)

    def get_default_scope(self):
        return list(SCOPES)

    # ProConnect answers « Bad Request » to any parameter outside its list: no PKCE, and neither scopes nor
    # parameters added through the login URL's query string (allauth's ?scope= and ?auth_params=).
    def get_pkce_params(self):
        return {}

    def get_scope_from_request(self, request):
        return self.get_scope()

    def get_auth_params_from_request(self, request, action):
        return self.get_auth_params()

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """To ProConnect's authorization endpoint, with a ``nonce`` kept in the sign-in's stashed state.

        The callback (``views.CallbackView``) finds it in that state and requires it in the ID token.
        """
        nonce = get_random_string(RANDOM_LENGTH)
        auth_params = {**(kwargs.pop("auth_params", None) or self.get_auth_params()), "nonce": nonce}
        return super().redirect(
            request,
            process,
            next_url,
            data,
            auth_params=auth_params,
            nonce=nonce,
            state_id=get_random_string(RANDOM_LENGTH),
            **kwargs,
        )

    def extract_common_fields(self, data):
        data = data.get("userinfo") or {}
        return {
            "email": data.get("email"),
            "first_name": (data.get("given_name") or "")[:150],
            # ProConnect's family name is the usual one (« nom d'usage »).
            "last_name": (data.get("usual_name") or "")[:150],
        }

    def extract_uid(self, data):
        return str(data["userinfo"]["sub"])


provider_classes = [ProConnectProvider]
