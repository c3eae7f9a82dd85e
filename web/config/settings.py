"""Settings for the xiaozhen web platform: one file, read from the environment.

Environment variables (see docs/web.md):

* ``DEBUG`` — true/false (default false; `make demo` sets it true).
* ``SECRET_KEY`` — required when DEBUG is false (at least 32 characters).
* ``ALLOWED_HOSTS`` — comma-separated; required when DEBUG is false.
* ``DATABASE_URL`` — e.g. postgres://postgres@127.0.0.1:5432/xiaozhen_ci;
  default a SQLite file var/xiaozhen.sqlite3 at the repository root.
* ``XIAOZHEN_POLICIES`` — the programme files folder (default policies/).
* ``MAX_UPLOAD_MB`` — the largest application material file, in MB (default 20).
* ``MEDIA_ROOT`` — where uploaded files live (default var/media/ at the repository root).
* ``TRUSTED_PROXIES`` — comma-separated addresses or networks of the reverse proxies whose
  X-Forwarded-For is believed (default none: the client is REMOTE_ADDR). See docs/deploy.md.
* ``API_REQUESTS_PER_MINUTE`` — requests one API token may make in a minute (default 120).
* ``LOGIN_FAILURE_LIMIT`` / ``LOGIN_COOLOFF_MINUTES`` — wrong passwords before an account and
  address are locked out, and for how long (default 5 and 15; django-axes).
* ``OIDC_RP_CLIENT_ID`` and the other ``OIDC_*`` — single sign-on through the government login,
  off unless set (config/oidc.py; docs/deploy.md, "Single sign-on").
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_database, env_int, env_list, env_str
from .oidc import BACKEND as OIDC_BACKEND
from .oidc import content_security_policy, oidc_settings

WEB_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = WEB_DIR.parent
VAR_DIR = REPO_DIR / "var"

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-false-xiaozhen"
SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY is shorter than 32 characters")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false")

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xiaozhen.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # xiaozhen, in dependency order.
    "portal",
    "regions",
    "accounts",
    "audit",
    "programmes",
    "towns",
    "applications",
    "reviews",
    "assessments",
    "projects",
    "reports",
    "lists",
    "vitality",  # the vitality index and data signals (docs/vitality.md)
    "django_tasks",
    "django_tasks_db",  # background tasks in the database: `manage.py db_worker` runs them
    "ninja",  # django-ninja: its templates and static files (API docs served locally)
    "api",
    "boundaries",
    "cockpit",
    "documents",
    "industry_chains",
    "notifications",
    "demo",
    "axes",  # django-axes: failed sign-ins, lock-out (AXES_* below)
    "safety",  # client address behind the proxy, rate limits, backup and restore
    "enterprises",  # enterprises by year and the per-mu evaluation (issue 12)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, gzip/brotli-compressed by collectstatic
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.request_memo.RequestMemoMiddleware",  # what a request reads several times, read once
    "portal.middleware.ChineseFirstLocaleMiddleware",  # Django's LocaleMiddleware, zh-hans unless chosen
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # django-csp: Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.context_processors.elder_mode",
            ],
            "builtins": ["portal.templatetags.bi", "programmes.templatetags.glossary"],
        },
    }
]

# Django's form renderer, with inputs, labels and selects written in Python (portal/form_renderer.py).
FORM_RENDERER = "portal.form_renderer.FastTemplates"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"
# Django's PBKDF2 first (new and re-hashed passwords); the published-password hasher last, for the
# demo's printed logins only (accounts/hashers.py), and only in debug: a production site never
# accepts a password hashed the cheap way.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if DEBUG:
    PASSWORD_HASHERS.append("accounts.hashers.PublishedPasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},  # 8 characters
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every sign-in over HTTP first; Django's own backend then signs the user in.
AUTHENTICATION_BACKENDS = [
    "safety.backends.RequestAxesBackend",
    "accounts.backends.PasswordBackend",  # Django's ModelBackend, loading the user's region and town with them
]

# Chinese first; English is one click away (set_language). See docs/adr/0002.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = REPO_DIR / "staticfiles"
# collectstatic writes .gz and .br beside each file (ECharts: 1.1 MB → about 360 kB gzip); WhiteNoise serves
# the compressed copy to browsers that accept it, with far-future caching only for hashed names.
# Before collectstatic (development, tests) there is no STATIC_ROOT yet: WhiteNoise then serves nothing itself
# (runserver's finders do), so its "No directory at" warning is noise.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploaded files (application materials). Never served publicly: downloads go through
# permission-checked views. ``MAX_UPLOAD_MB`` caps one material file (default 20 MB).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")) or "")
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- production safety (issue 10; docs/deploy.md) ------------------------------------------------
# Reverse proxies whose X-Forwarded-For is believed, read from the right (safety/client.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# The proxy sets X-Forwarded-Proto: https on TLS requests; without a trusted proxy nobody may.
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    # Sent on HTTPS responses only (SecurityMiddleware); a year, as browsers' preload lists expect.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)  # the proxy usually redirects
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): scripts only from our own static files (no inline
# script, no eval); styles from our files plus the few inline print styles; nothing framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sign-in throttling (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one account from one
# address lock that pair out for LOGIN_COOLOFF_MINUTES; a bilingual page says so (safety/lockout.py).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "safety.client.client_address"
AXES_LOCKOUT_CALLABLE = "safety.lockout.locked_out"
AXES_VERBOSE = False

# API: requests one token may make per minute (safety/throttle.py; 429 in the API's error shape).
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120)

# Background tasks (django-tasks with its database backend): long work such as an uncertainty run is queued
# by the web process and run by `manage.py db_worker` (started beside the server by `make demo`).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend") or "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# E-mail copies of inbox messages (notifications/delivery.py): the console unless EMAIL_BACKEND says SMTP
# (django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xiaozhen@localhost")
# The address printed in QR codes, documents and e-mailed links: a town's public profile is /t/<code>/.
XIAOZHEN_PUBLIC_URL = env_str("XIAOZHEN_PUBLIC_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"

# --- single sign-on (issue 16; config/oidc.py, docs/deploy.md "Single sign-on") -------------------
# Off unless OIDC_RP_CLIENT_ID is set; local passwords stay either way. A refused government login
# comes back to the sign-in page, which says why. With OIDC_OP_LOGOUT_ENDPOINT, signing out of a
# government sign-in goes on to the provider's end-session endpoint (accounts.oidc.SignOutView), so
# the sign-out form may be redirected there (CSP form-action).
_OIDC = oidc_settings()
CONTENT_SECURITY_POLICY = content_security_policy(CONTENT_SECURITY_POLICY, _OIDC)
OIDC_ENABLED: bool = _OIDC.pop("OIDC_ENABLED")
globals().update(_OIDC)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append(OIDC_BACKEND)
LOGIN_REDIRECT_URL_FAILURE = "/login/"
