#!/usr/bin/env python
"""Every main page under load: gunicorn with the production settings, wrk at 16 connections.

Not part of the test suite: the figures depend on the machine. Prerequisites: PostgreSQL with
a loaded database (the national one from ``manage.py seed_national``, or the Loire demo) and
wrk (``apt-get install -y wrk``). Then:

    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/maillage_national
    … --duration 5 --write [--label Après]    # the table into bench/README.md, replacing that label's
    … --pages conseillers --roles membre --duration 2    # a quick look at a few pages

What it does, stopping by itself after about (pages × (roles + 1) × duration) seconds:

1. collects the static files into a temporary folder and serves the project with
   ``gunicorn config.wsgi --workers 2`` on a free port of 127.0.0.1, with ``DJANGO_DEBUG=0``
   (a throwaway secret key; the requests say ``X-Forwarded-Proto: https`` as a TLS proxy would);
2. logs the member and the coordinator in through the login form, like a browser;
3. for each page and role: the page's query count (in this process, Django's test client on the
   same database), its size raw and gzipped, the median of 20 sequential requests (server time
   of one request, after 2 warm-up ones), then wrk with 16 connections for ``--duration``
   seconds (req/s, p50/p95/p99). A wrk run on ``/healthz`` precedes each page and follows the
   last one: every page's throughput is a ratio to the framework floor measured just before and
   just after it (their mean), on the same server.
"""

