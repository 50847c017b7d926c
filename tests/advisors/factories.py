from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from advisors.enums import MembershipRole, MembershipStatus
from advisors.models import Invitation, Membership, User
from tests.territories.factories import DepartementFactory

DEFAULT_PASSWORD = "motdepasse-de-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Accounts have a verified email address unless ``verified=False``."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    departement = factory.SubFactory(DepartementFactory)
    role = MembershipRole.MEMBER
    status = MembershipStatus.ACTIVE
    structure_name = "Médiathèque municipale"

    class Params:
        pending = factory.Trait(status=MembershipStatus.PENDING)
        refused = factory.Trait(status=MembershipStatus.REFUSED)
        coordinator = factory.Trait(role=MembershipRole.COORDINATOR)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    departement = factory.SubFactory(DepartementFactory)
    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
    created_by = factory.SubFactory(UserFactory)

    class Params:
        used = factory.Trait(used_at=factory.LazyFunction(timezone.now))
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))
        expired = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=20)),
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=6)),
        )
