"""National outputs from the register: each partnership's accepted submission, read exactly as
`cjreturns aggregate` reads a folder (the same readers and counting), so the register and a
folder of the same files give the same numbers."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from cjreturns.outputs.manifest import Input
from cjreturns.register.models import OutputRun, Submission, User
from cjreturns.register.services import progress, years
from cjreturns.register.services.audit import audit
from cjreturns.register.services.errors import NotFound, Refused, RegisterError

if TYPE_CHECKING:
    from cjreturns.aggregation import Aggregate
    from cjreturns.aggregation.cjpf import CJPFAggregate


def source_label(year: str) -> str:
    from django.db import connection

    engine = connection.vendor  # sqlite or postgresql, never the URL (it may hold a password)
    return f"register ({engine}): accepted submissions for {year}"


def _names(submissions: list[Submission]) -> dict[int, str]:
    """Each submission's file name as the outputs list it: its own name, unless two partnerships
    uploaded files of the same name, when the partnership's id is put in front."""
    seen: dict[str, int] = {}
    for s in submissions:
        seen[s.file_name.lower()] = seen.get(s.file_name.lower(), 0) + 1
    return {
        s.pk: s.file_name
        if seen[s.file_name.lower()] == 1
        else f"{s.partnership.ref_id}-{s.file_name}"
        for s in submissions
    }


@contextlib.contextmanager
def accepted_folder(year: str) -> Iterator[tuple[Path, list[Input]]]:
    """A private temporary folder holding each accepted submission's original bytes, and the
    manifest's inputs for them; removed afterwards."""
    submissions = progress.accepted_submissions(year)
    if not submissions:
        raise RegisterError(
            f"no submission for {year} has been accepted yet: accept returns before aggregating"
        )
    names = _names(submissions)
    with tempfile.TemporaryDirectory(prefix="cjreturns-register-") as tmp:
        folder = Path(tmp)
        inputs = []
        for s in submissions:
            (folder / names[s.pk]).write_bytes(bytes(s.content))
            inputs.append(Input(names[s.pk], s.sha256, s.partnership.name, s.version, s.pk))
        yield folder, inputs


def aggregate_accepted(year: str) -> tuple[Aggregate | CJPFAggregate, list[Input]]:
    """The year's aggregate under its framework, as `cjreturns aggregate` counts a folder."""
    from cjreturns.aggregation.by_year import aggregate_for_year

    with accepted_folder(year) as (folder, inputs):
        return aggregate_for_year(folder, year=year), inputs


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def run_outputs(kind: str, year: str, *, user: User, today: dt.date | None = None) -> OutputRun:
    """Run `aggregate` or `report` on the accepted submissions and keep the files for download
    (a zip of the outputs and their manifest)."""
    from cjreturns.outputs.manifest import (
        MANIFEST_NAME,
        aggregate_manifest,
        docx_with_manifest,
        manifest_bytes,
        output_entries,
    )

    if not user.is_analyst:
        raise NotFound("no such page")
    agg, inputs = aggregate_accepted(years.check_year(year))
    source = source_label(year)
    files: dict[str, bytes]
    if kind == "aggregate":
        from cjreturns.aggregation.cjpf import CJPFAggregate
        from cjreturns.outputs import cjpf_tables, national_tables

        if isinstance(agg, CJPFAggregate):
            files = cjpf_tables.render_outputs(agg)
        else:
            files = national_tables.render_outputs(agg)
        manifest = aggregate_manifest(agg, kind=kind, inputs=inputs, source=source, outputs=files)
        files[MANIFEST_NAME] = manifest_bytes(manifest)
    elif kind == "report":
        from cjreturns.outputs.by_year import build_report_for

        name = f"national-report-{year}.docx"
        # The year's framework decides the draft, exactly as `cjreturns report` does.
        draft = build_report_for(agg, generated_on=today or timezone.localdate())
        manifest = aggregate_manifest(agg, kind=kind, inputs=inputs, source=source)
        document = docx_with_manifest(draft, manifest)
        manifest = {**manifest, "outputs": output_entries({name: document})}
        files = {
            name: document,
            name.removesuffix(".docx") + ".manifest.json": manifest_bytes(manifest),
        }
    else:
        raise Refused(f"unknown output {kind!r}: aggregate or report")
    run = OutputRun.objects.create(
        kind=kind,
        year=year,
        at=timezone.now(),
        by=user,
        file_name=f"cjreturns-{kind}-{year}.zip",
        content=_zip(files),
        manifest=manifest,
    )
    audit(f"ran-{kind}", actor=user, year=year, detail={"run": run.pk, "inputs": len(inputs)})
    return run


def aggregate_json(year: str) -> dict[str, Any]:
    """aggregate.json of the accepted submissions, exactly as `cjreturns aggregate` writes it."""
    agg, _ = aggregate_accepted(years.check_year(year))
    return agg.to_json_dict()
