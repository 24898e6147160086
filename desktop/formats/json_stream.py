"""The items of a large JSON list, read one at a time so that memory stays flat.

The file is decoded in pieces with the same rules and messages as ``decoding.decode_json``
(UTF-8, a BOM dropped, or UTF-16/32 announced by a BOM; NUL bytes refused, naming the
line), and each item is parsed by the standard library's own decoder (``raw_decode``) as
soon as its text has arrived. So an item reads exactly as ``json.loads`` reads it: the
same numbers, the same lone surrogates (refused later by the readers' checks), the same
nesting limit, and a key named twice in an object is a ``DuplicateKeyError``. A syntax
error names its line in the file.

ijson was tried first: its fast (yajl) backend turns a lone surrogate escape into "?"
without a word, which would import a changed text; its pure-Python backend keeps them but
is several times slower than reading the whole file.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from desktop.formats.decoding import bom_encoding, not_utf8_reason
from desktop.formats.errors import MAX_FILE_BYTES, FormatError
from desktop.formats.files import open_regular, os_error, too_large
from desktop.formats.jsonlines import DuplicateKeyError

PIECE_BYTES = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER_GOES_ON = re.compile(r"[0-9.eE+-]*")  # all that follows a number could be more of it


class NotAList(Exception):
    """The document is valid JSON but its top level is neither a list nor an object."""


class _Text:
    """The file's text, decoded piece by piece, with the number of lines already dropped
    from the front (for line numbers)."""

    def __init__(self, path: Path, fh: BinaryIO, max_bytes: int) -> None:
        self.path = path
        self.fh = fh
        self.max_bytes = max_bytes
        self.read_bytes = 0
        self.buffer = ""
        self.pos = 0
        self.lines_before = 0  # newlines in the text already dropped from ``buffer``
        self.eof = False
        self.head = b""
        self.name = "utf-8"
        self._decoder: Any = None
        self._carry = b""  # the start of a UTF-8 sequence split between two pieces
        self._raw_lines = 0  # newlines in the raw UTF-8 bytes validated so far

    def _raw(self) -> bytes:
        try:
            raw = self.fh.read(PIECE_BYTES if self.head else max(PIECE_BYTES, 4))  # a BOM whole
        except OSError as exc:
            raise os_error(self.path, exc) from exc
        if raw is None:
            raise FormatError(self.path, "the file has nothing to read now: not a plain file")
        self.read_bytes += len(raw)
        if self.read_bytes > self.max_bytes:
            raise too_large(self.path, self.max_bytes)
        return raw

    def more(self) -> bool:
        """Append the next piece of text to the buffer; False at the end of the file."""
        if self.eof:
            return False
        raw = self._raw()
        self.eof = not raw
        if self._decoder is None and not self.head:
            self.head = raw
            marked = bom_encoding(raw)
            if marked is not None:
                self.name, skip = marked
                raw = raw[skip:]
            if self.name != "utf-8":
                self._decoder = codecs.getincrementaldecoder(self.name)("strict")
        text = self._wide(raw) if self._decoder is not None else self._utf8(raw)
        self.lines_before += self.buffer.count("\n", 0, self.pos)
        self.buffer = self.buffer[self.pos :] + text
        self.pos = 0
        return True

    def _wide(self, raw: bytes) -> str:
        try:
            return str(self._decoder.decode(raw, final=self.eof))
        except UnicodeDecodeError as exc:
            raise FormatError(self.path, f"the file is not valid {self.name} text") from exc

    def _utf8(self, raw: bytes) -> str:
        data = self._carry + raw
        self._carry = b""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not self.eof and exc.end == len(data) and len(data) - exc.start < 4:
                self._carry = data[exc.start :]  # a character split between two pieces
                data = data[: exc.start]
                text = data.decode("utf-8")
            else:
                line = self._raw_lines + data[: exc.start].count(b"\n") + 1
                raise FormatError(self.path, not_utf8_reason(self.head), line) from exc
        if "\x00" in text:
            line = self._raw_lines + data[: data.index(b"\x00")].count(b"\n") + 1
            raise FormatError(self.path, not_utf8_reason(self.head), line)
        self._raw_lines += data.count(b"\n")
        return text

    def skip_space(self) -> None:
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer) or not self.more():
                return

    def peek(self) -> str:
        self.skip_space()
        return self.buffer[self.pos] if self.pos < len(self.buffer) else ""

    def error(self, reason: str, at: int) -> FormatError:
        line = self.lines_before + self.buffer.count("\n", 0, at) + 1
        return FormatError(self.path, f"not valid JSON ({reason})", line)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(key)
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)


def _value(text: _Text) -> Any:
    """The JSON value at ``text.pos``, reading more of the file until it is complete."""
    while True:
        try:
            value, end = _DECODER.raw_decode(text.buffer, text.pos)
        except json.JSONDecodeError as exc:
            # cut short by the end of the piece: a string goes on, or a token (an escape,
            # a literal, a number: a few characters) was cut; read on before judging
            cut = "Unterminated" in exc.msg or exc.pos >= len(text.buffer.rstrip()) - 16
            if cut and not text.eof:
                text.more()
                continue
            raise text.error(exc.msg, exc.pos) from exc
        except RecursionError as exc:
            raise text.error("nested too deeply", text.pos) from exc
        if (
            isinstance(value, int | float)
            and not text.eof
            and _NUMBER_GOES_ON.fullmatch(text.buffer, end) is not None
        ):
            text.more()  # the number may go on in the next piece ("12" of "12.5")
            continue
        text.pos = end
        return value


def json_list_items(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Any]:
    """Each item of the JSON list in ``path``, in order (a top-level object is one item).
    FormatError names the line of a syntax error; ``NotAList`` for another top level;
    ``DuplicateKeyError`` (from ``jsonlines``) for a key named twice in an object."""
    with open_regular(path, max_bytes) as fh:
        text = _Text(path, fh, max_bytes)
        first = text.peek()
        if first != "[":
            value = _value(text)
            _end(text)
            if not isinstance(value, dict):
                raise NotAList()
            yield value
            return
        text.pos += 1
        if text.peek() == "]":
            text.pos += 1
            _end(text)
            return
        while True:
            text.skip_space()
            yield _value(text)
            after = text.peek()
            if after == ",":
                text.pos += 1
                continue
            if after == "]":
                text.pos += 1
                _end(text)
                return
            reason = "Expecting ',' delimiter" if after else "Expecting ']'"
            raise text.error(reason, text.pos)


def _end(text: _Text) -> None:
    """Nothing but white space may follow the document."""
    if text.peek():
        raise text.error("Extra data", text.pos)
