"""Consistency of the templates and URL names: every template is used, every URL name used resolves.

A template is used when its name is written in the code (``render``, ``template_name``, ``get_template``…) or in
another template (``include``, ``extends``, a partial ``name.html#partial``), when it overrides a template of an
installed package (allauth's ``account/`` and ``allauth/`` templates), or when it is on the short allow-list
below. A URL name is checked wherever it is written: ``{% url %}`` in templates, ``reverse``, ``reverse_lazy``,
``redirect`` and ``resolve_url`` in the code, the ``*_URL`` settings.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES_DIR = BASE_DIR / "templates"
PROJECT_APPS = [
    "config",
    "common",
    "territories",
    "advisors",
    "skills",
    "events",
    "resources",
    "orientations",
    "animation",
    "overview",
    "demo",
]

# Templates used by name by a convention rather than by a line of our code.
ALLOWED_UNREFERENCED = {
    "429.html": "allauth's rate-limit handler renders it (allauth.core.internal.ratelimit.handler429)",
}

TEMPLATE_REFERENCE = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")
# allauth's {% element name %} renders allauth/elements/<name>.html.
ALLAUTH_ELEMENT = re.compile(r"\{%\s*element\s+(\w+)")
URL_TAG = re.compile(r"""\{%\s*url\s+["']([^"']+)["']""")
URL_FUNCTIONS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}
# redirect() and resolve_url() also take paths and full URLs: only what looks like a URL name is checked.
URL_NAME = re.compile(r"^[\w-]+(?::[\w-]+)*$")


def python_modules():
    for app in PROJECT_APPS:
        yield from (path for path in (BASE_DIR / app).rglob("*.py") if "__pycache__" not in path.parts)


def templates():
    return sorted(str(path.relative_to(TEMPLATES_DIR)) for path in TEMPLATES_DIR.rglob("*") if path.is_file())


def string_literals(tree):
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def templates_named_in(text):
    return {name.split("#")[0] for name in TEMPLATE_REFERENCE.findall(text)} | {
        f"allauth/elements/{element}.html" for element in ALLAUTH_ELEMENT.findall(text)
    }


def url_names_in_template(text):
    return URL_TAG.findall(text)


def url_names_in_code(tree):
    """URL names passed as a literal to reverse() and its kin, and the ``*_URL`` settings that are names."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            function = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            first = node.args[0]
            if function in URL_FUNCTIONS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            settings_url = any(isinstance(target, ast.Name) and target.id.endswith("_URL") for target in node.targets)
            if settings_url and isinstance(node.value.value, str):
                yield node.lineno, node.value.value


def known_url_names(patterns=None, namespace=""):
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= known_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def overrides_an_installed_package(name):
    return any(
        (Path(config.path) / "templates" / name).exists()
        for config in apps.get_app_configs()
        if config.name.split(".")[0] not in PROJECT_APPS
    )


def is_referenced(name, referenced):
    if name in referenced:
        return True
    # An email is rendered from its name, alone or as its whole path: advisors/emails/<name>.txt and
    # <name>_subject.txt (advisors.services), or template="orientations/emails/<name>".
    if "/emails/" in name:
        path = name.removesuffix(".txt").removesuffix("_subject")
        return path.rsplit("/", 1)[1] in referenced or path in referenced
    return False


def test_every_template_is_used():
    referenced = set()
    for path in python_modules():
        referenced |= string_literals(ast.parse(path.read_text()))
    for name in templates():
        referenced |= templates_named_in((TEMPLATES_DIR / name).read_text())
    unused = [
        name
        for name in templates()
        if not is_referenced(name, referenced)
        and not overrides_an_installed_package(name)
        and name not in ALLOWED_UNREFERENCED
    ]
    assert not unused, f"Templates that nothing renders, includes or extends: {', '.join(unused)}"


def test_the_allow_list_holds_only_real_templates():
    assert set(ALLOWED_UNREFERENCED) <= set(templates())


def test_every_url_name_used_in_templates_resolves():
    known = known_url_names()
    unknown = [
        f"templates/{name}: {url_name}"
        for name in templates()
        for url_name in url_names_in_template((TEMPLATES_DIR / name).read_text())
        if url_name not in known
    ]
    assert not unknown, "Unknown URL names:\n" + "\n".join(unknown)


def test_every_url_name_used_in_code_resolves():
    known = known_url_names()
    unknown = [
        f"{path.relative_to(BASE_DIR)}:{lineno}: {url_name}"
        for path in python_modules()
        for lineno, url_name in url_names_in_code(ast.parse(path.read_text()))
        if URL_NAME.match(url_name) and url_name not in known
    ]
    assert not unknown, "Unknown URL names:\n" + "\n".join(unknown)


def test_the_checks_see_a_bad_name_and_an_unused_template():
    """The tests above would pass if they read nothing: prove that they read what they check."""
    known = known_url_names()
    assert {"overview:home", "overview:near", "advisors:directory", "account_login"} <= known
    template = """{% extends "base.html" %}{% url 'overview:nowhere' as x %}{% include "skills/map.html#results" %}
    {% element button %}Envoyer{% endelement %}"""
    assert [name for name in url_names_in_template(template) if name not in known] == ["overview:nowhere"]
    assert templates_named_in(template) == {"base.html", "skills/map.html", "allauth/elements/button.html"}
    code = ast.parse('redirect("/")\nreverse("advisors:nowhere", args=[1])\nLOGIN_REDIRECT_URL = "nowhere"\n')
    assert sorted(name for _, name in url_names_in_code(code) if URL_NAME.match(name) and name not in known) == [
        "advisors:nowhere",
        "nowhere",
    ]
    assert not is_referenced("overview/unused.html", {"overview/home.html"})
    assert is_referenced("advisors/emails/invitation_subject.txt", {"invitation"})


def test_no_template_comment_spans_lines():
    """``{# … #}`` ends on its own line, or Django prints it on the page; longer notes go in ``{% comment %}``."""
    broken = [
        f"{name}:{number}"
        for name in templates()
        if name.endswith((".html", ".txt"))
        for number, line in enumerate((TEMPLATES_DIR / name).read_text().splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert broken == []
