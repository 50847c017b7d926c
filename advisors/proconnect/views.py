import jwt
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from requests import RequestException

PROVIDER_ID = "proconnect"
# The signatures accepted, whatever a token's header says: the asymmetric algorithms ProConnect signs
# with, verified with its published keys (never "none", never HS256 with a public key as the secret).
ALGORITHMS = ("RS256", "ES256")
# Seconds of clock difference tolerated with ProConnect's servers on ``exp`` and ``iat``.
LEEWAY = 30


class ProConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, with the checks ProConnect's documentation asks for.

    allauth 65.22 skips the ID token's signature when the token came straight from the token endpoint
    (the OpenID specification allows it over TLS), checks no nonce, and reads the userinfo answer as
    JSON, where ProConnect sends a signed JWT (``application/jwt``). Here both tokens are verified with
    the keys of the issuer's JWKS, their issuer and audience checked, the ID token's nonce compared with
    the one sent, and the two ``sub`` required to agree.
    """

    def __init__(self, request):
        super().__init__(request, PROVIDER_ID)
        # The nonce sent with this sign-in, from its stashed state (CallbackView).
        self.expected_nonce = None
        self._keys = None

    def get_callback_url(self, request, app):
        return build_absolute_uri(request, reverse("proconnect_callback"), self.redirect_uri_protocol)

    def complete_login(self, request, app, token, **kwargs):
        raw_id_token = kwargs["response"].get("id_token")
        if not raw_id_token:
            raise OAuth2Error("ProConnect: no ID token in the token endpoint's answer")
        id_token = self.verify(app, raw_id_token, required=["iss", "aud", "exp", "iat", "sub", "nonce"])
        if not self.expected_nonce or not constant_time_compare(str(id_token["nonce"]), self.expected_nonce):
            raise OAuth2Error("ProConnect: the ID token's nonce is not the one sent")
        userinfo = self.fetch_userinfo(app, token.token)
        if str(userinfo.get("sub")) != str(id_token["sub"]):
            raise OAuth2Error("ProConnect: the userinfo's sub is not the ID token's")
        login = self.get_provider().sociallogin_from_response(request, {"id_token": id_token, "userinfo": userinfo})
        # For the logout (advisors.proconnect.logout): kept in the session if this sign-in succeeds, never
        # in the linked account (whose extra_data holds the decoded claims, not the token as sent).
        login.proconnect_logout = {
            "id_token": raw_id_token,
            "end_session_endpoint": self.openid_config.get("end_session_endpoint"),
        }
        return login

    def fetch_userinfo(self, app, access_token):
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers={"Authorization": f"Bearer {access_token}"})
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").partition(";")[0].strip().lower()
        if content_type != "application/jwt":
            raise OAuth2Error(f"ProConnect: the userinfo endpoint answered {content_type or 'nothing'}, not a JWT")
        return self.verify(app, response.text.strip(), required=["iss", "aud", "sub"])

    def verify(self, app, token, *, required):
        """The claims of ``token`` once its signature (with the issuer's keys), issuer, audience and dates hold."""
        try:
            header = jwt.get_unverified_header(token)
            key = self.signing_key(header.get("kid"))
            if header.get("alg") not in ALGORITHMS or header.get("alg") != key.algorithm_name:
                raise OAuth2Error(f"ProConnect: a token signed with {header.get('alg')!r} is refused")
            return jwt.decode(
                token,
                key=key.key,
                algorithms=[key.algorithm_name],
                audience=app.client_id,
                issuer=self.openid_config["issuer"],
                leeway=LEEWAY,
                options={"require": required},
            )
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
            raise OAuth2Error(f"ProConnect: invalid token ({error.__class__.__name__}: {error})") from error

    def signing_key(self, kid):
        if self._keys is None:
            with get_adapter().get_requests_session() as session:
                response = session.get(self.openid_config["jwks_uri"])
                response.raise_for_status()
                keys = jwt.PyJWKSet.from_dict(response.json()).keys
            self._keys = [key for key in keys if key.public_key_use in (None, "sig")]
        matching = [key for key in self._keys if kid is not None and key.key_id == kid]
        if not matching and kid is None and len(self._keys) == 1:
            matching = self._keys
        if not matching:
            raise OAuth2Error(f"ProConnect: no published key {kid!r}")
        return matching[0]


class ProviderUnreachable:
    """ProConnect's discovery document or keys out of reach or unreadable: an error page rather than a 500."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except (RequestException, OAuth2Error, KeyError, ValueError) as error:
            return render_authentication_error(request, self.adapter.get_provider(), exception=error)


class LoginView(ProviderUnreachable, OAuth2LoginView):
    pass


class CallbackView(ProviderUnreachable, OAuth2CallbackView):
    def _get_state(self, request, provider):
        # The sign-in's stashed state (checked against the ``state`` parameter by allauth) holds the
        # nonce ProConnectProvider.redirect sent: the adapter compares it with the ID token's.
        state, response = super()._get_state(request, provider)
        if state:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


@login_not_required
def login(request):
    try:
        return LoginView.adapter_view(ProConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None  # ProConnect not configured


@login_not_required
def callback(request):
    try:
        return CallbackView.adapter_view(ProConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
