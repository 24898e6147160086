"""Reading JSON Lines for the tool formats: one decoded record per line, with its number."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.formats.errors import MAX_FILE_BYTES, FormatError


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for each line, decoded one at a time so memory stays flat;
    FormatError for a file too large, unreadable, or not UTF-8 (naming the line)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FormatError(path, f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        fh = path.open("rb")
    except OSError as exc:
        raise FormatError(path, f"cannot read the file ({exc.strerror})") from exc
    with fh:
        for number, raw in enumerate(fh, start=1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise FormatError(path, "the line is not UTF-8 text", number) from exc


def json_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, record)`` for each non-blank line; FormatError names the line."""
    for number, line in numbered_lines(path):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = str(exc).split(":")[0] if isinstance(exc, ValueError) else "too deep"
            raise FormatError(path, f"not valid JSON ({reason})", number) from exc


def first_record(path: Path) -> Any:
    """The first record of a JSON Lines file, or None when it has none or is not JSON."""
    try:
        for _, record in json_records(path):
            return record
    except FormatError:
        return None
    return None


def dumps(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def stable_hash(*parts: str) -> int:
    """A signed 32-bit hash like the ones Prodigy stores, stable across runs."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)
