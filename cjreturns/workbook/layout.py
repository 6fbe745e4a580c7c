"""The coordinator's workbook, described once: its sheets, the blocks on each sheet, every input
cell's document path, its kind of value and the vocabulary behind each drop-down list.

The generator (`cjreturns.workbook.template`) and the reader (`cjreturns.readers.workbook`) both
walk this description, so they cannot drift apart. Codes come from the schema (each vocabulary's
`enum`), readable labels from the reference data, help text from the schema's descriptions where
it has one: when the schema or the reference changes, the workbook follows.

Two shapes of block cover the whole return:

- a `Form`: one question per row, the label in column A and the answer in column B;
- a `Table`: a header row, then one row per item of a list (or a mapping, for indicators).

A field that holds a list of codes (an activity's themes and statutory partners, the
partnership's development work) is spread over numbered columns or rows ("Theme 1", "Theme 2"
...), each with its own drop-down list: Excel can only check one choice per cell, and a separate
cell per choice lets a finding point at the exact cell to fix. Lists of names and links are typed
one per line in a single cell (Alt+Enter starts a new line; a semicolon also separates items).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from cjreturns.reference import Reference, load_reference
from cjreturns.validation.findings import DocPath

# What a cell holds, which decides how it is written, checked in Excel and read back:
#   text, long   one piece of text (long: narrative, wrapped in a wide column)
#   date         a date (an Excel date; ISO text is accepted too)
#   whole        a whole number >= 0 (Excel checks it as you type)
#   yesno        Yes or No, read as true or false
#   choice       a label from a drop-down list, read as its code (the code itself is accepted)
#   numbers      whole numbers separated by commas (priority actions 1 to 13)
#   lines        several names or links, one per line
#   figures      one figure per line, written "what was counted: number unit"
Kind = Literal["text", "long", "date", "whole", "yesno", "choice", "numbers", "lines", "figures"]

# Sheets for people and for the drop-down lists; the reader does not read them.
GUIDANCE_SHEET = "Guidance"
LISTS_SHEET = "Lists"

# Rows at the top of every data sheet: the sheet's heading, then one line of instructions.
TITLE_ROW = 1
INTRO_ROW = 2
FIRST_BLOCK_ROW = 3


# The header of one column (or row) of a field spread over several: "Theme 2".
REPEAT_HEADER = re.compile(r"^(?P<label>.+?) (?P<n>\d+)$")


@dataclass(frozen=True)
class Field:
    """One input: a column of a table or a row of a form.

    `path` is relative to the table's item (or the form's base); `repeat` > 0 spreads a list
    over that many numbered columns or rows, each holding one element.
    """

    label: str
    path: tuple[str, ...]
    kind: Kind
    help: str
    vocabulary: str | None = None
    repeat: int = 0
    width: float = 20

    def labels(self, count: int | None = None) -> list[str]:
        """The header (or row label) of each column or row this field occupies."""
        if not self.repeat:
            return [self.label]
        return [f"{self.label} {n}" for n in range(1, (count or self.repeat) + 1)]


@dataclass(frozen=True)
class Form:
    """Questions, one per row: the label in column A, the answer in column B, help in C."""

    title: str
    base: DocPath
    fields: tuple[Field, ...]
    header: tuple[str, str] | None = None  # shown above the rows when the rows are a list
    anchor: int = 0  # the field whose cell a finding about the whole form points at

    @property
    def first_label(self) -> str:
        return self.fields[0].labels()[0]


@dataclass(frozen=True)
class Table:
    """A header row and one row per item of the list (or mapping) at `path`.

    `mapping`: the first field is the key and the second the value of a mapping (indicators).
    A field with an empty `path` is the item itself (a list of plain text, as in next steps).
    `rows`: the blank rows the template offers (the generator adds more if a return needs them;
    the reader reads however many there are).
    """

    title: str
    path: DocPath
    fields: tuple[Field, ...]
    rows: int
    mapping: bool = False
    prefill: tuple[str, ...] = ()  # mapping keys written into the template's first rows
    keep_empty: bool = False  # an empty table reads as [] (else the key is left out)

    @property
    def first_label(self) -> str:
        return self.fields[0].labels()[0]


Block = Form | Table


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    intro: str
    blocks: tuple[Block, ...]
    freeze: str  # the top-left cell that stays in view when scrolling


@dataclass(frozen=True)
class Vocabulary:
    """The codes of one list with the label a person sees for each, in reference order."""

    name: str
    codes: tuple[Any, ...]
    labels: tuple[str, ...]
    strict: bool = True  # False: the list suggests names but other text is allowed
    _lookup: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def label(self, code: Any) -> str | None:
        for c, lab in zip(self.codes, self.labels, strict=True):
            if c == code:
                return lab
        return None

    def resolve(self, text: str) -> Any | None:
        """The code for a label or a code as typed (any case or spacing), or None."""
        return self._lookup.get(fold(text))


@dataclass(frozen=True)
class WorkbookLayout:
    sheets: tuple[Sheet, ...]
    vocabularies: dict[str, Vocabulary]
    schema: str = "return.schema.json"  # the framework's schema (see schemas/frameworks.yaml)

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    def fields(self) -> Iterator[tuple[Sheet, Block, Field]]:
        for s in self.sheets:
            for b in s.blocks:
                for f in b.fields:
                    yield s, b, f


def fold(text: str) -> str:
    """Compare labels as people type them: any case, any spacing, dashes alike."""
    return " ".join(text.replace("–", "-").replace("—", "-").casefold().split())


def humanise(code: str) -> str:
    """`in_progress` -> `In progress`: a readable label for codes the reference gives no name."""
    return code.replace("_", " ").capitalize()


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
        "themes": {k: v["name"] for k, v in ref.themes.items()},
        "statutory_partners": dict(ref.statutory_partners),
        "partnership_development": dict(ref.development),
        "challenges": dict(ref.challenges),
        "indicators": {k: v["name"] for k, v in ref.indicators.items()},
        "self_evaluation": {k: f"{k} – {humanise(v)}" for k, v in ref.self_evaluation.items()},
        "priority_actions": {k: f"{k} – {v}" for k, v in ref.priority_actions.items()},
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
            "Figures that fit no indicator, one per line as `what was counted: number unit`, "
            "e.g. `people attending: 96 people`.",
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
                "The financial year the return covers, 1 April to 31 March, e.g. 2021-22.",
            ),
            Field(
                "Date submitted",
                ("submitted_on",),
                "date",
                "The date the return is sent to CJS (due 30 September).",
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
    from cjreturns.validation.schema import load_schema

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
    return WorkbookLayout(tuple(sheets), build_vocabularies(ref, schema))


# -- document order ------------------------------------------------------------------------------


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _child(node: Any, key: str | int, root: dict[str, Any]) -> Any:
    node = _resolve(node, root)
    if not isinstance(node, dict):
        return {}
    if isinstance(key, int):
        return node.get("items", {})
    props = node.get("properties", {})
    if key in props:
        return props[key]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else {}


def in_contract_order(value: Any, *, like: DocPath = (), schema: str | None = None) -> Any:
    """`value` with every mapping's keys in the order the contract (the schema) lists them.

    `like` is where `value` sits in a return. Keys the schema does not know keep their order
    after the known ones. Used so a workbook, a conversion or a JSON dump reads like the
    contract, whatever order the source file had. `schema` is the framework's; for a whole
    return it is found from the return (its year, else its shape).
    """
    from cjreturns.validation.schema import load_schema

    if schema is None:
        schema = "return.schema.json"
        if not like and isinstance(value, dict):
            from cjreturns.frameworks import framework, framework_for_year, shape_of

            found = framework_for_year(value.get("reporting_year"))
            shape = shape_of(value)
            schema = (found or framework(shape or "opif_2016")).schema
    root = load_schema(schema)
    node: Any = root
    for key in like:
        node = _child(node, key, root)
    return _order(value, node, root)


def _order(value: Any, node: Any, root: dict[str, Any]) -> Any:
    node = _resolve(node, root)
    if isinstance(value, dict):
        node = node if isinstance(node, dict) else {}
        # Named fields in the schema's order; codes of a mapping (partners, indicators) in
        # their vocabulary's order.
        known = list(node.get("properties", {})) or list(
            node.get("propertyNames", {}).get("enum", [])
        )
        keys = [k for k in known if k in value] + [k for k in value if k not in known]
        return {k: _order(value[k], _child(node, k, root), root) for k in keys}
    if isinstance(value, list):
        return [_order(v, _child(node, 0, root), root) for v in value]
    return value
