"""Coverage of a collection: which returns count, and why the others do not.

A collection is every file in a folder. Each file is validated; a return with any error is
rejected. Among a partnership's accepted returns the latest `submitted_on` counts and earlier ones
are superseded; two different returns on that latest date are a conflict and neither counts
until CJS resolves it. A rejected return never replaces an accepted one.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cjreturns.contract.reference import Reference
from cjreturns.core.calendar import parse_year
from cjreturns.core.findings import CollectionResult, FileResult, Finding
from cjreturns.validation.rules import load_settings
from cjreturns.validation.years import every_rule


def _publishable_message(f: Finding) -> str:
    """What a national output may say about an error in a rejected return.

    A finding's message often quotes the value it is about, and a rejected return's values are
    untrusted (a `partnership` of `Angus;=1+2;` is a formula in a spreadsheet; a quoted contact
    is personal data), so only the rule's title is published; `cjreturns validate` on the file
    shows the rest. A missing field has no value to quote.
    """
    if f.rule == "missing-field":
        return f.message
    never_quoted = load_settings().never_quoted  # parts about people (rules.yaml)
    rule = every_rule().get(f.rule)
    expected = rule.title if rule else f"Rule {f.rule}."
    where = (
        "The value is not quoted: it may be personal data"
        if not never_quoted.isdisjoint(str(p) for p in f.path)
        else "The value is not quoted"
    )
    return f"Not met: {expected} {where} (`cjreturns validate` shows it)."


@dataclass(frozen=True)
class Received:
    """One file as coverage reports it: never any of the return's narrative or contacts."""

    file: str
    partnership: str | None
    submitted_on: str | None


@dataclass(frozen=True)
class Accepted(Received):
    late: bool = False


@dataclass(frozen=True)
class Rejected(Received):
    errors: tuple[dict[str, Any], ...] = ()
    # The findings' own messages, for the analyst's terminal only: never in a national output.
    messages: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Superseded(Received):
    superseded_by: str = ""


