"""The Loire's past letters: the two previous months' letters, sent, in the archive, and the newcomers who agreed
to be introduced in them.

Each letter is composed as the coordination would have composed it the day it went out (``letter_sections`` with
that day as « now »: the events of the six weeks after it, the resources published since the previous letter,
the newcomers of the month who said yes), with a word from the coordination. A letter is found by its month:
a second run creates nothing, and changes nobody's consent.
"""

import datetime

from django.utils import timezone

from advisors.models import Advisor, User
from animation.enums import LetterStatus
from animation.models import Letter, LetterDelivery
from animation.queries.letters import letter_recipients, letter_sections
from animation.services.letters import default_subject
from demo.network import COORDINATORS

# Newcomers of the last four months: two out of three agreed to be introduced in the letter.
NEWCOMER_DAYS = 120

EDITORIALS = [
    # Two months ago: la rentrée.
    "Bonjour à toutes et à tous,\n\n"
    "C’est la rentrée du réseau ! Merci à celles et ceux qui ont tenu les permanences tout l’été : "
    "les demandes de **chèques énergie** et de **bourses scolaires** ont été nombreuses.\n\n"
    "Ce mois-ci :\n\n"
    "- le séminaire départemental sur l’accueil des publics allophones, ouvert à tout le réseau ;\n"
    "- les nouveaux arrivants présentés plus bas : n’hésitez pas à leur écrire pour les accueillir ;\n"
    "- vos fiches et supports : déposez-les dans la bibliothèque de ressources, ils servent à tous.\n\n"
    "Belle rentrée,\n\nLa coordination départementale",
    # Last month: the Fête du numérique is coming.
    "Bonjour à toutes et à tous,\n\n"
    "La **Fête du numérique de la Loire** se prépare : le programme des stands et des ateliers s’ouvre "
    "aux propositions. Si vous maîtrisez une compétence que le réseau veut apprendre (voir plus bas), "
    "c’est l’occasion de l’animer.\n\n"
    "Merci aux collègues qui ont partagé leurs supports ce mois-ci, et bienvenue aux nouveaux membres.\n\n"
    "À bientôt aux cafés-visio,\n\nLa coordination départementale",
]


def _previous_months(today, count):
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


def _consent(departement, today):
    """Two newcomers out of three (by arrival) agreed to be introduced in the letter."""
    newcomers = list(
        Advisor.objects.filter(
            departement=departement, arrival_date__gte=today - datetime.timedelta(days=NEWCOMER_DAYS)
        ).order_by("arrival_date", "pk")
    )
    agreed = [advisor.pk for index, advisor in enumerate(newcomers) if index % 3 != 2]
    return Advisor.objects.filter(pk__in=agreed).update(introduce_in_letter=True)


def letters_ensure(*, departement, today=None):
    """Create the two previous months' letters of ``departement`` that are missing, sent on the 2nd of their
    month at 10 h. Returns how many were created."""
    today = today or timezone.localdate()
    months = _previous_months(today, len(EDITORIALS))
    existing = set(Letter.objects.filter(departement=departement, period__in=months).values_list("period", flat=True))
    if len(existing) == len(months):
        return 0
    if not existing:
        _consent(departement, today)
    by = User.objects.filter(email=COORDINATORS[0].email).first()
    recipients = list(letter_recipients(departement).values_list("pk", flat=True))
    created = 0
    for period, editorial in zip(months, EDITORIALS, strict=True):
        if period in existing:
            continue
        sent_at = timezone.make_aware(datetime.datetime.combine(period.replace(day=2), datetime.time(10)))
        content = letter_sections(departement=departement, period=period, now=sent_at)
        letter = Letter.objects.create(
            departement=departement,
            period=period,
            subject=default_subject(departement, period),
            editorial=editorial,
            content=content,
            status=LetterStatus.SENT,
            created_by=by,
            created_at=sent_at - datetime.timedelta(days=3),
            test_sent_at=sent_at - datetime.timedelta(hours=1),
            sent_by=by,
            sent_at=sent_at,
            recipients_count=len(recipients),
        )
        LetterDelivery.objects.bulk_create(
            [LetterDelivery(letter=letter, user_id=pk, created_at=sent_at) for pk in recipients],
            ignore_conflicts=True,
        )
        created += 1
    return created
