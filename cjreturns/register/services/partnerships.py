"""The 30 partnerships, as the reference data names them (and the aliases people use)."""

from __future__ import annotations

from cjreturns.core.errors import UsageError
from cjreturns.register.models import Partnership


def sync_partnerships() -> int:
    """Make the register's partnerships those of the reference data (run after every migrate)."""
    from cjreturns.contract.reference import load_reference

    added = 0
    for p in load_reference().partnerships:
        _, created = Partnership.objects.update_or_create(ref_id=p.id, defaults={"name": p.name})
        added += created
    return added


def partnership_named(name: str) -> Partnership:
    """A partnership by its reference name or any alias people use for it."""
    from cjreturns.contract.reference import load_reference

    found, _ = load_reference().resolve_partnership(name)
    if found is None:
        raise UsageError(f"{name!r} is not one of the partnerships in the reference data")
    return Partnership.objects.get(ref_id=found.id)
