"""Readers: YAML as people write it, JSON with positions, and files that are not returns at all."""

from __future__ import annotations

import codecs
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjreturns.core.errors import UsageError
from cjreturns.readers import (
    Limits,
    Reader,
    ReadResult,
    iter_return_files,
    read_return,
    yaml_reader,
)
from cjreturns.readers.json_reader import read_json
from cjreturns.readers.yaml_reader import read_yaml

LIMITS = Limits()


@pytest.fixture(autouse=True, params=sorted(yaml_reader.LOADERS))
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every reader test runs under libyaml and under PyYAML's pure-Python parser.

    A newer libyaml changed what deep nesting reports; the browser check page has no libyaml.
    Both must give the same findings.
    """
    monkeypatch.setattr(yaml_reader, "_Loader", yaml_reader.LOADERS[request.param])
    return str(request.param)


def test_both_yaml_loaders_are_tested() -> None:
    # Where PyYAML has libyaml (every supported platform's wheel), both parsers are exercised.
    assert set(yaml_reader.LOADERS) == {"c", "python"}


RETURN_YAML = """\
schema_version: "1.0"
partnership: Na h-Eileanan Siar
reporting_year: 2021-22
submitted_on: 2022-09-29
contact:
  name: Seònaid NicIlleathain
  email: seonaid@example.org
outcomes:
  1:
    self_evaluation: 4
    activities: []
    no_activity_reason: Staff vacancies.
  4:
    activities:
      - title: Caledonian Programme
        description: Group work with men convicted of domestic abuse.
        themes: [gender_based_violence, public_protection]
        period: {start: 2021-04-01, end: 2022-03-31}
      - title: Naloxone
        themes:
          - drug_alcohol_interventions
          - substance_use_services
    indicators:
      cpo_commenced: 61
