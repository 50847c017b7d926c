#!/usr/bin/env python
"""How long the coverage page of the Loire takes to build (``/couverture/``), and its exports.

Not part of the test suite: timings depend on the machine. Run it against a database holding the
Loire (its 320 communes with their outlines) and the demo network:

    DATABASE_URL=postgres://… .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://… .venv/bin/python manage.py import_territories --departements 42 43 69
    DATABASE_URL=postgres://… .venv/bin/python manage.py seed_demo
    DATABASE_URL=postgres://… .venv/bin/python bench/coverage.py [--repeat 30]

Each URL is requested through ``django.test.Client`` (URL resolution, middleware, view, template,
database; no network, no web server) as an anonymous visitor, after one warm-up request (which also
fills the map's cache: see ``overview.coverage.CoverageMap``); ``--cold`` clears the cache before each
request, to time the drawing of the map too. ``/healthz`` is the framework floor. "CPU ms" is the time this
process spent computing (Python: view, template, driver), without the waits for PostgreSQL or for
the processor on a shared machine.
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
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SERVICE = "aide-aux-demarches-administratives"
URLS = [
    "/healthz",
    f"/couverture/?territoire=42&service={SERVICE}",
    "/couverture/?territoire=42",
    f"/couverture/?territoire=42&service={SERVICE}&ouverture=samedi&distance=20&seuil=2",
    f"/couverture/?territoire=42&service={SERVICE}&tri=-population",
    "/couverture/?territoire=epci-244200770",
    f"/couverture/export/?territoire=42&service={SERVICE}&format=csv",
    f"/couverture/export/?territoire=42&service={SERVICE}&format=xlsx",
    f"/couverture/export/?territoire=42&service={SERVICE}&format=svg",
]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def measure(client, url, repeat, cold):
    body(client.get(url))  # warm-up: templates compiled, connection open, the map drawn once
    timings, cpu = [], []
    for _ in range(repeat):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            content = body(response)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return response.status_code, len(queries), len(content), statistics.median(timings), p95, statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cold", action="store_true", help="clear the cache before each request")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    print(f"{'url':<88} {'status':>6} {'queries':>7} {'KB':>6} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7}")
    for url in URLS:
        status, queries, size, median, p95, cpu = measure(client, url, args.repeat, args.cold and url != "/healthz")
        print(f"{url:<88} {status:>6} {queries:>7} {size / 1024:>6.1f} {median:>10.1f} {p95:>8.1f} {cpu:>7.1f}")
    print(f"load average: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
