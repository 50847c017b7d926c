#!/usr/bin/env python
"""How long the main pages take to build, and how many queries they run, on the demo data.

Not part of the test suite: timings depend on the machine. Run it against a database
holding all of France and the Loire demo network:

    DATABASE_URL=postgres://… .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://… .venv/bin/python manage.py import_territories
    DATABASE_URL=postgres://… .venv/bin/python manage.py seed_demo
    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py [--repeat 30]

Each page is requested through ``django.test.Client`` (URL resolution, middleware,
templates, database; no network, no web server), as an anonymous visitor and as the demo
member, after one warm-up request. ``/healthz`` is the framework floor.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from advisors.models import User  # noqa: E402

PAGES = [
    "/healthz",
    "/",
    "/territoires/42/",
    "/territoires/communes/42218/",
    "/pres-de-chez-moi/42218/",
    "/conseillers/?departement=42",
    "/conseillers/?departement=42&q=mediatheque",
    "/structures/?departement=42",
    "/competences/",
    "/competences/carte/?territoire=42",
    "/competences/cartes/?departement=42",
]
MEMBER_ONLY = ["/profil/", "/reseau/"]


def measure(client, url, repeat):
    client.get(url)  # warm-up: templates compiled, connection open
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return response.status_code, len(queries), len(response.content), statistics.median(timings), p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    member = User.objects.get(email="membre@demo.maillage.fr")
    anonymous, logged_in = Client(), Client()
    logged_in.force_login(member)
    for client in (anonymous, logged_in):
        client.cookies["maillage_dep"] = "42"
    print(f"{'page':<48} {'who':<8} {'status':>6} {'queries':>7} {'KB':>6} {'median ms':>10} {'p95 ms':>8}")
    for who, client, pages in (("anonyme", anonymous, PAGES), ("membre", logged_in, PAGES + MEMBER_ONLY)):
        for url in pages:
            status, queries, size, median, p95 = measure(client, url, args.repeat)
            print(f"{url:<48} {who:<8} {status:>6} {queries:>7} {size / 1024:>6.1f} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
