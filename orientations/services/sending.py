"""Sending an orientation: the record, and the email that tells its receivers (never who the person is)."""

from django.db import transaction

from advisors.perms import advisor_of
from common.mail import email_send
from orientations.models import Orientation
from orientations.perms import receivers_of_lieu


def orientation_send(*, sender, criteria, advisor=None, lieu=None, message="", person=None):
    """Record that ``sender`` orients a person matching ``criteria`` (``matching.Criteria``) to ``advisor``
    or ``lieu``, and email its receivers: the advisor, or the advisors attached to the lieu's structure and
    the lieu's public address.

    ``person``: ``{"first_name", "phone", "email"}``, only when the person agreed to share them (the form
    checks the consent box). The email carries the need and a link, none of the person's data nor the
    message (a sender may have written her name in it): the receiver reads them on the site, logged in.
    """
    if (advisor is None) == (lieu is None):
        raise ValueError("An orientation goes to one advisor or one lieu.")
    person = {key: value for key, value in (person or {}).items() if value}
    sender_advisor = advisor_of(sender)
    with transaction.atomic():
        orientation = Orientation.objects.create(
            departement_id=criteria.commune.departement_id,
            sender=sender,
            sender_structure_id=sender_advisor.structure_id if sender_advisor else None,
            receiver_advisor=advisor,
            receiver_lieu=lieu,
            receiver_structure_id=lieu.structure_id if lieu else advisor.structure_id,
            domain=criteria.domain,
            skill=criteria.skill,
            commune=criteria.commune,
            language=criteria.language,
            public=criteria.public,
            free_days=list(criteria.days),
            free_time=criteria.time_of_day,
            can_travel=criteria.can_travel,
            online_ok=criteria.online_ok,
            message=message,
            consent=bool(person),
            person_first_name=person.get("first_name", ""),
            person_phone=person.get("phone", ""),
            person_email=person.get("email", ""),
        )
        recipients = _recipients(orientation, sender)
        if recipients:
            email_send(
                template="orientations/emails/orientation_received",
                to=recipients,
                context={"orientation": orientation, "sender_name": sender.display_name},
            )
    return orientation


def _recipients(orientation, sender):
    if orientation.receiver_advisor_id:
        emails = [orientation.receiver_advisor.user.email]
    else:
        lieu = orientation.receiver_lieu
        emails = list(receivers_of_lieu(lieu).values_list("user__email", flat=True).order_by("user__email"))
        if lieu.public_email:
            emails.append(lieu.public_email)
    unique = []
    for email in emails:
        if email and email.lower() != sender.email.lower() and email.lower() not in unique:
            unique.append(email.lower())
    return unique
