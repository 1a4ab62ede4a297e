"""What readers were given at the last publication, on disk beside `published-ids.json`, read, validated and
written: the snapshot of every published text (`published-snapshot.json`) and the update log
(`published-updates.yml`).

Both are committed with the sources, so that any clone (another editor's, a CI job's) computes the same
change report and renders the same 更新记录 page; a snapshot kept under build/ would vanish with a clean
checkout and make every document look new. The snapshot is rewritten whole by each `publish-ids`; the log
is only ever appended to, as text, so an editor's hand edits (a reworded entry, a comment, an entry
deleted) stay as they are. Both are input like any other: a malformed file is refused with its name.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from converter.errors import ConversionError, quote
from converter.render.changes import SNAPSHOT

SNAPSHOT_FILE = Path("published-snapshot.json")
UPDATES_FILE = Path("published-updates.yml")
MAX_BYTES = 256 * 1024 * 1024
_KINDS = ("correction", "addition", "removal")
_CHANGES = ("", "changed", "added", "removed")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_URL = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}/){1,8}")
_ANCHOR = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?")
_FIELDS = ("date", "kind", "url", "anchor", "doc_number", "title", "clause", "change", "diff")
_HEADER = (
    "# 更新记录（gongbao publish-ids 追加；可以手工修改措辞或删去条目，网站的“更新记录”页和订阅源据此生成）\n"
    "# The update log: `gongbao publish-ids` appends; hand edits stay. The site's /updates/ page and the feed read it.\n"
)


def today() -> str:
    """The day of a publication: `GONGBAO_TODAY` (YYYY-MM-DD) when set, else today's date."""
    value = os.environ.get("GONGBAO_TODAY") or datetime.date.today().isoformat()
    if not _DATE.fullmatch(value):
        raise ConversionError(f"GONGBAO_TODAY: expected a date YYYY-MM-DD, found {quote(repr(value))}")
    return value


def _read(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        if not path.is_file():
            raise ConversionError(f"{path}: expected a regular file, found something else")
        if path.stat().st_size > MAX_BYTES:
            raise ConversionError(f"{path}: expected at most {MAX_BYTES} bytes, found {path.stat().st_size}")
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConversionError(f"{path}: expected a readable file, found: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConversionError(f"{path}: expected UTF-8 text, found byte at offset {exc.start}") from None


def read_snapshot(path: Path = SNAPSHOT_FILE) -> dict[str, Any]:
    """The snapshot of the last publication, or {} when there is none yet."""
    text = _read(path)
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ConversionError(f"{path}: expected JSON (schema {SNAPSHOT}) as `gongbao publish-ids` writes it, "
                              "found text that is not; run publish-ids again") from None  # fmt: skip
    documents = data.get("documents") if isinstance(data, dict) and data.get("schema") == SNAPSHOT else None
    if not isinstance(documents, dict) or not all(_snapshot_doc(d) for d in documents.values()):
        raise ConversionError(f"{path}: expected a snapshot of schema {SNAPSHOT} (documents → title, "
                              "doc_number, clauses → label, hash, text), found something else")  # fmt: skip
    return {"schema": SNAPSHOT, "documents": documents}


def _snapshot_doc(doc: object) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("title"), str) or not isinstance(doc.get("clauses"), dict):
        return False
    if not (doc.get("doc_number") is None or isinstance(doc.get("doc_number"), str)):
        return False
    return all(
        isinstance(c, dict) and all(isinstance(c.get(k), str) for k in ("label", "hash", "text"))
        for c in doc["clauses"].values()
    )


def write_snapshot(data: dict[str, Any], path: Path = SNAPSHOT_FILE) -> None:
    """Replace the snapshot (written whole, then moved into place)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_updates(path: Path = UPDATES_FILE) -> list[dict[str, str]]:
    """The update log's entries in the order recorded ([] when there is no log), each validated."""
    text = _read(path)
    if text is None:
        return []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConversionError(f"{path}{line}: expected a YAML list of entries, found text YAML cannot read") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConversionError(f"{path}: expected a YAML list of entries (- date: …), found {type(data).__name__}")
    return [_entry(item, k, path) for k, item in enumerate(data, start=1)]


def _entry(item: object, k: int, path: Path) -> dict[str, str]:
    if not isinstance(item, dict):
        raise ConversionError(f"{path}: entry {k}: expected a mapping (date, kind, url, …), found {quote(repr(item))}")
    entry = {name: "" if item.get(name) is None else str(item.get(name)) for name in _FIELDS}
    unknown = sorted(str(key) for key in item if key not in _FIELDS)
    problems = [
        (not _DATE.fullmatch(entry["date"]), "date YYYY-MM-DD", entry["date"]),
        (entry["kind"] not in _KINDS, "kind " + " | ".join(_KINDS), entry["kind"]),
        (not _URL.fullmatch(entry["url"]) or ".." in entry["url"].split("/"), "a site-relative url", entry["url"]),
        (not _ANCHOR.fullmatch(entry["anchor"]), "an anchor of letters, digits and -", entry["anchor"]),
        (entry["change"] not in _CHANGES, "change changed | added | removed", entry["change"]),
        (bool(unknown), "only the keys " + ", ".join(_FIELDS), unknown[0] if unknown else ""),
    ]
    for wrong, expected, found in problems:
        if wrong:
            raise ConversionError(f"{path}: entry {k}: expected {expected}, found {quote(repr(found))}")
    return entry


def append_updates(entries: list[dict[str, Any]], path: Path = UPDATES_FILE) -> None:
    """Add entries at the end of the log, as text: what is there already is never rewritten."""
    if not entries:
        return
    before = _read(path)
    text = before if before is not None else _HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    block = yaml.safe_dump([{name: e[name] for name in _FIELDS} for e in entries], allow_unicode=True,
                           sort_keys=False, width=1000)  # fmt: skip
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text + block, encoding="utf-8")
    tmp.replace(path)
