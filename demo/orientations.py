"""The orientations of the Loire demo (``demo/data/loire/orientations.json``): a dozen people referred
between members over the last three months, in every state, some with the personal data the person
agreed to share (fictitious first names, 06 00 00 00 xx numbers, example.org addresses), one past
the retention period whose personal data is already erased.

An orientation is known by its sender, receiver, commune and service (the message is erased with the
personal data, so it cannot be the key): a second run creates nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from advisors.models import Advisor, Language
from demo.content import LOIRE
from orientations.models import Orientation
from skills.models import Domain, Public
from territories.models import Commune

# What ``erase_orientations`` blanks once the retention period is over.
ERASED = {"person_first_name": "", "person_phone": "", "person_email": "", "message": ""}


def _key(sender_id, receiver_advisor_id, receiver_lieu_id, commune_id, domain_id):
    return (sender_id, receiver_advisor_id, receiver_lieu_id, commune_id, domain_id)


def orientations_ensure(*, departement, lieux, report):
    """Create the demo orientations that are missing; ``lieux`` is ``{structure key: [Lieu, …]}``."""
    specs = LOIRE.orientations
    emails = (
        {spec.sender for spec in specs}
        | {spec.receiver_advisor for spec in specs}
        | {spec.changed_by for spec in specs}
    )
    advisors = {
        advisor.user.email: advisor
        for advisor in Advisor.objects.filter(user__email__in=emails - {""}).select_related("user")
    }
    lieux_by_name = {lieu.name: lieu for items in lieux.values() for lieu in items}
    domains = dict(Domain.objects.filter(slug__in={spec.domain for spec in specs}).values_list("slug", "pk"))
    publics = dict(Public.objects.filter(slug__in={spec.public for spec in specs} - {""}).values_list("slug", "pk"))
    languages = set(
        Language.objects.filter(code__in={spec.language for spec in specs} - {""}).values_list("pk", flat=True)
    )
    communes = set(Commune.objects.filter(code__in={spec.commune for spec in specs}).values_list("code", flat=True))
    existing = {
        _key(*row)
        for row in Orientation.objects.filter(departement=departement, sender__email__in=emails).values_list(
            "sender", "receiver_advisor", "receiver_lieu", "commune", "domain"
        )
    }
    now = timezone.now()
    new = []
    for spec in specs:
        sender = advisors.get(spec.sender)
        receiver = advisors.get(spec.receiver_advisor)
        lieu = lieux_by_name.get(spec.receiver_lieu)
        # A demo built on a few communes (tests), or whose accounts were deleted, skips what it cannot place.
        if sender is None or (receiver is None and lieu is None) or spec.commune not in communes:
            continue
        domain_id = domains.get(spec.domain)
        key = _key(sender.user_id, receiver and receiver.pk, lieu and lieu.pk, spec.commune, domain_id)
        if key in existing:
            continue
        existing.add(key)
        created_at = now - timedelta(days=spec.days_ago, hours=len(new) % 7)
        changer = advisors.get(spec.changed_by) or receiver
        personal = {"person_first_name": spec.first_name, "person_phone": spec.phone, "person_email": spec.email}
        orientation = Orientation(
            departement=departement,
            sender=sender.user,
            sender_structure_id=sender.structure_id,
            receiver_advisor=receiver,
            receiver_lieu=lieu,
            receiver_structure_id=lieu.structure_id if lieu else receiver.structure_id,
            domain_id=domain_id,
            commune_id=spec.commune,
            language_id=spec.language if spec.language in languages else None,
            public_id=publics.get(spec.public),
            free_days=list(spec.free_days),
            free_time=spec.free_time,
            can_travel=spec.can_travel,
            online_ok=spec.online_ok,
            message=spec.message,
            consent=spec.consent and any(personal.values()),
            **(personal if spec.consent else {}),
            status=spec.status,
            status_changed_at=created_at + timedelta(days=spec.status_days, hours=2) if spec.status_days else None,
            status_changed_by=changer.user if spec.status_days and changer else None,
            status_note=spec.status_note,
            created_at=created_at,
        )
        if spec.erased:
            # What erase_orientations did the day after the retention period ended.
            for field, blank in ERASED.items():
                setattr(orientation, field, blank)
            orientation.personal_data_erased_at = created_at + timedelta(days=settings.ORIENTATION_RETENTION_DAYS + 1)
        new.append(orientation)
    Orientation.objects.bulk_create(new)
    report.orientations = len(new)
