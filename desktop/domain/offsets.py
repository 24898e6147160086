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
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

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
