"""Reads the delivery plan seeds (the published text) so tests can check our transcription.

The seeds are the text of the published pages, kept beside the repository in `shared/seeds`
(in CI a copy of `shared/` sits beside the clone; in a worktree it may be one level further up).
These parsers are deliberately independent of cjreturns: they read the page layout, not our YAML.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UPDATE_2 = "delivery-plan-update-2-march-2024.txt"
AIM_4 = "delivery-plan-aim4-2023.txt"
COMPLETED = "Deliverable completed – see section ‘Previously completed deliverables’"
STATUS_CODES = {
    "In progress": "in_progress",
    "In progress (with revised timescale)": "in_progress_revised",
    "Outstanding": "outstanding",
    "Complete": "complete",
    COMPLETED: "completed_previously",
}
MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def seed_path(name: str) -> Path:
    """The seed file, or skip the test saying where it was looked for."""
    candidates = []
    if os.environ.get("CJRETURNS_SHARED"):
        candidates.append(Path(os.environ["CJRETURNS_SHARED"]))
    candidates += [REPO.parent / "shared", REPO.parent.parent / "shared"]
    for root in candidates:
        if (root / "seeds" / name).is_file():
            return root / "seeds" / name
    looked = ", ".join(str(c / "seeds") for c in candidates)
    pytest.skip(f"the seed {name} is not beside the repository (looked in {looked})")


def month(text: str) -> str:
    """'June 2024' -> '2024-06'."""
    name, year = text.split()
    return f"{int(year):04d}-{MONTHS.index(name) + 1:02d}"


@dataclass
class SeedDeliverable:
    number: int
    aim: int
    priority_action: int
    sections: dict[str, list[str]] = field(default_factory=dict)

    def text(self, section: str) -> str:
        """A section's words, white space normalised (paragraph breaks do not count)."""
        return " ".join(" ".join(self.sections.get(section, [])).split())

    @property
    def status(self) -> str | None:
        words = self.text("Status")
        return STATUS_CODES[words] if words else None

    def timescale(self) -> tuple[str | None, str | None, list[tuple[int, str]]]:
        """(first month, or None; the words when not one month; [(in_update, month)])."""
        words = self.text("Timescale")
        first, *rest = re.split(r" ?Revised in update ", words)
        revisions = []
        for r in rest:
            m = re.fullmatch(r"(\d+) to (\w+ \d{4})", r)
            assert m, r
            revisions.append((int(m.group(1)), month(m.group(2))))
        if re.fullmatch(r"\w+ \d{4}", first) and first.split()[0] in MONTHS:
            return month(first), None, revisions
        return None, first, revisions

    def responsibility(self) -> tuple[str, str]:
        """(lead text, collaborators text) as published."""
        words = " ".join(self.text("Responsibility").replace("•", " ").split())
        lead, _, collaborators = words.partition("In collaboration with")
        lead = re.sub(r"^Lead partners? [-–]\s*", "", lead.strip())
        return lead.strip(), re.sub(r"^[-–]\s*", "", collaborators.strip())


_SECTIONS = ("Deliverable", "Timescale", "Responsibility", "Further detail", "Update", "Status")


def parse_update(path: Path) -> list[SeedDeliverable]:
    """The table of deliverables in a published update, in page order."""
    out: list[SeedDeliverable] = []
    aim = pa = 0
    current: SeedDeliverable | None = None
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "Contact":
            break
        if m := re.match(r"Aim (\d+): ", line):
            aim, current = int(m.group(1)), None
        elif m := re.match(r"Priority Action (\d+): ", line):
            pa, current = int(m.group(1)), None
        elif m := re.fullmatch(r"No (\d+)", line):
            current = SeedDeliverable(int(m.group(1)), aim, pa)
            out.append(current)
            section = ""
        elif line == "No":  # the table's header row, repeated on the page: not a deliverable
            current = None
        elif current is not None and line in _SECTIONS:
            section = line
            current.sections.setdefault(section, [])
        elif current is not None and section:
            current.sections[section].append(line)
    return out


def parse_plan(path: Path) -> list[SeedDeliverable]:
    """The deliverables in the plan as first published (the aim 4 extract's layout)."""
    out: list[SeedDeliverable] = []
    aim = pa = 0
    current: SeedDeliverable | None = None
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "Contact":
            break
        if m := re.match(r"Aim (\d+) - ", line):
            aim, current = int(m.group(1)), None
        elif m := re.fullmatch(r"Priority Action (\d+):", line):
            pa, current = int(m.group(1)), None
        elif m := re.match(r"(\d+)\. (.+)$", line):
            current = SeedDeliverable(int(m.group(1)), aim, pa, {"Deliverable": [m.group(2)]})
            out.append(current)
            section = "Deliverable"
        elif current is not None and (m := re.fullmatch(r"Timescale: (.+)", line)):
            current.sections["Timescale"] = [m.group(1)]
            section = ""
        elif current is not None and line in ("Responsibility:", "Further Detail:"):
            section = "Responsibility" if line.startswith("R") else "Further detail"
            current.sections[section] = []
        elif current is not None and section:
            current.sections[section].append(line)
    return out
