"""The return workbook's layout, built from the contract: its sheets, the blocks on each sheet,
every input cell's document path, its kind of value and the vocabulary behind each drop-down.

Codes come from the schema (each vocabulary's `enum`), readable labels from the reference data,
help text from the schema's descriptions where it has one: when the schema or the reference
changes, the workbook follows. The shape itself is data (`cjreturns.readers.layout_model`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.findings import DocPath
from cjreturns.readers.layout_model import (
    FIRST_BLOCK_ROW,
    GUIDANCE_SHEET,
    INTRO_ROW,
    LISTS_SHEET,
    REPEAT_HEADER,
    TITLE_ROW,
    Block,
    Field,
    Form,
    Kind,
    Sheet,
    Table,
    Vocabulary,
    WorkbookLayout,
    fold,
    humanise,
    order_like_schema,
)

# -- vocabularies --------------------------------------------------------------------------------


def _schema_vocabularies(schema: dict[str, Any]) -> dict[str, list[Any]]:
    """Every `x-vocabulary` in the schema with its codes (the schema is the list of record)."""
    found: dict[str, list[Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.get("x-vocabulary")
            if name and "enum" in node:
                found.setdefault(name, list(node["enum"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return found


def _make_vocabulary(name: str, pairs: list[tuple[Any, str]], *, strict: bool = True) -> Vocabulary:
    lookup: dict[str, Any] = {}
    for code, label in pairs:
        for form in (label, str(code)):
            key = fold(form)
            if lookup.get(key, code) != code:
                raise ValueError(f"workbook list {name}: {form!r} would mean two different codes")
            lookup[key] = code
    return Vocabulary(
        name,
        tuple(c for c, _ in pairs),
        tuple(lab for _, lab in pairs),
        strict,
        lookup,
    )


def build_vocabularies(ref: Reference, schema: dict[str, Any]) -> dict[str, Vocabulary]:
    codes = _schema_vocabularies(schema)
    names: dict[str, dict[Any, str]] = {
        name: ref.vocabulary(name)
        for name in (
            "themes",
            "statutory_partners",
            "partnership_development",
            "challenges",
            "indicators",
        )
    }
    # A number chosen from a list reads with its number first ("4 – Good").
    names["self_evaluation"] = {
        k: f"{k} – {v}" for k, v in ref.vocabulary("self_evaluation").items()
    }
    names["priority_actions"] = {
        k: f"{k} – {v}" for k, v in ref.vocabulary("priority_actions").items()
    }
    out: dict[str, Vocabulary] = {}
    for name, vocab_codes in codes.items():
        table = names.get(name, {})
        if name == "self_evaluation":  # best first, as the reference lists the scale
            vocab_codes = [c for c in ref.self_evaluation if c in vocab_codes]
        pairs = [(c, table.get(c) or humanise(str(c))) for c in vocab_codes]
        out[name] = _make_vocabulary(name, pairs)
    out["partnerships"] = _make_vocabulary(
        "partnerships", [(p.name, p.name) for p in ref.partnerships], strict=False
    )
    return out


# -- the layout ----------------------------------------------------------------------------------


def _describe(schema: dict[str, Any], *pointer: str) -> str:
    """A description from the schema, so help text and contract say the same thing."""
    node: Any = schema
    for key in pointer:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return str(node.get("description", "")) if isinstance(node, dict) else ""


def _activity_fields(schema: dict[str, Any]) -> tuple[Field, ...]:
    def d(name: str) -> str:
        return _describe(schema, "$defs", "activity", "properties", name)

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
            if_blank="The activity's status is blank. Choose Planned, In progress or Completed "
            "from the drop-down list.",
        ),
        Field(
            "Priority actions",
            ("priority_actions",),
            "numbers",
            "Numbers of the 2022 strategy's priority actions (1 to 13), separated by commas. "
            "The Guidance sheet lists them.",
            width=14,
        ),
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


def _challenge_fields(schema: dict[str, Any]) -> tuple[Field, ...]:
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
            _describe(schema, "$defs", "challenge", "properties", "description"),
            width=70,
        ),
    )


def _partnership_sheet(ref: Reference, schema: dict[str, Any]) -> Sheet:
    props = schema["properties"]

    def d(*pointer: str) -> str:
        return _describe(props, *pointer)

    details = Form(
        "Partnership",
        (),
        (
            Field("Partnership name", ("partnership",), "choice", d("partnership"), "partnerships"),
            Field(
                "Reporting year",
                ("reporting_year",),
                "text",
                f"The financial year the return covers, {ref.calendar.span_text()}, e.g. 2021-22.",
            ),
            Field(
                "Date submitted",
                ("submitted_on",),
                "date",
                f"The date the return is sent to CJS (due {ref.calendar.due_text()}).",
            ),
            Field(
                "Schema version",
                ("schema_version",),
                "text",
                "The version of the return's contract. Leave as it is.",
            ),
        ),
    )
    contact = Form(
        "Contact (personal data: never copied into national reports)",
        ("contact",),
        (
            Field("Coordinator's name", ("name",), "text", d("contact", "properties", "name")),
            Field("Coordinator's email", ("email",), "text", "An email address CJS can reply to."),
            Field("Coordinator's phone", ("phone",), "text", "Optional."),
            Field(
                "Coordinator's role", ("role",), "text", "Optional: the coordinator's job title."
            ),
        ),
    )
    sign_off = Form(
        "Sign-off (personal data: never copied into national reports)",
        ("sign_off",),
        (
            Field("Signed off by", ("name",), "text", d("sign_off", "properties", "name")),
            Field("Signatory's role", ("role",), "text", "e.g. Chair of the partnership."),
            Field(
                "Date signed off", ("date",), "date", "The date the partnership agreed the return."
            ),
            Field(
                "Section 27 return",
                ("section_27_return",),
                "yesno",
                "Yes: this is the partnership's agreed return to CJS under section 27 of the "
                "Community Justice (Scotland) Act 2016.",
            ),
            Field(
                "Section 23 report",
                ("section_23_report",),
                "yesno",
                "Yes: the partnership has published its own annual report (section 23).",
            ),
        ),
        if_blank="The sign-off is blank. Fill in who signed the return off, their role and the "
        "date, and answer both questions: the return is the partnership's agreed return only "
        "once it is signed off.",
    )
    governance = Form(
        "Governance",
        ("governance",),
        (
            Field(
                "How the partnership is governed",
                ("description",),
                "long",
                d("governance", "properties", "description")
                + " Include links to community planning. Required.",
            ),
            Field(
                "Independent chair",
                ("independent_chair",),
                "yesno",
                "Yes if the chair is independent of the statutory partners.",
            ),
            Field("Chair's role", ("chair_role",), "text", "e.g. Chief Officer, HSCP."),
            Field(
                "Plan period",
                ("plan_period",),
                "text",
                "The years of the local community justice outcomes improvement plan, e.g. "
                "2019-2022.",
            ),
            Field(
                "Reporting lines",
                ("reporting_lines",),
                "lines",
                d("governance", "properties", "reporting_lines") + " One per line.",
            ),
            Field(
                "Linked partnerships",
                ("linked_partnerships",),
                "lines",
                d("governance", "properties", "linked_partnerships") + " One per line.",
            ),
            Field(
                "Subgroups",
                ("subgroups",),
                "lines",
                d("governance", "properties", "subgroups") + " One per line.",
            ),
            Field(
                "Other partners",
                ("other_partners",),
                "lines",
                d("governance", "properties", "other_partners") + " One per line.",
            ),
            Field(
                "Third sector involvement",
                ("third_sector_involvement",),
                "long",
                "How the third sector takes part in the partnership.",
            ),
        ),
    )
    partners = Form(
        "Statutory partners' participation",
        ("governance", "partners"),
        tuple(
            Field(
                name,
                (code,),
                "choice",
                "How this partner takes part: active, regular, occasional or none.",
                "partner_participation_levels",
            )
            for code, name in ref.statutory_partners.items()
        ),
        header=("Statutory partner", "Participation"),
    )
    development = Form(
        "Partnership development work",
        ("governance",),
        (
            Field(
                "Development work",
                ("development",),
                "choice",
                "Work done this year to develop the partnership, one per row.",
                "partnership_development",
                repeat=len(ref.development),
            ),
        ),
    )
    context = Form(
        "Context",
        ("context",),
        (
            Field(
                "Impact of the pandemic",
                ("pandemic_impact",),
                "long",
                "How Covid-19 affected community justice work locally.",
            ),
            Field(
                "Local context",
                ("local_context",),
                "long",
                "Anything about the area a reader needs to understand the return.",
            ),
        ),
    )
    return Sheet(
        "Partnership",
        "Partnership, contact, sign-off and governance",
        "Answer in column B. Grey cells are fixed; white cells are for you.",
        (details, contact, sign_off, governance, partners, development, context),
        freeze="A3",
    )


def _outcome_sheet(ref: Reference, schema: dict[str, Any], key: str) -> Sheet:
    outcome = ref.outcomes[int(key)]
    base: DocPath = ("outcomes", key)
    usual = tuple(c for c, i in ref.indicators.items() if str(i.get("outcome")) == key)
    blocks: tuple[Block, ...] = (
        Table(
            "Activities", (*base, "activities"), _activity_fields(schema), rows=15, keep_empty=True
        ),
        Form(
            "Summary for this outcome",
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
                    "Only if there were no activities under this outcome: say why.",
                ),
            ),
            anchor=1,
        ),
        Table(
            "Indicators",
            (*base, "indicators"),
            (
                Field(
                    "Indicator",
                    (),
                    "choice",
                    "Choose an indicator from the list.",
                    "indicators",
                    width=50,
                ),
                Field(
                    "Number",
                    (),
                    "whole",
                    "A whole number for the reporting year (0 or more).",
                    width=14,
                ),
            ),
            rows=len(usual) + 2,
            mapping=True,
            prefill=usual,
        ),
        Table(
            "Case studies",
            (*base, "case_studies"),
            (
                Field(
                    "Case study title",
                    ("title",),
                    "text",
                    _describe(schema, "$defs", "case_study", "properties", "title"),
                    width=30,
                ),
                Field(
                    "Summary",
                    ("summary",),
                    "long",
                    _describe(schema, "$defs", "case_study", "properties", "summary"),
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
        Table(
            "Challenges for this outcome", (*base, "challenges"), _challenge_fields(schema), rows=3
        ),
    )
    return Sheet(
        f"Outcome {key}",
        f"Outcome {key}: {outcome['text']}",
        "One row per activity. Choose themes, status and partners from the drop-down lists; "
        "grey cells are fixed, white cells are for you.",
        blocks,
        freeze="B5",
    )


def _list_sheet(name: str, title: str, intro: str, table: Table) -> Sheet:
    return Sheet(name, title, intro, (table,), freeze="B5")


@cache
def workbook_layout() -> WorkbookLayout:
    """The layout of the return workbook, built from the schema and the reference data."""
    from cjreturns.contract.schema import load_schema

    ref = load_reference()
    schema = load_schema()
    outcome_keys = list(schema["properties"]["outcomes"]["required"])
    props = schema["properties"]
    sheets: list[Sheet] = [_partnership_sheet(ref, schema)]
    sheets += [_outcome_sheet(ref, schema, key) for key in outcome_keys]
    sheets.append(
        _list_sheet(
            "Local activity",
            "Local activity beyond the national outcomes",
            "Activities that fit none of the seven national outcomes, one per row.",
            Table("Local activities", ("local_activity",), _activity_fields(schema), rows=10),
        )
    )
    sheets.append(
        _list_sheet(
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
                        _describe(props, "achievements", "items", "properties", "title"),
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
        )
    )
    sheets.append(
        _list_sheet(
            "Challenges",
            "Gaps and challenges across the partnership",
            "One challenge per row.",
            Table("Challenges", ("challenges",), _challenge_fields(schema), rows=10),
        )
    )
    sheets.append(
        _list_sheet(
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
                        _describe(props, "recommendations", "items", "properties", "id"),
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
        )
    )
    sheets.append(
        _list_sheet(
            "Next steps",
            "Next steps",
            "One next step per row.",
            Table(
                "Next steps",
                ("next_steps",),
                (Field("Next step", (), "long", _describe(props, "next_steps"), width=100),),
                rows=10,
            ),
        )
    )
    return WorkbookLayout(tuple(sheets), build_vocabularies(ref, schema), schema_root=schema)


def in_contract_order(value: Any, *, like: DocPath = (), schema: str | None = None) -> Any:
    """`value` with every mapping's keys in the order the contract (the schema) lists them.

    `like` is where `value` sits in a return. Keys the schema does not know keep their order
    after the known ones. Used so a workbook, a conversion or a JSON dump reads like the
    contract, whatever order the source file had. `schema` is the framework's; for a whole
    return it is found from the return (its year, else its shape).
    """
    from cjreturns.contract.schema import load_schema

    if schema is None:
        schema = "return.schema.json"
        if not like and isinstance(value, dict):
            from cjreturns.contract.frameworks import framework, framework_for_year, shape_of

            found = framework_for_year(value.get("reporting_year"))
            shape = shape_of(value)
            schema = (found or framework(shape or "opif_2016")).schema
    return order_like_schema(value, load_schema(schema), like=like)


__all__ = [
    "FIRST_BLOCK_ROW",
    "GUIDANCE_SHEET",
    "INTRO_ROW",
    "LISTS_SHEET",
    "REPEAT_HEADER",
    "TITLE_ROW",
    "Block",
    "Field",
    "Form",
    "Kind",
    "Sheet",
    "Table",
    "Vocabulary",
    "WorkbookLayout",
    "build_vocabularies",
    "fold",
    "humanise",
    "in_contract_order",
    "workbook_layout",
]
