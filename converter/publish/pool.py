"""Run one function over many items in a pool of forked worker processes, results in the items' order;
serially when a pool would not pay (few items, one usable CPU, or `workers=1`).

Why a pool pays here: each item is a whole source to clean, segment and parse, tens of milliseconds of
pure Python, while what travels is small: a path and bytes in, one pickled `Issue` (bytes, pickled once,
the same bytes the worker keeps in the cache) out. Workers are forked from the warm parent (imports,
compiled regexes and pinyin tables are inherited, not rebuilt), after `gc.freeze()`, so that the
children's garbage collector does not touch, and so copy, every page of the parent's heap.

The issues' pages are rendered in the same pool (`pooled_pages`): the workers inherit the linked corpus,
so only an issue's index goes out and its files come back.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from converter.model import Corpus, PublishedIssue
from converter.render.site import issue_pages

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 3
"""Fewer items than this are run in this process: starting workers would cost more than it saves."""


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def pool_size(items: int, workers: int | None = None) -> int:
    """How many processes to use for `items` items: 1 (this one) when a pool would not pay, else one per
    usable CPU (or `workers`), never more than there are items."""
    wanted = usable_cpus() if workers is None else workers
    if items < MIN_ITEMS or wanted < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(wanted, items)


def in_worker() -> bool:
    """Whether this process is a pool worker (whose results travel back pickled)."""
    return multiprocessing.parent_process() is not None


def ordered_map(func: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> Iterator[R]:
    """`func` over `items`, yielding results in order as they are ready. `func` must be a module-level
    function; an expected failure is better returned as a value. An exception that a worker raises is
    raised here, as it is (or, if it cannot be pickled, as a `RuntimeError` with its traceback)."""
    size = pool_size(len(items), workers)
    if size == 1:
        yield from map(func, items)
        return
    # `gc.unfreeze` thaws every frozen object, not only ours: when the caller froze some (a build freezes
    # its corpus), they stay frozen, with ours, until the caller thaws them.
    thaw = gc.get_freeze_count() == 0
    gc.freeze()  # inherited objects stay out of the children's collections: no copy-on-write storm
    try:
        # An executor, not a `multiprocessing.Pool`: a worker that dies (killed, out of memory) is an error
        # here (`BrokenProcessPool`), where a pool would wait for its result forever.
        with ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("fork")) as executor:
            yield from executor.map(functools.partial(_call, func), items)
    finally:
        if thaw:
            gc.unfreeze()


def _call(func: Callable[[T], R], item: T) -> R:
    """`func(item)` in a worker; an exception that could not travel back (the pool would wait forever for
    its result) is sent as a `RuntimeError` that tells what it was and where."""
    try:
        return func(item)
    except Exception as exc:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            raise RuntimeError(f"in a worker process: {traceback.format_exc()}") from None
        raise


_rendering: list[tuple[Corpus, list[PublishedIssue]]] = []
"""What the forked render workers render (inherited from the parent, so only an index travels)."""


def pooled_pages(corpus: Corpus, issues: list[PublishedIssue]) -> Iterator[dict[str, str]]:
    """`render.site.issue_pages` of each issue, in order, rendered in the pool: what the workers render
    they inherit from this process, so only an index travels there and the files back."""
    _rendering[:] = [(corpus, issues)]
    try:
        yield from ordered_map(_pages_of, range(len(issues)))
    finally:
        _rendering.clear()


def _pages_of(index: int) -> dict[str, str]:
    corpus, issues = _rendering[0]
    return issue_pages(issues[index], corpus)