"""


def _yaml(text: str | bytes, limits: Limits = LIMITS) -> ReadResult:
    return read_yaml(text.encode("utf-8") if isinstance(text, str) else text, limits)


def _json(text: str | bytes, limits: Limits = LIMITS) -> ReadResult:
    return read_json(text.encode("utf-8") if isinstance(text, str) else text, limits)


def _rules(result: ReadResult) -> list[tuple[str, str, int | None, int | None]]:
    return [(f.rule, f.dotted_path, f.line, f.column) for f in result.findings]


# -- YAML as people write it ---------------------------------------------------------------------


def test_yaml_positions_of_nested_paths() -> None:
    result = _yaml(RETURN_YAML)
    assert result.findings == []
    locate = result.source_map.locate
    assert locate(("partnership",)) == (2, 1, None)
    assert locate(("contact", "name")) == (6, 3, None)
    assert locate(("outcomes", "1")) == (9, 3, None)
    assert locate(("outcomes", "1", "activities")) == (11, 5, None)
    # A list item is located where it starts (the first key after "- "), not where it ends.
    assert locate(("outcomes", "4", "activities", 0)) == (15, 9, None)
    assert locate(("outcomes", "4", "activities", 1)) == (19, 9, None)
    assert locate(("outcomes", "4", "activities", 0, "themes", 0)) == (17, 18, None)
    assert locate(("outcomes", "4", "activities", 0, "themes", 1)) == (17, 41, None)
    assert locate(("outcomes", "4", "activities", 0, "period", "end")) == (18, 37, None)
    assert locate(("outcomes", "4", "activities", 1, "themes", 1)) == (22, 13, None)
    assert locate(("outcomes", "4", "indicators", "cpo_commenced")) == (24, 7, None)
    assert locate(()) == (1, 1, None)


def test_a_missing_path_is_located_at_its_nearest_ancestor() -> None:
    locate = _yaml(RETURN_YAML).source_map.locate
    assert locate(("outcomes", "4", "activities", 1, "description")) == (19, 9, None)
    assert locate(("outcomes", "7")) == (8, 1, None)
    assert locate(("governance", "description")) == (1, 1, None)


def test_unquoted_outcome_keys_and_bare_dates_become_strings() -> None:
    doc = _yaml(RETURN_YAML).document
    assert list(doc["outcomes"]) == ["1", "4"]
    assert doc["submitted_on"] == "2022-09-29"
    assert doc["reporting_year"] == "2021-22"
    assert doc["outcomes"]["4"]["activities"][0]["period"] == {
        "start": "2021-04-01",
        "end": "2022-03-31",
    }
    assert doc["outcomes"]["1"]["self_evaluation"] == 4
    assert _yaml("2022-09-29 10:30:00: x\n1.5: y\ntrue: z\n~: w\n").document == {
        "2022-09-29 10:30:00": "x",  # as written, not YAML 1.1's rewriting of it
        "1.5": "y",
        "true": "z",
        "null": "w",
    }


def test_a_timestamp_is_kept_as_written() -> None:
    assert _yaml("submitted_on: 2022-09-29 10:30:00\n").document == {
        "submitted_on": "2022-09-29 10:30:00"
    }


def test_an_impossible_date_is_a_finding_and_kept_as_text() -> None:
    result = _yaml("submitted_on: 2022-02-30\n")
    assert _rules(result) == [("yaml-value", "submitted_on", 1, 15)]
    assert result.document == {"submitted_on": "2022-02-30"}
    assert result.damaged == {("submitted_on",)}


def test_utf8_bom_gaelic_and_accented_names() -> None:
    data = codecs.BOM_UTF8 + RETURN_YAML.encode("utf-8")
    result = _yaml(data)
    assert result.findings == []
    assert result.document["contact"]["name"] == "Seònaid NicIlleathain"
    assert result.document["partnership"] == "Na h-Eileanan Siar"
    # The BOM does not shift positions on the first line.
    assert result.source_map.locate(("schema_version",)) == (1, 1, None)
    assert _json(codecs.BOM_UTF8 + b'{"name": "\xc3\x99isdean"}').document == {"name": "Ùisdean"}


def test_yaml_duplicate_key_is_an_error_at_the_second_and_the_first_is_kept() -> None:
    result = _yaml("contact:\n  name: A. Coordinator\n  email: a@example.org\n  name: B. Other\n")
    assert _rules(result) == [("duplicate-key", "contact.name", 4, 3)]
    assert "first given on line 2" in result.findings[0].message
    assert result.document == {"contact": {"name": "A. Coordinator", "email": "a@example.org"}}


def test_a_duplicated_block_does_not_move_the_lines_of_the_block_kept() -> None:
    text = "outcomes:\n  4:\n    activities:\n      - title: A\n  4:\n    activities:\n"
    text += "      - title: B\n        themes: [x]\n"
    result = _yaml(text)
    assert _rules(result) == [("duplicate-key", "outcomes.4", 5, 3)]
    assert "first given on line 2" in result.findings[0].message
    assert result.document == {"outcomes": {"4": {"activities": [{"title": "A"}]}}}
    locate = result.source_map.locate
    assert locate(("outcomes", "4", "activities", 0, "title")) == (4, 9, None)
    assert locate(("outcomes", "4", "activities", 0, "themes")) == (4, 9, None)


def test_yaml_duplicate_outcome_written_once_quoted_and_once_not() -> None:
    result = _yaml('outcomes:\n  1: {}\n  "1": {}\n')
    assert _rules(result) == [("duplicate-key", "outcomes.1", 3, 3)]


@pytest.mark.parametrize("word", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1.0e+999"])
def test_yaml_nan_and_infinity_are_errors(word: str) -> None:
    result = _yaml(f"indicators:\n  cpo_commenced: {word}\n")
    assert _rules(result) == [("not-a-number", "indicators.cpo_commenced", 2, 18)]
    assert result.document == {"indicators": {"cpo_commenced": None}}
    assert result.damaged == {("indicators", "cpo_commenced")}


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity", "1e999", "-1E400"])
def test_json_nan_and_infinity_are_errors(word: str) -> None:
    result = _json(f'{{"indicators": {{"cpo_commenced": {word}}}}}')
    assert [(f.rule, f.dotted_path) for f in result.findings] == [
        ("not-a-number", "indicators.cpo_commenced")
    ]
    assert result.document == {"indicators": {"cpo_commenced": None}}
    # The reader leaves the line to the engine; the source map has it.
    assert result.source_map.locate(("indicators", "cpo_commenced")) == (1, 17, None)


@pytest.mark.parametrize(
    "text",
    [
        "contact: !!python/object:returns.Contact\n  name: A\n",
        "contact: !!python/object/apply:os.system [echo hi]\n",
        "name: !!python/name:os.system\n",
        "when: !!python/object/new:datetime.date [2022, 9, 29]\n",
        "x: !custom thing\n",
        "x: !!set {a, b}\n",
    ],
)
def test_object_and_unknown_tags_are_refused(text: str) -> None:
    result = _yaml(text)
    assert [f.rule for f in result.findings] == ["yaml-tag"]
    assert result.findings[0].line == 1
    assert result.document is None


def test_scalar_anchor_and_alias_are_read() -> None:
    result = _yaml("a: &lead Fife Council\nb: *lead\n")
    assert result.findings == []
    assert result.document == {"a": "Fife Council", "b": "Fife Council"}


def test_merge_keys_are_expanded_and_a_lone_merge_sign_is_text() -> None:
    text = "base: &b {status: completed, themes: [housing]}\nact:\n  <<: *b\n  title: X\n"
    assert _yaml(text).document == {
        "base": {"status": "completed", "themes": ["housing"]},
        "act": {"status": "completed", "themes": ["housing"], "title": "X"},
    }
    assert _yaml("- <<\n").document == ["<<"]


def test_a_mappings_own_keys_override_merged_ones_but_are_not_given_twice() -> None:
    base = "base: &b {status: completed, title: Base}\n"
    after = _yaml(base + "act:\n  <<: *b\n  title: X\n")
    before = _yaml(base + "act:\n  title: X\n  <<: *b\n")
    for result in (after, before):
        assert result.findings == []
        assert result.document["act"] == {"status": "completed", "title": "X"}
    twice = _yaml(base + "act:\n  <<: *b\n  title: X\n  title: Y\n")
    assert _rules(twice) == [("duplicate-key", "act.title", 5, 3)]


def test_billion_laughs_is_stopped_by_max_nodes() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = _yaml("\n".join(lines) + "\n", Limits(max_nodes=100_000))
    assert [f.rule for f in result.findings] == ["too-large"]
    assert "100,000" in result.findings[0].message
    assert result.document is None


def test_small_aliases_within_max_nodes_are_fine() -> None:
    assert _yaml("a: &a [1, 2]\nb: [*a, *a]\n", Limits(max_nodes=20)).findings == []
    assert [f.rule for f in _yaml("a: &a [1, 2]\nb: [*a, *a]\n", Limits(max_nodes=8)).findings] == [
        "too-large"
    ]


@pytest.mark.parametrize("reader", [read_yaml, read_json])
def test_deep_nesting_is_stopped_by_max_depth(reader: Reader) -> None:
    result = reader(b"[" * 40 + b"]" * 40, Limits(max_depth=30))
    assert [f.rule for f in result.findings] == ["too-deep"]
    assert reader(b"[" * 30 + b"]" * 30, Limits(max_depth=30)).findings == []


@pytest.mark.parametrize("reader", [read_yaml, read_json])
def test_absurd_nesting_never_overflows_the_stack(reader: Reader) -> None:
    result = reader(b"[" * 100_000 + b"]" * 100_000, LIMITS)
    assert [f.rule for f in result.findings] == ["too-deep"]


def test_long_values_are_stopped_by_max_string_chars() -> None:
    limits = Limits(max_string_chars=50)
    assert [f.rule for f in _yaml("a: " + "x" * 51 + "\n", limits).findings] == ["too-large"]
    assert [f.rule for f in _json('{"a": "' + "x" * 51 + '"}', limits).findings] == ["too-large"]


def test_json_huge_integer_is_a_finding_not_a_crash() -> None:
    assert [f.rule for f in _json('{"a": ' + "9" * 5000 + "}").findings] == ["too-large"]
    assert [f.rule for f in _yaml("a: " + "9" * 5000 + "\n").findings] == ["yaml-value"]


# -- JSON positions -------------------------------------------------------------------------------

RETURN_JSON = """\
{
  "partnership": "Fife",
  "contact": {"name": "A", "email": "a@example.org"},
  "outcomes": {
    "4": {
      "activities": [
        {
          "title": "Diversion",
          "themes": ["diversion", "bail_supervision"]
        }
      ]
    }
  }
}
"""


def test_json_source_map_positions() -> None:
    result = _json(RETURN_JSON)
    assert result.findings == []
    locate = result.source_map.locate
    assert locate(()) == (1, 1, None)
    assert locate(("partnership",)) == (2, 3, None)
    assert locate(("contact", "email")) == (3, 28, None)
    assert locate(("outcomes", "4")) == (5, 5, None)
    assert locate(("outcomes", "4", "activities", 0)) == (7, 9, None)
    assert locate(("outcomes", "4", "activities", 0, "themes", 1)) == (9, 35, None)
    assert locate(("outcomes", "4", "activities", 0, "description")) == (7, 9, None)


def test_json_duplicate_key_is_located_at_the_second() -> None:
    text = '{\n  "contact": {\n    "name": "A",\n    "email": "a@x.org",\n    "name": "B"\n  }\n}\n'
    result = _json(text)
    assert _rules(result) == [("duplicate-key", "contact.name", 5, 5)]
    assert result.document == {"contact": {"name": "A", "email": "a@x.org"}}


def test_json_escaped_keys_and_strings_with_brackets_keep_positions() -> None:
    text = '{"a\\"b": "[{,:}]", "c": ["x", {"d": 1}]}'
    result = _json(text)
    assert result.document == {'a"b': "[{,:}]", "c": ["x", {"d": 1}]}
    assert result.source_map.locate(("c", 1, "d")) == (1, 32, None)


def test_json_syntax_error_has_line_and_column() -> None:
    result = _json('{\n  "a": 1,\n}\n')
    assert _rules(result) == [("json-syntax", "", 3, 1)]
    assert result.document is None


# -- the same content in either format -------------------------------------------------------------


def test_yaml_and_json_of_the_same_return_give_identical_documents() -> None:
    from_yaml = _yaml(RETURN_YAML).document
    from_json = _json(json.dumps(from_yaml, ensure_ascii=False, indent=1)).document
    assert from_json == from_yaml
    # And the written-out JSON of the YAML document is exactly what the YAML holds, typed.
    assert json.loads(json.dumps(from_yaml)) == from_yaml


def test_example_cases_agree_across_formats() -> None:
    root = Path(__file__).resolve().parent.parent / "examples" / "invalid" / "returns"
    for name in ("valid-bom-gaelic.yaml", "personal-data-in-contact.yaml"):
        from_yaml = read_return(root / name).document
        assert from_yaml is not None
        again = _json(json.dumps(from_yaml)).document
        assert again == from_yaml


# -- files that are not returns -------------------------------------------------------------


def test_multiple_yaml_documents_are_refused() -> None:
    result = _yaml("partnership: Fife\n---\npartnership: Moray\n")
    assert _rules(result) == [("yaml-multiple-documents", "", 2, 1)]
    assert result.document is None
    # A leading `---` and a trailing `...` are one document.
    assert _yaml("---\npartnership: Fife\n...\n").document == {"partnership": "Fife"}


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
@pytest.mark.parametrize("reader", [read_yaml, read_json])
def test_empty_files(data: bytes, reader: Reader) -> None:
    result = reader(data, LIMITS)
    assert [f.rule for f in result.findings] == ["file-empty"]
    assert result.document is None


def test_yaml_with_only_comments_is_empty() -> None:
    assert [f.rule for f in _yaml("# Annual return\n# to be filled in\n").findings] == [
        "file-empty"
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_are_refused_with_advice(encoding: str) -> None:
    data = "partnership: Fife\n".encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    for reader in (read_yaml, read_json):
        result = reader(data, LIMITS)
        assert _rules(result) == [("file-encoding", "", 1, 1)]
        assert "UTF-" in result.findings[0].message


def test_latin1_file_is_refused_at_the_byte() -> None:
    result = _yaml("partnership: Fife\ncontact:\n  name: Seònaid\n".encode("latin-1"))
    assert _rules(result) == [("file-encoding", "", 3, 11)]
    assert "0xF2" in result.findings[0].message


def test_binary_file_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    for reader in (read_yaml, read_json):
        assert [f.rule for f in reader(png, LIMITS).findings] == ["file-binary"]


def test_read_return_refuses_other_formats_and_oversized_files(tmp_path: Path) -> None:
    (tmp_path / "return.docx").write_bytes(b"PK")
    (tmp_path / "return.txt").write_text("partnership: Fife\n")
    (tmp_path / "big.yaml").write_text("a: " + "x" * 200 + "\n")
    (tmp_path / "ok.YML").write_text("a: 1\n")
    assert [f.rule for f in read_return(tmp_path / "return.docx").findings] == ["file-type"]
    assert "Word" in read_return(tmp_path / "return.docx").findings[0].message
    assert [f.rule for f in read_return(tmp_path / "return.txt").findings] == ["file-type"]
    small = Limits(max_file_bytes=100)
    assert [f.rule for f in read_return(tmp_path / "big.yaml", limits=small).findings] == [
        "too-large"
    ]
    assert read_return(tmp_path / "ok.YML").document == {"a": 1}
    missing = read_return(tmp_path / "gone.yaml")
    assert [f.rule for f in missing.findings] == ["file-unreadable"]


def test_iter_return_files_skips_hidden_and_lock_files(tmp_path: Path) -> None:
    sub = tmp_path / "b"
    sub.mkdir()
    for name in (
        "a.yaml",
        "b/c.json",
        "b/d.xlsx",
        ".hidden.yaml",
        "~$lock.xlsx",
        "notes.txt",
        "old.xls",
    ):
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_return_files([tmp_path])]
    assert found == ["a.yaml", "b/c.json", "b/d.xlsx", "old.xls"]
    # Over the limit is a usage problem, never a silent cut.
    with pytest.raises(UsageError, match="more than 2 return files"):
        iter_return_files([tmp_path], limits=Limits(max_files=2))
    # A file named on the command line is kept, whatever it is called.
    assert iter_return_files([tmp_path / "notes.txt"]) == [tmp_path / "notes.txt"]


def test_limits_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CJRETURNS_MAX_DEPTH", "12")
    monkeypatch.setenv("CJRETURNS_MAX_NODES", "not a number")
    monkeypatch.setenv("CJRETURNS_MAX_FILES", "0")
    limits = Limits.from_env()
    assert limits.max_depth == 12
    assert limits.max_nodes == Limits().max_nodes
    assert limits.max_files == 1


def test_hidden_folders_are_not_searched(tmp_path: Path) -> None:
    """An old copy kept in .old/ (or anything under .git/) is not a return for this year."""
    (tmp_path / ".old").mkdir()
    (tmp_path / ".old" / "angus.yaml").write_text("partnership: Angus\n", encoding="utf-8")
    (tmp_path / "2021-22").mkdir()
    (tmp_path / "2021-22" / "angus.yaml").write_text("partnership: Angus\n", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("partnership: Angus\n", encoding="utf-8")
    assert iter_return_files([tmp_path]) == [tmp_path / "2021-22" / "angus.yaml"]


# -- numbers and dates as written (YAML 1.1 reads some of them as other numbers) ---------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("0701", 701),  # YAML 1.1: octal 449
        ("010_000", 10_000),  # YAML 1.1: octal 4096
        ("09", 9),  # YAML 1.1: the text "09", beside 0701 read as a number
        ("+180", 180),
        ("-3", -3),
        ("1_000", 1000),
        ("1:30:00", "1:30:00"),  # YAML 1.1: 5400, base 60
        ("190:20:30.15", "190:20:30.15"),  # YAML 1.1: 685230.15
        ("0x1F", "0x1F"),  # YAML 1.1: 31
        ("0o17", "0o17"),
        ("0b101", "0b101"),  # YAML 1.1: 5
        ("2022-09-30 10:00", "2022-09-30 10:00"),  # YAML 1.1: "2022-09-30T10:00:00"
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),  # moved to UTC
        ("2022-09-30", "2022-09-30"),
        ("2022-9-3", "2022-9-3"),  # YAML 1.1: "2022-09-03", a date the person did not write
        ("1e3", "1e3"),
        ("12.5", 12.5),
        ("1_000.5", 1000.5),
    ],
)
def test_yaml_numbers_and_dates_are_read_as_written(written: str, read: object) -> None:
    result = read_yaml(f"n: {written}\n".encode(), Limits())
    assert result.findings == []
    assert result.document == {"n": read}
    assert type(result.document["n"]) is type(read)


def test_a_number_longer_than_python_reads_is_a_finding_on_its_line() -> None:
    result = read_yaml(b"a: 1\nn: " + b"7" * 5000 + b"\n", Limits())
    assert [(f.rule, f.line, f.path) for f in result.findings] == [("yaml-value", 2, ("n",))]
    assert "5,000 digits" in result.findings[0].message


_NUMBERISH = st.text(alphabet=st.sampled_from("0123456789_+-:.xobeE"), min_size=1, max_size=12)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_NUMBERISH)
def test_every_number_read_is_the_number_written_or_the_text(token: str) -> None:
    result = read_yaml(f"n: {token}\n".encode(), Limits())
    if result.document is None or result.findings:
        return  # not YAML, or a finding: never a silent different number
    value = result.document["n"]
    if isinstance(value, bool) or value is None:
        raise AssertionError((token, value))
    if isinstance(value, int):
        assert re.fullmatch(r"[-+]?[0-9]+(_[0-9]+)*", token), token
        assert value == int(token.replace("_", ""), 10)
    elif isinstance(value, float):
        assert ":" not in token and not re.search(r"0[xob]", token)
        assert value == float(token.replace("_", "")) or math.isnan(value)
    else:
        assert value == token


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_unicode_in_a_yaml_scalar_is_read_or_a_finding(text: str) -> None:
    for line in (f"n: {json.dumps(text)}\n", f"n: {text}\n", f"{text}: 1\n"):
        result = read_yaml(line.encode("utf-8", "surrogatepass"), Limits())
        assert result.document is not None or result.findings


@pytest.mark.parametrize(
    ("written", "read"),
    [("1e3", 1000), ("9.29e3", 9290), ("12.0", 12), ("-0.0", 0), ("12.5", 12.5), ("1e-3", 0.001)],
)
def test_json_whole_numbers_written_with_a_fraction_or_exponent_are_whole(
    written: str, read: object
) -> None:
    result = read_json(f'{{"n": {written}}}'.encode(), Limits())
    assert result.findings == []
    assert result.document == {"n": read}
    assert type(result.document["n"]) is type(read)


def test_a_zip_naming_an_unknown_compression_method_is_a_damaged_file() -> None:
    """A damaged header can name any compression number; zipfile cannot read the unknown ones,
    so the guard says the file is damaged before anything tries to open the part."""
    import io
    import zipfile

    from cjreturns.readers.package import check_package

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buf.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 8 : local + 10] = (99).to_bytes(2, "little")
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    problem = check_package(bytes(data), LIMITS, kind="xlsx")
    assert problem is not None and problem.rule == "workbook-unreadable"
    assert "compression method 99" in problem.message
