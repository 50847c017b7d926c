"""The layout of the project: which app may import which, and no module named with a suffix.

The allowed graph is the one the README's "Développer" section describes: config on top, then overview and demo
(pages and seed data that combine apps), then the domain apps, then common, then territories, the ground floor.
The only sideways link between domain apps is skills ↔ advisors (the Compétences section of Mon profil); events build
on both, resources on all three, and nothing below imports them.
"""

import ast
import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

DOMAIN_APPS = {"advisors", "skills", "events", "resources", "orientations"}
ALLOWED = {
    "config": {"animation", "overview", "demo", *DOMAIN_APPS, "common", "territories"},
    # The network's life between meetings: partners, channels, the dashboard (which reads the coverage), the letter.
    "animation": {"overview", *DOMAIN_APPS, "common", "territories"},
    "overview": {*DOMAIN_APPS, "common", "territories"},
    "demo": {"animation", *DOMAIN_APPS, "common", "territories"},
    "advisors": {"skills", "common", "territories"},
    "skills": {"advisors", "common", "territories"},
    # Events are organised by advisors and structures, held in lieux, about skills.
    "events": {"advisors", "skills", "common", "territories"},
    # Resources are written by advisors, about skills, and may come from an event.
    "resources": {"advisors", "skills", "events", "common", "territories"},
    # A person referred by an advisor to a colleague or a lieu, for a service or a skill.
    "orientations": {"advisors", "skills", "common", "territories"},
    "common": {"territories"},
    "territories": set(),
}
# Top-level folders that hold Python but are not apps: the tests themselves and the hand-run benchmarks.
NOT_APPS = {"tests", "bench", "build", ".venv"}

# The usual modules of an app; past a reader's grasp, one becomes a package of the same name split by area.
STANDARD_MODULES = ("models", "enums", "queries", "services", "perms", "filters", "forms", "views", "urls", "admin")
SUFFIXED = re.compile(rf"^({'|'.join(STANDARD_MODULES)})_\w+\.py$")


def project_packages():
    return sorted(
        path.parent.name
        for path in BASE_DIR.glob("*/__init__.py")
        if path.parent.name not in NOT_APPS and not path.parent.name.startswith(".")
    )


def modules(app, base=BASE_DIR):
    return sorted(path for path in (base / app).rglob("*.py") if "__pycache__" not in path.parts)


def imported_modules(path):
    """Every absolute module name ``path`` imports, with its line, including imports inside functions."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def layout_violations(app, project, base=BASE_DIR):
    allowed = ALLOWED[app] | {app}
    for path in modules(app, base):
        for lineno, module in imported_modules(path):
            target = module.split(".")[0]
            if target in project and target not in allowed:
                yield (
                    f"{path.relative_to(base)}:{lineno} imports {module}: "
                    f"{app} may import {', '.join(sorted(ALLOWED[app])) or 'nothing of the project'}"
                )


def test_every_app_has_a_place_in_the_graph():
    assert set(project_packages()) == set(ALLOWED), (
        "A package was added or removed: give it its place in ALLOWED and in the README's Développer section."
    )


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_apps_import_only_the_apps_below_them(app):
    violations = list(layout_violations(app, set(ALLOWED)))
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_module_is_named_with_a_suffix(app):
    suffixed = [str(path.relative_to(BASE_DIR)) for path in modules(app) if SUFFIXED.match(path.name)]
    assert not suffixed, (
        "Split a module by area as a package of the same name (views/directory.py), not as sibling files: "
        + ", ".join(suffixed)
    )


def test_the_checks_catch_a_forbidden_import_and_a_suffixed_module(tmp_path):
    """The two checks above would pass on an empty project: prove that they see a bad import and a bad name."""
    (tmp_path / "territories").mkdir()
    (tmp_path / "territories" / "__init__.py").write_text("")
    (tmp_path / "territories" / "views_extra.py").write_text(
        "import os\n\n\ndef page():\n    from advisors.models import Advisor\n\n    return Advisor\n"
    )
    assert list(layout_violations("territories", set(ALLOWED), base=tmp_path)) == [
        "territories/views_extra.py:5 imports advisors.models: territories may import nothing of the project"
    ]
    assert SUFFIXED.match("views_extra.py") and not SUFFIXED.match("views.py")
