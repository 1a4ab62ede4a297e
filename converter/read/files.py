"""Which files of sources/ are sources, and reading one safely: regular files only, inside the project,
of a bounded size, never a FIFO that blocks or a device that never ends.

`scan` sorts a sources/ directory into source files (`*.txt` or `*.pdf`, any case), sidecars (`*.meta.yml`) and
everything else, which is reported (hidden files, other extensions, directories), never silently skipped.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from converter.errors import SourceError, quote

MAX_SOURCE_BYTES = 64 * 1024 * 1024
"""A source larger than this is refused (the largest real extraction is a few MB)."""
MAX_NAME_BYTES = 200
"""Longest source file name (UTF-8 bytes): its sidecar, JSON and cache names add to it, and a file system
refuses names over 255 bytes."""
SIDECAR_SUFFIX = ".meta.yml"


MAX_PDF_BYTES = 512 * 1024 * 1024
"""A print PDF with its images runs to tens of MB; more than this is refused before it is opened."""
SOURCE_SUFFIXES = (".txt", ".pdf")
"""A text extraction, or the print PDF itself (`read.pdf`)."""


def is_source_name(name: str) -> bool:
    """A visible `*.txt` or `*.pdf` (any case) name."""
    return not name.startswith(".") and name.lower().endswith(SOURCE_SUFFIXES)


def scan(sources: Path) -> tuple[list[Path], list[str]]:
    """(source files, notes about every other entry) of a sources/ directory, sorted by name."""
    paths: list[Path] = []
    notes: list[str] = []
    entries = sorted(sources.iterdir())
    texts = {entry.stem for entry in entries if entry.suffix.lower() == ".txt"}
    for entry in entries:
        name = entry.name
        if is_source_name(name) and entry.suffix.lower() == ".pdf" and entry.stem in texts:
            notes.append(f"{entry}: not converted: the text extraction beside it is the source of this issue "
                         "(the PDF is linked as the printed original)")  # fmt: skip
        elif is_source_name(name):
            paths.append(entry)
        elif name.endswith(SIDECAR_SUFFIX) and not name.startswith("."):
            continue
        elif name.startswith("."):
            notes.append(f"{entry}: ignored: a hidden file is never a source (rename it to convert it)")
        else:
            notes.append(f"{entry}: ignored: expected a .txt extraction, a .pdf or a {SIDECAR_SUFFIX} sidecar, "
                         "found another kind of file")  # fmt: skip
    return paths, notes


def size_limit(path: Path) -> int:
    """The largest source of this kind (by its name) that is read."""
    return MAX_PDF_BYTES if path.suffix.lower() == ".pdf" else MAX_SOURCE_BYTES


def check_name(path: Path) -> None:
    """Refuse a source name too long for what is named after it."""
    size = len(path.name.encode("utf-8", "surrogateescape"))
    if size > MAX_NAME_BYTES:
        raise SourceError(str(path), 0, f"expected a file name of at most {MAX_NAME_BYTES} bytes (its sidecar, "
                                        f"JSON and report are named after it), found {size} bytes; rename it")  # fmt: skip


def read_regular(path: Path, root: Path | None = None, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; with `root`, only when the file (after every
    link) lies inside `root`. Anything else is a SourceError naming what was found."""
    name = str(path)
    if root is not None:
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            raise SourceError(name, 0, f"expected a file inside the project, found a link to "
                                       f"{quote(str(target))}; copy the file in instead")  # fmt: skip
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise SourceError(name, 0, f"expected a readable file, found: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(name, 0, f"expected a regular file, found {_kind(info.st_mode)}")
        if info.st_size > limit:
            raise SourceError(name, 0, f"expected at most {limit} bytes, found {info.st_size}")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise SourceError(name, 0, f"expected at most {limit} bytes, found more")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
