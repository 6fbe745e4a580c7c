"""The blocks and sheets both frameworks' workbooks are built from: an activity's columns, a
challenge's, the sheet for one heading of a framework (an outcome, a priority action), a table of
counts under codes (indicators, measures), and the sheets of lists that follow them.

Help text comes from the schema's descriptions where it has one, so help and contract say the
same thing.
"""

from __future__ import annotations

from typing import Any

from cjreturns.core.findings import DocPath
from cjreturns.readers.layout_model import Block, Field, Form, Sheet, Table

# What a sheet for one heading of the framework asks first.
HEADING_INTRO = (
    "One row per activity. Choose themes, status and partners from the drop-down lists; "
    "grey cells are fixed, white cells are for you."
)


def describe(schema: dict[str, Any], *pointer: str) -> str:
    """A description from the schema, so help text and contract say the same thing."""
    node: Any = schema
    for key in pointer:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return str(node.get("description", "")) if isinstance(node, dict) else ""


def activity_fields(schema: dict[str, Any], priority_actions: Field) -> tuple[Field, ...]:
    """An activity's columns; `priority_actions` is the framework's column for the priority
    actions the activity serves."""

    def d(name: str) -> str:
        return describe(schema, "$defs", "activity", "properties", name)

    return (
        Field("Title", ("title",), "text", d("title") + " Required.", width=30),
        Field("Description", ("description",), "long", d("description") + " Required.", width=60),
        Field(
            "Theme",
            ("themes",),
            "choice",
            "Choose at least one theme from the list (up to one per column).",
            "themes",
            repeat=3,
            width=34,
        ),
        Field(
            "Status",
            ("status",),
            "choice",
            "Planned, in progress or completed.",
            "activity_status",
            width=14,
        ),
        priority_actions,
        Field(
            "Statutory partner",
            ("partners",),
            "choice",
            "Statutory partners involved, one per column.",
            "statutory_partners",
            repeat=4,
            width=30,
        ),
        Field(
            "Other public bodies",
            ("other_partners",),
            "lines",
            d("other_partners") + " One per line.",
            width=28,
        ),
        Field(
            "Third sector organisations",
            ("third_sector",),
            "lines",
            d("third_sector") + " One per line.",
            width=28,
        ),
        Field(
            "Lead organisation", ("lead_organisation",), "text", d("lead_organisation"), width=24
        ),
        Field("Start date", ("period", "start"), "date", "When the activity started.", width=13),
        Field("End date", ("period", "end"), "date", "When it ended or will end.", width=13),
        Field("Impact", ("impact",), "long", d("impact"), width=50),
        Field(
            "Figures",
            ("figures",),
            "figures",
            "Figures that fit no indicator, one per line: what was counted, a colon, the number "
            "and the unit, e.g. people attending: 96 people.",
            width=32,
        ),
        Field(
            "Links",
            ("links",),
            "lines",
            "Web addresses (http:// or https://), one per line.",
            width=32,
        ),
    )


def challenge_fields(schema: dict[str, Any]) -> tuple[Field, ...]:
    return (
        Field(
            "Challenge",
            ("code",),
            "choice",
            "Choose the kind of challenge from the list.",
            "challenges",
            width=40,
        ),
        Field(
            "Description",
            ("description",),
            "long",
            describe(schema, "$defs", "challenge", "properties", "description"),
            width=70,
        ),
    )


