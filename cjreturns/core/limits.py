"""Bounds on what one input may cost: size, depth, nodes, archive size, files in a folder."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return max(1, int(value))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting the machine.

    Each can be changed with an environment variable (see README, "Limits").
    """

    max_file_bytes: int = 10 * 1024 * 1024  # CJRETURNS_MAX_FILE_BYTES
    max_depth: int = 64  # CJRETURNS_MAX_DEPTH: nesting of mappings and lists
    max_string_chars: int = 200_000  # CJRETURNS_MAX_STRING_CHARS: one text value
    max_nodes: int = 500_000  # CJRETURNS_MAX_NODES: values after YAML aliases expand
    max_archive_bytes: int = 100 * 1024 * 1024  # CJRETURNS_MAX_ARCHIVE_BYTES: unzipped workbook
    max_files: int = 10_000  # CJRETURNS_MAX_FILES: return files read from one folder

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(
            max_file_bytes=_env_int("CJRETURNS_MAX_FILE_BYTES", d.max_file_bytes),
            max_depth=_env_int("CJRETURNS_MAX_DEPTH", d.max_depth),
            max_string_chars=_env_int("CJRETURNS_MAX_STRING_CHARS", d.max_string_chars),
            max_nodes=_env_int("CJRETURNS_MAX_NODES", d.max_nodes),
            max_archive_bytes=_env_int("CJRETURNS_MAX_ARCHIVE_BYTES", d.max_archive_bytes),
            max_files=_env_int("CJRETURNS_MAX_FILES", d.max_files),
        )
