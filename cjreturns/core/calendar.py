"""The reporting calendar: which dates a reporting year covers, when returns are due, when the
national report is laid. One definition, read from `schemas/reference.yaml`.

Reporting years are written as people write financial years, "2021-22". Dates are formatted
without platform-specific strftime codes (the no-padding flags raise on Windows, where the
coordinators are).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_YEAR = re.compile(r"(\d{4})-(\d{2})")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def parse_year(value: Any) -> int | None:
    """The first calendar year of a reporting year written "2021-22", or None if it is not one."""
    if not isinstance(value, str):
        return None
    m = _YEAR.fullmatch(value.strip())
    if m is None:
        return None
    start = int(m.group(1))
    return start if (start + 1) % 100 == int(m.group(2)) else None


def year_label(start: int) -> str:
    """2021 -> "2021-22"."""
    return f"{start}-{(start + 1) % 100:02d}"


def previous_year(year: str) -> str | None:
    """ "2021-22" -> "2020-21" (None if `year` is not a reporting year)."""
    start = parse_year(year)
    return None if start is None else year_label(start - 1)


def long_date(day: dt.date) -> str:
    """ "1 April 2022": a date as en-GB prose writes it."""
    return f"{day.day} {day:%B %Y}"


def parse_date(value: Any) -> dt.date | None:
    """An ISO date string ("2022-09-29") as a date, or None."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _month_day(text: str) -> tuple[int, int]:
    m = _MONTH_DAY.fullmatch(text)
    if m is None:
        raise ValueError(f"reference.yaml: reporting_calendar date {text!r} is not MM-DD")
    return int(m.group(1)), int(m.group(2))


@dataclass(frozen=True)
class ReportingCalendar:
    """The CJS annual cycle: a year runs period_start to period_end; returns are due on
    returns_due after it ends, and the national report is laid by report_laid_by after that."""

    period_start: tuple[int, int]
    period_end: tuple[int, int]
    returns_due: tuple[int, int]
    report_laid_by: tuple[int, int]

    @classmethod
    def from_reference(cls, raw: dict[str, Any]) -> ReportingCalendar:
        """From the `reporting_calendar` block of reference.yaml (MM-DD strings)."""
        return cls(
            period_start=_month_day(raw["period_start"]),
            period_end=_month_day(raw["period_end"]),
            returns_due=_month_day(raw["returns_due"]),
            report_laid_by=_month_day(raw["report_laid_by"]),
        )

    def start(self, year: str) -> dt.date:
        """The first day of the reporting year ("2021-22" -> 1 April 2021)."""
        return dt.date(_start(year), *self.period_start)

    def end(self, year: str) -> dt.date:
        """The last day of the reporting year ("2021-22" -> 31 March 2022)."""
        return dt.date(_start(year) + 1, *self.period_end)

    def due(self, year: str) -> dt.date:
        """When that year's returns are due (late September after the year ends)."""
        return dt.date(_start(year) + 1, *self.returns_due)

    def report_due(self, year: str) -> dt.date:
        """When the national report on that year is laid (by 31 March the year after)."""
        return dt.date(_start(year) + 2, *self.report_laid_by)

    def period_text(self, year: str) -> str:
        """ "1 April 2021 to 31 March 2022"."""
        return f"{long_date(self.start(year))} to {long_date(self.end(year))}"

    def span_text(self) -> str:
        """ "1 April to 31 March", for guidance that speaks of any year."""
        first = dt.date(2000, *self.period_start)
        last = dt.date(2000, *self.period_end)
        return f"{first.day} {first:%B} to {last.day} {last:%B}"

    def due_text(self) -> str:
        """The due day and month ("1 April" style), for guidance that speaks of any year."""
        day = dt.date(2000, *self.returns_due)
        return f"{day.day} {day:%B}"

    def return_year_on(self, day: dt.date) -> str:
        """The reporting year whose return partnerships are preparing on `day`, as "2025-26".

        Until a year's returns are due it is the year that has ended; from then on, the year in
        progress.
        """
        in_progress = day.year if (day.month, day.day) >= self.period_start else day.year - 1
        ended = in_progress - 1
        return year_label(ended if day <= self.due(year_label(ended)) else in_progress)


def _start(year: str) -> int:
    start = parse_year(year)
    if start is None:
        raise ValueError(f"{year!r} is not a reporting year like 2021-22")
    return start