def heading_sheet(
    schema: dict[str, Any],
    *,
    name: str,
    title: str,
    base: DocPath,
    heading: str,
    under: str,
    activities: tuple[Field, ...],
    rows: int,
    counts: tuple[Table, ...] = (),
) -> Sheet:
    """The sheet for one heading of the framework at `base` in the return (an outcome, a
    priority action): its activities (`rows` blank rows), a summary, any `counts`, then case
    studies and challenges. `heading` names it in text ("this outcome") and `under` says how
    activity relates to it ("under", "towards")."""
    blocks: tuple[Block, ...] = (
        Table("Activities", (*base, "activities"), activities, rows=rows, keep_empty=True),
        Form(
            f"Summary for {heading}",
            base,
            (
                Field(
                    "Self-evaluation",
                    ("self_evaluation",),
                    "choice",
                    "Optional: the partnership's own score on the Care Inspectorate scale, "
                    "6 (excellent) to 1 (unsatisfactory).",
                    "self_evaluation",
                ),
                Field(
                    "Reason for no activity",
                    ("no_activity_reason",),
                    "long",
                    f"Only if there were no activities {under} {heading}: say why.",
                ),
            ),
            anchor=1,
        ),
        *counts,
        Table(
            "Case studies",
            (*base, "case_studies"),
            (
                Field(
                    "Case study title",
                    ("title",),
                    "text",
                    describe(schema, "$defs", "case_study", "properties", "title"),
                    width=30,
                ),
                Field(
                    "Summary",
                    ("summary",),
                    "long",
                    describe(schema, "$defs", "case_study", "properties", "summary"),
                    width=70,
                ),
                Field(
                    "Consent confirmed",
                    ("consent_confirmed",),
                    "yesno",
                    "Yes once the person has agreed to the story being used.",
                    width=14,
                ),
            ),
            rows=3,
        ),
        Table(f"Challenges for {heading}", (*base, "challenges"), challenge_fields(schema), rows=3),
    )
    return Sheet(name, title, HEADING_INTRO, blocks, freeze="B5")


def counts_table(
    title: str,
    path: DocPath,
    *,
    label: str,
    choose: str,
    vocabulary: str,
    prefill: tuple[str, ...],
    rows: int,
) -> Table:
    """A number for each code of `vocabulary` (indicators, measures), the codes in `prefill`
    written in; `choose` names one in the help ("an indicator")."""
    return Table(
        title,
        path,
        (
            Field(label, (), "choice", f"Choose {choose} from the list.", vocabulary, width=50),
            Field(
                "Number",
                (),
                "whole",
                "A whole number for the reporting year (0 or more).",
                width=14,
            ),
        ),
        rows=rows,
        mapping=True,
        prefill=prefill,
    )


def list_sheets(
    schema: dict[str, Any], activities: tuple[Field, ...], local_activity: tuple[str, str]
) -> list[Sheet]:
    """The sheets after the framework's own: local activity (its title and intro say what it
    lies beyond), achievements, challenges, recommendations and next steps, a row per item."""
    props = schema["properties"]

    def sheet(name: str, title: str, intro: str, table: Table) -> Sheet:
        return Sheet(name, title, intro, (table,), freeze="B5")

    return [
        sheet(
            "Local activity",
            *local_activity,
            Table("Local activities", ("local_activity",), activities, rows=10),
        ),
        sheet(
            "Achievements",
            "Other achievements",
            "One achievement per row.",
            Table(
                "Achievements",
                ("achievements",),
                (
                    Field(
                        "Achievement",
                        ("title",),
                        "text",
                        describe(props, "achievements", "items", "properties", "title"),
                        width=40,
                    ),
                    Field(
                        "Description",
                        ("description",),
                        "long",
                        "What was achieved and why it matters.",
                        width=80,
                    ),
                ),
                rows=10,
            ),
        ),
        sheet(
            "Challenges",
            "Gaps and challenges across the partnership",
            "One challenge per row.",
            Table("Challenges", ("challenges",), challenge_fields(schema), rows=10),
        ),
        sheet(
            "Recommendations",
            "Progress on last year's national recommendations",
            "One row per recommendation of last year's national report.",
            Table(
                "Recommendations",
                ("recommendations",),
                (
                    Field(
                        "Recommendation",
                        ("id",),
                        "text",
                        describe(props, "recommendations", "items", "properties", "id"),
                        width=16,
                    ),
                    Field(
                        "Response",
                        ("response",),
                        "long",
                        "What the partnership has done.",
                        width=80,
                    ),
                    Field(
                        "Progress",
                        ("status",),
                        "choice",
                        "Not started, in progress or complete.",
                        "recommendation_status",
                        width=16,
                    ),
                ),
                rows=10,
            ),
        ),
        sheet(
            "Next steps",
            "Next steps",
            "One next step per row.",
            Table(
                "Next steps",
                ("next_steps",),
                (Field("Next step", (), "long", describe(props, "next_steps"), width=100),),
                rows=10,
            ),
        ),
    ]
