import factory

from orientations.models import Orientation
from skills.enums import DomainKind
from skills.models import Domain
from tests.advisors.factories import AdvisorFactory, LieuFactory, StructureFactory, UserFactory
from tests.territories.factories import CommuneFactory


def _advisor_commune(advisor):
    if advisor.commune_id:
        return advisor.commune
    if advisor.structure_id:
        return advisor.structure.commune
    return CommuneFactory(departement=advisor.departement)


class OrientationFactory(factory.django.DjangoModelFactory):
    """An orientation sent to an advisor (``to_lieu=True``: to a lieu instead), with the person's consent.

    The département and the person's commune follow the receiver's: pass ``commune`` to place it elsewhere.
    """

    class Meta:
        model = Orientation

    sender = factory.SubFactory(UserFactory)
    receiver_advisor = factory.SubFactory(AdvisorFactory, structure=factory.SubFactory(StructureFactory))
    receiver_lieu = None
    receiver_structure = factory.LazyAttribute(
        lambda o: o.receiver_lieu.structure if o.receiver_lieu else o.receiver_advisor.structure
    )
    commune = factory.LazyAttribute(
        lambda o: o.receiver_lieu.commune if o.receiver_lieu else _advisor_commune(o.receiver_advisor)
    )
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
    domain = factory.LazyFunction(lambda: Domain.objects.filter(kind=DomainKind.SERVICE).order_by("position").first())
    message = "Elle a besoin d’aide pour ses démarches en ligne."
    consent = True
    person_first_name = "Maria"
    person_phone = "06 12 34 56 78"

    class Params:
        to_lieu = factory.Trait(receiver_advisor=None, receiver_lieu=factory.SubFactory(LieuFactory))
        anonymous_person = factory.Trait(consent=False, person_first_name="", person_phone="", person_email="")
