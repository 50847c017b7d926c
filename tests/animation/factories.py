import datetime

import factory
from django.utils import timezone

from animation.enums import ChannelPlatform, LetterStatus, PartnerKind
from animation.models import Channel, Letter, Partner
from tests.territories.factories import DepartementFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    departement = factory.SubFactory(DepartementFactory)
    name = factory.Sequence(lambda n: f"CAF partenaire {n}")
    kind = PartnerKind.CAF
    description = "Les rendez-vous des droits et l’accès aux prestations en ligne."
    contact_name = "Claire Martin"
    contact_role = "Chargée de partenariats"
    contact_email = factory.Sequence(lambda n: f"partenaire{n}@caf.example.fr")


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    departement = factory.SubFactory(DepartementFactory)
    name = factory.Sequence(lambda n: f"~canal-{n}")
    platform = ChannelPlatform.MATTERMOST
    purpose = "Les questions du quotidien entre conseillers."
    join_url = "https://mattermost.example.fr/signup"


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter
        django_get_or_create = ("departement", "period")

    departement = factory.SubFactory(DepartementFactory)
    period = datetime.date(2026, 11, 1)
    subject = factory.LazyAttribute(lambda o: f"La lettre du réseau — {o.period:%m/%Y}")
    editorial = "Bonjour à toutes et à tous,"

    class Params:
        sent = factory.Trait(
            status=LetterStatus.SENT,
            sent_at=factory.LazyFunction(timezone.now),
            content={"events": [], "resources": [], "newcomers": [], "skills": []},
        )
