"""The portal's Django settings, read from the environment, so one module serves the demo, the
tests and a hosted service.

- CJRETURNS_DATABASE_URL: sqlite:///PATH (default ./cjreturns-register.sqlite3) or
  postgresql://USER:PASSWORD@HOST:PORT/NAME
- CJRETURNS_SECRET_KEY: signs sessions; `cjreturns serve` keeps one beside a SQLite register
- CJRETURNS_HTTPS=1: behind a TLS-terminating proxy: secure cookies, HSTS, redirect to https
- CJRETURNS_DEMO=1: the demo (`make serve`): plain HTTP on localhost, demo sign-ins shown
- CJRETURNS_ALLOWED_HOSTS: host names the service answers to (comma-separated)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cjreturns.register.database import DEFAULT_DATABASE_URL, database_settings


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DEMO = _flag("CJRETURNS_DEMO")
HTTPS = _flag("CJRETURNS_HTTPS")
DATABASE_URL = os.environ.get("CJRETURNS_DATABASE_URL") or DEFAULT_DATABASE_URL
DATABASES = {"default": database_settings(DATABASE_URL)}

# No key configured (tests, a library user): a fresh one per process. `cjreturns serve` always
# sets one, kept beside the register, so sign-ins survive a restart.
SECRET_KEY = os.environ.get("CJRETURNS_SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CJRETURNS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "cjreturns.register",
    "cjreturns.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cjreturns.portal.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "cjreturns.portal.urls"
WSGI_APPLICATION = "cjreturns.portal.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cjreturns.portal.views.site_context",
            ]
        },
    }
]

AUTH_USER_MODEL = "register.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:sign-in"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:sign-in"

# Login throttling: five failures for one account from one address locks it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "portal/locked-out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("CJRETURNS_STATIC_ROOT") or None
# Vendored assets are served straight from the package (no collectstatic step to forget).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

# Uploads: a return is far smaller than the readers' limit, so the request is refused well before
# Django would hold more than that in memory. The readers apply their own limits on the bytes.
_MAX_FILE = int(os.environ.get("CJRETURNS_MAX_FILE_BYTES") or 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = _MAX_FILE + 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = _MAX_FILE + 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = 1

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Hosted (CJRETURNS_HTTPS, behind a TLS proxy): cookies only over HTTPS, redirect to https and
# ask browsers to remember that (HSTS). Plain HTTP (the demo, one machine or a trusted network,
# as the interface says) cannot carry Secure cookies, so they are set only with HTTPS.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith("[")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}
