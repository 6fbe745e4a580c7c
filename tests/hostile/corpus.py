"""A corpus of hostile and broken returns, built in a temporary folder at test time.

Big and binary cases (100,000 levels of brackets, a zip bomb, a FIFO, 3,000 files) are made on
the fly rather than committed. Each case says what the user must be told: `problem` is a regular
expression the command's output must match, next to the file's name.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "returns" / "2021-22"
VALID_YAML = EXAMPLES / "fife.yaml"
VALID_JSON = EXAMPLES / "angus.json"

# A file an unsafe YAML loader would create (next to the returns folder); it must never appear.
PWNED_MARKER = "cjreturns-hostile-pwned"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it, and what the user must be told about it."""

    name: str
    build: Callable[[Path], Path]  # makes the input inside a folder; returns the file or folder
    problem: str  # regular expression the message must match
    env: Mapping[str, str] = field(default_factory=dict)
    # The name the message must show: the input's own name unless given here.
    shown: str | None = None
    # Exit codes accepted from `cjreturns validate` given the input directly.
    validate_exit: tuple[int, ...] = (1,)
    # A folder case: the input is itself the folder of returns; commands that take one file are
    # given the file named `shown` inside it.
    folder: bool = False
    # About a folder as a whole (thousands of files): commands that take one file do not apply.
    whole_folder: bool = False
    # Needs a Unix system feature (FIFO, /dev/zero, symlinks).
    posix_only: bool = False
    # The file reads, but is not a valid return: `convert` (which does not validate) converts it.
    converts: bool = False


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def build(where: Path) -> Path:
        path = where / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return path

    return build


def _valid_yaml() -> str:
    return VALID_YAML.read_text(encoding="utf-8")


def _valid_json() -> str:
    return VALID_JSON.read_text(encoding="utf-8")


