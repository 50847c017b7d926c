from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from advisors.enums import AdvisorRole, MembershipRole, MembershipStatus, StructureKind, Visibility
from advisors.models import Advisor, Cohort, Invitation, Lieu, Membership, OpeningSlot, Permanence, Structure, User
from advisors.services.serving import serving_refresh
from tests.territories.factories import CommuneFactory, DepartementFactory

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


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"promo-{n}")
    name = factory.Sequence(lambda n: f"Promo n° {n}")
    training_body = "Simplon"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Médiathèque n° {n}")
    kind = StructureKind.MEDIATHEQUE
    commune = factory.SubFactory(CommuneFactory)


class LieuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lieu
        skip_postgeneration_save = True  # the hook writes serving rows, not the lieu

    structure = factory.SubFactory(StructureFactory)
    name = factory.Sequence(lambda n: f"Espace numérique n° {n}")
    commune = factory.SelfAttribute("structure.commune")

    @factory.post_generation
    def serving(self, create, extracted, **kwargs):
        # What the services do after writing a lieu: its serving rows (advisors.services.serving).
        if create:
            serving_refresh(lieux=[self])


class OpeningSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningSlot

    lieu = factory.SubFactory(LieuFactory)
    weekday = 1
    opens = "09:00"
    closes = "12:00"


class AdvisorFactory(factory.django.DjangoModelFactory):
    """A profile whose user is an active member of the profile's département."""

    class Meta:
        model = Advisor
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    departement = factory.SubFactory(DepartementFactory)
    role = AdvisorRole.CONSEILLER
    visibility = Visibility.NETWORK
    arrival_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))

    class Params:
        public = factory.Trait(visibility=Visibility.PUBLIC)
        coordinators_only = factory.Trait(visibility=Visibility.COORDINATORS)
        newcomer = factory.Trait(arrival_date=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=20)))

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Membership.objects.get_or_create(
                user=self.user, departement=self.departement, defaults={"status": MembershipStatus.ACTIVE}
            )

    @factory.post_generation
    def intervention_communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.intervention_communes.set(extracted)

    @factory.post_generation
    def serving(self, create, extracted, **kwargs):
        # What the services do after writing a profile: its serving rows (advisors.services.serving).
        if create:
            serving_refresh(advisors=[self])


class PermanenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Permanence
        skip_postgeneration_save = True  # the hook writes serving rows, not the permanence

    advisor = factory.SubFactory(AdvisorFactory)
    lieu = factory.SubFactory(LieuFactory)
    weekday = 2
    opens = "14:00"
    closes = "17:00"

    @factory.post_generation
    def serving(self, create, extracted, **kwargs):
        if create:
            serving_refresh(advisors=[self.advisor_id])
