from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "advisors.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"
