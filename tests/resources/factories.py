import factory
from django.utils import timezone

from resources.enums import ResourceKind, ResourceStatus, ResourceVisibility
from resources.models import Resource, ResourceReport
from tests.advisors.factories import AdvisorFactory
from tests.territories.factories import DepartementFactory


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    departement = factory.SubFactory(DepartementFactory)
    kind = ResourceKind.FICHE
    title = factory.Sequence(lambda n: f"Fiche pratique n° {n} : créer son adresse e-mail")
    summary = "Les étapes pour créer une adresse électronique, à imprimer pour l’atelier."
    body = "## Étapes\n\n1. Choisir un fournisseur\n2. Créer le compte"
    status = ResourceStatus.PUBLISHED
    visibility = ResourceVisibility.PUBLIC
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=ResourceStatus.DRAFT, published_at=None)
        hidden = factory.Trait(status=ResourceStatus.HIDDEN)
        network = factory.Trait(visibility=ResourceVisibility.NETWORK)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """``authors=[advisor, …]``; one new advisor of the département by default."""
        if not create:
            return
        self.authors.set(extracted if extracted is not None else [AdvisorFactory(departement=self.departement)])


class ResourceReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceReport

    resource = factory.SubFactory(ResourceFactory)
    reason = "obsolete"
