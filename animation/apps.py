from django.apps import AppConfig


class AnimationConfig(AppConfig):
    """The network's life between meetings: partners, chat channels, the coordinators' dashboard and
    the monthly lettre d'information. It reads every domain app and the coverage; nothing imports it
    but config and the demo (other pages show its panels through its template tags)."""

    name = "animation"
    verbose_name = "animation du réseau"

    def ready(self):
        # Announcing published events and resources on the channels' webhooks (animation/receivers.py).
        from animation import receivers  # noqa: F401
