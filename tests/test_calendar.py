"""The reporting calendar: one definition (schemas/reference.yaml) and what follows from it."""

from __future__ import annotations

import datetime as dt

import pytest

from cjreturns.contract.reference import load_reference
from cjreturns.core.calendar import (
    ReportingCalendar,
    long_date,
    parse_year,
    previous_year,
    year_label,
)


def load_calendar() -> ReportingCalendar:
    return load_reference().calendar


def test_the_calendar_is_read_once_with_the_reference() -> None:
    # One reading of reference.yaml: the calendar is the reference's, not a second load.
    assert load_reference().calendar is load_calendar()
    assert load_calendar() == ReportingCalendar((4, 1), (3, 31), (9, 30), (3, 31))


def test_a_year_runs_april_to_march_with_returns_due_in_september() -> None:
    c = load_calendar()
    assert c.start("2021-22") == dt.date(2021, 4, 1)
    assert c.end("2021-22") == dt.date(2022, 3, 31)
    assert c.due("2021-22") == dt.date(2022, 9, 30)
    assert c.report_due("2021-22") == dt.date(2023, 3, 31)
    assert c.period_text("2021-22") == "1 April 2021 to 31 March 2022"
    assert (c.span_text(), c.due_text()) == ("1 April to 31 March", "30 September")


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 3, 31), "2025-26"),
        (dt.date(2025, 9, 30), "2024-25"),
        (dt.date(2026, 4, 1), "2025-26"),
        (dt.date(2026, 9, 30), "2025-26"),
        (dt.date(2026, 10, 1), "2026-27"),
        (dt.date(2026, 12, 1), "2026-27"),
        (dt.date(2027, 1, 15), "2026-27"),
    ],
)
def test_the_return_being_prepared_on_a_day(day: dt.date, year: str) -> None:
    assert load_calendar().return_year_on(day) == year


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2021-22", 2021),
        ("1999-00", 1999),
        (" 2021-22 ", 2021),
        ("2021-23", None),
        ("2021/22", None),
        ("21-22", None),
        (2021, None),
        ("2021-22\n2", None),
    ],
)
def test_parse_year(text: object, start: int | None) -> None:
    assert parse_year(text) == start


def test_labels_and_dates_need_no_platform_strftime() -> None:
    assert year_label(1999) == "1999-00"
    assert previous_year("2021-22") == "2020-21" and previous_year("nonsense") is None
    assert long_date(dt.date(2022, 9, 9)) == "9 September 2022"


def test_a_malformed_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="not MM-DD"):
        ReportingCalendar.from_reference(
            {
                "period_start": "4-1",
                "period_end": "03-31",
                "returns_due": "09-30",
                "report_laid_by": "03-31",
            }
        )


# -- labels for codes: one place ---------------------------------------------------------------


def test_every_vocabulary_label_comes_from_the_reference() -> None:
    """The workbook's drop-downs, the report and the tables name a code the same way."""
    from cjreturns.contract.workbook_layout import workbook_layout

    ref = load_reference()
    layout = workbook_layout()
    for name, vocab in layout.vocabularies.items():
        labels = ref.vocabulary(name)
        for code, shown in zip(vocab.codes, vocab.labels, strict=True):
            # A number chosen from a list reads with its number first ("4 – Good").
            plain = (
                shown.split(" – ", 1)[1]
                if name in {"self_evaluation", "priority_actions"}
                else shown
            )
            assert plain.casefold() == str(labels.get(code, plain)).casefold(), (name, code)
            assert ref.label(name, code) == labels.get(code, code)


def test_an_unknown_vocabulary_says_which_there_are() -> None:
    with pytest.raises(KeyError, match="known: activity_status"):
        load_reference().vocabulary("colours")
