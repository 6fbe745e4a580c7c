"""Writes examples/returns/2024-25/: a contract 2.0 return for each of the 30 partnerships.

The files are committed; this script is how they were made (`python examples/make_cjpf_examples.py
--force`). Each partnership keeps its 2021-22 example's contact, sign-off and governance, and
gets work under the 13 priority actions drawn from the bank below, chosen and sized by a
generator seeded with its name, so the collection is varied but the same on every run.
Measures are set from the partnership's population. A few returns carry warnings on purpose:
two are late, some report no activity for a priority action (with a reason), one has more
diversion cases commenced than assessments, one names its partnership by an alias.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "examples" / "returns" / "2021-22"
OUT = ROOT / "examples" / "returns" / "2024-25"
YEAR = "2024-25"

# Per priority action: (title, description, themes, partners, third sector). {p} = partnership.
BANK: dict[int, list[tuple[str, str, list[str], list[str], list[str]]]] = {
    1: [
        (
            "Diversion from prosecution pathway review",
            "Justice social work and the Crown Office reviewed the local diversion pathway in {p}, "
            "agreeing referral criteria, a shared assessment form and faster allocation so that "
            "more people start diversion within ten working days of referral.",
            ["diversion"],
            ["local_authority"],
            [],
        ),
        (
            "Early intervention for young people",
            "A worker based with the youth justice team offers early and effective intervention to "
            "16 and 17 year olds referred by the police, with family support and links to "
            "education and employability services.",
            ["direct_measures", "diversion"],
            ["local_authority", "police_scotland"],
            ["Includem"],
        ),
    ],
    2: [
        (
            "Custody link workers",
            "Third sector link workers see people in police custody in {p} each weekday, offering "
            "support with housing, substance use and mental health, and a follow-up appointment "
            "after release from custody.",
            ["arrest_referral", "substance_use_services"],
            ["police_scotland", "health_board"],
            ["Turning Point Scotland"],
        ),
        (
            "Arrest referral information",
            "Police custody staff and health partners agreed a single information leaflet and a "
            "referral route to local recovery services for people held in custody.",
            ["arrest_referral"],
            ["police_scotland"],
            [],
        ),
    ],
    3: [
        (
            "Bail supervision and support service",
            "Justice social work offered bail assessments for every person appearing from custody "
            "at the sheriff court, with supervision and practical support as an alternative to "
            "remand.",
            ["bail_supervision"],
            ["local_authority", "scts"],
            [],
        ),
        (
            "Remand reduction working group",
            "Partners reviewed the local remand population with the court and agreed actions to "
            "increase the use of bail supervision, including earlier information for sheriffs.",
            ["bail_supervision", "partnership_development"],
            ["scts", "local_authority"],
            [],
        ),
    ],
    4: [
        (
            "Electronic monitoring awareness sessions",
            "Sessions for sheriffs, solicitors and social workers explained the use of electronic "
            "monitoring with bail and community sentences and how it can support people to comply.",
            ["electronic_monitoring", "workforce_development"],
            ["scts", "local_authority"],
            [],
        ),
    ],
    5: [
        (
            "Unpaid work projects for the community",
            "Unpaid work teams completed projects chosen by community councils, including "
            "refurbishing community halls, clearing paths and building raised beds for a "
            "community garden.",
            ["cpo_unpaid_work", "unpaid_work_community"],
            ["local_authority"],
            [],
        ),
        (
            "Other activity within unpaid work",
            "People on community payback orders used other activity hours for learning, "
            "including literacy and numeracy, first aid and preparing for employment.",
            ["cpo_unpaid_work", "employability"],
            ["local_authority"],
            ["Apex Scotland"],
        ),
        (
            "Women's justice service",
            "A women's service brings justice social work, health and third sector support "
            "together in one place for women subject to community sentences.",
            ["holistic_support", "gender_based_violence"],
            ["local_authority", "health_board"],
            ["Sacro"],
        ),
    ],
    6: [
        (
            "Restorative justice service development",
            "Partners set up a restorative justice service following the national guidance, "
            "trained facilitators and agreed how people harmed by crime can ask for it.",
            ["restorative_justice"],
            ["local_authority"],
            ["Sacro"],
        ),
    ],
    7: [
        (
            "Health care on release from prison",
            "Prison and community health teams agreed how prescriptions, GP registration and "
            "appointments are arranged before release so that treatment continues on the day "
            "a person leaves prison.",
            ["throughcare", "drug_alcohol_interventions"],
            ["health_board", "scottish_ministers"],
            [],
        ),
        (
            "Naloxone on release",
            "Everyone leaving prison to {p} is offered naloxone and training, and people on "
            "community sentences are offered it at their first appointment.",
            ["drug_alcohol_interventions"],
            ["health_board"],
            [],
        ),
    ],
    8: [
        (
            "SHORE standards housing pathway",
            "Housing, prison and justice social work staff use the SHORE standards to plan "
            "accommodation before release, starting housing applications at least eight weeks "
            "before the release date.",
            ["housing", "throughcare"],
            ["local_authority", "scottish_ministers"],
            [],
        ),
        (
            "Housing First places for people leaving custody",
            "Housing First tenancies with intensive support were made available to people "
            "leaving custody who have been homeless several times before.",
            ["housing"],
            ["local_authority"],
            ["Simon Community Scotland"],
        ),
    ],
    9: [
        (
            "Employability support on community sentences",
            "An employability worker offers people on community payback orders help with "
            "qualifications, job search and disclosure of convictions, with links to the local "
            "employability partnership.",
            ["employability", "employability_readiness"],
            ["local_authority", "sds"],
            ["Apex Scotland"],
        ),
        (
            "Life skills group work",
            "A group programme covers budgeting, cooking on a budget and digital skills, delivered "
            "with the adult learning team.",
            ["practical_support", "digital_inclusion"],
            ["local_authority"],
            [],
        ),
    ],
    10: [
        (
            "Voluntary throughcare mentoring",
            "Mentors meet people serving short prison sentences before release and support them "
            "for up to six months in the community with housing, benefits and appointments.",
            ["throughcare", "peer_support"],
            ["scottish_ministers"],
            ["Sacro"],
        ),
        (
            "Third sector forum",
            "The community justice forum brings third sector organisations together each quarter "
            "to share information about services and plan joint work.",
            ["partnership_development"],
            [],
            ["Voluntary Action"],
        ),
    ],
    11: [
        (
            "Strategic needs and strengths assessment",
            "The partnership completed its strategic needs and strengths assessment, using "
            "justice, health and housing data to set priorities for the new outcomes improvement "
            "plan.",
            ["needs_assessment", "partnership_development"],
            ["local_authority", "health_board"],
            [],
        ),
        (
            "Community Justice Improvement Tool self-evaluation",
            "Partners used the CJS Community Justice Improvement Tool to evaluate leadership, "
            "governance and strategic planning, and agreed an improvement plan.",
            ["partnership_development"],
            ["local_authority", "police_scotland"],
            [],
        ),
    ],
    12: [
        (
            "Lived experience panel",
            "A panel of people with experience of the justice system advises the partnership and "
            "reviewed the new outcomes improvement plan before it was published.",
            ["lived_experience_planning", "co_production"],
            ["local_authority"],
            [],
        ),
        (
            "Listening to people harmed by crime",
            "Partners worked with victim support services to hear the views of people harmed by "
            "crime and families, and included them in the planning of services.",
            ["consultation_planning"],
            ["local_authority"],
            ["Victim Support Scotland"],
        ),
    ],
    13: [
        (
            "Second chances campaign",
            "A local campaign on social media and in libraries shared stories of people who have "
            "moved on from offending, to challenge stigma and raise awareness of community "
            "justice.",
            ["stigma_awareness", "social_media"],
            ["local_authority"],
            [],
        ),
        (
            "Community justice awareness for staff",
            "Short awareness sessions for council, health and police staff explained community "
            "justice, the national strategy and the local plan.",
            ["workforce_development", "stigma_awareness"],
            ["local_authority", "police_scotland"],
            [],
        ),
    ],
}

NO_ACTIVITY_REASONS = {
    4: "Electronic monitoring is delivered nationally; no local work was planned this year.",
    6: "A restorative justice service is planned for 2025-26 once national funding is agreed.",
    12: "Work to involve victims and people with lived experience was delayed by staff changes.",
}
CHALLENGES = {
    3: ("remand_bail_diversion", "The use of bail supervision remains low compared with remand."),
    5: ("court_backlogs", "Unpaid work hours outstanding from earlier years are still high."),
    8: ("complexity_of_need", "Suitable accommodation on release is hard to find at short notice."),
    7: ("specialist_service_capacity", "Waiting times for mental health services are long."),
}
RATES = {  # per 10,000 people: (low, high)
    "diversion_assessments": (6, 14),
    "custody_referrals": (5, 20),
    "bail_assessment_reports": (3, 9),
    "cpo_commenced": (15, 30),
    "voluntary_throughcare_commenced": (0.5, 3),
}
LATE = {"Moray", "Clackmannanshire"}
MORE_COMMENCED = {"Angus"}
ALIAS = {"Orkney Islands": "Orkney"}


def _v1_return(name: str) -> dict[str, Any]:
    from cjreturns.readers import read_return
    from cjreturns.reference import load_reference

    for path in sorted(V1.iterdir()):
        doc = read_return(path).document
        if load_reference().resolve_partnership(doc["partnership"])[0].name == name:
            return dict(doc)
    raise KeyError(name)


def _count(rng: random.Random, population: int, code: str) -> int:
    low, high = RATES[code]
    return max(1, round(population / 10_000 * rng.uniform(low, high)))


def build(name: str, population: int) -> dict[str, Any]:
    rng = random.Random(f"cjreturns {YEAR} {name}")
    old = _v1_return(name)
    governance = dict(old["governance"])
    governance["plan_period"] = "2024-2029"
    late = name in LATE
    submitted = (
        f"2025-{'10' if late else '09'}-{rng.randint(8, 24) if late else rng.randint(18, 30):02d}"
    )
    sign_off = dict(old.get("sign_off") or {})
    if sign_off:
        sign_off["date"] = submitted[:-2] + f"{int(submitted[-2:]) - 1:02d}"
    doc: dict[str, Any] = {
        "schema_version": "2.0",
        "partnership": ALIAS.get(name, name),
        "reporting_year": YEAR,
        "submitted_on": submitted,
        "contact": old["contact"],
    }
    if sign_off:
        doc["sign_off"] = sign_off
    doc["governance"] = governance
    doc["context"] = {
        "local_context": old.get("context", {}).get("local_context")
        or f"{name} has its own mix of urban and rural communities."
    }
    if rng.random() < 0.6:
        doc["improvement_tool"] = {
            "used": True,
            "completed_on": f"2025-0{rng.randint(1, 3)}-2{rng.randint(0, 8)}",
        }
    quiet = {pa for pa in NO_ACTIVITY_REASONS if rng.random() < 0.12}
    actions: dict[str, Any] = {}
    for pa, bank in BANK.items():
        entry: dict[str, Any] = {}
        if rng.random() < 0.7:
            entry["self_evaluation"] = rng.choice([3, 4, 4, 4, 5, 5, 6])
        if pa in quiet:
            entry["activities"] = []
            entry["no_activity_reason"] = NO_ACTIVITY_REASONS[pa]
        else:
            chosen = rng.sample(bank, k=rng.randint(1, len(bank)))
            acts = []
            for title, description, themes, partners, third in chosen:
                act: dict[str, Any] = {
                    "title": title,
                    "description": description.format(p=name),
                    "themes": themes,
                    "status": rng.choice(["completed", "in_progress", "in_progress", "planned"]),
                }
                if partners:
                    act["partners"] = partners
                if third:
                    act["third_sector"] = third
                if pa in (7, 8) and rng.random() < 0.4:
                    act["also_priority_actions"] = [10]
                if rng.random() < 0.3:
                    act["period"] = {"start": "2024-04-01", "end": "2025-03-31"}
                acts.append(act)
            entry["activities"] = acts
        if pa in CHALLENGES and rng.random() < 0.4:
            code, text = CHALLENGES[pa]
            entry["challenges"] = [{"code": code, "description": text}]
        if pa == 5 and rng.random() < 0.3:
            entry["case_studies"] = [
                {
                    "title": "Moving on through unpaid work",
                    "summary": "A man in his thirties completed his unpaid work hours on a community "
                    "garden project, went on to a college course and now volunteers with the project "
                    "two days a week.",
                    "consent_confirmed": True,
                }
            ]
        actions[str(pa)] = entry
    doc["priority_actions"] = actions
    doc["outcomes"] = _outcomes(rng, name, population)
    doc["challenges"] = [
        {"code": code, "description": text}
        for code, text in rng.sample(
            [
                ("workforce", "Recruiting and keeping justice social workers is difficult."),
                (
                    "cost_of_living",
                    "The cost of living adds to the needs people bring to services.",
                ),
                ("data_gaps", "Data on outcomes for people after sentences end is limited."),
                ("rurality", "Travel distances make services hard to reach in rural areas."),
                (
                    "third_sector_sustainability",
                    "Short-term funding puts third sector services at risk.",
                ),
            ],
            k=rng.randint(1, 3),
        )
    ]
    doc["next_steps"] = ["Publish the new community justice outcomes improvement plan."]
    return doc


def _outcomes(rng: random.Random, name: str, population: int) -> dict[str, Any]:
    assessed = _count(rng, population, "diversion_assessments")
    commenced = round(assessed * rng.uniform(0.55, 0.85))
    if name in MORE_COMMENCED:
        commenced = assessed + rng.randint(2, 6)  # a warning on purpose
    bail_reports = _count(rng, population, "bail_assessment_reports")
    bail = round(bail_reports * rng.uniform(0.3, 0.7))
    cpo = _count(rng, population, "cpo_commenced")
    out: dict[str, Any] = {
        "1": {
            "measures": {
                "diversion_assessments": assessed,
                "diversion_commenced": commenced,
                "diversion_completed": round(commenced * rng.uniform(0.6, 0.9)),
            }
        },
        "2": {"measures": {"custody_referrals": _count(rng, population, "custody_referrals")}},
        "3": {
            "measures": {
                "bail_assessment_reports": bail_reports,
                "bail_supervision_commenced": bail,
                "bail_supervision_completed": round(bail * rng.uniform(0.5, 0.9)),
            }
        },
        "4": {
            "measures": {"cpo_commenced": cpo, "cpo_completed": round(cpo * rng.uniform(0.6, 0.85))}
        },
    }
    if rng.random() < 0.7:
        out["8"] = {
            "measures": {
                "voluntary_throughcare_commenced": _count(
                    rng, population, "voluntary_throughcare_commenced"
                )
            }
        }
    if rng.random() < 0.5:
        out["9"] = {
            "narrative": "A survey at community events found most people who answered "
            "knew what unpaid work is and agreed it benefits the community."
        }
    if rng.random() < 0.3:
        del out["2"]  # not every partnership can get custody figures
    return out


def _as_people_write_it(value: Any, parent: str = "") -> Any:
    """Numbered sections as `1:` and dates bare (2025-09-26), as coordinators write YAML."""
    if isinstance(value, dict):
        numbered = parent in ("priority_actions", "outcomes")
        return {
            (int(k) if numbered else k): _as_people_write_it(v, str(k)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_as_people_write_it(v, parent) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from cjreturns.reference import load_reference

    OUT.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(load_reference().partnerships):
        doc = build(p.name, p.population)
        slug = p.name.lower().replace(" ", "-")
        as_json = i % 3 == 0
        path = OUT / f"{slug}.{'json' if as_json else 'yaml'}"
        if path.exists() and not args.force:
            print(f"{path} exists; use --force", file=sys.stderr)
            return 2
        if as_json:
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        else:
            head = f"# Community justice annual return {YEAR}: {p.name}\n"
            text = head + yaml.safe_dump(
                _as_people_write_it(doc), sort_keys=False, allow_unicode=True, width=100
            )
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
