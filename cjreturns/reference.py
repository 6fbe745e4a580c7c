"""Moved (see the import below); this name stays importable for code written against it."""

from cjreturns.contract.reference import *  # noqa: F403
