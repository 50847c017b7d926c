"""Maillage settings: one file, every deploy-time value read from the environment.

Local defaults are safe for development (DEBUG on, embedded SQLite, emails on the
console). ``DJANGO_DEBUG=0`` switches the production hardening on; ``manage.py check
--deploy`` then reports nothing once the secrets and hosts are given.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY doit être défini quand DJANGO_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public address of the site, the one every email names and links to (allauth's too). Without
# it a production site would send 127.0.0.1:8000 to its members.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise RuntimeError("SITE_URL doit être défini quand DJANGO_DEBUG=0 (par exemple https://maillage.example.fr).")
    SITE_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # SearchVectorField of the resource library (its search is PostgreSQL's; SQLite falls back on search_text).
    "django.contrib.postgres",
    "django.forms",
    "django_filters",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    # Sign-in with ProConnect (advisors.proconnect); installed always so that the migrations never depend
    # on the environment, usable only when PROCONNECT_* are set.
    "allauth.socialaccount",
    # Its template tags ({% load markup %}: members' Markdown, rendered and sanitised); no models.
    "common",
    "territories",
    "advisors",
    "advisors.proconnect",
    "skills",
    "events",
    "resources",
    "orientations",
    "animation",
    "demo",
    "overview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (the skills map: about 90 KB of HTML, 9 KB gzipped) for visitors on poor
    # connections. Below WhiteNoise, which answers static files itself with its precompressed copies;
    # above everything that writes the body or its headers, so it compresses what they produced.
    # BREACH, which guesses a secret from compressed sizes, finds nothing to guess: Django masks the CSRF
    # token anew in every response, and GZipMiddleware pads each response with random bytes. In
    # production the proxy may compress instead (README, « Déployer »): it skips what arrives compressed.
    "django.middleware.gzip.GZipMiddleware",
    "common.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "territories.middleware.DepartementTimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Widgets render with the project templates (the commune picker has its own); the common inputs and
# selects, rendered hundreds of times on some pages, are written out in Python with the same HTML.
FORM_RENDERER = "common.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "territories.context_processors.current_departement",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A web page's queries are short: PostgreSQL's JIT compiles the territory-matching ones for
    # about a second (measured on national data, issue 9) to save milliseconds. Off for our connections.
    # And the tables live in memory (or on SSD): a random read costs about a sequential one, so index
    # lookups of a few hundred rows beat scanning a 25,000-row table (random_page_cost 4 is for disks).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds allauth's login rate limits: it must be shared by every worker in production
# (a database table, created by `manage.py createcachetable`); memory is enough locally.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if DEBUG
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "maillage_cache"}
    )
}

AUTH_USER_MODEL = "advisors.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "advisors:my_network"

# django-allauth: email is the login, verification is mandatory, French pages in our layout.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maillage] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_ADAPTER = "advisors.adapters.AccountAdapter"
# The limits are kept per client address. Behind a reverse proxy every request comes from the
# proxy: give the number of proxies in front of the site (1 for one nginx) so that the address is
# read from X-Forwarded-For, or the header that holds it (X-Real-IP, CF-Connecting-IP). Never
# more than there really are: a client could then choose its address, and so its allowance.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("DJANGO_TRUSTED_CLIENT_IP_HEADER") or None
ACCOUNT_RATE_LIMITS = {
    # Five failed logins for one account in five minutes, then a pause: slows password guessing.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # Visitors registering to a public event (events.views.registrations): an address gets a few
    # confirmation emails an hour; one IP address per event (key "<ip>:<event>"), because a whole room
    # (a Fête's Wi-Fi, 300 people scanning the projected QR code) shares one, and it must not block
    # the next event's room.
    "event_registration": "5/h/key",
    "event_registration_ip": "300/h/key",
    # Orientations sent by one member (orientations.views.send.compose): each one emails a lieu's
    # advisors and its public address, so a stolen or careless account must not turn it into spam.
    "orientation_send": "20/h/user",
    # Test messages to a channel's webhook sent by one coordinator (animation.views.channels): each
    # one makes the server connect somewhere, so it must not become a scanner nor a flood.
    "channel_test": "5/10m/user",
}


def proconnect_providers(environ):
    """allauth's provider settings for ProConnect (advisors.proconnect), from the environment.

    Empty unless the client id, its secret and the issuer are all given: then no button shows and the
    provider's URLs answer 404. The issuer is the address whose ``/.well-known/openid-configuration``
    describes the endpoints, e.g. ``https://auth.agentconnect.gouv.fr/api/v2`` in production.
    """
    client_id = environ.get("PROCONNECT_CLIENT_ID", "").strip()
    secret = environ.get("PROCONNECT_CLIENT_SECRET", "").strip()
    issuer = environ.get("PROCONNECT_ISSUER_URL", "").strip().rstrip("/")
    if not (client_id and secret and issuer):
        return {}
    app = {"client_id": client_id, "secret": secret, "settings": {"server_url": issuer}}
    # The identity providers behind ProConnect vouch for the professional addresses they give: an
    # account with the same address is the same person (SOCIALACCOUNT_EMAIL_AUTHENTICATION).
    return {"proconnect": {"APPS": [app], "VERIFIED_EMAIL": True}}


def provider_origins(providers):
    """The origins of the configured providers' issuers, e.g. ``["https://auth.agentconnect.gouv.fr"]``.

    The ProConnect button is a form posting to our login URL, which redirects to ProConnect: browsers
    apply the page's Content-Security-Policy ``form-action`` to that redirect too, so it names them.
    """
    origins = []
    for provider in providers.values():
        for app in provider.get("APPS", []):
            url = urlsplit(app["settings"]["server_url"])
            origins.append(f"{url.scheme}://{url.netloc}")
    return origins


SOCIALACCOUNT_PROVIDERS = proconnect_providers(os.environ)
SOCIALACCOUNT_ADAPTER = "advisors.adapters.SocialAccountAdapter"
# An agent whose verified address already has an account signs into it, and ProConnect is linked to
# it: never a second account for one person.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# The tokens are used once, during the sign-in, and never kept.
SOCIALACCOUNT_STORE_TOKENS = False

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# allauth's French reworded to the site's « courriel » and « adresse électronique » (locale/fr/…/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# Rows per page of every paginated list (common.pagination.paginate).
PAGE_SIZES = {
    "default": 20,
    "directory": 20,
    "moderation": 30,
    "skill_holders": 30,
    "cards_workshop": 24,
    "pairs": 30,
    "communes": 200,
}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded resources: the largest file accepted, in megabytes (resources.uploads).
RESOURCES_MAX_UPLOAD_MB = int(os.environ.get("MAILLAGE_RESOURCES_MAX_UPLOAD_MB", "20"))

# Orientations: the personal data of a person referred (first name, phone, email) is erased
# this many days after the orientation was sent (``manage.py erase_orientations``, daily).
ORIENTATION_RETENTION_DAYS = int(os.environ.get("MAILLAGE_ORIENTATION_RETENTION_DAYS", "92"))

# Optional geocoding of lieux' addresses through the national address API (BAN) in production,
# e.g. ``https://api-adresse.data.gouv.fr/search/``. Unset (the default): no request ever leaves
# the server, and a lieu sits at its commune's point unless someone types its position.
GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
# Any S3-compatible object store for uploaded files, when a bucket is named (optional install:
# pip install "django-storages[s3]==1.14.6"; README « Ressources »). Private: the files are served
# through the app (resources:file), or by short-lived signed URLs, never by a public bucket.
if os.environ.get("MAILLAGE_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MAILLAGE_S3_BUCKET"],
            "endpoint_url": os.environ.get("MAILLAGE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MAILLAGE_S3_REGION") or None,
            "access_key": os.environ.get("MAILLAGE_S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("MAILLAGE_S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

# Email: printed on the console unless an SMTP host is given.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST  # Django 6.1 reads MAILERS; the EMAIL_* settings are deprecated.
ADMINS = [("Admin", email) for email in env_list("DJANGO_ADMINS")]

# Background work (every email, reminders): Django's tasks framework. In production the tasks wait
# in a database table for `manage.py db_worker` (django-tasks-db), so a slow or failing mail server
# never holds a request; locally and in tests they run at once, in the request.
# MAILLAGE_TASKS=database|immediate chooses; the default follows DJANGO_DEBUG.
TASKS_MODE = os.environ.get("MAILLAGE_TASKS", "immediate" if DEBUG else "database")
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        if TASKS_MODE == "database"
        else {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    )
}
# How many times a failed email is tried before it is given up (and logged).
EMAIL_SEND_ATTEMPTS = int(os.environ.get("MAILLAGE_EMAIL_ATTEMPTS", "5"))
# Channels' webhooks (animation.services.webhooks): the seconds a post may take, how many times a
# failed one is tried, and whether http and internal addresses are allowed (tests, a local chat only:
# a coordinator types the address, the server must not reach its own network for them).
WEBHOOK_TIMEOUT = float(os.environ.get("MAILLAGE_WEBHOOK_TIMEOUT", "5"))
WEBHOOK_SEND_ATTEMPTS = int(os.environ.get("MAILLAGE_WEBHOOK_ATTEMPTS", "3"))
WEBHOOKS_ALLOW_PRIVATE = env_bool("MAILLAGE_WEBHOOKS_ALLOW_PRIVATE", False)
# How far ahead the occurrences of a recurring event exist as real events (`extend_event_series`).
EVENTS_SERIES_HORIZON_DAYS = int(os.environ.get("MAILLAGE_EVENTS_SERIES_HORIZON_DAYS", "183"))

# Content Security Policy: only our own files, inline code only with the request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *provider_origins(SOCIALACCOUNT_PROVIDERS)],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Demo data must never reach a production database by accident (see seed_demo).
DEMO_PASSWORD = os.environ.get("MAILLAGE_DEMO_PASSWORD", "maillage-demo-2026")
