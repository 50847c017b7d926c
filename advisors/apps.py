from django.apps import AppConfig


class AdvisorsConfig(AppConfig):
    name = "advisors"
    verbose_name = "conseillers et réseau"

    def ready(self):
        # Connects the receivers of other apps' signals (territories_imported).
        from advisors import receivers  # noqa: F401
