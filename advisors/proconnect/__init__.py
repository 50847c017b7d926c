"""Sign-in with ProConnect, the State's OpenID Connect federation for agents of public bodies.

An allauth provider (allauth finds ``provider.py`` in every installed app), built on allauth's OpenID
Connect provider with what ProConnect asks of its service providers and allauth 65 does not do: a
``nonce`` checked in the ID token, a ``state`` and a ``nonce`` of at least 32 characters, the ID token's
signature always verified, and the userinfo endpoint's answer, a signed JWT, verified and decoded.
Configured only by the environment (``config.settings.proconnect_providers``); absent without it.
"""
