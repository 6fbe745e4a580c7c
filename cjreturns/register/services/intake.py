"""Taking in a return: validate an upload exactly as `cjreturns validate` would, then either keep
nothing but an audit line (a check) or keep it as the partnership's next version (a submission)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from cjreturns.outputs.manifest import rules_version, tool_version
from cjreturns.register.models import Partnership, Submission, User
from cjreturns.register.services.audit import audit
from cjreturns.register.services.errors import Refused
from cjreturns.register.services.partnerships import partnership_named
from cjreturns.register.services.years import check_year, collection_for

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_file_name(name: str) -> str:
    """The uploaded file's own name, without folders or characters a file system refuses."""
    base = Path(str(name).replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).strip(" .") or "return"
    return base[:120]


@dataclass(frozen=True)
class Checked:
    """One uploaded file after validation: its entry as `validate --format json` gives it."""

    file_name: str
    sha256: str
    size: int
    result: dict[str, Any]
    partnership: str | None
    document: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return bool(self.result["valid"])

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.result["findings"])


def validate_upload(data: bytes, file_name: str, *, year: str | None) -> Checked:
    """Validate uploaded bytes exactly as `cjreturns validate` validates the same file: the same
    readers with the same limits (a zip bomb, a macro workbook or a disguised file is a finding,
    never opened by anything else), and a workbook's findings in the workbook's own words.
    Nothing is kept."""
    from cjreturns.readers import Limits
    from cjreturns.validation.engine import validate_bytes

    name = safe_file_name(file_name)
    result = validate_bytes(name, data, year=year, limits=Limits.from_env())
    entry = result.to_dict()
    entry["path"] = name
    return Checked(
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        result=entry,
        partnership=result.partnership,
        document=result.document,
    )


def checked_copy(data: bytes, file_name: str, *, year: str | None) -> tuple[bytes | None, str]:
    """A workbook with its findings put into it (a Findings sheet, a comment on each cell), and
    its name; or None and why no copy can be made (not a workbook, or it would lose parts)."""
    from cjreturns.outputs.annotate import annotate
    from cjreturns.readers import Limits
    from cjreturns.validation.engine import validate_bytes

    name = safe_file_name(file_name)
    if not name.lower().endswith(".xlsx"):
        return None, "Only a return workbook (.xlsx) can be given a checked copy."
    made = annotate(name, data, validate_bytes(name, data, year=year, limits=Limits.from_env()))
    if made.data is None:
        return None, made.refusal.message if made.refusal else "No copy could be made."
    return made.data, name[: -len(".xlsx")] + "-checked.xlsx"


def check(data: bytes, file_name: str, *, year: str, user: User) -> Checked:
    """Validate an upload and keep nothing of it but an audit line (so status can say `checked`)."""
    checked = validate_upload(data, file_name, year=check_year(year))
    place = user.partnership if not user.is_analyst else None
    audit(
        "checked",
        actor=user,
        partnership=place,
        year=year,
        detail={
            "file_name": checked.file_name,
            "sha256": checked.sha256,
            "errors": checked.result["errors"],
            "warnings": checked.result["warnings"],
        },
    )
    return checked


def _target_partnership(user: User, partnership: str | None) -> Partnership:
    if user.is_analyst:
        if not partnership:
            raise Refused("say which partnership this return is for (field `partnership`)")
        return partnership_named(partnership)
    assert user.partnership is not None
    return user.partnership


def _wrong_partnership(checked: Checked, target: Partnership) -> dict[str, Any] | None:
    """A finding when the return names another partnership than the one it is submitted for."""
    from cjreturns.contract.reference import load_reference

    named = (checked.document or {}).get("partnership")
    if not isinstance(named, str):
        return None
    found, _ = load_reference().resolve_partnership(named)
    if found is None or found.id == target.ref_id:
        return None
    return {
        "rule": "wrong-partnership",
        "severity": "error",
        "path": "partnership",
        "line": None,
        "column": None,
        "message": (
            f"This return is for {found.name}, but it is being submitted for {target.name}. "
            f"Upload {target.name}'s own return."
        ),
    }


def submit(
    data: bytes,
    file_name: str,
    *,
    year: str,
    user: User,
    partnership: str | None = None,
    channel: str = "portal",
    sign_off_name: str = "",
    uploaded_at: dt.datetime | None = None,
) -> Submission:
    """Validate an upload and keep it as the partnership's next version for the year.

    A file with errors is still kept (the history shows it), but it cannot be accepted. A return
    naming another partnership is refused outright, with a finding saying so. `uploaded_at` is
    when it came in: now, except for the demo's example returns (the date each gives itself).
    """
    uploaded_at = uploaded_at or timezone.now()
    check_year(year)
    target = _target_partnership(user, partnership)
    checked = validate_upload(data, file_name, year=year)
    not_a_return = [f for f in checked.findings if f["rule"] == "file-type"]
    if not_a_return:  # a macro workbook, a PDF ...: never kept
        raise Refused(not_a_return[0]["message"], not_a_return)
    wrong = _wrong_partnership(checked, target)
    if wrong is not None:
        audit(
            "submission-refused",
            actor=user,
            partnership=target,
            year=year,
            detail={"file_name": checked.file_name, "sha256": checked.sha256, "why": wrong["rule"]},
        )
        raise Refused(wrong["message"], [wrong])
    # The chair's sign-off: recorded on the upload form, else as the return itself gives it.
    sign_off = (checked.document or {}).get("sign_off")
    signed_by = sign_off_name.strip() or (
        str(sign_off.get("name") or "") if isinstance(sign_off, dict) else ""
    )
    # Made (once a year) before the write transaction: that holds SQLite's one write lock, so
    # it does as little as it can.
    collection = collection_for(year)
    with transaction.atomic():
        # On PostgreSQL the partnership row is locked so two uploads cannot take one number;
        # SQLite's IMMEDIATE transactions already run one writer at a time (and Django would
        # send it the same SELECT without FOR UPDATE: a query for nothing).
        if connection.features.has_select_for_update:
            Partnership.objects.select_for_update().filter(pk=target.pk).first()
        latest = Submission.objects.filter(partnership=target, collection=collection).aggregate(
            n=Max("version")
        )["n"]
        submission = Submission.objects.create(
            partnership=target,
            collection=collection,
            version=(latest or 0) + 1,
            uploaded_by=user,
            uploaded_at=uploaded_at,
            channel=channel,
            file_name=checked.file_name,
            content=data,
            size=checked.size,
            sha256=checked.sha256,
            format=checked.result.get("format") or "",
            tool_version=tool_version(),
            rules_version=rules_version(),
            findings=checked.result,
            valid=checked.valid,
            errors=checked.result["errors"],
            warnings=checked.result["warnings"],
            sign_off_name=signed_by[:200],
            sign_off_on=timezone.localdate(uploaded_at) if signed_by else None,
        )
        audit(
            "submitted",
            actor=user,
            partnership=target,
            year=year,
            submission=submission,
            detail={
                "version": submission.version,
                "file_name": submission.file_name,
                "sha256": submission.sha256,
                "channel": channel,
                "errors": submission.errors,
                "warnings": submission.warnings,
            },
            at=uploaded_at,
        )
    return submission
