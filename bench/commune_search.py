#!/usr/bin/env python
"""How fast the commune picker answers, on all of France.

Not part of the test suite: timings depend on the machine. Run it against a database
where ``manage.py import_territories`` has loaded every commune:

    DATABASE_URL=postgres://… .venv/bin/python bench/commune_search.py [--repeat 50]

For each query it times ``Commune.objects.search(q)[:10]`` and the JSON view behind the
picker (``/territoires/communes/suggestions/?q=``), then prints the PostgreSQL plan of the
search to show whether the trigram index ``territories_commune_search_trgm`` serves it.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from territories.models import Commune  # noqa: E402

QUERIES = [
    "st etienne",
    "saint-étienne",
    "42000",
    "lyon",
    "bre",
    "ajaccio",
    "pointe a pitre",
    "saint",
    "sur",
    "75116",
    "aix en",
    "ile d yeu",
    "zzz",
]
INDEX = "territories_commune_search_trgm"
MIN_COMMUNES = 34_000


def measure(function, repeat):
    function()  # warm the connection, caches and plan
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    p95 = durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))]
    return statistics.median(durations), p95


def main():
    parser = argparse.ArgumentParser(description="Time the commune search on all of France.")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per query (default: 50)")
    parser.add_argument("--no-plans", action="store_true", help="skip the EXPLAIN ANALYZE output")
    args = parser.parse_args()

    count = Commune.objects.count()
    if count < MIN_COMMUNES:
        sys.exit(f"Only {count} communes in {connection.vendor}: run `manage.py import_territories` first.")

    # The test client's host must be allowed, as in the test runner.
    client = Client(HTTP_HOST="localhost")
    url = reverse("territories:commune_suggestions")

    def search(query):
        return list(Commune.objects.select_related("departement").search(query)[:10])

    def view(query):
        response = client.get(url, {"q": query})
        if response.status_code != 200:
            raise RuntimeError(f"{url}?q={query} answered {response.status_code}")
        return response

    print(f"{connection.vendor}, {count} communes, {args.repeat} runs per query; times in ms")
    print(f"{'query':<16} {'hits':>5} {'first result':<28} {'search med':>10} {'p95':>6} {'view med':>9} {'p95':>6}")
    for query in QUERIES:
        results = search(query)
        search_median, search_p95 = measure(lambda q=query: search(q), args.repeat)
        view_median, view_p95 = measure(lambda q=query: view(q), args.repeat)
        first = results[0].label if results else "—"
        print(
            f"{query:<16} {len(results):>5} {first[:28]:<28} "
            f"{search_median:>10.2f} {search_p95:>6.2f} {view_median:>9.2f} {view_p95:>6.2f}"
        )

    if connection.vendor != "postgresql" or args.no_plans:
        return
    print()
    for query in QUERIES:
        plan = Commune.objects.search(query)[:10].explain(analyze=True)
        verdict = "uses" if INDEX in plan else "does NOT use"
        print(f"--- {query!r} {verdict} {INDEX}")
        print(plan)


if __name__ == "__main__":
    main()
