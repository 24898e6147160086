"""Turning file bytes into text: what the file says (a byte-order mark), else UTF-8, else a
guess by charset-normalizer that the import summary reports ("read as windows-1252").

JSON and JSON Lines are not guessed (RFC 8259: UTF-8, or UTF-16/32 announced by a
byte-order mark); a JSON file in another encoding is refused with a hint of what it seems
to be, so that the user can convert it knowingly.
"""

from __future__ import annotations

import codecs
import unicodedata
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
# a reading other than windows-1252 is believed only when charset-normalizer recognises a
# language in it this well (0..1): short or random bytes fit some code page by chance
_COHERENT = 0.3
_MESSY = 0.1
# the encodings news texts come in besides UTF-8 (Python's codec names); a reading in an
# exotic code page (EBCDIC, HP Roman-8...) fits random bytes far more often than real files
_PLAUSIBLE = frozenset(
    [f"cp125{n}" for n in range(9)]
    + [f"iso8859-{n}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 13, 15, 16)]
    + ["koi8-r", "koi8-u", "mac-cyrillic", "utf-16-le", "utf-16-be"]
    + ["cp932", "shift_jis", "euc_jp", "gb2312", "gbk", "gb18030", "big5", "euc_kr", "cp949"]
)
# the control characters that plain text may hold
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1a")  # and the DOS end-of-file mark


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


def _has_controls(text: str) -> bool:
    return any(c < " " and c not in _TEXT_CONTROLS for c in text)


def _utf16_by_nuls(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark, told by its zero bytes: text mostly in the Latin
    scripts has a zero high byte in most code units, all on the same side."""
    if len(raw) % 2:
        return None
    odd, even = raw[1::2].count(0), raw[0::2].count(0)
    units = len(raw) // 2
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 2 and zeros * 4 >= units and other * 8 <= zeros:
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text or _has_controls(text) else (codec, text)
    return None


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
        utf8: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and not _has_controls(utf8):
        return Decoded(utf8, "utf-8")
    kind = binary_kind(raw)
    if kind is not None:
        raise FormatError(path, f"not text: it is {kind}")
    guess = (_utf16_by_nuls(raw) if b"\x00" in raw else None) or _guess(raw)
    if guess is None:
        raise FormatError(
            path,
            "the file is not UTF-8 and its encoding cannot be told with confidence "
            "(save it as UTF-8)",
        )
    codec, text = guess
    if codecs.lookup(codec).name == "utf-8":
        return Decoded(text, "utf-8")
    return Decoded(text, display_name(codec), guessed=True)


def _guess(raw: bytes) -> tuple[str, str] | None:
    """The reading of bytes that are not UTF-8: windows-1252 (what a Western newsroom's old
    files are in), unless charset-normalizer finds a language in another plausible
    reading; None when nothing is convincing, or when there are too few bytes to judge
    (charset-normalizer's own limit, 32).

    When the bytes read as windows-1252 at all, another reading is believed only in another
    script (Cyrillic, Greek...): Latin-script code pages differ in a few letters, which
    charset-normalizer cannot weigh on short texts (it reads French as windows-1250 and
    "x²" as Romanian), so a Central European file whose bytes are all windows-1252 ones is
    read as windows-1252, and the summary says so. When the windows-1252 reading is a mess
    and no other script fits, nothing is guessed."""
    from charset_normalizer import from_bytes
    from charset_normalizer.constant import TOO_SMALL_SEQUENCE
    from charset_normalizer.md import mess_ratio

    if len(raw) < TOO_SMALL_SEQUENCE:  # a few bytes fit many code pages equally well
        return None
    try:
        western: str | None = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _has_controls(western):
        western = None  # bytes of another encoding, or binary
    messy = western is not None and mess_ratio(western, 1.0) > _MESSY
    base = 0.0
    matches = list(from_bytes(raw))
    if western is not None:
        base = max((m.coherence for m in matches if str(m) == western), default=0.0)
    for match in matches:
        if match.coherence < max(_COHERENT, base + 0.1) or match.chaos > _MESSY:
            continue
        if codecs.lookup(match.encoding).name not in _PLAUSIBLE:
            continue
        text = str(match)
        if text == western or _has_controls(text):
            continue
        if western is not None and _mostly_latin(text):
            continue  # a clean windows-1252 reading wins over any other Latin-script one
        return match.encoding, text
    return None if western is None or messy else ("cp1252", western)


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or unicodedata.name(c, "").startswith("LATIN"))
    return latin * 2 >= len(letters)


# the first bytes of files that are not text at all, as their formats define them; looked
# at only when the bytes are not text, to say what they are instead of "save it as UTF-8"
_SIGNATURES = (
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"BZh", "a bzip2-compressed file (decompress it first)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file (decompress it first)"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file (decompress it first)"),
    (b"PK\x03\x04", "a zip archive (only brat's .zip is imported as one; unpack it)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (unpack it first)"),
    (b"SQLite format 3\x00", "a SQLite database"),
    (b"%PDF-", "a PDF document (save its text as a .txt file)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def binary_kind(raw: bytes) -> str | None:
    """What a file that is not text is, judged by its first bytes (None: not known)."""
    return next((what for sig, what in _SIGNATURES if raw.startswith(sig)), None)


def not_utf8_reason(raw: bytes) -> str:
    """Why bytes that must be UTF-8 (JSON, JSON Lines, CoNLL) are refused, with a hint of
    what they seem to be instead."""
    kind = binary_kind(raw)
    if kind is not None:
        return f"not text: it is {kind}"
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
