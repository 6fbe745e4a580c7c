"""Moved (see the import below); this name stays importable for code written against it."""

from cjreturns.core.resources import *  # noqa: F403
