"""Read an editor's sidecar `sources/<name>.meta.yml` into validated issue metadata (`Sidecar`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from converter.errors import SourceError, quote
from converter.model import KINDS

_KEYS = {"year": (1949, 2100), "number": (1, 99), "total_number": (1, 99999)}
MAX_BYTES = 64 * 1024
"""A sidecar holds a few lines; anything larger is refused."""
MAX_DEPTH = 3
"""`kinds:` is the deepest a sidecar goes (2 levels); 3 leaves room, more is refused."""
_MAX_KEY = 500


@dataclass(frozen=True, slots=True)
class Sidecar:
    """What an editor states about an issue; every field optional, stated values win over the text."""

    year: int | None = None
    """Year of the issue."""
    number: int | None = None
    """Issue number within the year (第N期)."""
    total_number: int | None = None
    """Running number (总第N期)."""
    published: str | None = None
    """Publication date, ISO."""
    kinds: tuple[tuple[str, str], ...] = ()
    """(文号 or title, kind) pairs correcting the kind the converter gave a document."""


def sidecar_path(source: Path) -> Path:
    """`sources/x.txt` → `sources/x.meta.yml`."""
    return source.with_name(source.stem + ".meta.yml")


def read_sidecar(source: Path) -> Sidecar | None:
    """The sidecar of a source file, or None when there is none; a bad key or value is a SourceError.

    A sidecar is a few `key: value` lines: anything larger than `MAX_BYTES`, nested deeper than
    `MAX_DEPTH`, or with YAML anchors and aliases (`&a`, `*a`: a few hundred bytes of them expand to
    gigabytes) is refused before its values are built. Values are read from the YAML text, never
    constructed by the YAML loader (which raises on 2024-02-30 and builds datetimes and huge integers)."""
    path = sidecar_path(source)
    if not path.exists():
        return None
    name = str(path)
    raw = path.read_bytes() if path.is_file() and path.stat().st_size <= MAX_BYTES else None
    if raw is None:
        raise SourceError(name, 0, f"expected a sidecar file of at most {MAX_BYTES} bytes, found something larger or not a file")
    try:
        text = raw.decode("utf-8")
        _refuse_aliases_and_depth(name, text)
        node = yaml.compose(text)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(name, line, f"expected UTF-8 text, found byte 0x{raw[exc.start]:02X}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise SourceError(name, line, f"expected YAML `key: value` lines, found a syntax error ({quote(str(exc))})") from None
    if node is None:
        return Sidecar()
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(name, node.start_mark.line + 1, "expected a mapping of `key: value` lines")
    values: dict[str, object] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise SourceError(name, line, "expected a plain key such as year or number, found a structure")
        key = key_node.value
        if key in values:
            raise SourceError(name, line, f"expected each key once, found {quote(repr(key))} again")
        if key in _KEYS:
            values[key] = _number(name, line, key, value_node)
        elif key == "kinds":
            values[key] = _kinds(path, line, value_node)
        elif key == "published":
            values[key] = _date(name, line, value_node)
        else:
            expected = ", ".join([*_KEYS, "published", "kinds"])
            raise SourceError(name, line, f"expected one of the keys {expected}, found {quote(repr(key))}")
    return Sidecar(
        year=_int(values.get("year")),
        number=_int(values.get("number")),
        total_number=_int(values.get("total_number")),
        published=str(values["published"]) if "published" in values else None,
        kinds=tuple(values.get("kinds", ())),  # type: ignore[arg-type]
    )


def _refuse_aliases_and_depth(name: str, text: str) -> None:
    depth = 0
    for event in yaml.parse(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise SourceError(name, line, "expected plain values, found a YAML anchor or alias (& or *)")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(name, line, f"expected at most {MAX_DEPTH} levels of nesting, found more")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _scalar(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _number(name: str, line: int, key: str, node: yaml.Node) -> int:
    low, high = _KEYS[key]
    text = _scalar(node)
    if text is None or not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:
        found = quote(repr(text)) if text is not None else "a structure"
        raise SourceError(name, line, f"expected {key} to be a whole number {low}–{high}, found {found}")
    return int(text)


def _date(name: str, line: int, node: yaml.Node) -> str:
    text = _scalar(node)
    try:
        if text is None or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        date = dt.date.fromisoformat(text)
        if not _KEYS["year"][0] <= date.year <= _KEYS["year"][1]:
            raise ValueError
    except ValueError:
        found = quote(repr(text)) if text is not None else "a structure"
        raise SourceError(name, line, f"expected published as a real date YYYY-MM-DD between "
                                      f"{_KEYS['year'][0]} and {_KEYS['year'][1]}, found {found}") from None  # fmt: skip
    return date.isoformat()


def _kinds(path: Path, line: int, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    """`kinds:` maps a document (by 文号 or title) to one of KINDS."""
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(str(path), line, "expected kinds to map a 文号 or title to a kind, e.g. 宁政办发〔2023〕13号: opinion")
    pairs: list[tuple[str, str]] = []
    for key_node, value_node in node.value:
        key = _scalar(key_node)
        if key is None or len(key) > _MAX_KEY:
            raise SourceError(str(path), key_node.start_mark.line + 1,
                              f"expected a 文号 or title (at most {_MAX_KEY} characters) as the key, found "
                              f"{'a structure' if key is None else quote(repr(key))}")  # fmt: skip
        kind = _scalar(value_node) or ""
        if kind not in KINDS:
            raise SourceError(
                str(path), value_node.start_mark.line + 1, f"expected a kind among {', '.join(KINDS)}, found {quote(repr(kind))}"
            )
        pairs.append((key, kind))
    return tuple(pairs)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None