@dataclass(frozen=True)
class Conflict:
    partnership: str
    submitted_on: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """Who sent what, and which returns the national counts are built from."""

    reporting_year: str | None
    expected: tuple[str, ...]
    received: tuple[Received, ...]
    accepted: tuple[Accepted, ...]
    rejected: tuple[Rejected, ...]
    superseded: tuple[Superseded, ...]
    conflicts: tuple[Conflict, ...]
    missing: tuple[str, ...]
    other_years: tuple[Received, ...] = ()

    @property
    def late(self) -> tuple[Accepted, ...]:
        return tuple(a for a in self.accepted if a.late)

    @property
    def counted(self) -> int:
        """N: the number of partnerships the national counts are out of."""
        return len(self.accepted)

    def summary(self) -> dict[str, int]:
        return {
            "expected": len(self.expected),
            "received": len(self.received),
            "accepted": len(self.accepted),
            "rejected": len(self.rejected),
            "superseded": len(self.superseded),
            "conflicts": len(self.conflicts),
            "missing": len(self.missing),
            "late": len(self.late),
            "other_years": len(self.other_years),
        }

    def to_dict(self) -> dict[str, Any]:
        """The `coverage` block of aggregate.json (counts first, then who is in each group)."""
        return {
            "expected": len(self.expected),
            "received": len(self.received),
            "accepted": [
                {
                    "partnership": a.partnership,
                    "file": a.file,
                    "submitted_on": a.submitted_on,
                    "late": a.late,
                }
                for a in self.accepted
            ],
            "rejected": [
                {"partnership": r.partnership, "file": r.file, "errors": list(r.errors)}
                for r in self.rejected
            ],
            "superseded": [
                {
                    "partnership": s.partnership,
                    "file": s.file,
                    "submitted_on": s.submitted_on,
                    "superseded_by": s.superseded_by,
                }
                for s in self.superseded
            ],
            "conflicts": [
                {
                    "partnership": c.partnership,
                    "submitted_on": c.submitted_on,
                    "files": list(c.files),
                }
                for c in self.conflicts
            ],
            "missing": list(self.missing),
            "late": [
                {"partnership": a.partnership, "submitted_on": a.submitted_on} for a in self.late
            ],
            "other_years": [
                {"partnership": o.partnership, "file": o.file, "submitted_on": o.submitted_on}
                for o in self.other_years
            ],
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class Collection:
    """Coverage plus the documents that count, one per accepted partnership (name order)."""

    coverage: Coverage
    returns: dict[str, dict[str, Any]]


def relative_name(path: Path, roots: Sequence[Path]) -> str:
    """A file's name relative to the folder it was found in, so outputs do not depend on where
    the collection sits on disk."""
    name = path.name
    for root in roots:
        if root.is_dir():
            try:
                name = path.relative_to(root).as_posix()
                break
            except ValueError:
                continue
    # A name that is not UTF-8 on disk (a zip made on an old Windows PC) is shown as a person
    # would see it, with a replacement character: it cannot be written to a UTF-8 file as is.
    return os.fsencode(name).decode("utf-8", "replace")


def infer_year(results: Sequence[FileResult]) -> str | None:
    """The reporting year most valid returns give (the latest one on a tie)."""
    years = Counter(
        r.reporting_year for r in results if r.valid and parse_year(r.reporting_year) is not None
    )
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def _canonical(document: dict[str, Any], partnership: str) -> str:
    """The return's content, with the partnership as the reference names it: the same return
    sent once under an alias ("Edinburgh") and once by name is one return, not a conflict."""
    return json.dumps({**document, "partnership": partnership}, sort_keys=True, ensure_ascii=False)


def _due_date(reference: Reference, year: str | None) -> str | None:
    if parse_year(year) is None:
        return None
    return reference.calendar.due(str(year)).isoformat()


def build_collection(
    result: CollectionResult,
    reference: Reference,
    *,
    roots: Sequence[Path],
    year: str | None = None,
) -> Collection:
    """Sort every validated file into accepted, rejected, superseded, conflicts and missing."""
    files = sorted(result.files, key=lambda r: relative_name(r.path, roots))
    year = year or infer_year(files)
    due = _due_date(reference, year)

    def submitted(r: FileResult) -> str | None:
        value = (r.document or {}).get("submitted_on")
        return value if isinstance(value, str) else None

    def received(r: FileResult) -> Received:
        known = reference.partnership(r.partnership or "")  # never a rejected return's own text
        name = known.name if known is not None else None
        return Received(relative_name(r.path, roots), name, submitted(r))

    rejected: list[Rejected] = []
    other_years: list[Received] = []
    candidates: dict[str, list[FileResult]] = defaultdict(list)
    seen: set[str] = set()  # partnerships that sent something for this year, counted or not
    for r in files:
        known = reference.partnership(r.partnership or "")
        if not r.valid or r.document is None or known is None:
            errors = tuple(
                {
                    "rule": f.rule,
                    "path": f.dotted_path,
                    "location": f.location,
                    "message": _publishable_message(f),
                }
                for f in r.errors
            )
            # Identified by its file and, where it resolved, the reference name only: the
            # text of a rejected return is never published.
            name = known.name if known is not None else None
            rejected.append(
                Rejected(
                    relative_name(r.path, roots),
                    name,
                    submitted(r),
                    errors,
                    tuple(f.message for f in r.errors),
                )
            )
            if name is not None and (
                year is None or r.reporting_year == year or parse_year(r.reporting_year) is None
            ):
                seen.add(name)
        elif year is not None and r.reporting_year != year:
            other_years.append(received(r))
        else:
            candidates[r.partnership or ""].append(r)
            seen.add(r.partnership or "")

    accepted: list[Accepted] = []
    superseded: list[Superseded] = []
    conflicts: list[Conflict] = []
    returns: dict[str, dict[str, Any]] = {}
    for name in sorted(candidates):
        group = candidates[name]
        # Dates that do not parse cannot be valid, so every candidate has an ISO date.
        latest = max(submitted(r) or "" for r in group)
        newest = [r for r in group if submitted(r) == latest]
        distinct = {_canonical(r.document or {}, name) for r in newest}
        if len(distinct) > 1:
            conflicts.append(Conflict(name, latest, tuple(received(r).file for r in newest)))
            winner_file = "(conflict: none counts)"
        else:
            winner = newest[0]
            winner_file = received(winner).file
            late = due is not None and latest > due  # ISO dates order as text
            accepted.append(Accepted(winner_file, name, latest, late))
            returns[name] = winner.document or {}
        in_conflict = {id(r) for r in newest} if len(distinct) > 1 else set()
        for r in group:
            rec = received(r)
            if rec.file != winner_file and id(r) not in in_conflict:
                superseded.append(Superseded(rec.file, name, rec.submitted_on, winner_file))

    # A partnership whose only return is for another year is missing for this one.
    expected = tuple(p.name for p in reference.partnerships)
    missing = tuple(name for name in sorted(expected) if name not in seen)
    coverage = Coverage(
        reporting_year=year,
        expected=expected,
        received=tuple(received(r) for r in files),
        accepted=tuple(accepted),
        rejected=tuple(rejected),
        superseded=tuple(superseded),
        conflicts=tuple(conflicts),
        missing=missing,
        other_years=tuple(other_years),
    )
    return Collection(coverage, returns)
