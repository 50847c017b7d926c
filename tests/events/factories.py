from datetime import timedelta

import factory
from django.utils import timezone

from events.enums import (
    AnimatorStatus,
    EventKind,
    EventStatus,
    EventVisibility,
    OrganiserRole,
    OrganiserStatus,
    RegistrationStatus,
)
from events.models import AnimatorSignup, Event, Need, Organiser, Registration, Slot
from tests.advisors.factories import AdvisorFactory, UserFactory
from tests.territories.factories import DepartementFactory


def _in_days(days, hour=14):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    departement = factory.SubFactory(DepartementFactory)
    kind = EventKind.RENCONTRE
    title = factory.Sequence(lambda n: f"Rencontre d’inter-connaissance n° {n}")
    description = "Faire connaissance entre conseillers du territoire."
    starts_at = factory.LazyFunction(lambda: _in_days(10))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    status = EventStatus.PUBLISHED
    visibility = EventVisibility.NETWORK

    class Params:
        draft = factory.Trait(status=EventStatus.DRAFT)
        cancelled = factory.Trait(status=EventStatus.CANCELLED)
        public = factory.Trait(visibility=EventVisibility.PUBLIC)
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: _in_days(-10)))
        fete = factory.Trait(kind=EventKind.FETE, title="Fête du numérique")

    @factory.post_generation
    def lead(self, create, extracted, **kwargs):
        """``lead=advisor``: that advisor leads the event (accepted)."""
        if create and extracted:
            Organiser.objects.create(event=self, advisor=extracted, role=OrganiserRole.LEAD)


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    event = factory.SubFactory(EventFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    role = OrganiserRole.CO
    status = OrganiserStatus.ACCEPTED

    class Params:
        lead = factory.Trait(role=OrganiserRole.LEAD)
        invited = factory.Trait(status=OrganiserStatus.INVITED)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    event = factory.SubFactory(EventFactory)
    kind = "materiel"
    description = "Un vidéoprojecteur"


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Atelier {n}")
    starts_at = factory.LazyAttribute(lambda slot: slot.event.starts_at)
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(hours=1))
    room = "Salle 1"
    animators_wanted = 1


class AnimatorSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnimatorSignup

    slot = factory.SubFactory(SlotFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    status = AnimatorStatus.CONFIRMED


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(
        lambda registration: registration.user.get_full_name() if registration.user else "Anne Onyme"
    )
    email = factory.LazyAttribute(
        lambda registration: registration.user.email if registration.user else "anne@exemple.fr"
    )
    status = RegistrationStatus.CONFIRMED
    queued_at = factory.LazyFunction(timezone.now)

    class Params:
        waitlisted = factory.Trait(status=RegistrationStatus.WAITLISTED)
        pending = factory.Trait(status=RegistrationStatus.PENDING, queued_at=None)
        visitor = factory.Trait(user=None)
