"""The small family of fatal problems. Anything a user can fix is a Finding, not one of these."""

from __future__ import annotations


class CJReturnsError(Exception):
    """Base for problems that stop a command (usage problems, refusals to overwrite)."""


class UsageError(CJReturnsError):
    """The request itself is wrong: no such path, a bad option value. CLI exit code 2."""


class OutputExistsError(UsageError):
    """An output is already there and `force` was not given."""


class OutputWriteError(UsageError):
    """The machine would not take an output (read-only folder, full disk, a file where a folder
    should be): the user's environment, not a bug. Earlier outputs are left as they were."""
