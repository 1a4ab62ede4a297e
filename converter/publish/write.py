"""Write generated files to disk: the only module that touches the output directories.

Everything is written to a temporary directory beside its destination first and swapped in only when
complete, so an interrupted conversion or build leaves what was published before untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from converter.errors import ConversionError, SourceError, quote
from converter.publish.guard import open_modes, uninterrupted
from converter.read.files import (
    MAX_PDF_BYTES,
    SIDECAR_SUFFIX,
    check_name,
    is_source_name,
    read_regular,
    size_limit,
)
from converter.read.sidecar import MAX_BYTES as SIDECAR_MAX_BYTES

_MANIFEST = ".generated"


def inside(root: Path, rel: str) -> Path:
    """`root / rel`, refused (ConversionError) unless it stays inside `root`: no absolute path, no `..`,
    no empty segment, no NUL. Every generated path goes through here, whatever input it came from."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\0" in rel or any(part in ("", ".", "..") for part in parts):
        raise ConversionError(f"{root}: expected a path inside it, found {quote(repr(rel))}")
    path = root / rel
    if not path.resolve().is_relative_to(root.resolve()):
        raise ConversionError(f"{root}: expected a path inside it, found {quote(repr(rel))} (it leaves through a link)")
    return path


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Replace the generated part of `root` (listed in its manifest) by `files`; hand-written files stay."""
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-new-"))
    try:
        for rel, text in files.items():
            path = inside(staging, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        tops = sorted({rel.split("/", 1)[0] for rel in files})
        manifest = root / _MANIFEST
        old = manifest.read_text(encoding="utf-8").split() if manifest.exists() else []
        trash = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-old-"))
        for name in sorted(set(old) | set(tops)):
            if (root / name).exists():
                (root / name).rename(trash / name)
        for name in tops:
            (staging / name).rename(root / name)
        manifest.write_text("\n".join(tops) + "\n", encoding="utf-8")
        shutil.rmtree(trash)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class Staged:
    """A staged copy of a directory and how its generated part differs from the one it replaces."""

    path: Path
    """The staged directory, beside the one it will replace."""
    changed: frozenset[str]
    """Generated files that are new or whose text changed (written anew)."""
    removed: frozenset[str]
    """Generated files of the old directory that are gone."""


def stage_tree(root: Path, files: dict[str, str], kept: Iterable[str] = ()) -> Staged:
    """A complete new copy of `root` beside it: its hand-written files plus `files` as the generated part,
    and the generated files `kept` as they are in `root` (the caller knows they did not change).

    A generated file whose text did not change is a hard link to the old one (same file, same mtime: an
    incremental MkDocs build skips it); the others are written anew. The caller swaps the copy into place
    (`swap_dir`) when everything built from it succeeded.
    """
    manifest = root / _MANIFEST
    generated = set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()
    old = {
        path.relative_to(root).as_posix()
        for top in generated
        for path in ([root / top] if (root / top).is_file() else (root / top).rglob("*"))
        if path.is_file()
    }
    changed: set[str] = set()
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-new-"))
    try:
        if root.exists():
            for entry in root.iterdir():
                if entry.name in generated or entry.name == _MANIFEST:
                    continue
                if entry.is_dir():
                    shutil.copytree(entry, staging / entry.name)
                else:
                    shutil.copy2(entry, staging / entry.name)
        kept = [rel for rel in kept if rel in old]
        made: set[Path] = set()
        for rel in kept:
            path = inside(staging, rel)
            _folder(path.parent, made)
            os.link(root / rel, path)
        for rel, text in files.items():
            path = inside(staging, rel)
            _folder(path.parent, made)
            data = text.encode("utf-8")
            before = root / rel
            if rel in old and before.stat().st_size == len(data) and before.read_bytes() == data:
                os.link(before, path)
            else:
                path.write_bytes(data)
                changed.add(rel)
        tops = sorted({rel.split("/", 1)[0] for rel in [*files, *kept]})
        taken = [name for name in tops if (root / name).exists() and name not in generated]
        if taken:
            raise ConversionError(f"{root / taken[0]}: expected generated pages here, found a hand-written file; "
                                  "move it (the build would replace it)")  # fmt: skip
        (staging / _MANIFEST).write_text("\n".join(tops) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Staged(staging, frozenset(changed), frozenset(old - files.keys() - set(kept)))


def _folder(path: Path, made: set[Path]) -> None:
    """`path` made a directory with its parents, once: `made` holds those already made."""
    if path not in made:
        path.mkdir(parents=True, exist_ok=True)
        made.add(path)


def link_tree(source: Path, staging: Path, skip: Iterable[str] = ()) -> None:
    """Fill `staging` with a copy of `source` made of hard links (cheap: no file is copied), without its
    top-level entries named in `skip` (the caller writes them anew). Whoever writes into the copy must
    replace a file, never write through it (`mkdocs_build` does so)."""
    left_out = set(skip)
    top = os.fspath(source)
    for directory, subdirs, names in os.walk(top):
        here = os.path.join(staging, os.path.relpath(directory, top))
        if directory == top:
            staging.mkdir(exist_ok=True)
            subdirs[:] = [d for d in subdirs if d not in left_out]
            names = [n for n in names if n not in left_out]
        else:
            os.mkdir(here)
        for name in names:
            os.link(os.path.join(directory, name), os.path.join(here, name))


def touch(root: Path, names: Iterable[str]) -> None:
    """Mark files under `root` as modified now (an incremental MkDocs build then rebuilds their pages)."""
    for name in names:
        (root / name).touch()


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write files under `root` (each file replaced atomically); other files in `root` stay."""
    for rel, text in files.items():
        _replace_file(inside(root, rel), text.encode("utf-8"))


