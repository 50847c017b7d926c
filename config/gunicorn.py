"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi``.

Workers start warm. The master loads the application once (``preload_app``), then, before forking
any worker, imports every view through the URL configuration, compiles every template into the
cached loader and serves the home page and the health probe once: each worker inherits all of that
from the fork instead of paying it on its first requests (5 to 20 times a warm request, measured).
Database connections opened meanwhile are closed before the fork, so no two workers share one.

Everything can be overridden on the command line or with ``GUNICORN_CMD_ARGS``.
"""

import logging
import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
preload_app = True
# Behind the proxy's own timeouts; a page that takes longer is a bug to find, not to wait for.
timeout = 30
accesslog = "-"

WARM_PAGES = ("/healthz", "/")
logger = logging.getLogger("gunicorn.error")


def compile_templates():
    """Every template of the project and of the installed apps, compiled into the cached loader.
    Returns how many were compiled."""
    from django.apps import apps
    from django.conf import settings
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template

    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    compiled = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix not in {".html", ".txt", ".xml"}:
                continue
            try:
                get_template(path.relative_to(folder).as_posix())
            except TemplateSyntaxError:
                # Fragments written for {% include %} inside a block may not stand alone: they compile on use.
                continue
            compiled += 1
    return compiled


def warm_up():
    """What a worker would otherwise do on its first requests. Never keeps a database connection."""
    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.urls import get_resolver

    try:
        get_resolver().url_patterns  # noqa: B018 — imports every view module
        compiled = compile_templates()
        host = next((host for host in settings.ALLOWED_HOSTS if "*" not in host), "localhost").lstrip(".")
        client = Client(HTTP_HOST=host)
        statuses = [client.get(url, secure=True).status_code for url in WARM_PAGES]
        logger.info("Warm-up: %d templates compiled, %s answered %s.", compiled, ", ".join(WARM_PAGES), statuses)
    except Exception:
        # A cold worker is slower, not broken: never refuse to start because of the warm-up.
        logger.exception("Warm-up failed; workers start cold.")
    finally:
        connections.close_all()


def when_ready(server):
    """Called in the master once the application is loaded, before the first worker is forked."""
    warm_up()
