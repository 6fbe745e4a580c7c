"""Runs the pipeline for one file or many: read -> schema -> rules -> located findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from cjreturns.contract.reference import load_reference
from cjreturns.contract.workbook_layout import workbook_layouts
from cjreturns.core.findings import (
    CollectionResult,
    DocPath,
    FileResult,
    Finding,
    Severity,
    sort_findings,
)
from cjreturns.readers import (
    Limits,
    ReadResult,
    SourceMap,
    iter_return_files,
    read_bytes,
    read_return,
)
from cjreturns.validation.dispatch import choose, context
from cjreturns.validation.schema import schema_findings
from cjreturns.validation.years import RuleSet

Progress = Callable[[int, int, Path], None]
# Findings listed per rule for one file; past this one finding says how many more there are,
# so a file with the same slip 40,000 times gives a readable report (and in seconds).
MAX_PER_RULE = 100


def _located(
    rule: str, severity: Severity, path: DocPath, message: str, source_map: SourceMap
) -> Finding:
    line, column, cell = source_map.locate(path)
    return Finding(rule, severity, path, message, line, column, cell)


def validate_document(
    document: Any,
    *,
    source_map: SourceMap | None = None,
    year: str | None = None,
    skip: Iterable[DocPath] = (),
) -> list[Finding]:
    """Every schema and rule finding for an already-read document, located via `source_map`.

    The return's reporting year (else `year`) decides the framework, schema and rule set.
    Never raises: a rule that fails is reported as a `rule-crashed` finding.
    """
    source_map = source_map or SourceMap({})
    damaged = set(skip)
    choice = choose(document, year)
    if choice.mismatch is not None:
        mismatch = choice.rules.rules["framework-mismatch"]
        where, text = choice.mismatch
        return [_located(mismatch.id, mismatch.severity, where, text, source_map)]
    findings: list[Finding] = []
    severity = choice.rules.severity
    for rule_id, path, message in schema_findings(document, schema=choice.framework.schema):
        if path in damaged:
            continue
        findings.append(_located(rule_id, severity(rule_id), path, message, source_map))
    if not isinstance(document, dict):
        return findings
    ctx = context(document, choice, year)
    for r in choice.rules.checks():
        try:
            listed = unlisted = 0
            for path, message in r.run(ctx):
                if path in damaged:
                    continue
                if listed < MAX_PER_RULE:
                    findings.append(_located(r.id, r.severity, path, message, source_map))
                    listed += 1
                else:
                    unlisted += 1
            if unlisted:
                findings.append(
                    Finding(
                        r.id,
                        r.severity,
                        (),
                        f"{unlisted:,} more findings of this kind ({r.id}) are not listed: only "
                        f"the first {MAX_PER_RULE} are. Correct those (often one mistake "
                        "repeated) and check the file again.",
                    )
                )
        except Exception as exc:  # a broken rule is reported, never silently skipped
            findings.append(
                Finding(
                    "rule-crashed",
                    severity("rule-crashed"),
                    (),
                    f"The check `{r.id}` could not run on this file ({type(exc).__name__}: "
                    f"{exc}). This is a bug in cjreturns: please report it. The file may have "
                    "problems this check would have found.",
                )
            )
    return findings


def result_from_read(path: Path, read: ReadResult, *, year: str | None = None) -> FileResult:
    """Validate what a reader produced and package it as a FileResult."""
    rules = choose(read.document, year).rules
    # Readers say what they found; how serious it is, the year's rule set says.
    findings = [
        replace(f, severity=rules.severity(f.rule))
        if f.line is not None or f.cell is not None or not f.path
        else _located(f.rule, rules.severity(f.rule), f.path, f.message, read.source_map)
        for f in read.findings
    ]
    document = read.document
    # A document that is null (`---` alone, JSON `null`) is still checked, so it cannot pass
    # silently; only a reading problem after which the document is not a faithful copy of the
    # file (catalogue: `stops`) ends the checks.
    if not any(f.rule in _stopping(rules) for f in read.findings):
        findings.extend(
            validate_document(document, source_map=read.source_map, year=year, skip=read.damaged)
        )
    else:
        document = None
    partnership = reporting_year = None
    if isinstance(document, dict):
        name = document.get("partnership")
        if isinstance(name, str):
            found, _ = load_reference().resolve_partnership(name)
            partnership = found.name if found else name
        ry = document.get("reporting_year")
        reporting_year = ry if isinstance(ry, str) else None
    if read.source_map.described:  # a workbook: findings in the workbook's own words
        from cjreturns.validation.wording import in_workbook_words

        findings = in_workbook_words(findings, read.source_map.described)
    return FileResult(
        path=path,
        findings=sort_findings(findings, sheets=read.sheets),
        document=document if isinstance(document, dict) else None,
        partnership=partnership,
        reporting_year=reporting_year,
        format=read.format,
    )


def _stopping(rules: RuleSet) -> frozenset[str]:
    return frozenset(r.id for r in rules.rules.values() if r.stops and r.stage == "reading")


def validate_file(
    path: Path | str, *, year: str | None = None, limits: Limits | None = None
) -> FileResult:
    """Read and validate one return. Never raises for a bad file: problems are findings."""
    path = Path(path)
    read = read_return(path, limits=limits, workbook_layout=workbook_layouts)
    return result_from_read(path, read, year=year)


def validate_bytes(
    name: str, data: bytes, *, year: str | None = None, limits: Limits | None = None
) -> FileResult:
    """Validate a return held in memory (the check page's chosen file): the same findings as
    `validate_file` on the same bytes saved as `name`."""
    read = read_bytes(name, data, limits=limits, workbook_layout=workbook_layouts)
    return result_from_read(Path(name), read, year=year)


def validate_paths(
    paths: Sequence[Path | str],
    *,
    year: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> CollectionResult:
    """Validate every return in the given files and folders (folders are searched recursively)."""
    limits = limits or Limits.from_env()
    files = iter_return_files([Path(p) for p in paths], limits=limits)
    results = []
    for i, f in enumerate(files, start=1):
        results.append(validate_file(f, year=year, limits=limits))
        if progress is not None:
            progress(i, len(files), f)
    return CollectionResult(tuple(results))
