"""The converter's error tree: what bad input raises, so the CLI can say where and why."""

from __future__ import annotations


class ConversionError(Exception):
    """Anything the converter refuses to do; the CLI prints it as `Error: …` and exits 1."""


class SourceError(ConversionError):
    """Bad input in one source file, at one line (0 when the file as a whole is at fault)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}")
