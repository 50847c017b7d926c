"""Long unbroken text stays inside the page, and the directory's results come first on a phone.

Screenshots land in test-artifacts/screenshots/<test>/ for a person to look at.
"""

import pytest

from advisors.enums import Visibility
from skills.enums import SkillLevel
from skills.models import Domain
from tests.advisors.factories import AdvisorFactory, UserFactory
from tests.skills.factories import AdvisorSkillFactory, ProjectCardFactory, SkillFactory
from tests.territories.factories import DepartementFactory

pytestmark = pytest.mark.browser

LONG_NAME = "Médiation" + "x" * 111  # 120 characters, no break opportunity
LONG_NOTE = "https://exemple.fr/" + "a" * 121  # 140 characters
WIDTHS = (1280, 320)

# The right edge of every text node holding a long word, against the viewport's width.
OVERFLOW = """(needle) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const over = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.includes(needle) || node.parentElement.closest('svg, .visually-hidden')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.right > document.documentElement.clientWidth + 1) over.push(node.parentElement.outerHTML.slice(0, 120));
    }
  }
  return {over, scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth};
}"""


@pytest.fixture
def long_texts(transactional_db):
    loire = DepartementFactory()
    domain = Domain.objects.order_by("position").first() or Domain.objects.create(slug="domaine", name="Domaine")
    skill = SkillFactory(domain=domain, name=LONG_NAME, slug="longue")
    advisor = AdvisorFactory(
        departement=loire,
        visibility=Visibility.PUBLIC,
        user=UserFactory(first_name="Claire", last_name="Vernay"),
    )
    AdvisorSkillFactory(advisor=advisor, skill=skill, level=SkillLevel.MASTER, note=LONG_NOTE)
    ProjectCardFactory(author=advisor, title="Projet " + "y" * 100)
    return advisor, skill


def test_long_words_wrap_at_every_width(page, axe, long_texts):
    advisor, skill = long_texts
    pages = {
        "profil": (advisor.get_absolute_url(), [LONG_NAME, LONG_NOTE]),
        "competence": (skill.get_absolute_url(), [LONG_NAME]),
        "carte": ("/competences/carte/?territoire=42", [LONG_NAME]),
        "annuaire": (f"/conseillers/?departement=42&competence={skill.slug}", [LONG_NAME]),
        "competences": ("/competences/", [LONG_NAME]),
    }
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for name, (path, needles) in pages.items():
            page.goto(path)
            axe(page, f"{name}-{width}")
            for needle in needles:
                found = page.evaluate(OVERFLOW, needle)
                if found["scroll"] > found["width"]:
                    found["wide"] = page.evaluate(
                        """() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right
                        > document.documentElement.clientWidth + 1).slice(0, 3).map(e => e.outerHTML.slice(0, 100))"""
                    )
                if found["over"] or found["scroll"] > found["width"]:
                    failures.append(f"{path} à {width} px : {found}")
    assert not failures, "\n".join(failures)


def test_directory_results_show_on_the_first_screen_of_a_phone(page, axe, long_texts):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/conseillers/?departement=42")
    axe(page, "annuaire-320")
    # Folded, the twelve filters take a line, not a screen and a half.
    filters = page.locator("form.filters").bounding_box()
    results = page.get_by_role("heading", name="1 conseiller").bounding_box()
    assert filters["height"] < 150 and results["y"] < filters["y"] + filters["height"] + 50
    # The filters are a click away, without JavaScript.
    page.get_by_text("Afficher les filtres").click()
    assert page.get_by_label("Recherche").is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/conseillers/?departement=42")
    # Beside the results, they are open without asking.
    assert page.get_by_label("Recherche").is_visible()
    assert not page.get_by_text("Afficher les filtres").is_visible()
