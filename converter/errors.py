"""The converter's error tree: what bad input raises, so the CLI can say where and why; and how a message
quotes input (`quote`: shortened, control characters shown escaped)."""

from __future__ import annotations

import re

MAX_QUOTE = 200
"""At most this many characters of input in one message."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def quote(text: str, limit: int = MAX_QUOTE) -> str:
    """`text` cut to `limit` characters (with how much was left out) and control characters escaped, for a
    message on a terminal or in a report; one line (line breaks become spaces)."""
    text = " ".join(text.split("\n"))
    if len(text) > limit:
        text = f"{text[:limit]}…（{len(text) - limit} more characters）"
    return printable(text)


def printable(text: str) -> str:
    """Control characters (ESC, BEL, bidi overrides…) as `\\x1b`-style escapes; newlines and tabs kept."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ConversionError(Exception):
    """Anything the converter refuses to do; the CLI prints it as `Error: …` and exits 1."""


class SourceError(ConversionError):
    """Bad input in one source file, at one line (0 when the file as a whole is at fault)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, int, str]]:
        return SourceError, (self.path, self.line, self.message)  # so it survives a trip between processes
