"""Write generated files to disk: the only module that touches the output directories.

Everything is written to a temporary directory beside its destination first and swapped in only when
complete, so an interrupted conversion or build leaves what was published before untouched.
"""

from __future__ import annotations

import json
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


def link_tree(root: Path, files: dict[str, str | Path]) -> None:
    """Make `files` the generated part of `root` (top-level names, listed in its manifest), file by file,
    each replaced atomically: a name whose value is a text holds that text, one whose value is a path
    becomes a hard link to that file (the same bytes, neither read nor copied; a copy where the file
    system refuses the link). A name already holding its text, or already linked to its file, is left as
    it is; a generated name no longer listed is removed; hand-written files stay.

    For build/json, whose files are the JSON API files of docs/ (195 MB at 720 issues): being the same
    file (`os.path.samestat`) is what tells one unchanged, without reading either. docs/ files are only
    ever replaced (renamed over), never written in place, so a replaced one leaves the link with the old
    text, and the next call links the new one."""
    for rel in files:
        if "/" in rel:
            raise ConversionError(f"{root}: expected a file name, found {quote(repr(rel))}")
        inside(root, rel)
    root.mkdir(parents=True, exist_ok=True)
    for left in root.glob(".*.tmp"):  # what a killed call left
        left.unlink(missing_ok=True)
    manifest = root / _MANIFEST
    old = manifest.read_text(encoding="utf-8").split() if manifest.exists() else []
    for rel, found in files.items():
        dest = root / rel
        tmp = dest.with_name(f".{dest.name}.tmp")
        if isinstance(found, Path):
            if dest.is_file() and not dest.is_symlink() and os.path.samestat(dest.stat(), found.stat()):
                continue
            tmp.unlink(missing_ok=True)
            try:
                os.link(found, tmp)
            except OSError:  # another file system, or one without hard links: its bytes, when they changed
                data = found.read_bytes()
            else:
                _replace_dir_or_file(tmp, dest)
                continue
        else:
            data = found.encode("utf-8")
        if dest.is_symlink() or not holds(dest, data):
            tmp.unlink(missing_ok=True)  # a link left by a killed build: never written through
            tmp.write_bytes(data)
            _replace_dir_or_file(tmp, dest)
    for name in sorted(set(old) - files.keys()):
        _remove(root / name)
    manifest.write_text("\n".join(sorted(files)) + "\n", encoding="utf-8")


def _replace_dir_or_file(new: Path, dest: Path) -> None:
    """`new` renamed to `dest`, whatever was there (a folder is removed first)."""
    if dest.is_dir() and not dest.is_symlink():
        shutil.rmtree(dest)
    new.replace(dest)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


@dataclass(frozen=True, slots=True)
class Staged:
    """The changes to a directory's generated part, staged beside it (`stage_tree`)."""

    path: Path
    """The staged changes: every generated file that is new or whose text changed, and the manifest."""
    changed: frozenset[str]
    """Generated files that are new or whose text changed (written anew, in `path`)."""
    removed: frozenset[str]
    """Generated files of the old directory that are gone."""
    root: Path
    """The directory the changes are for (`apply_changes` puts them in place there)."""


def stage_tree(root: Path, files: dict[str, str], kept: Iterable[str] = ()) -> Staged:
    """The changes that make `files` the generated part of `root` (its hand-written files stay), staged in a
    new directory beside it: the files whose text is new or changed, written anew, and the manifest; the
    generated files `kept` are left as they are (the caller knows they did not change), those neither in
    `files` nor in `kept` are to be removed. Cost follows what changed, not the size of `root`: nothing is
    copied or linked. The caller puts the changes in place (`apply_changes`) when everything built from
    them succeeded.
    """
    manifest = root / _MANIFEST
    generated = set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()
    old = {rel for top in sorted(generated) for rel in walk_files(root, top)}
    changed: set[str] = set()
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-new-"))
    try:
        made: set[Path] = set()
        for rel, text in files.items():
            data = text.encode("utf-8")
            if rel in old and holds(root / rel, data):  # a path `walk_files` found: inside `root`, no link
                continue
            path = inside(staging, rel)  # only what is written: it resolves the path, a dozen system calls
            _folder(path.parent, made)
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
    return Staged(staging, frozenset(changed), frozenset(old - files.keys() - set(kept)), root)


def holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a file holding exactly `data` (its size is asked first: most changed files differ)."""
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def walk_files(root: Path, top: str = "") -> list[str]:
    """Every file under `root / top` (or `root / top` itself when it is a file), as paths relative to
    `root` with `/`; links are not followed into folders (a link to a file counts as a file, as for
    `os.walk` and `os.path.isfile`). One `scandir` a folder and no `stat` a file (the kind is in the
    listing): docs/ holds thousands of files, walked twice a build."""
    start = os.path.join(root, top) if top else os.fspath(root)
    if os.path.isfile(start) and not os.path.islink(start):
        return [top]
    found: list[str] = []
    if os.path.isdir(start):
        _walk_into(start, top + "/" if top else "", found)
    return found


def _walk_into(folder: str, prefix: str, found: list[str]) -> None:
    """`walk_files` of `folder`, in `os.walk`'s order: a folder's files, then its folders' one by one."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:  # as `os.walk`: a folder that cannot be listed is skipped
        return
    folders = []
    for entry in entries:
        if entry.is_dir():
            if not entry.is_symlink():
                folders.append(entry)
        elif entry.is_file():
            found.append(prefix + entry.name)
    for entry in folders:
        _walk_into(entry.path, f"{prefix}{entry.name}/", found)


def _folder(path: Path, made: set[Path]) -> None:
    """`path` made a directory with its parents, once: `made` holds those already made."""
    if path not in made:
        path.mkdir(parents=True, exist_ok=True)
        made.add(path)


JOURNAL = ".gongbao-apply.json"
"""In staged changes whose application has begun: what it removes (`apply_changes`; `finish_applying`
finishes it after a kill)."""


def apply_changes(staged: Path, dest: Path, removed: Iterable[str]) -> None:
    """Put staged changes in place in `dest`: each staged file is renamed over its path (atomic, file by
    file), each of `removed` is deleted with the folders it leaves empty, then `staged` is gone.

    The journal (`JOURNAL`, the files to remove) is written into `staged` first; a build killed half-way
    (kill -9) leaves it, and the next build finishes the job before anything else (`finish_applying`), so
    `dest` is not left half old, half new. Signals are held meanwhile."""
    journal = staged / JOURNAL
    if not journal.exists():
        data = json.dumps(sorted(removed), ensure_ascii=False)
        tmp = staged / f"{JOURNAL}.tmp"
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(journal)
    gone = json.loads(journal.read_text(encoding="utf-8"))
    dest.mkdir(parents=True, exist_ok=True)
    open_modes(staged)
    with uninterrupted():
        _move_into(staged, dest)
        for rel in gone:
            target = inside(dest, rel)
            if target.is_file() or target.is_symlink():
                target.unlink()
            _prune(target.parent, dest)
    shutil.rmtree(staged, ignore_errors=True)


def finish_applying(dest: Path) -> None:
    """Finish putting in place the staged changes for `dest` that a killed build had begun to apply (those
    holding the journal); other staging is the sweep's (`guard.sweep`)."""
    for staged in sorted(dest.parent.glob(f".{dest.name}-new-*")):
        if (staged / JOURNAL).is_file():
            apply_changes(staged, dest, ())


def _move_into(staged: Path, dest: Path) -> None:
    """Rename every file of `staged` over its path in `dest`; a folder that `dest` lacks is renamed whole."""
    top = os.fspath(staged)
    for directory, subdirs, names in os.walk(top):
        rel = os.path.relpath(directory, top)
        here = dest if rel == "." else inside(dest, rel.replace(os.sep, "/"))
        for name in names:
            if directory != top or name != JOURNAL:
                target = here / name
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                os.replace(os.path.join(directory, name), target)
        descend = []
        for name in subdirs:
            target = here / name
            if target.is_dir() and not target.is_symlink():
                descend.append(name)
                continue
            if target.exists() or target.is_symlink():
                target.unlink()
            os.rename(os.path.join(directory, name), target)
        subdirs[:] = descend


def _prune(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` (kept) while they are empty."""
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write files under `root` (each file replaced atomically); other files in `root` stay."""
    for rel, text in files.items():
        _replace_file(inside(root, rel), text.encode("utf-8"))


def copy_originals(site: Path, originals: dict[str, str], project: Path, published: Path | None = None) -> None:
    """Copy each printed original (site path → path in sources/) into the staged site; when it holds only
    the changes to the `published` site, only the originals that are new or changed there. A file is read
    only inside `project` (never through a link leaving it)."""
    for rel, src in originals.items():
        data = read_regular(Path(src), project, MAX_PDF_BYTES)
        if published is not None and holds(published / rel, data):
            continue
        _replace_file(inside(site, rel), data)


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
