"""Small text helpers for the report: safe strings from returns, numbers and count phrases."""

from __future__ import annotations

import re
import unicodedata

from cjreturns.contract.reference import Reference

# Control, format (e.g. bidirectional overrides), surrogate, private-use and unassigned code
# points: none belongs in a national report, and several are not even legal in Word's XML.
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")


_SPACES = str.maketrans("\t\n\r\v\f", "     ")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: object) -> str:
    """Text safe in XML 1.0: characters XML cannot hold are dropped."""
    return _NOT_XML.sub("", str(value))


def clean_text(value: object) -> str:
    """A string from a return made safe to print: no control characters, single spaces."""
    text = str(value)
    spaced = text.translate(_SPACES)
    if spaced.isprintable():  # the usual case: nothing to drop (printable excludes every C*)
        return " ".join(spaced.split())
    kept = "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in text
        if ch in "\t\n\r\v\f" or unicodedata.category(ch) not in _DROP
    )
    return " ".join(kept.split())


def excerpt(value: object, *, max_words: int = 40) -> str:
    """The opening of a description: whole sentences up to `max_words`, else a cut with "…"."""
    text = clean_text(value)
    sentences = _SENTENCE_END.split(text)
    out: list[str] = []
    words = 0
    for sentence in sentences:
        n = len(sentence.split())
        if out and words + n > max_words:
            break
        out.append(sentence)
        words += n
    joined = " ".join(out)
    all_words = joined.split()
    if len(all_words) > max_words:
        joined = " ".join(all_words[:max_words]).rstrip(",;:") + "…"
    elif joined and joined[-1] not in ".!?…":
        joined += "."
    return joined


def area(name: str) -> str:
    """How the report names a partnership's area: "Community Justice Ayrshire" -> "Ayrshire"."""
    prefix = "Community Justice "
    return name[len(prefix) :] if name.startswith(prefix) else name


def lower_first(text: str) -> str:
    """Lower-case a label's first letter for use mid-sentence, leaving acronyms alone."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def number(value: float | int) -> str:
    """12150 -> "12,150"; 4.25 -> "4.25" (en-GB thousands separators, no rounding)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def count_phrase(n: int, total: int, reference: Reference, *, capital: bool = True) -> str:
    """The phrase "Most partnerships (24 of 30)": quantifier word and the exact numbers."""
    if n == 1:
        head = "one partnership"
    elif n == 0:
        head = "no partnership"
    else:
        word = reference.quantifier(n, total) if total else "no"
        head = f"{word} partnerships"
    phrase = f"{head} ({n} of {total})"
    return phrase[0].upper() + phrase[1:] if capital else phrase


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{number(n)} {singular if n == 1 else (plural_form or singular + 's')}"
