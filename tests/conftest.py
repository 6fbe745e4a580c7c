"""Shared test set-up.

Hypothesis explores new examples on every run during development. In CI (the CI environment
variable is set) it draws the same examples every time, so a run passes or fails on the code
alone: a new counterexample is found on a developer's machine, not while a change is landing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
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


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """A transaction open for a whole module, rolled back after its last test, as Django's own
    setUpTestData does for a TestCase class: rows a module's tests only read are made once (use
    `with module_db.unblock():`), and each test's own changes are still rolled back after it (its
    django_db transaction is a savepoint inside this one). Only for modules whose tests are all
    plain django_db tests: a transactional test or a live server would see the open transaction."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
