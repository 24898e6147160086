r"""Offset helpers: span checks, code points <-> UTF-16, and store <-> text-view positions.

Python strings count code points; Qt counts UTF-16 code units. A character outside the Basic
Multilingual Plane (an emoji, say) is one code point but two UTF-16 units (``Utf16Map``, for
formats that count UTF-16). A Qt text view also turns a line end into one block separator,
so ``\r\n`` is one position there and two in the store: every offset that crosses the UI
boundary goes through ``ViewMap``.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def wide_characters(text: str) -> list[int]:
    """The code-point indexes of the characters that take two UTF-16 units, in order."""
    if text.isascii():
        return []
    return [m.start() for m in _ASTRAL.finditer(text)]


class Utf16Map:
    """Converts offsets between Python code points and UTF-16 code units for one text."""

    def __init__(self, text: str) -> None:
        # code-point indexes of the characters that take two UTF-16 units
        self._wide = wide_characters(text)

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


# What the view shows as a line break: every boundary of ``str.splitlines`` (\r\n counts
# as one). Qt itself starts a paragraph only at \n, \r (\r\n as one) and U+2029, breaks
# the line at U+2028, and leaves VT, FF, NEL and the separators U+001C..U+001E in the line.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Shown as U+FFFD: Qt's frame markers (QTextDocument turns them into block separators), the
# reversed byte-order mark (a leading one makes Qt byte-swap the whole text) and lone
# surrogates (not characters at all).
_UNSHOWABLE = "\ufdd0\ufdd1\ufffe" + "".join(chr(c) for c in range(0xD800, 0xE000))
_VIEW_CHARS = str.maketrans(dict.fromkeys(LINE_BREAKS, "\n") | dict.fromkeys(_UNSHOWABLE, "\ufffd"))
_NEEDS_VIEW_CHANGE = re.compile(f"[{re.escape(LINE_BREAKS[1:] + _UNSHOWABLE)}]")  # not \n
BOM, WORD_JOINER = "\ufeff", "\u2060"  # Qt drops a leading BOM; the joiner is as invisible
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def qt_safe(text: str) -> str:
    """A short text (a title, a name) as Qt can be given it and show it unchanged.

    Qt (PySide6 6.11) drops a leading byte-order mark U+FEFF, byte-swaps a whole string
    that starts with U+FFFE ("Ann" becomes "䄀渀渀"), and cannot hold a lone surrogate.
    """
    if text[:1] in (BOM, "\ufffe"):
        text = (WORD_JOINER if text[0] == BOM else "\ufffd") + text[1:]
    if not text.isascii():
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return text


class ViewMap:
    r"""Offsets between a stored text and the Qt text view that shows it.

    The store counts code points with exclusive ends. The view shows ``view_text``: every
    line end (``\r\n``, ``\r``, ``\n``, VT, FF, NEL, U+2028, U+2029, ...) is one ``\n``,
    and Qt counts positions in UTF-16 units. Give the view ``view_text`` (never the stored
    text) and convert every offset with this map.

    A store offset between the ``\r`` and ``\n`` of one line end has no view position of
    its own: a span start there moves back to the line end, a span end moves past it, so a
    span holding half a line end shows the whole line break.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        view_text = text.replace("\r\n", "\n") if "\r" in text else text
        if _NEEDS_VIEW_CHANGE.search(view_text):
            view_text = view_text.translate(_VIEW_CHARS)
        if view_text.startswith(BOM):
            view_text = WORD_JOINER + view_text[1:]
        self.view_text = view_text
        # code-point indexes of the characters that take two UTF-16 units
        self._wide = wide_characters(text)
        # code-point indexes of the "\n" of each "\r\n": it takes no view position
        self._joined = [m.start() + 1 for m in re.finditer("\r\n", text)]
        self._identity = not self._wide and not self._joined

    @property
    def view_length(self) -> int:
        """The view's length in positions (UTF-16 units, separators included)."""
        return self.to_view(self.length)

    def to_view(self, index: int, end: bool = False) -> int:
        """The view position of store offset ``index`` (``end``: an exclusive span end)."""
        index = max(0, min(index, self.length))
        if self._identity:
            return index
        joined = bisect_left(self._joined, index) if end else bisect_right(self._joined, index)
        return index + bisect_left(self._wide, index) - joined

    def to_store(self, position: int, end: bool = False) -> int:
        """The store offset of view ``position``. Inside an emoji (between its two UTF-16
        units) a start rounds down and an ``end`` rounds up."""
        if self._identity:
            return max(0, min(position, self.length))
        lo, hi = 0, self.length
        while lo < hi:  # the first offset at or after the position
            mid = (lo + hi) // 2
            if self.to_view(mid) < position:
                lo = mid + 1
            else:
                hi = mid
        if not end and lo > 0 and self.to_view(lo) > position:
            lo -= 1
        return lo

    def view_span(self, start: int, end: int) -> tuple[int, int]:
        """A store span ``[start, end)`` as view positions."""
        return self.to_view(start), self.to_view(end, end=True)

    def store_span(self, start: int, end: int) -> tuple[int, int]:
        """A view span (a selection's start and end) as store offsets."""
        return self.to_store(start), self.to_store(end, end=True)


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
