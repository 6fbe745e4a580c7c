"""The single walk that classifies texts for the text rules agrees with the plain definition.

The plain definition compares each text's path with each pattern in turn (slow on long
returns); `classify_texts` does it in one walk with a trie. They must never disagree.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cjreturns.validation.rules import (
    TextLeaf,
    _matches,
    classify_texts,
    load_settings,
    text_leaves,
)
from cjreturns.validation.schema import coded_field_patterns


def _plain(document: Any) -> list[TextLeaf]:
    s = load_settings()
    coded = coded_field_patterns()
    out = []
    for path, text in text_leaves(document):
        private = bool(path) and str(path[0]) in s.personal_data_fields
        is_coded = any(_matches(p, path) for p in coded)
        limit = next((v for p, v in s.word_limits if _matches(p, path)), None)
        minimum = next((v for p, v in s.minimum_words if _matches(p, path)), None)
        out.append(TextLeaf(path, text, not (private or is_coded), limit, minimum))
    return out


_KEYS = st.sampled_from(
    [
        "outcomes", "1", "5", "activities", "description", "impact", "themes", "title",
        "local_activity", "governance", "contact", "sign_off", "name", "next_steps", "period",
        "start", "links", "partners", "challenges", "code", "case_studies", "summary", "*", "x",
    ]
)  # fmt: skip
_DOCS = st.recursive(
    st.text(max_size=5) | st.integers() | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, _DOCS, max_size=6))
def test_walk_matches_plain_definition(document: dict[str, Any]) -> None:
    assert classify_texts(document, load_settings()) == _plain(document)


def test_walk_on_a_full_return() -> None:
    document = {
        "partnership": "Fife",
        "contact": {"name": "A. Person", "email": "a@example.org"},
        "governance": {"description": "word " * 600, "partners": {"sds": "none"}},
        "outcomes": {
            "1": {
                "activities": [
                    {"title": "T", "description": "too short", "themes": ["diversion"]},
                    {"title": "U", "description": "fine", "period": {"start": "2021-04-01"}},
                ],
                "no_activity_reason": "n/a",
            }
        },
        "next_steps": ["one", "two"],
    }
    leaves = classify_texts(document, load_settings())
    assert leaves == _plain(document)
    by_path = {leaf.path: leaf for leaf in leaves}
    assert by_path[("governance", "description")].word_limit == 500
    assert by_path[("governance", "partners", "sds")].narrative is False
    assert by_path[("contact", "name")].narrative is False
    assert by_path[("outcomes", "1", "activities", 0, "description")].minimum_words == 5
    assert by_path[("outcomes", "1", "activities", 0, "themes", 0)].narrative is False
    assert by_path[("next_steps", 1)].word_limit == 100


_FRAGMENTS = st.sampled_from(
    [
        "TBC", "lorem ipsum", "Mr Smith", "01234 567890", "0101901234", "EH1 2AB", "a@b.org",
        "n/a", "none", "[insert name]", "<add text>", "xxx", "born on 3rd May", "\n", " ", ".",
        "-", "?", "1", "word", "Dr", "to be confirmed", "placeholder", "todo",
    ]
)  # fmt: skip
_TEXTS = st.lists(_FRAGMENTS | st.text(max_size=3), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=6))
def test_text_rules_find_what_a_search_of_each_text_finds(texts: list[str]) -> None:
    """Searching the joined narrative once per return never loses a finding."""
    from cjreturns.validation.rules import RULES, context_for

    document = {
        "governance": {"description": texts[0]},
        "contact": {"name": texts[-1]},
        "next_steps": texts[1:],
    }
    s = load_settings()
    expected_personal = []
    expected_placeholder = []
    for leaf in _plain(document):
        if not leaf.narrative:
            continue
        kinds = [kind for kind, p in s.personal_data if s.personal_data_in(kind, p, leaf.text)]
        if kinds:
            expected_personal.append((leaf.path, ", ".join(kinds)))
        if any(p.search(leaf.text) for p in s.placeholders):
            expected_placeholder.append(leaf.path)
    ctx = context_for(document)
    personal = RULES["personal-data"].check
    placeholder = RULES["placeholder-text"].check
    assert personal is not None and placeholder is not None
    got_personal = [
        (path, message.split("(", 1)[1].split(")", 1)[0]) for path, message in personal(ctx)
    ]
    assert got_personal == expected_personal
    assert [path for path, _ in placeholder(ctx)] == expected_placeholder


_PATTERNS = [
    r"^\s*(n/?a|-+|\?+)\s*$", r"(?<![\d.])\d{3}(?![\d.])", r"\bab\b", r"a$", r"^b", r"(?i)AB",
    r"(?<!a)b", r"b(?!a)", r"(?<=a)b", r"a(?=\n)", r"\Aa", r"a\Z", r"(?>a\s*)$", r"a\s*+$",
    r"(?<!\s)a", r"(?<![\s])a", r"(?!\n)", r"[^\]]*x", r"(a)\1", r"\(?0\)?1", r"a\s?b",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab01.-? \n", max_size=6), min_size=1, max_size=5))
def test_joined_search_never_misses_a_match(texts: list[str]) -> None:
    import re

    from cjreturns.validation.rules import _joined_form

    joined = "\n".join(texts)
    for source in _PATTERNS:
        pattern = re.compile(source)
        whole = _joined_form(pattern)
        if whole is not None and any(pattern.search(t) for t in texts):
            assert whole.search(joined), (source, texts)


_WORDS = ["tbc", "TBA", "to be added", "x", "xxx", "todo", "Fixme", "lorem ipsum", "placeholder",
          "enter text here", "Mr Smith", "mrs jones", "AB1 2CD", "ab1 2cd", "Dr Gray", "DOB",
          "born on 3rd May", "a", "-", "\n", " ", "_", "é"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12).map("".join))
def test_a_group_search_matches_exactly_where_one_of_its_patterns_does(text: str) -> None:
    from cjreturns.validation.rules import _prescreen

    s = load_settings()
    for patterns in ((p for _, p in s.personal_data), s.placeholders):
        screens = _prescreen(tuple(patterns))
        assert screens  # the shipped patterns do form groups
        for screen, members in screens:
            assert (screen.search(text) is not None) == any(p.search(text) for p in members)


def test_the_transition_cache_is_bounded_whatever_keys_a_file_uses() -> None:
    """Keys come from untrusted files; a server validating uploads for months must not keep
    every key it has seen. Past the bound, texts are classified exactly as before."""
    from cjreturns.validation import rules

    settings = load_settings()
    bound = rules.MAX_CACHED_TRANSITIONS
    keys = [f"key-{i}" for i in range(bound + 5_000)]
    document = {"local_activity": [{"description": "Work with families."}], "extra": {}}
    document["extra"] = {k: "some text" for k in keys}
    first = rules.classify_texts(document, settings)
    assert rules._State.cached <= bound
    again = rules.classify_texts(document, settings)
    assert again == first and len(first) == len(keys) + 1
    assert rules._State.cached <= bound
