from django.db import models


class OrientationStatus(models.TextChoices):
    SENT = "sent", "envoyée"
    TAKEN = "taken", "prise en charge"
    REDIRECTED = "redirected", "réorientée"
    NO_FOLLOW_UP = "no_follow_up", "sans suite"


class TimeOfDay(models.TextChoices):
    """When the person is free, as people say it: what « ouvert aux heures demandées » reads."""

    ANY = "", "indifférent"
    MORNING = "morning", "le matin (avant 12 h)"
    AFTERNOON = "afternoon", "l’après-midi (12 h – 18 h)"
    EVENING = "evening", "après 18 h"
