"""Shared test set-up.

Hypothesis explores new examples on every run during development. In CI (the CI environment
variable is set) it draws the same examples every time, so a run passes or fails on the code
alone: a new counterexample is found on a developer's machine, not while a change is landing.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: object) -> None:
    """The portal tests sign many accounts in: a fast password hasher keeps them quick (one test
    checks the production hasher, PBKDF2, on its own)."""
    try:
        from django.conf import settings as django_settings
    except ImportError:  # the portal extra is not installed: its tests skip
        return
    django_settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
