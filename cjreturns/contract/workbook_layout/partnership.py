"""The Partnership sheet, the same under both frameworks: the partnership and its year, the
coordinator's contact, the sign-off, governance, statutory partners' participation, development
work and context. Help text comes from the schema's descriptions where it has one."""

from __future__ import annotations

from typing import Any

from cjreturns.contract.reference import Reference
from cjreturns.contract.workbook_layout.parts import describe
from cjreturns.readers.layout_model import Field, Form, Sheet


def partnership_sheet(
    ref: Reference, schema: dict[str, Any], extra: tuple[Form, ...] = ()
) -> Sheet:
    """The Partnership sheet: who sends the return, who signed it off, how the partnership is
    governed and works, and its context; `extra` are a framework's own blocks after those."""
    props = schema["properties"]

    def d(*pointer: str) -> str:
        return describe(props, *pointer)

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
        (details, contact, sign_off, governance, partners, development, context, *extra),
        freeze="A3",
    )
