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
