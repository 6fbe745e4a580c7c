"""The quantifier rules ("most" when n / N >= 0.75 ...) in words, for readers of the report and
the national tables, who should never meet the code notation of schemas/reference.yaml."""

from __future__ import annotations

import re

_SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_FRACTIONS = {0.25: "a quarter", 0.5: "half", 0.75: "three quarters"}


def quantifier_rule(when: str) -> str:
    """A quantifier's condition in words ("n / N >= 0.75" -> "three quarters or more of the
    partnerships counted"), so the draft shows no code notation."""
    rule = when.replace(" ", "")
    if rule == "n==N":
        return "every partnership counted"
    if rule == "n==0":
        return "no partnership"
    m = re.fullmatch(r"n/N(>=|>)([0-9.]+)", rule)
    if m:
        share = float(m.group(2))
        words = _FRACTIONS.get(share, f"{share * 100:g}%")
        if m.group(1) == ">":
            return f"more than {words} of the partnerships counted"
        return f"{words} or more of the partnerships counted"
    m = re.fullmatch(r"n(>=|>)(\d+)", rule)
    if m:
        k = int(m.group(2)) + (1 if m.group(1) == ">" else 0)
        return f"{(_SMALL[k] if k < len(_SMALL) else str(k))} or more partnerships"
    return when
