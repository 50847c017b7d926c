"""French wording a newcomer read wrong: roles that fit whoever holds them, a promo said once."""

from datetime import date

from django.urls import reverse

from advisors.enums import AdvisorRole, Visibility
from tests.advisors.factories import AdvisorFactory, CohortFactory, UserFactory
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


def test_a_promo_label_does_not_repeat_its_training_body(client, loire):
    cohort = CohortFactory(name="Promo 2024 — Simplon", training_body="Simplon", start_date=date(2024, 9, 2))
    other = CohortFactory(name="Promo automne 2025", training_body="Emmaüs Connect", start_date=date(2025, 10, 6))
    advisor = AdvisorFactory(departement=loire, cohort=cohort, visibility=Visibility.PUBLIC)
    text = page_text(client.get(advisor.get_absolute_url()))
    assert "Promo 2024 — Simplon — septembre 2024" in text
    client.force_login(advisor.user)
    html = client.get(reverse("advisors:my_profile")).content.decode()
    assert ">Promo 2024 — Simplon — septembre 2024</option>" in html
    assert ">Promo automne 2025 — Emmaüs Connect, octobre 2025</option>" in html
    assert other.details == "Emmaüs Connect, octobre 2025"