import argparse
import datetime
import gzip
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.py"
ROLES = ("anonyme", "membre", "coordination")
ACCOUNTS = {
    # seed_national's benchmark accounts, then the Loire demo's when the national ones are absent.
    "national": ("bench-membre@national.maillage.test", "bench-coord@national.maillage.test"),
    "demo": ("membre@demo.maillage.fr", "coordination1@demo.maillage.fr"),
}
# The pages, as (label, path or a callable of the objects picked in the database, roles).
EVERYONE, MEMBERS = ROLES, ("membre", "coordination")
PAGES = [
    ("/", "/", EVERYONE),
    ("/conseillers/", "/conseillers/", EVERYONE),
    ("/conseillers/?departement=42", "/conseillers/?departement=42", EVERYONE),
    (
        "annuaire par compétence et niveau",
        "/conseillers/?departement=42&competence=e-mail&niveau=maitrise",
        EVERYONE,
    ),
    ("/pres-de-chez-moi/42218/", "/pres-de-chez-moi/42218/", EVERYONE),
    # By distance (issue 12): the lieux within 30 km, a need and « ouvert maintenant », the map around.
    (
        "près de chez moi filtré (service, ouvert)",
        "/pres-de-chez-moi/42147/?service=aide-aux-demarches-administratives&ouvert=on",
        EVERYONE,
    ),
    ("/territoires/42/", "/territoires/42/", EVERYONE),
    ("/territoires/communes/42218/", "/territoires/communes/42218/", EVERYONE),
    ("/competences/", "/competences/", EVERYONE),
    ("/competences/e-mail/?departement=75", "/competences/e-mail/?departement=75", EVERYONE),
    (
        "/competences/carte/?territoire=epci-244200770",
        "/competences/carte/?territoire=epci-244200770",
        EVERYONE,
    ),
    ("/structures/", "/structures/", EVERYONE),
    ("page d’une structure", lambda objects: f"/structures/{objects['structure']}/", EVERYONE),
    ("page d’un lieu", lambda objects: f"/lieux/{objects['lieu']}/", EVERYONE),
    ("page d’un profil", lambda objects: f"/conseillers/{objects['profile']}/", EVERYONE),
    ("suggestions de communes", "/territoires/communes/suggestions/?q=sai", EVERYONE),
    # The national lieux export (issue 13): a whole département's lieux, built at each request.
    ("export national des lieux (JSON)", "/donnees/lieux/42.json", EVERYONE),
    ("export national des lieux (CSV)", "/donnees/lieux/42.csv", EVERYONE),
    ("/profil/", "/profil/", MEMBERS),
    # Events (issue 10): ~20,000 at national scale, 400,000 registrations.
    ("/evenements/?departement=42", "/evenements/?departement=42", EVERYONE),
    ("/evenements/ (toute la France)", "/evenements/?departement=", EVERYONE),
    ("mois des événements", lambda objects: f"/evenements/mois/{objects['month']}/?departement=42", EVERYONE),
    ("page d’un événement", lambda objects: f"/evenements/{objects['event']}/", EVERYONE),
    ("programme d’une Fête", lambda objects: f"/evenements/{objects['fete']}/programme/", EVERYONE),
    ("flux iCalendar du département", "/evenements/flux/42.ics", EVERYONE),
    # Resources (issue 11): ~30,000 at national scale, searched with PostgreSQL's French full-text search.
    ("/ressources/?departement=42", "/ressources/?departement=42", EVERYONE),
    ("/ressources/?q=demarches (recherche)", "/ressources/?q=demarches", EVERYONE),
    ("page d’une ressource", lambda objects: f"/ressources/{objects['resource']}/", EVERYONE),
    # Coverage (issue 12): the Loire's 320 communes, their map and table, for one service and for all.
    (
        "couverture de la Loire, un service",
        "/couverture/?territoire=42&service=aide-aux-demarches-administratives",
        EVERYONE,
    ),
    ("couverture de la Loire, tous services", "/couverture/?territoire=42", EVERYONE),
    ("couverture d’une métropole (EPCI)", "/couverture/?territoire=epci-244200770", EVERYONE),
    # Orientations (issue 12): ~50,000 at national scale, over twelve months.
    (
        "orienter une personne (recherche)",
        "/orientations/nouvelle/?commune=42218&service=aide-aux-demarches-administratives&jours=5",
        MEMBERS,
    ),
    ("mes orientations reçues", "/orientations/", MEMBERS),
    ("mes orientations envoyées", "/orientations/envoyees/", MEMBERS),
    ("flux d’orientations du département", "/orientations/reseau/42/?periode=12", ("coordination",)),
    # The coordinators' dashboard (issue 13): every figure of the Loire's network life on one page.
    ("tableau de bord de la Loire", "/reseau/42/tableau-de-bord/", ("coordination",)),
    ("liste du tableau de bord (contributeurs)", "/reseau/42/tableau-de-bord/contributeurs/", ("coordination",)),
    # The network's life (issue 13): partners, channels, the letters' archive and one letter's web version.
    ("partenaires du réseau", "/reseau/42/partenaires/", MEMBERS),
    ("canaux du réseau", "/reseau/42/canaux/", MEMBERS),
    ("archive des lettres", "/reseau/42/lettres/", MEMBERS),
    ("version web d’une lettre", lambda objects: f"/reseau/42/lettres/{objects['letter']}/", MEMBERS),
]
HEALTHZ = "/healthz"
# What the TLS proxy adds, and what every browser sends.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
# A visitor who chose the Loire: the département cookie the site sets, sent by every role.
DEPARTEMENT_COOKIE = "maillage_dep=42"
# wrk prints p50/75/90/99 only: a done() hook gives p95 and the error counts, as JSON.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '\\nJSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"status_errors": %d, "socket_errors": %d, "bytes": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.bytes))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run (default 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--sequential", type=int, default=20, help="sequential requests for the server time")
    parser.add_argument("--accounts", choices=[*ACCOUNTS, "auto"], default="auto")
    parser.add_argument("--member", help="member's email (default: from --accounts)")
    parser.add_argument("--coordinator", help="coordinator's email (default: from --accounts)")
    parser.add_argument("--password", help="default: settings.DEMO_PASSWORD (MAILLAGE_DEMO_PASSWORD)")
    parser.add_argument("--pages", nargs="*", help="only the pages whose label or path contains one of these")
    parser.add_argument("--roles", nargs="*", choices=ROLES, default=list(ROLES))
    parser.add_argument("--write", action="store_true", help="write the table into bench/README.md")
    parser.add_argument(
        "--label", default="Après", help="the table's title in the README; --write replaces the table of that title"
    )
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("--database-url postgres://… (or DATABASE_URL) is required")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed: apt-get install -y wrk")
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(args, port, workdir):
    """The environment of the served site and of this process: production settings, local host,
    and a settings module that only moves STATIC_ROOT into the temporary folder."""
    (workdir / "bench_settings.py").write_text(
        f"from config.settings import *  # noqa: F403\n\nSTATIC_ROOT = {str(workdir / 'static')!r}\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return env


def pick_objects():
    """A structure, a lieu, a profile, an event, a Fête du numérique and a resource of the Loire that an
    anonymous visitor may see, the month of the next events and that of the newest letter."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from advisors.models import Advisor, Lieu, Structure
    from animation.models import Letter
    from events.enums import EventKind
    from events.models import Event
    from resources.models import Resource

    structure = Structure.objects.filter(departement__code="42").order_by("pk").first()
    lieu = Lieu.objects.accepted().filter(departement__code="42").order_by("pk").first()
    profile = Advisor.objects.visible_to(AnonymousUser()).filter(departement__code="42").order_by("pk").first()
    events = Event.objects.visible_to(AnonymousUser()).published().upcoming().filter(departement__code="42")
    event = events.filter(capacity__isnull=False).order_by("starts_at").first()
    fete = events.filter(kind=EventKind.FETE).order_by("starts_at").first() or event
    if not (structure and lieu and profile and event):
        sys.exit("The database holds no structure, lieu, public profile or public event in the Loire (42): seed it.")
    resource = Resource.objects.visible_to(AnonymousUser()).published().filter(departement__code="42").first()
    if resource is None:
        sys.exit("The database holds no public resource in the Loire (42): seed it.")
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    # The newest sent letter (none in a base seeded before issue 13: its page answers 404, counted as errors).
    letter = Letter.objects.sent().filter(departement__code="42").order_by("-period").first()
    return {
        "letter": f"{letter.period:%Y-%m}" if letter else "2000-01",
        "structure": structure.pk,
        "lieu": lieu.pk,
        "profile": profile.pk,
        "event": event.pk,
        "fete": fete.pk,
        "month": month,
        "resource": resource.pk,
    }


def choose_accounts(args):
    from advisors.models import User

    if args.accounts == "auto":
        national = ACCOUNTS["national"][0]
        args.accounts = "national" if User.objects.filter(email=national).exists() else "demo"
    member, coordinator = ACCOUNTS[args.accounts]
    return {"membre": args.member or member, "coordination": args.coordinator or coordinator}


def query_counts(pages, emails):
    """Queries and uncompressed body of one request of each page for each role, in this process
    (Django's test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from advisors.models import User

    counts = {}
    for role in ROLES:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies.load(DEPARTEMENT_COOKIE)
        if role != "anonyme":
            client.force_login(User.objects.get(email=emails[role]))
        for label, path, roles in pages:
            if role not in roles:
                continue
            client.get(path, secure=True)  # warm-up: templates compiled, connection open
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, secure=True)
            if response.status_code != 200:
                sys.exit(f"{path} answers {response.status_code} to « {role} » in this process: check the accounts.")
            # The size a page would have uncompressed (this client sends no Accept-Encoding).
            counts[label, role] = len(queries), response.content
    return counts


class Server:
    def __init__(self, port, env, workers, logfile):
        self.port, self.env, self.workers, self.logfile = port, env, workers, logfile

    def __enter__(self):
        self.log = open(self.logfile, "w")  # noqa: SIM115 — closed in __exit__
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                # The project's gunicorn settings (warm-up before the fork…), when it has some.
                *(["--config", str(GUNICORN_CONFIG)] if GUNICORN_CONFIG.exists() else []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if request(self.port, "GET", HEALTHZ)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit(f"gunicorn did not start; its log:\n{Path(self.logfile).read_text()}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def request(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def cookies_from(headers):
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def login(port, email, password):
    """The session cookie of a login through the form, CSRF token and referer included."""
    status, headers, body = request(
        port, "GET", "/compte/login/", {"Cookie": DEPARTEMENT_COOKIE, "Accept-Encoding": "identity"}
    )
    csrf = cookies_from(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password})
    status, headers, _ = request(
        port,
        "POST",
        "/compte/login/",
        {
            "Cookie": f"csrftoken={csrf}; {DEPARTEMENT_COOKIE}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Encoding": "identity",
            "Referer": f"https://127.0.0.1:{port}/compte/login/",
        },
        form,
    )
    session = cookies_from(headers).get("sessionid")
    if status != 302 or not session:
        sys.exit(f"Login of {email} failed (status {status}): is the password right? (--password)")
    return f"sessionid={session}; {DEPARTEMENT_COOKIE}"


def sequential(port, path, cookie, repeat):
    """Status and median milliseconds of one request at a time (after two warm-up ones)."""
    for _ in range(2):
        status, _, _ = request(port, "GET", path, {"Cookie": cookie})
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        request(port, "GET", path, {"Cookie": cookie})
        timings.append((time.perf_counter() - start) * 1000)
    return status, statistics.median(timings)


def wrk(port, path, cookie, args, script):
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "30s", "-s", script]
    for name, value in {**PROXY_HEADERS, "Cookie": cookie}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(output.rsplit("JSON ", 1)[1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    # wrk stops sending, but the requests already queued on a slow page still run for seconds: wait
    # for them (one probe per worker, behind the queue) so the next measure starts on idle workers.
    for _ in range(args.workers):
        request(port, "GET", HEALTHZ)
    return result


def floor_run(port, args, script):
    load = wrk(port, HEALTHZ, DEPARTEMENT_COOKIE, args, script)
    print(f"{HEALTHZ:<50} {'':<12} {load['rps']:>47.1f} req/s")
    return load


def machine():
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} CPU {cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def commit():
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
        return sha + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def number(value, decimals=0):
    """French typography: a narrow no-break space between thousands, a decimal comma."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def ms(microseconds):
    return number(microseconds / 1000, 0 if microseconds >= 10_000 else 1)


def percent(ratio):
    return number(ratio * 100, 1 if ratio < 0.1 else 0) + "\u202f%"


def table(rows, header):
    lines = [
        header,
        "",
        "| page | rôle | statut | requêtes SQL | KB (gzip) | ms, une requête | req/s | p50 / p95 / p99 ms "
        "| vs `/healthz` |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        load = row["load"]
        errors = load["status_errors"] + load["socket_errors"]
        lines.append(
            f"| {row['label']} | {row['role']} | {row['status']} | {row['queries']} "
            f"| {number(row['kb'], 1)} ({number(row['kb_gzip'], 1)}) | {number(row['median_ms'], 1)} "
            f"| {number(load['rps'], 1)}"
            + (f" ({errors} erreurs)" if errors else "")
            + f" | {ms(load['p50'])} / {ms(load['p95'])} / {ms(load['p99'])} | {percent(row['ratio'])} |"
        )
    return "\n".join(lines)


def write_readme(text, label):
    """Replace the table of this label (« Avant », « Après »…) between its markers, or add it at the end."""
    slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", label.lower()).encode("ascii", "ignore").decode())
    start, end = f"<!-- load:{slug.strip('-')}:start -->", f"<!-- load:{slug.strip('-')}:end -->"
    content = README.read_text()
    if start not in content:
        content = content.rstrip("\n") + f"\n\n{start}\n{end}\n"
    before, rest = content.split(start, 1)
    _, after = rest.split(end, 1)
    README.write_text(f"{before}{start}\n{text}\n{end}{after}")


def main():
    args = parse_args()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="maillage-load-"))
    try:
        env = production_env(args, port, workdir)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*manage, "createcachetable"], env=env, check=True, cwd=ROOT)
        os.environ.update(env)
        sys.path[:0] = [str(workdir), str(ROOT)]
        import django

        django.setup()
        from django.conf import settings

        from advisors.models import Advisor

        password = args.password or settings.DEMO_PASSWORD
        objects = pick_objects()
        emails = choose_accounts(args)
        resolved = [(label, path(objects) if callable(path) else path, roles) for label, path, roles in PAGES]
        pages = [
            (label, path, [role for role in roles if role in args.roles])
            for label, path, roles in resolved
            if not args.pages or any(word in label or word in path for word in args.pages)
        ]
        print(f"Comptes : {emails['membre']}, {emails['coordination']}; {Advisor.objects.count():,} conseillers")
        counts = query_counts([(HEALTHZ, HEALTHZ, ("anonyme",)), *pages], emails)
        script = workdir / "report.lua"
        script.write_text(WRK_SCRIPT)
        script = str(script)
        rows = []
        with Server(port, env, args.workers, workdir / "gunicorn.log"):
            cookies = {"anonyme": DEPARTEMENT_COOKIE}
            for role in ("membre", "coordination"):
                if role in args.roles:
                    cookies[role] = login(port, emails[role], password)
            # /healthz before each page and once more at the end: each page's floor is the mean of the runs
            # just before and just after it, which smooths the noise of a machine shared with other work.
            floors = [floor_run(port, args, script)]
            for label, path, roles in pages:
                group = []
                for role in roles:
                    status, median = sequential(port, path, cookies[role], args.sequential)
                    queries, body = counts[label, role]
                    load = wrk(port, path, cookies[role], args, script)
                    group.append(
                        {
                            "label": f"`{path}`" if label == path else f"{label} (`{path}`)",
                            "role": role,
                            "status": status,
                            "queries": queries,
                            "kb": len(body) / 1024,
                            "kb_gzip": len(gzip.compress(body)) / 1024,
                            "median_ms": median,
                            "load": load,
                        }
                    )
                    print(
                        f"{path[:50]:<50} {role:<12} {status} {queries:>3} q {len(body) / 1024:>6.1f} KB "
                        f"{median:>7.1f} ms {load['rps']:>8.1f} req/s p95 {load['p95'] / 1000:>7.0f} ms"
                    )
                floors.append(floor_run(port, args, script))
                for row in group:
                    row["ratio"] = row["load"]["rps"] / (statistics.mean(floor["rps"] for floor in floors[-2:]) or 1)
                rows += group
            # The floor's own row: its median run, and the spread of all of them in the header.
            status, median = sequential(port, HEALTHZ, DEPARTEMENT_COOKIE, args.sequential)
            queries, body = counts[HEALTHZ, "anonyme"]
            by_rps = sorted(floors, key=lambda floor: floor["rps"])
            healthz = {
                "label": f"`{HEALTHZ}`",
                "role": "anonyme",
                "status": status,
                "queries": queries,
                "kb": len(body) / 1024,
                "kb_gzip": len(gzip.compress(body)) / 1024,
                "median_ms": median,
                "load": by_rps[len(by_rps) // 2],
                "ratio": 1,
            }
            rows.insert(0, healthz)
        today = datetime.date.today().isoformat()
        header = (
            f"### {args.label} — {today}, commit {commit()}\n\n"
            f"Machine : {machine()}. Base : {number(Advisor.objects.count())} conseillers ; gunicorn "
            f"{args.workers} workers, wrk {args.connections} connexions, {args.duration:g} s par mesure ; "
            f"comptes {emails['membre']} et {emails['coordination']}. `/healthz` entre "
            f"{number(by_rps[0]['rps'])} et {number(by_rps[-1]['rps'])} req/s selon le moment : chaque page "
            "est rapportée à la moyenne des mesures de `/healthz` faites juste avant et juste après elle."
        )
        text = table(rows, header)
        print("\n" + text)
        if args.write:
            write_readme(text, args.label)
            print(f"\nÉcrit dans {README.relative_to(ROOT)}.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