def copy_originals(site: Path, originals: dict[str, str], project: Path) -> None:
    """Copy each printed original (site path → path in sources/) into the staged site. A file is read only
    inside `project` (never through a link leaving it), and replaced, never written through: the staged
    site hard-links the files of the published one."""
    for rel, src in originals.items():
        _replace_file(inside(site, rel), read_regular(Path(src), project, MAX_PDF_BYTES))


def _replace_file(path: Path, data: bytes) -> None:
    """`path` made a new file holding `data`, renamed into place: atomic, and never written through a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def swap_dir(new: Path, dest: Path) -> None:
    """Put a completely built directory in place of `dest`, removing the old one afterwards. The two
    renames run with signals held; a build killed between them anyway (kill -9) leaves `.dest-old`,
    which the next build puts back (`guard.sweep`)."""
    old = dest.with_name(f".{dest.name}-old")
    if old.exists():
        shutil.rmtree(old)
    open_modes(new)
    with uninterrupted():
        if dest.exists():
            dest.rename(old)
        new.rename(dest)
    if old.exists():
        shutil.rmtree(old)


def swap_generated(new: Path, dest: Path) -> None:
    """Put the generated entries of a staged copy (`stage_tree`) in place in `dest`, one top-level entry
    at a time. `dest` itself is never moved or deleted, so its hand-written files never are either; the
    old generated entries wait in `.dest-old-<pid>`, where the next build finds them if this one is
    killed half-way (`guard.sweep` puts back what is missing)."""
    dest.mkdir(parents=True, exist_ok=True)
    manifest = dest / _MANIFEST
    old = set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()
    new_tops = (new / _MANIFEST).read_text(encoding="utf-8").split()
    trash = dest.with_name(f".{dest.name}-old-{os.getpid()}")
    trash.mkdir(exist_ok=True)
    with uninterrupted():
        for name in sorted(old | set(new_tops)):
            if (dest / name).exists() or (dest / name).is_symlink():
                (dest / name).rename(trash / name)
        for name in new_tops:
            (new / name).rename(dest / name)
        (new / _MANIFEST).replace(manifest)
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(new, ignore_errors=True)


def discard(*staged: Path | None) -> None:
    """Remove what a failed build staged (directories or files); missing ones are fine."""
    for path in staged:
        if path is None:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def add_source(src: Path, sources: Path, replace: bool) -> Path | None:
    """Copy an extraction (or sidecar) into sources/; its new path, or None when there was nothing to copy
    (no such file, or the same bytes already there). Another file of the same name is refused unless
    `replace`; so is anything but a regular `.txt` or `.pdf` (any case) or `.meta.yml` file of bounded size."""
    if not src.exists() and not src.is_symlink():
        return None
    sidecar = src.name.endswith(SIDECAR_SUFFIX)
    if src.name.startswith(".") or not (sidecar or is_source_name(src.name)):
        raise SourceError(str(src), 0, f"expected a .txt extraction, a .pdf (or a {SIDECAR_SUFFIX} sidecar), found "
                                       f"{'a hidden file' if src.name.startswith('.') else 'another kind of file'}; "
                                       "nothing added")  # fmt: skip
    check_name(src)
    data = read_regular(src, None, SIDECAR_MAX_BYTES if sidecar else size_limit(src))
    dest = sources / src.name
    if dest.exists() and read_regular(dest, None, size_limit(dest)) == data:
        return None
    if dest.exists() and not replace:
        raise ConversionError(f"{dest}:0: expected a new file, found one of the same name with other content "
                              "(use --replace to overwrite it)")  # fmt: skip
    sources.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(dest)
    return dest
