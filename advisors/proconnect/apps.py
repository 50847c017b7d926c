from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "advisors.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"

    def ready(self):
        from allauth.account.signals import user_logged_in

        user_logged_in.connect(remember_for_logout, dispatch_uid="proconnect_remember_for_logout")


def remember_for_logout(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None and sociallogin.account.provider == "proconnect":
        from advisors.proconnect.logout import remember

        remember(request, sociallogin)
