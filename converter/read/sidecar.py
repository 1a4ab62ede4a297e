"""Read an editor's sidecar `sources/<name>.meta.yml` into validated issue metadata (`Sidecar`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from converter.errors import SourceError
from converter.model import KINDS

_KEYS = {"year": (1949, 2100), "number": (1, 99), "total_number": (1, 99999)}


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
    """The sidecar of a source file, or None when there is none; a bad key or value is a SourceError."""
    path = sidecar_path(source)
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SourceError(str(path), line, f"expected UTF-8 text, found byte 0x{exc.object[exc.start]:02X}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise SourceError(str(path), line, f"expected YAML `key: value` lines, found a syntax error ({exc})") from None
    if node is None:
        return Sidecar()
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(str(path), node.start_mark.line + 1, "expected a mapping of `key: value` lines")
    values: dict[str, object] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise SourceError(str(path), line, "expected a plain key such as year or number, found a structure")
        key = key_node.value
        if key in values:
            raise SourceError(str(path), line, f"expected each key once, found {key!r} again")
        raw = yaml.safe_load(yaml.serialize(value_node))
        if key in _KEYS:
            low, high = _KEYS[key]
            if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
                raise SourceError(str(path), line, f"expected {key} to be a whole number {low}–{high}, found {raw!r}")
            values[key] = raw
        elif key == "kinds":
            values[key] = _kinds(path, line, value_node)
        elif key == "published":
            if isinstance(raw, dt.date):
                values[key] = raw.isoformat()
            else:
                try:
                    values[key] = dt.date.fromisoformat(str(raw)).isoformat()
                except ValueError:
                    raise SourceError(
                        str(path), line, f"expected published as YYYY-MM-DD, found {raw!r}"
                    ) from None
        else:
            expected = ", ".join([*_KEYS, "published", "kinds"])
            raise SourceError(str(path), line, f"expected one of the keys {expected}, found {key!r}")
    return Sidecar(
        year=_int(values.get("year")),
        number=_int(values.get("number")),
        total_number=_int(values.get("total_number")),
        published=str(values["published"]) if "published" in values else None,
        kinds=tuple(values.get("kinds", ())),  # type: ignore[arg-type]
    )


def _kinds(path: Path, line: int, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    """`kinds:` maps a document (by 文号 or title) to one of KINDS."""
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(str(path), line, "expected kinds to map a 文号 or title to a kind, e.g. 宁政办发〔2023〕13号: opinion")
    pairs: list[tuple[str, str]] = []
    for key_node, value_node in node.value:
        kind = str(value_node.value) if isinstance(value_node, yaml.ScalarNode) else ""
        if kind not in KINDS:
            raise SourceError(
                str(path), value_node.start_mark.line + 1, f"expected a kind among {', '.join(KINDS)}, found {kind!r}"
            )
        pairs.append((str(key_node.value), kind))
    return tuple(pairs)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None
