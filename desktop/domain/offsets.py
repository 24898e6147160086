"""Offset helpers: span checks and the one conversion between code points and UTF-16.

Python strings count code points; Qt counts UTF-16 code units. A character outside the Basic
Multilingual Plane (an emoji, say) is one code point but two UTF-16 units, so every offset that
crosses the UI boundary goes through these two functions.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right


class Utf16Map:
    """Converts offsets between Python code points and UTF-16 code units for one text."""

    def __init__(self, text: str) -> None:
        # code-point indexes of the characters that take two UTF-16 units
        self._wide = (
            []
            if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text)
            else [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        )

    def to_utf16(self, index: int) -> int:
        return index + bisect_right(self._wide, index - 1)

    def from_utf16(self, unit: int) -> int:
        lo, hi = 0, len(self._wide)
        # the number of wide characters before code point i is monotonic in i; find i
        while lo < hi:
            mid = (lo + hi) // 2
            if self._wide[mid] + mid + 1 < unit:
                lo = mid + 1
            else:
                hi = mid
        return unit - lo


def check_span(text: str, start: int, end: int) -> None:
    """Raise ValueError unless ``[start, end)`` is a non-empty span inside ``text``."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValueError(f"span offsets must be integers, got {start!r}..{end!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}..{end} is outside the text (length {len(text)})")


def content_id(text: str) -> str:
    """A stable article id derived from the text, for records that bring none."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words and trim the spaces at its edges.

    "ohn Smit" in "John Smith said" becomes "John Smith". A selection of only spaces or
    punctuation is returned trimmed but not widened.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    while end < len(text) and _word_char(text[end]) and _word_char(text[end - 1]):
        end += 1
    return start, end


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "-_'’"


OPENING_MARKS = "\"“‘«'"
CLOSING_MARKS = "\"”’»'"


def quote_span(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Guess a selected quote's kind from its quotation marks; the span drops the marks.

    All of it inside one pair of marks: ``direct``; marks only inside: ``mixed``; none:
    ``indirect``. Returns (kind, start, end).
    """
    inner_start, inner_end = start, end
    while inner_start < inner_end and text[inner_start] in " " + OPENING_MARKS:
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1] in " ,." + CLOSING_MARKS:
        if text[inner_end - 1] in ",." and not (
            inner_end - 1 > inner_start and text[inner_end - 2] in CLOSING_MARKS
        ):
            break
        inner_end -= 1
    opened = inner_start > start and text[inner_start - 1] in OPENING_MARKS
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    enclosed = (opened or before in OPENING_MARKS and before) and (
        inner_end < end or after in CLOSING_MARKS and after
    )
    body = text[inner_start:inner_end]
    if enclosed and not any(m in body for m in '"“”«»'):
        return "direct", inner_start, inner_end
    if any(m in body for m in '"“”«»'):
        return "mixed", start, end
    return "indirect", start, end
