"""Paragraphs and quotation-mark pairing.

Pairs double quotation marks (straight ``"``, curly, low-9 and guillemets) within each
paragraph; a mark left open runs to the end of its paragraph, as news does when a quotation
continues into the next paragraph.  Curly single marks pair too when they sit at word
boundaries and are not nested inside a double pair (British-style quotations); straight
single quotes are apostrophes far too often to be trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“„«‟"
CLOSERS = "”»"
DOUBLE = '"' + OPENERS + CLOSERS
_PARA = re.compile(r"[^\n]+")
# two single marks typed for a double one ("‘’It’s not ...”") count as one double mark
_DOUBLE_RE = re.compile("''|``|‘’|‘‘|’’|[" + re.escape(DOUBLE) + "]")


@dataclass(frozen=True, slots=True)
class Quotation:
    """Text between a pair of marks: ``start``/``end`` exclude the marks themselves."""

    start: int
    end: int
    para: int
    closed: bool = True
    single: bool = False
    open_mark: int = -1  # where the opening mark starts (marks may be two characters: '')

    def __post_init__(self) -> None:
        if self.open_mark < 0:
            object.__setattr__(self, "open_mark", self.start - 1)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each non-blank line, trimmed of surrounding white space."""
    out = []
    for m in _PARA.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _opens(text: str, i: int, lo: int) -> bool:
    """Whether the mark at ``i`` looks like an opening one from its neighbours."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def _trim_end(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _double_marks(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """``(position, length)`` of each double mark, counting '' and `` as one mark."""
    return [(m.start(), m.end() - m.start()) for m in _DOUBLE_RE.finditer(text, lo, hi)]


def _nests(text: str, top: int, i: int, lo: int) -> bool:
    """Whether the mark at ``i`` opens a quotation nested in the one opened at ``top``: a
    mark of the other style (curly inside straight, straight inside curly) that opens after
    a space ('"... as “The Journal” wrote ..."')."""
    a, b = text[top], text[i]
    other = (a in "\"'`" and b in "“«") or (a in "“«" and b == '"')
    return other and i > lo and text[i - 1].isspace() and _opens(text, i, lo)


def _pair_doubles(text: str, para: int, lo: int, hi: int) -> list[Quotation]:
    out: list[Quotation] = []
    stack: list[tuple[int, int]] = []  # open marks, at most an outer and a nested one
    for i, n in _double_marks(text, lo, hi):
        ch = text[i]
        if not stack:
            if ch in OPENERS or ch in "\"'`" or (n == 2 and ch == "‘") or _opens(text, i, lo):
                stack.append((i, n))
            continue
        o, on = stack[-1]
        if ch in OPENERS and text[o] == ch and _opens(text, i, lo) and text[i - 1].isspace():
            # a fresh opening mark while one is open: the earlier one was never closed
            out.append(Quotation(o + on, _trim_end(text, o + on, i), para, False, open_mark=o))
            stack[-1] = (i, n)
            continue
        if len(stack) == 1 and _nests(text, o, i, lo):
            stack.append((i, n))
            continue
        out.append(Quotation(o + on, i, para, open_mark=o))
        stack.pop()
    for o, on in reversed(stack):
        if hi - o > on:
            out.append(Quotation(o + on, _trim_end(text, o + on, hi), para, False, open_mark=o))
    return out


def _pair_singles(
    text: str, para: int, lo: int, hi: int, taken: list[Quotation]
) -> list[Quotation]:
    out: list[Quotation] = []
    open_at: int | None = None
    for i in range(lo, hi):
        ch = text[i]
        if any(q.start <= i < q.end or q.open_mark <= i < q.start for q in taken):
            continue
        if text[i : i + 2] in ("‘’", "‘‘", "’’") or text[i - 1 : i + 1] in ("‘’", "‘‘", "’’"):
            continue  # part of a double mark typed as two single ones
        if ch == "‘" and open_at is None and _opens(text, i, lo):
            open_at = i
        elif ch == "’" and open_at is not None:
            after = text[i + 1] if i + 1 < hi else " "
            if not after.isalpha():
                out.append(Quotation(open_at + 1, i, para, True, True))
                open_at = None
    return out


def find_quotations(text: str) -> list[Quotation]:
    """Every quotation in ``text``, in order of its opening mark."""
    out: list[Quotation] = []
    for n, (lo, hi) in enumerate(paragraphs(text)):
        doubles = _pair_doubles(text, n, lo, hi)
        out.extend(doubles)
        if "‘" in text[lo:hi]:
            out.extend(_pair_singles(text, n, lo, hi, doubles))
    out = [q for q in out if q.end > q.start]
    out.sort(key=lambda q: q.start)
    return out
