"""Every email of the site leaves through here: rendered from templates in the request, sent by a
task (``django.tasks``), after the transaction that caused it commits.

In production the task waits in the database for ``manage.py db_worker``: a slow or broken mail
server never holds a registration or a membership decision. A failed send is tried again later, up to
``settings.EMAIL_SEND_ATTEMPTS`` times, with a growing delay, then given up and logged.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Maillage] "


@task
def send_email(*, subject, body, to, html="", headers=None, attempt=1):
    """Send one email (its parts already rendered: tasks carry JSON, never model instances). ``headers``: extra
    headers as a dict of strings (the monthly letter's ``List-Unsubscribe``)."""
    message = EmailMultiAlternatives(subject, body, None, to, headers=headers or None)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        if attempt >= settings.EMAIL_SEND_ATTEMPTS:
            logger.exception("Courriel abandonné après %s essais : %s → %s", attempt, subject, to)
            raise
        retry = {"subject": subject, "body": body, "to": to, "html": html, "attempt": attempt + 1}
        if headers:
            retry["headers"] = headers
        if default_task_backend.supports_defer:
            delay = timedelta(minutes=2**attempt)
            send_email.using(run_after=timezone.now() + delay).enqueue(**retry)
        else:
            send_email.call(**retry)
        logger.warning("Échec d'envoi (essai %s), nouvel essai prévu : %s → %s", attempt, subject, to)


def email_render(*, template, context):
    """Subject and plain-text body of ``<template>_subject.txt`` and ``<template>.txt``."""
    context = {**context, "site_url": settings.SITE_URL}
    # One line (a header cannot hold a newline), with its non-breaking spaces kept (« : »).
    lines = render_to_string(f"{template}_subject.txt", context).splitlines()
    subject = SUBJECT_PREFIX + " ".join(line.strip(" \t") for line in lines if line.strip())
    return subject, render_to_string(f"{template}.txt", context)


def email_send(*, template, to, context):
    """Render now, send once the current transaction commits (at once outside of one)."""
    subject, body = email_render(template=template, context=context)
    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))
