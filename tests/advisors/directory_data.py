"""What the directory, near-me, promo and département tests share: a few real-looking communes and profiles."""

from types import SimpleNamespace

from advisors.services.network import advisors_refresh_search_text
from tests.advisors.factories import AdvisorFactory
from tests.territories.factories import CommuneFactory, EPCIFactory


def make_advisor(first_name, last_name="Martin", **kwargs):
    advisor = AdvisorFactory(user__first_name=first_name, user__last_name=last_name, **kwargs)
    advisors_refresh_search_text(advisors=[advisor])
    return advisor


def build_places(loire, savoie):
    """Firminy and Saint-Étienne in Saint-Étienne Métropole, Bourg-Argental in the Pilat, Chambéry in Savoie."""
    metropole = EPCIFactory(siren="244200770", name="Saint-Étienne Métropole", kind="METRO")
    pilat = EPCIFactory(siren="200000001", name="CC des Monts du Pilat")
    return SimpleNamespace(
        metropole=metropole,
        pilat=pilat,
        saint_etienne=CommuneFactory(
            departement=loire, code="42218", name="Saint-Étienne", epci=metropole, postal_codes="42000 42100"
        ),
        firminy=CommuneFactory(departement=loire, code="42095", name="Firminy", epci=metropole, postal_codes="42700"),
        bourg_argental=CommuneFactory(
            departement=loire, code="42023", name="Bourg-Argental", epci=pilat, postal_codes="42220"
        ),
        chambery=CommuneFactory(
            departement=savoie,
            code="73065",
            name="Chambéry",
            epci=EPCIFactory(name="Grand Chambéry"),
            postal_codes="73000",
        ),
    )
