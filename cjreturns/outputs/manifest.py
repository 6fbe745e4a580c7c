"""Provenance: what every aggregate or report output was made from, so a published figure can be
traced to the returns behind it. A manifest lists each input with its sha256, the tool version,
the rules and schema version, and when it was generated; it is written as JSON beside the
outputs and into the Word draft's document properties."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cjreturns.core.resources import schema_path

MANIFEST_NAME = "manifest.json"
# What decides a return's findings and the national counts: a change to any of these files is a
# change of rules, even when the tool's version number stays the same.
_RULE_FILES = ("return.schema.json", "rules.yaml", "reference.yaml", "aggregation.yaml")


def tool_version() -> str:
    from cjreturns import __version__

    return __version__


@cache
def rules_version() -> str:
    """The schema versions the return schema accepts, and a digest of every rules file."""
    digest = hashlib.sha256()
    for name in _RULE_FILES:
        digest.update(name.encode() + b"\0" + schema_path(name).read_bytes() + b"\0")
    schema = json.loads(schema_path("return.schema.json").read_text(encoding="utf-8"))
    versions = schema.get("properties", {}).get("schema_version", {}).get("enum", [])
    return f"schema {'/'.join(str(v) for v in versions)}, rules {digest.hexdigest()[:12]}"


@dataclass(frozen=True)
class Input:
    """One return an output was built from: its name, digest and, from a register, its version."""

    name: str
    sha256: str
    partnership: str | None = None
    version: int | None = None
    submission_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "sha256": self.sha256}
        if self.partnership is not None:
            out["partnership"] = self.partnership
        if self.version is not None:
            out["version"] = self.version
            out["submission_id"] = self.submission_id
        return out


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def generated_at() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH (reproducible builds) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        moment = dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_manifest(
    *,
    kind: str,
    year: str | None,
    inputs: Iterable[Input],
    source: str,
    outputs: Mapping[str, bytes] | None = None,
    counted: Iterable[str] = (),
) -> dict[str, Any]:
    """The manifest of one run. `source` says where the inputs came from (a folder or a register);
    `counted` names the inputs the national figures were built from (the rest were read but left
    out: rejected, superseded, in conflict or another year)."""
    counted_names = set(counted)
    return {
        "kind": kind,
        "reporting_year": year,
        "generated_at": generated_at(),
        "tool": "cjreturns",
        "tool_version": tool_version(),
        "rules_version": rules_version(),
        "source": source,
        "inputs": [
            {**i.to_dict(), "counted": i.name in counted_names}
            for i in sorted(inputs, key=lambda i: i.name)
        ],
        "outputs": output_entries(outputs or {}),
    }


def output_entries(outputs: Mapping[str, bytes]) -> list[dict[str, str]]:
    return [
        {"name": name, "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(outputs.items())
    ]


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def folder_inputs(files: Iterable[tuple[str, Path]]) -> list[Input]:
    """Inputs for returns read from a folder: (name as the outputs give it, path on disk)."""
    return [Input(name, sha256_file(path)) for name, path in files]


def aggregate_manifest(
    agg: Any,
    *,
    kind: str,
    inputs: Iterable[Input],
    source: str,
    outputs: Mapping[str, bytes] | None = None,
) -> dict[str, Any]:
    """The manifest of an aggregate or report built from `agg` (an Aggregate)."""
    return build_manifest(
        kind=kind,
        year=agg.reporting_year,
        inputs=inputs,
        source=source,
        outputs=outputs,
        counted=[a.file for a in agg.coverage.accepted],
    )


def write_folder_manifest(
    agg: Any,
    out_dir: Path,
    written: Iterable[Path],
    *,
    kind: str,
    inputs: Iterable[Input],
    source: str,
) -> Path:
    """manifest.json beside a set of outputs just written, listing each with its sha256.

    Written last, after the outputs it describes, so it never names a file that is not there.
    """
    from cjreturns.outputs.files import atomic_write_bytes

    outputs = {p.name: p.read_bytes() for p in written}
    manifest = aggregate_manifest(agg, kind=kind, inputs=inputs, source=source, outputs=outputs)
    return atomic_write_bytes(out_dir / MANIFEST_NAME, manifest_bytes(manifest), force=True)


def folder_manifest_inputs(agg: Any, returns_dir: Path) -> list[Input]:
    """Every file an aggregate of `returns_dir` read, with its sha256."""
    files = [(r.file, returns_dir / r.file) for r in agg.coverage.received]
    return folder_inputs((name, path) for name, path in files if path.is_file())


_DC = "http://purl.org/dc/elements/1.1/"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def docx_with_manifest(data: bytes, manifest: Mapping[str, Any]) -> bytes:
    """The .docx with its manifest (less the list of outputs, which includes the document
    itself) in the document's properties: Comments (dc:description) holds it as JSON, Keywords
    the tool and rules versions. Word shows both in File > Info > Properties."""
    import io
    import zipfile

    from lxml import etree

    from cjreturns.outputs.files import reproducible_zip

    summary = {k: v for k, v in manifest.items() if k != "outputs"}
    text = json.dumps(summary, ensure_ascii=False, separators=(",", ":"))
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    root = etree.fromstring(parts["docProps/core.xml"])
    for tag, value in (
        (f"{{{_DC}}}description", text),
        (f"{{{_CP}}}keywords", f"cjreturns {summary['tool_version']}; {summary['rules_version']}"),
    ):
        el = root.find(tag)
        if el is None:
            el = etree.SubElement(root, tag)
        el.text = value
    parts["docProps/core.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    return reproducible_zip(out.getvalue())


def manifest_name_for(document: Path) -> Path:
    """Where a single output's manifest goes: beside it, `report.docx` -> `report.manifest.json`."""
    return document.with_name(document.stem + ".manifest.json")
