"""One mechanism for every framework's workbook: a framework says what its workbook has of its
own (a `WorkbookSpec`), and `build_layout` puts that between what every workbook shares.

Every workbook is the Partnership sheet (with any blocks of the framework's own), the
framework's sheets, then the sheets of lists (local activity, achievements, challenges,
recommendations, next steps), with the drop-down lists of the framework's schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cjreturns.contract.frameworks import FrameworkId, framework
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.contract.workbook_layout.partnership import partnership_sheet
from cjreturns.contract.workbook_layout.parts import activity_fields, list_sheets
from cjreturns.contract.workbook_layout.vocabularies import build_vocabularies
from cjreturns.readers.layout_model import Field, Form, Sheet, Vocabulary, WorkbookLayout

# A framework's own sheets, from the reference, its schema and its activity columns.
SheetsOf = Callable[[Reference, dict[str, Any], tuple[Field, ...]], list[Sheet]]


def _none() -> dict[str, Vocabulary]:
    return {}


@dataclass(frozen=True)
class WorkbookSpec:
    """What one framework's workbook has of its own."""

    framework: FrameworkId
    # The activity column naming the priority actions an activity serves.
    priority_actions: Field
    # The sheets between the Partnership sheet and the sheets of lists.
    sheets: SheetsOf
    # The Local activity sheet's title and intro: what the activity there lies beyond.
    local_activity: tuple[str, str]
    # Blocks of its own at the end of the Partnership sheet.
    partnership: tuple[Form, ...] = ()
    # Drop-down lists it adds to its schema's, or labels its own way (by name).
    vocabularies: Callable[[], dict[str, Vocabulary]] = _none
    # Sheets only its workbook has, by which a filled-in workbook is known to be its.
    marks: Callable[[], frozenset[str]] = frozenset


def build_layout(spec: WorkbookSpec) -> WorkbookLayout:
    """The framework's workbook, built from its schema and the reference data."""
    from cjreturns.contract.schema import load_schema

    schema_file = framework(spec.framework).schema
    schema = load_schema(schema_file)
    ref = load_reference()
    activities = activity_fields(schema, spec.priority_actions)
    sheets = [
        partnership_sheet(ref, schema, spec.partnership),
        *spec.sheets(ref, schema, activities),
        *list_sheets(schema, activities, spec.local_activity),
    ]
    vocabularies = {**build_vocabularies(ref, schema), **spec.vocabularies()}
    return WorkbookLayout(tuple(sheets), vocabularies, schema=schema_file, schema_root=schema)
