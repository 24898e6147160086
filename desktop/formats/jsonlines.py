"""Reading JSON Lines for the tool formats: one decoded record per line, with its number."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from desktop.domain.names import one_line
from desktop.formats.decoding import binary_kind, bom_encoding, not_utf8_reason
from desktop.formats.errors import FormatError, surrogate_error, unencodable
from desktop.formats.files import capped_lines, open_regular


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for each line, decoded one at a time so memory stays flat.

    UTF-8 (a BOM is dropped), or UTF-16/32 announced by a BOM (RFC 8259); FormatError for a
    file that is not a regular file, too large, unreadable or in another encoding (naming
    the line)."""
    with open_regular(path) as fh:
        head = fh.read(16)  # a BOM, or the signature of a file that is not text
        marked = bom_encoding(head)
        fh.seek(marked[1] if marked is not None else 0)
        if marked is not None and marked[0] != "utf-8":
            yield from _wide_lines(path, fh, marked[0])
            return
        for number, raw in enumerate(capped_lines(fh, path), start=1):
            first = head if number == 1 and binary_kind(head) else raw  # a PNG's \n is early
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FormatError(path, not_utf8_reason(first), number) from exc
            if "\x00" in line:
                raise FormatError(path, not_utf8_reason(first), number)
            yield number, line


def _wide_lines(path: Path, fh: BinaryIO, encoding: str) -> Iterator[tuple[int, str]]:
    """The lines of a UTF-16 or UTF-32 file (after its BOM), split at ``\\n`` only."""
    text = io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="\n")
    number = 0
    try:
        for number, line in enumerate(text, start=1):  # noqa: B007 - used after the loop
            yield number, line
    except UnicodeDecodeError as exc:
        raise FormatError(path, f"the line is not valid {encoding} text", number + 1) from exc
    finally:
        text.detach()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class DuplicateKeyError(ValueError):
    """A JSON object names one key twice (``json`` would silently keep the last value)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(key)
            seen.add(key)
    return obj


def loads(text: str) -> Any:
    """``json.loads``, but an object with a key twice is a DuplicateKeyError, not a loss."""
    return json.loads(text, object_pairs_hook=_unique_keys)


def json_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, record)`` for each non-blank line; FormatError names the line,
    for bad JSON and for a string that cannot be stored (a lone surrogate escape)."""
    for number, line in numbered_lines(path):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except DuplicateKeyError as exc:
            key = one_line(exc.key, 80)
            raise FormatError(
                path, f"the key {key!r} appears twice in one object: keep one of them", number
            ) from exc
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = str(exc).split(":")[0] if isinstance(exc, ValueError) else "too deep"
            raise FormatError(path, f"not valid JSON ({reason})", number) from exc
        if _SURROGATE_ESCAPE.search(line):  # only an escape can make a lone surrogate
            where = unencodable(record)
            if where is not None:
                raise surrogate_error(path, f'"{where}"', number)
        yield number, record


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
