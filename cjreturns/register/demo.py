"""The demo register `make serve` starts with: one coordinator for each example partnership, one
analyst, and the example returns submitted, so both journeys can be tried at once.

Each example return is dated as it came in: on the submission date it gives itself (at midday),
so the dashboard shows the year as it went, with the returns that were late marked late, not
every one late because it was loaded years after the deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "demo-portal-password"  # shown on the sign-in page in demo mode only
ANALYST_EMAIL = "analyst@cjs.example"


def coordinator_email(partnership: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", partnership.lower()).strip("-")
    return f"coordinator@{slug}.example"


@dataclass(frozen=True)
class Demo:
    analyst: str
    coordinators: dict[str, str]  # partnership -> email
    submitted: int


def arrived_at(document: dict[str, Any] | None) -> dt.datetime | None:
    """When an example return came in: midday, local time, on its own `submitted_on` date; None
    when it gives no date (it is then dated by its loading, like any upload)."""
    from django.utils import timezone

    from cjreturns.core.calendar import parse_date

    day = parse_date((document or {}).get("submitted_on"))
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def load_demo(returns_dir: Path, *, year: str) -> Demo:
    """Accounts and submissions for the demo; running it again adds nothing twice."""
    from cjreturns.readers import iter_return_files
    from cjreturns.register.models import Partnership, Submission, User
    from cjreturns.register.services import accounts, intake

    if not User.objects.filter(email=ANALYST_EMAIL).exists():
        accounts.add_user(ANALYST_EMAIL, role="analyst", password=DEMO_PASSWORD)
    analyst = User.objects.get(email=ANALYST_EMAIL)
    coordinators: dict[str, str] = {}
    submitted = 0
    for path in iter_return_files([returns_dir]):
        checked = intake.validate_upload(path.read_bytes(), path.name, year=year)
        if checked.partnership is None:
            continue
        place = Partnership.objects.filter(name=checked.partnership).first()
        if place is None:
            continue
        email = coordinator_email(place.name)
        coordinators[place.name] = email
        if not User.objects.filter(email=email).exists():
            accounts.add_user(
                email, role="coordinator", password=DEMO_PASSWORD, partnership=place.name
            )
        user = User.objects.get(email=email)
        if Submission.objects.filter(partnership=place, collection__year=year).exists():
            continue
        intake.submit(
            path.read_bytes(),
            path.name,
            year=year,
            user=user,
            channel="demo",
            uploaded_at=arrived_at(checked.document),
        )
        submitted += 1
    return Demo(analyst.email, dict(sorted(coordinators.items())), submitted)
