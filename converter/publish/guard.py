"""What keeps a build from harming the project: the `--site` directory checked before anything is written,
one build at a time (a lock), signals turned into a clean stop, and the leftovers of a killed build
swept (or its swap finished or rolled back) when the next one starts."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from converter.errors import ConversionError

SITE_MARKER = ".gongbao-site"
"""Written into every site gongbao builds: only such a directory (or an empty one) is ever replaced."""
_LOCK = ".lock"
_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def check_site(site: Path, root: Path, sources: Path, docs: Path, build_dir: Path) -> None:
    """Refuse a `--site` directory that a build must not replace: the project root or one containing it,
    sources/, docs/ or build/ (or one inside them or containing them), anything but a directory, or a
    non-empty directory that is not a site gongbao built."""
    target = site.resolve()
    name = f"--site {site}"
    here = root.resolve()
    if target == here or here.is_relative_to(target):
        raise ConversionError(f"{name}: expected a directory for the built site, found the project itself "
                              f"({here}) or a directory containing it; refusing to replace it")  # fmt: skip
    for what, path in (("sources/", sources), ("docs/", docs), ("build/", build_dir)):
        kept = path.resolve()
        if target == kept or target.is_relative_to(kept) or kept.is_relative_to(target):
            raise ConversionError(f"{name}: expected a directory of its own for the built site, found {what} "
                                  f"({kept}) in it or around it; refusing to replace it")  # fmt: skip
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ConversionError(f"{name}: expected a directory, found a file or a link")
    if target.is_dir() and any(target.iterdir()) and not is_site(target):
        raise ConversionError(f"{name}: expected an empty directory or a site gongbao built (with its "
                              f"{SITE_MARKER} marker), found other files; refusing to replace them")  # fmt: skip


def is_site(path: Path) -> bool:
    """A directory gongbao built: its marker, or (built before markers) index.html, sitemap.xml and a
    search index (pagefind/ before issue 15, search-index/ since)."""
    if (path / SITE_MARKER).is_file():
        return True
    index = (path / "pagefind").exists() or (path / "search-index").exists()
    return index and all((path / name).exists() for name in ("index.html", "sitemap.xml"))


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold `build/.lock` for the build: a second build at once stops with a clear error. SIGTERM and
    SIGHUP stop the build like Ctrl-C does (SystemExit, so staged files are discarded on the way out)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(build_dir / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConversionError(f"{build_dir / _LOCK}: another build is running in this project; "
                                  "wait for it to finish") from None  # fmt: skip
        previous = {sig: signal.getsignal(sig) for sig in _SIGNALS}
        for sig in _SIGNALS:
            signal.signal(sig, _stop)
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        os.close(fd)


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP while a few renames run, so that a swap is never cut in half."""
    held = {signal.SIGINT, *_SIGNALS}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def sweep(docs: Path, build_dir: Path, site: Path | None) -> None:
    """Under the lock, before building: finish or roll back what a killed build left.

    - `.docs-old-*` (generated entries moved out during a swap): an entry whose place in docs/ is empty
      goes back, then the rest is removed;
    - `.site-old` with no `site/`: the old site goes back; beside a `site/`: removed;
    - staging left behind (`.docs-new-*`, `.site-new-*`: those whose application had begun were finished
      first by `write.finish_applying`, `.mkdocs-staged-*.yml` of older versions,
      `build/.nav-new-*`, `build/.json-new-*`,
      `build/.json-old-*`, `build/cache/*.tmp`): removed.
    """
    for trash in docs.parent.glob(f".{docs.name}-old-*"):
        for entry in sorted(trash.iterdir()) if trash.is_dir() else ():
            if not (docs / entry.name).exists():
                entry.rename(docs / entry.name)
        _remove(trash)
    leftovers = [*docs.parent.glob(f".{docs.name}-new-*"), *docs.parent.glob(".mkdocs-staged-*.yml"),
                 *build_dir.glob(".nav-new-*"),
                 *build_dir.glob(".json-new-*"), *build_dir.glob(".json-old-*"), *build_dir.glob("cache/*.tmp")]  # fmt: skip
    if site is not None:
        old = site.with_name(f".{site.name}-old")
        if old.is_dir() and not site.exists():
            old.rename(site)
        leftovers += [old, *site.parent.glob(f".{site.name}-new-*")]
    for path in leftovers:
        _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


def open_modes(path: Path) -> None:
    """Give a staged directory the modes the umask gives (0755 usually), not mkdtemp's 0700."""
    mask = os.umask(0)
    os.umask(mask)
    path.chmod(0o777 & ~mask)
