"""French wording a newcomer read wrong: roles that fit whoever holds them."""

from advisors.enums import AdvisorRole
from tests.advisors.factories import AdvisorFactory, UserFactory
from tests.pages import page_text


def test_a_role_is_named_by_its_function_whoever_holds_it(client, loire, member):
    AdvisorFactory(
        departement=loire, role=AdvisorRole.COORDINATEUR, user=UserFactory(first_name="Claire", last_name="Vernay")
    )
    client.force_login(member)
    text = page_text(client.get("/conseillers/", {"departement": "42"}))
    assert "Claire Vernay Coordination" in text
    assert "Coordinateur" not in text
    assert [label for _, label in AdvisorRole.choices] == [
        "conseil numérique",
        "médiation numérique",
        "accompagnement numérique",
        "coordination",
        "autre",
    ]
