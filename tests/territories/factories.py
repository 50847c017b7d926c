import factory

from territories.models import EPCI, Commune, Departement, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "84"
    name = "Auvergne-Rhône-Alpes"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "42"
    name = "Loire"
    region = factory.SubFactory(RegionFactory)
    timezone = "Europe/Paris"

    class Params:
        savoie = factory.Trait(code="73", name="Savoie")
        reunion = factory.Trait(
            code="974",
            name="La Réunion",
            timezone="Indian/Reunion",
            region=factory.SubFactory(RegionFactory, code="04", name="La Réunion"),
        )


class EPCIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EPCI
        django_get_or_create = ("siren",)

    siren = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"Communauté de communes n° {n}")
    kind = "CC"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    departement = factory.SubFactory(DepartementFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.departement.code[:2]}{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    epci = factory.SubFactory(EPCIFactory)
    population = 1000
    postal_codes = "42000"


def make_epcis(departement, count, communes_each=3):
    """``count`` EPCI of ``communes_each`` communes of 500 inhabitants in ``departement``."""
    epcis = []
    for index in range(count):
        epci = EPCIFactory(name=f"Communauté de communes du Pilat {index}")
        for _ in range(communes_each):
            CommuneFactory(departement=departement, epci=epci, population=500)
        epcis.append(epci)
    return epcis