def _truncated_json(where: Path) -> Path:
    text = _valid_json()
    return _write("truncated.json", text[: len(text) // 2])(where)


def _truncated_yaml(where: Path) -> Path:
    lines = _valid_yaml().splitlines()
    # Cut mid-file, in the middle of a quoted value, as an interrupted save or copy leaves it.
    text = "\n".join(lines[: len(lines) // 2]) + '\n  - title: "Unfinis'
    return _write("truncated.yaml", text)(where)


def _alias_bomb(where: Path) -> Path:
    """Billion laughs: nine levels of nine aliases each expand to 9**9 values."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return _write("alias-bomb.yaml", "\n".join(lines) + "\n")(where)


def _object_tag(where: Path) -> Path:
    marker = where.parent / PWNED_MARKER  # outside the folder of returns
    text = _valid_yaml().replace(
        "partnership: Fife",
        f'partnership: !!python/object/apply:os.system ["touch {marker}"]',
        1,
    )
    assert "!!python" in text
    return _write("object-tag.yaml", text)(where)


def _python_name_tag(where: Path) -> Path:
    return _write("python-name.yaml", "partnership: !!python/name:os.system\n")(where)


def _deep_yaml_block(where: Path) -> Path:
    text = "".join(" " * i + "a:\n" for i in range(3_000))
    return _write("deep-block.yaml", text)(where)


def _over_size_limit(where: Path) -> Path:
    return _write("too-big.yaml", _valid_yaml())(where)


def _zip(members: Mapping[str, bytes], *, level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _zip_bomb(where: Path) -> Path:
    """A workbook-shaped zip whose one sheet unzips to 20 MB of zeros (the limit is set to 1 MB)."""
    data = _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
            "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024),
        }
    )
    return _write("zip-bomb.xlsx", data)(where)


def _xml_entities(name: str, doctype: str) -> Callable[[Path], Path]:
    """A workbook whose sheet declares XML entities: a billion-laughs bomb or an external one."""
    sheet = (
        f'<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t>'
        "</is></c></row></sheetData></worksheet>"
    )
    data = _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
            "xl/worksheets/sheet1.xml": sheet.encode("utf-8"),
        }
    )
    return _write(name, data)


_LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
ENTITY_BOMB = f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{_LAUGHS}<!ENTITY x "&l9;">]>'
EXTERNAL_ENTITY = '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _docx_as_xlsx(where: Path) -> Path:
    import docx  # only this case needs python-docx

    document = docx.Document()
    document.add_paragraph("Our annual return is attached.")
    buf = io.BytesIO()
    document.save(buf)
    return _write("really-a-word-document.xlsx", buf.getvalue())(where)


def _fifo(where: Path) -> Path:
    path = where / "pipe.json"
    os.mkfifo(path)
    return path


def _dev_zero(where: Path) -> Path:
    path = where / "zeros.yaml"
    path.symlink_to("/dev/zero")
    return path


def _dangling(where: Path) -> Path:
    folder = where / "dangling"
    folder.mkdir()
    (folder / "gone.yaml").symlink_to(folder / "deleted-long-ago.yaml")
    return folder


def _symlink_loop(where: Path) -> Path:
    folder = where / "loop"
    folder.mkdir()
    (folder / "a.json").symlink_to(folder / "b.json")
    (folder / "b.json").symlink_to(folder / "a.json")
    (folder / "up").symlink_to("..", target_is_directory=True)  # a folder loop: never followed
    return folder


def _latin1_name(where: Path) -> Path:
    """A file name that is not UTF-8 on disk, as a zip made on an old Windows PC leaves it."""
    import pytest

    path = where / os.fsdecode("caf\xe9 return.json".encode("latin-1"))
    try:
        path.write_text('{"partnership": "Fife",', encoding="utf-8")
    except (OSError, UnicodeEncodeError):  # macOS and Windows refuse such names
        pytest.skip("the file system refuses names that are not UTF-8")
    return path


def _many_files(count: int) -> Callable[[Path], Path]:
    def build(where: Path) -> Path:
        folder = where / f"many-{count}"
        folder.mkdir()
        for i in range(count):
            (folder / f"r{i:04d}.json").write_bytes(b"{}")
        return folder

    return build


def _nested_dup_keys() -> str:
    return _valid_json().replace(
        '"partnership": "Angus",', '"partnership": "Angus",\n  "partnership": "Fife",', 1
    )


def _json_with_activities(name: str, activities: object) -> Callable[[Path], Path]:
    def build(where: Path) -> Path:
        doc = json.loads(_valid_json())
        doc["outcomes"]["1"]["activities"] = activities
        return _write(name, json.dumps(doc))(where)

    return build


def _typed_workbook(name: str, cells: Mapping[str, object]) -> Callable[[Path], Path]:
    """The small example workbook with values typed into cells, as a coordinator might."""

    def build(where: Path) -> Path:
        from workbook_helpers import small_workbook, type_into

        path = where / name
        path.write_bytes(type_into(small_workbook(), dict(cells)))
        return path

    return build


def _huge_number_cell(where: Path) -> Path:
    """A number cell of 5,000 digits, as the XML holds it (Excel would show 1E+4999)."""
    from workbook_helpers import small_workbook

    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    buf = io.BytesIO()
    done = False
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in source.infolist():
            data = source.read(info)
            if not done and b'r="B27" s="10" t="n"><v>300</v>' in data:  # Outcome 4 referrals
                data = data.replace(b"<v>300</v>", b"<v>" + b"9" * 5000 + b"</v>", 1)
                done = True
            dst.writestr(info, data)
    assert done
    path = where / "huge-number.xlsx"
    path.write_bytes(buf.getvalue())
    return path


CASES: tuple[Case, ...] = (
    Case(
        "json-malformed", _write("malformed.json", '{"partnership": "Fife",, }'), r"not valid JSON"
    ),
    Case("json-truncated", _truncated_json, r"not valid JSON"),
    Case(
        "yaml-malformed",
        _write("malformed.yaml", "partnership: [Fife\noutcomes: {\n"),
        r"not valid YAML",
    ),
    Case("yaml-truncated", _truncated_yaml, r"not valid YAML"),
    Case("utf16-json", _write("utf16.json", _valid_json().encode("utf-16")), r"UTF-16"),
    Case("utf16-yaml", _write("utf16.yaml", _valid_yaml().encode("utf-16")), r"UTF-16"),
    Case(
        "utf16-le-no-bom-yaml",
        _write("utf16-nobom.yaml", _valid_yaml().encode("utf-16-le")),
        r"UTF-16 text saved without a byte-order mark.*Save it as UTF-8",
    ),
    Case(
        "utf16-be-no-bom-json",
        _write("utf16-nobom.json", _valid_json().encode("utf-16-be")),
        r"UTF-16 text saved without a byte-order mark.*Save it as UTF-8",
    ),
    Case(
        "latin1-yaml",
        _write("latin1.yaml", _valid_yaml().replace("Fife", "Fìobha", 1).encode("latin-1")),
        r"not UTF-8",
    ),
    Case("empty-json", _write("empty.json", b""), r"empty"),
    Case("empty-yaml", _write("empty.yaml", b"\xef\xbb\xbf  \n\n"), r"empty"),
    Case("binary-json", _write("binary.json", bytes(range(256)) * 64), r"binary data"),
    Case(
        "png-as-yaml",
        _write("photo.yaml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 64),
        r"binary data",
    ),
    Case("yaml-alias-bomb", _alias_bomb, r"expands to more than"),
    Case("yaml-object-tag", _object_tag, r"tag .*python/object/apply:os\.system.* not allowed"),
    Case("yaml-python-name", _python_name_tag, r"tag .*python/name.* not allowed"),
    Case("json-deep-lists", _write("deep.json", "[" * 100_000 + "]" * 100_000), r"nested .*deep"),
    Case(
        "json-deep-objects",
        _write("deep-objects.json", '{"a":' * 100_000 + "1" + "}" * 100_000),
        r"nested .*deep",
    ),
    Case(
        "yaml-deep-flow", _write("deep-flow.yaml", "[" * 100_000 + "]" * 100_000), r"nested .*deep"
    ),
    Case("yaml-deep-block", _deep_yaml_block, r"nested .*deep"),
    Case(
        "json-huge-string",
        _write("huge-string.json", json.dumps({"partnership": "x" * 300_000})),
        r"longer than 200,000 characters",
    ),
    Case(
        "yaml-huge-string",
        _write("huge-string.yaml", "partnership: " + "x" * 300_000 + "\n"),
        r"longer than 200,000 characters",
    ),
    Case(
        "json-million-values",
        _json_with_activities("million.json", [1] * 1_000_000),
        r"more than 500,000 values",
    ),
    Case(
        "json-thousands-of-errors",
        _json_with_activities("wrong-items.json", [{"x": i} for i in range(2_000)]),
        r"more than 1,000 problems",
        converts=True,
    ),
    Case(
        "json-huge-count",
        _write(
            "huge-count.json",
            _valid_json().replace(
                '"unpaid_work_hours": 9290', '"unpaid_work_hours": 1' + "0" * 400, 1
            ),
        ),
        r"has 401 digits, far more than any count",
    ),
    Case(
        "json-huge-float",
        _write(
            "huge-float.json",
            _valid_json().replace('"unpaid_work_hours": 9290', '"unpaid_work_hours": 1e300', 1),
        ),
        r"has 301 digits, far more than any count",
    ),
    Case(
        "yaml-huge-count",
        _write(
            "huge-count.yaml",
            _valid_yaml().replace(
                "unpaid_work_hours: 18100", "unpaid_work_hours: 1" + "0" * 400, 1
            ),
        ),
        r"has 401 digits, far more than any count",
    ),
    Case(
        "json-lone-surrogate",
        _write("surrogate.json", _valid_json().replace('"Angus"', '"Angus \\ud800"', 1)),
        r"half a character",
    ),
    Case(
        "json-thousands-of-unknown-keys",
        _write(
            "unknown-keys.json",
            _valid_json().replace(
                '"governance": {',
                '"governance": {' + "".join(f'"k{i}": {i}, ' for i in range(2_000)),
                1,
            ),
        ),
        r"more than 1,000 problems",
        converts=True,
    ),
    Case(
        "json-huge-number",
        _write("huge-number.json", '{"n": ' + "9" * 5_000 + "}"),
        r"thousands of digits",
    ),
    Case(
        "over-size-limit",
        _over_size_limit,
        r"over the limit",
        env={"CJRETURNS_MAX_FILE_BYTES": "1000"},
    ),
    Case("json-duplicate-key", _write("duplicate.json", _nested_dup_keys()), r"given twice"),
    Case(
        "yaml-duplicate-key",
        _write(
            "duplicate.yaml",
            _valid_yaml().replace(
                "partnership: Fife\n", "partnership: Fife\npartnership: Fife\n", 1
            ),
        ),
        r"given twice",
    ),
    Case(
        "json-nan",
        _write(
            "nan.json", _valid_json().replace('"self_evaluation": 3', '"self_evaluation": NaN', 1)
        ),
        r"NaN is not a number",
    ),
    Case(
        "json-infinity",
        _write(
            "infinity.json",
            _valid_json().replace('"self_evaluation": 3', '"self_evaluation": 1e999', 1),
        ),
        r"1e999 is not a number",
    ),
    Case(
        "yaml-nan",
        _write("nan.yaml", _valid_yaml().replace("self_evaluation: 4", "self_evaluation: .nan", 1)),
        r"'\.nan' is not a number",
    ),
    Case("json-not-an-object", _write("list.json", "[1, 2, 3]"), r"not a list|holds a list"),
    Case("yaml-null-document", _write("null.yaml", "---\n...\n"), r"not empty|holds nothing"),
    Case(
        "zip-bomb-xlsx",
        _zip_bomb,
        r"(?i)unzip|expand|too large|larger than",
        env={"CJRETURNS_MAX_ARCHIVE_BYTES": "1000000"},
    ),
    Case("xlsx-entity-bomb", _xml_entities("laughs.xlsx", ENTITY_BOMB), r"declares XML entities"),
    Case(
        "xlsx-external-entity",
        _xml_entities("external.xlsx", EXTERNAL_ENTITY),
        r"declares XML entities",
    ),
    Case("docx-as-xlsx", _docx_as_xlsx, r"(?i)workbook|xlsx"),
    Case(
        "text-as-xlsx",
        _write("notes.xlsx", "Dear CJS, please find our return attached.\n"),
        r"(?i)workbook|xlsx",
    ),
    Case(
        "ole-as-xlsx",
        _write("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        r"(?i)workbook|xlsx|password",
    ),
    Case(
        "xlsm",
        _write("macros.xlsm", _zip({"xl/vbaProject.bin": b"\0" * 64})),
        r"Macro-enabled workbooks are not accepted",
    ),
    Case("fifo", _fifo, r"not an ordinary file", posix_only=True),
    Case("dev-zero", _dev_zero, r"not an ordinary file", posix_only=True),
    Case(
        "dangling-symlink",
        _dangling,
        r"cannot be opened",
        shown="gone.yaml",
        folder=True,
        posix_only=True,
    ),
    Case(
        "symlink-loop",
        _symlink_loop,
        r"cannot be opened",
        shown="a.json",
        folder=True,
        posix_only=True,
    ),
    Case(
        "three-thousand-files",
        _many_files(3_000),
        r"`contact` is missing",
        shown="r0000.json",
        folder=True,
        whole_folder=True,
    ),
    Case(
        "too-many-files",
        _many_files(150),
        r"more than 100 return files",
        env={"CJRETURNS_MAX_FILES": "100"},
        folder=True,
        whole_folder=True,
        validate_exit=(2,),
    ),
    Case("latin1-file-name", _latin1_name, r"not valid JSON", shown=" return.json"),
    Case(
        "non-ascii-name",
        _write("Dùn Èideann – return 2021-22 (final).json", '{"partnership": "Dùn Èideann",'),
        r"not valid JSON",
    ),
)

CASES += (
    # Unicode digits: isdigit() says yes, int() refuses superscripts and circled numbers.
    Case(
        "xlsx-unicode-digits",
        _typed_workbook(
            "digits.xlsx",
            {"Outcome 1!G5": "1², ③", "Outcome 4!B27": "١٢", "Outcome 4!B28": "2⁵"},
        ),
        r"whole number",
        converts=True,
    ),
    Case(
        "xlsx-5000-digit-text",
        _typed_workbook("long-number.xlsx", {"Outcome 4!B27": "9" * 5000}),
        r"5,000 digits",
    ),
    Case(
        "xlsx-5000-digit-figure",
        _typed_workbook("long-figure.xlsx", {"Outcome 1!R5": "people: " + "9" * 5000}),
        r"5,000 digits",
    ),
    Case("xlsx-5000-digit-number-cell", _huge_number_cell, r"5,000 digits"),
    Case(
        "yaml-5000-digits",
        _write(
            "digits.yaml",
            _valid_yaml().replace("schema_version:", "n: " + "9" * 5000 + "\nschema_version:", 1),
        ),
        r"5,000 digits",
    ),
)

CASES_BY_NAME = {c.name: c for c in CASES}
