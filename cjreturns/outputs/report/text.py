"""Small text helpers for the report: safe strings from returns, numbers and count phrases."""

from __future__ import annotations

import re
import unicodedata

from cjreturns.contract.reference import Reference

# Control, format (e.g. bidirectional overrides), surrogate, private-use and unassigned code
# points: none belongs in a national report, and several are not even legal in Word's XML.
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")


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
    sentences = _without_repeats(SENTENCE_END.split(text))
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


def _without_repeats(sentences: list[str]) -> list[str]:
    """Drop a sentence that a later one repeats word for word ("They met. They met weekly.")
    or that repeats an earlier one: a quote should not say the same thing twice."""
    kept: list[str] = []
    bare = [s.rstrip(".!?…").strip() for s in sentences]
    for i, sentence in enumerate(sentences):
        if not bare[i]:
            continue
        if bare[i] in bare[:i] or any(b.startswith(bare[i]) for b in bare[i + 1 :]):
            continue
        kept.append(sentence)
    return kept


def area(name: str) -> str:
    """How the report names a partnership: its name as the reference data give it, everywhere
    (so "Community Justice Ayrshire" is never "Ayrshire" in one place and the full name in
    another)."""
    return name


_SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(n: int) -> str:
    """Numbers under ten in words, as the national report writes them ("eight partnerships")."""
    return _SMALL[n] if 0 <= n < len(_SMALL) else number(n)


def rate(value: float) -> str:
    """A rate per 10,000 people, always to two decimal places ("3.60", "12.15")."""
    return f"{value:,.2f}"


def long_date(value: object) -> str:
    """A date, or an ISO date ("2022-10-14"), as the report writes dates ("14 October 2022")."""
    import datetime as dt

    from cjreturns.core.calendar import long_date as calendar_long_date

    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return clean_text(value)
    return calendar_long_date(day)


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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
