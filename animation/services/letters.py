"""The monthly letter: composing, editing, testing, sending once, and the one-click unsubscribe."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from advisors.models import User
from animation.enums import LetterStatus
from animation.models import Letter, LetterDelivery
from animation.queries.letters import (
    SECTIONS,
    letter_display,
    letter_live_content,
    letter_recipients,
    letter_sections,
    month_label,
)
from common.mail import email_render, send_email
from common.markdown import render_markdown
from territories.french import of_departement

UNSUBSCRIBE_SALT = "animation.letter.unsubscribe"


def unsubscribe_token(user):
    """The key of the unsubscribe link in every letter: signed, so it names only this person, and
    without expiry (a letter read a year later still unsubscribes)."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_user_id(token):
    """The person a token names, or ``None`` for a forged or damaged one."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def letter_unsubscribe(*, user):
    """Stop sending ``user`` the letter. Idempotent: a second click, or a mail client's one-click POST after
    the person's own, changes nothing more."""
    User.objects.filter(pk=user.pk, receives_letter=True).update(receives_letter=False)
    user.receives_letter = False
    return user


def default_subject(departement, period):
    return f"La lettre du réseau {of_departement(departement)} — {month_label(period)}"


def letter_create(*, departement, period, by):
    """The draft of ``departement``'s letter for ``period``, composed from the network's data; or the letter
    that month already has (two coordinators composing at once get the same one). ``(letter, created)``."""
    existing = Letter.objects.filter(departement=departement, period=period).first()
    if existing is not None:
        return existing, False
    letter = Letter(
        departement=departement,
        period=period,
        subject=default_subject(departement, period),
        content=letter_sections(departement=departement, period=period),
        created_by=by,
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        return Letter.objects.get(departement=departement, period=period), False
    return letter, True


def _locked_draft(letter):
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if locked.status != LetterStatus.DRAFT:
        raise ValidationError("Cette lettre est déjà envoyée\u00a0: elle ne peut plus être modifiée ni envoyée.")
    return locked


@transaction.atomic
def letter_update(*, letter, subject, editorial, kept, recompose=False):
    """Save a draft's subject, editorial and the composed items it keeps (``kept``: their keys); with
    ``recompose``, compose its sections again from today's data, the items left out staying out.

    Raises ``ValidationError`` when the letter has been sent meanwhile (nothing is changed then)."""
    locked = _locked_draft(letter)
    content = letter_live_content(locked)  # what vanished since the composition (consent withdrawn…) goes
    every_key = {item.get("key") for slug in SECTIONS for item in content.get(slug, []) if isinstance(item, dict)}
    left_out = (set(content.get("left_out", [])) | every_key) - set(kept)
    if recompose:
        content = letter_sections(departement=locked.departement, period=locked.period)
    content["left_out"] = sorted(left_out)
    locked.subject = subject
    locked.editorial = editorial
    locked.content = content
    locked.save(update_fields=["subject", "editorial", "content", "updated_at"])
    return locked


def _frozen(content):
    """The content as sent: the items left out are dropped, so the archive holds only what readers got."""
    left_out = set(content.get("left_out", []))
    frozen = {key: value for key, value in content.items() if key not in SECTIONS}
    for slug in SECTIONS:
        frozen[slug] = [item for item in content.get(slug, []) if item.get("key") not in left_out]
    frozen["left_out"] = []
    return frozen


def letter_email(*, letter, user):
    """Subject, plain text, HTML and headers of ``letter`` for ``user``, with their own unsubscribe link.

    RFC 8058: ``List-Unsubscribe`` names the one-click link and ``List-Unsubscribe-Post`` tells the mail
    client it may POST ``List-Unsubscribe=One-Click`` to it, without opening a page."""
    unsubscribe_url = settings.SITE_URL + reverse("animation:letter_unsubscribe", args=[unsubscribe_token(user)])
    context = {
        "letter": letter,
        "departement": letter.departement,
        "month": month_label(letter.period),
        "sections": letter_display(letter),
        "editorial_html": render_markdown(letter.editorial, top_level=3),  # under its <h2>
        "web_url": settings.SITE_URL + letter.get_absolute_url(),
        "profile_url": settings.SITE_URL + reverse("advisors:my_profile"),
        "unsubscribe_url": unsubscribe_url,
    }
    subject, body = email_render(template="animation/emails/letter", context=context)
    html = render_to_string("animation/emails/letter.html", {**context, "site_url": settings.SITE_URL})
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return {"subject": subject, "body": body, "html": html, "headers": headers}


def letter_test_send(*, letter, by):
    """Send the draft to the coordinator ``by`` alone (subject marked as a test); records ``test_sent_at``.
    The test shows what would leave now: only the items the letter may still show (``letter_live_content``)."""
    letter.content = letter_live_content(letter)
    email = letter_email(letter=letter, user=by)
    email["subject"] = f"[Test] {email['subject']}"
    Letter.objects.filter(pk=letter.pk).update(test_sent_at=timezone.now())
    letter.refresh_from_db(fields=["test_sent_at"])
    transaction.on_commit(lambda: send_email.enqueue(to=[by.email], **email))
    return letter


# One task per batch of recipients: the request only counts and enqueues, the worker renders and sends.
DELIVERY_BATCH = 200


@transaction.atomic
def letter_send(*, letter, by):
    """Send ``letter`` to its network, once.

    The letter's row is locked and must still be a draft: a second click, a second coordinator or a
    retried request finds it sent and gets a ``ValidationError``. In the same transaction it goes from draft
    to « sending » to « sent » with its content frozen (the items left out, and those the letter may no longer
    show, dropped) and its number of
    recipients; once that commits, one ``letter_deliver`` task per batch of ``DELIVERY_BATCH`` recipients is
    enqueued. The request renders no email: with the database task backend a network of 2,000 members costs
    ten small queued tasks, and the worker renders each person's email (with their own unsubscribe link)."""
    locked = _locked_draft(letter)
    locked.status = LetterStatus.SENDING
    locked.save(update_fields=["status", "updated_at"])
    user_ids = list(letter_recipients(locked.departement_id).order_by("pk").values_list("pk", flat=True))
    # Re-read against today's data, under the lock: a newcomer who withdrew consent, hid her profile or left
    # the network since the composition, an event cancelled or a resource hidden meanwhile, does not leave.
    locked.content = _frozen(letter_live_content(locked))
    locked.status = LetterStatus.SENT
    locked.sent_at = timezone.now()
    locked.sent_by = by
    locked.recipients_count = len(user_ids)
    locked.save(update_fields=["content", "status", "sent_at", "sent_by", "recipients_count", "updated_at"])
    batches = [user_ids[start : start + DELIVERY_BATCH] for start in range(0, len(user_ids), DELIVERY_BATCH)]
    for batch in batches:
        transaction.on_commit(lambda batch=batch: letter_deliver.enqueue(letter_id=locked.pk, user_ids=batch))
    return locked


@task
def letter_deliver(*, letter_id, user_ids):
    """Email a sent letter to ``user_ids``, each at most once, ever.

    The letter's row is locked while the batch claims its people, so two batches (or a retried one) never
    claim the same person; the ``LetterDelivery`` rows (unique per letter and person, inserted in bulk and
    ignoring conflicts) say who was claimed. Only the people without one are emailed, and only if they still
    receive the letter (someone who unsubscribed since the click gets nothing)."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("departement").filter(pk=letter_id).first()
        if letter is None or letter.status != LetterStatus.SENT:
            return 0
        already = set(
            LetterDelivery.objects.filter(letter=letter, user_id__in=user_ids).values_list("user_id", flat=True)
        )
        people = list(
            letter_recipients(letter.departement_id)
            .filter(pk__in=[pk for pk in user_ids if pk not in already])
            .order_by("pk")
        )
        LetterDelivery.objects.bulk_create(
            [LetterDelivery(letter=letter, user=person) for person in people], ignore_conflicts=True
        )
        for person in people:
            email = letter_email(letter=letter, user=person)
            transaction.on_commit(lambda email=email, to=person.email: send_email.enqueue(to=[to], **email))
    return len(people)
