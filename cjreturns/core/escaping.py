"""Text from a return or its file name, made safe to show: on a terminal and in Markdown.

One definition of the characters that must never reach either raw: control characters (an
escape sequence can rewrite the terminal), and the invisible ones that reorder or hide text (a
bidi override shows "txt.exe" as "exe.txt"; zero-width characters hide a difference).
"""

from __future__ import annotations

import re

INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def terminal_code(char: str) -> str:
    """\\x1b, \\u202e: how an unsafe character is shown on a terminal."""
    n = ord(char)
    return f"\\x{n:02x}" if n <= 0xFF else f"\\u{n:04x}"


def markdown_inline(text: str) -> str:
    """`text` as literal Markdown inline text: no line breaks (a file name holding "\\n---\\n"
    would make a heading), no invisible characters (shown as [U+202E]), every character
    Markdown gives a meaning escaped, and nothing at the start that would begin a list."""
    text = _LINE_BREAK.sub(" ", text).lstrip()  # four spaces at the start make a code block
    text = INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_escape_start, text, count=1)


def _escape_start(m: re.Match[str]) -> str:
    lead, mark = m.group(1), m.group(2)
    if mark.isdigit():  # "1." would start an ordered list: escape the dot after the number
        return f"{lead}{mark}\\"
    return f"{lead}\\{mark}"
