"""Turning file bytes into text: what the file says (a byte-order mark), else UTF-8, else a
guess by charset-normalizer that the import summary reports ("read as windows-1252").

JSON and JSON Lines are not guessed (RFC 8259: UTF-8, or UTF-16/32 announced by a
byte-order mark); a JSON file in another encoding is refused with a hint of what it seems
to be, so that the user can convert it knowingly.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from desktop.formats.errors import FormatError

# longest first: the UTF-32-LE mark begins with the UTF-16-LE one
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# among guesses that fit equally well, the encodings of the app's users come first
_PREFERRED = ("cp1252", "latin_1")
# a text where more than one character in ten is NUL is UTF-16/32 misread, or binary
_NUL_SHARE = 10


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read as, and whether that was a guess."""

    text: str
    encoding: str
    guessed: bool = False


def display_name(codec: str) -> str:
    """The name users know for a Python codec: ``cp1252`` is "windows-1252"."""
    name = codecs.lookup(codec).name
    if name.startswith("cp125") and len(name) == 6:
        return f"windows-{name[2:]}"
    return {"iso8859-1": "latin-1"}.get(name, name)


def bom_encoding(raw: bytes) -> tuple[str, int] | None:
    """``(encoding, length of the mark)`` when ``raw`` starts with a byte-order mark."""
    for bom, name in BOMS:
        if raw.startswith(bom):
            return name, len(bom)
    return None


def _mostly_nul(text: str) -> bool:
    return text.count("\x00") * _NUL_SHARE > len(text)


def decode_prose(path: Path | str, raw: bytes) -> Decoded:
    """Decode a plain-text or HTML file; FormatError when no encoding fits."""
    marked = bom_encoding(raw)
    if marked is not None:
        name, skip = marked
        try:
            return Decoded(raw[skip:].decode(name), name)
        except UnicodeDecodeError as exc:
            raise FormatError(path, f"the file is not valid {name} text") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:
            return Decoded(text, "utf-8")
    guess = _guess(raw)
    if guess is None:
        raise FormatError(
            path,
            "the file is not UTF-8 and its encoding cannot be told (save it as UTF-8)",
        )
    codec, text = guess
    if _mostly_nul(text):
        raise FormatError(
            path,
            "the file holds NUL characters: binary data, or UTF-16/32 without a "
            "byte-order mark that cannot be told apart (save it as UTF-8)",
        )
    if codecs.lookup(codec).name == "utf-8":
        return Decoded(text, "utf-8")
    return Decoded(text, display_name(codec), guessed=True)


def _guess(raw: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best reading of ``raw``; of equally clean readings, windows-1252
    (then Latin-1), which is what a Western newsroom's old files are in."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    if not matches:
        return None
    best = matches[0]
    for preferred in _PREFERRED:
        for match in matches:
            if match.chaos > best.chaos:
                continue
            if preferred in (match.encoding, *match.could_be_from_charset):
                try:
                    return preferred, raw.decode(preferred)
                except UnicodeDecodeError:
                    break
    return best.encoding, str(best)


def not_utf8_reason(raw: bytes) -> str:
    """Why bytes that must be UTF-8 (JSON, JSON Lines, CoNLL) are refused, with a hint of
    what they seem to be instead."""
    if b"\x00" in raw:
        return (
            "not UTF-8 text: it holds NUL bytes, as UTF-16 or UTF-32 without a byte-order "
            "mark does (save it as UTF-8)"
        )
    guess = _guess(raw)
    seems = f", it looks like {display_name(guess[0])}" if guess is not None else ""
    return f"not UTF-8 text{seems} (save it as UTF-8)"


def decode_json(path: Path | str, raw: bytes) -> str:
    """Decode a JSON document: UTF-8 (a BOM is dropped) or UTF-16/32 with a BOM."""
    marked = bom_encoding(raw)
    if marked is not None:
        name, skip = marked
        try:
            return raw[skip:].decode(name)
        except UnicodeDecodeError as exc:
            raise FormatError(path, f"the file is not valid {name} text") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError(path, not_utf8_reason(raw), line) from exc
    if "\x00" in text:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise FormatError(path, not_utf8_reason(raw), line)
    return text
