from allauth.socialaccount.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag
def proconnect_configured():
    """Whether ProConnect is configured (the PROCONNECT_* variables): ``{% proconnect_configured as on %}``.

    For the templates included with ``only``, where allauth's ``{% get_providers %}`` finds no request.
    """
    return bool(get_adapter().list_apps(None, provider="proconnect"))
