"""Entity and quote highlights drawn by a QSyntaxHighlighter.

The highlighter formats one paragraph (block) at a time and Qt keeps the result, so a long
article with a thousand entities paints only what is on screen; after an edit only the
paragraphs whose highlights changed are formatted again. Spans are view positions (UTF-16
units, one per line break: ``ViewMap.view_span``), never code points: a block's ``text`` is
a Python string whose length undercounts UTF-16 units when it holds an emoji.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument


@dataclass(frozen=True)
class Mark:
    """A highlighted span; ``tag`` names its look (e.g. "PERSON:#b8d7f6"), so that two
    marks with the same span and tag draw the same."""

    start: int
    end: int
    fmt: QTextCharFormat
    tag: str

    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.tag)


class AnnotationHighlighter(QSyntaxHighlighter):
    """Underlines (quotes) first, then backgrounds (entities) merged over them."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._under: list[Mark] = []
        self._over: list[Mark] = []
        self._over_starts: list[int] = []
        self._longest = 0

    def forget(self) -> None:
        """Drop every mark without formatting anything (before the text is replaced)."""
        self._under, self._over, self._over_starts, self._longest = [], [], [], 0

    def set_marks(self, under: list[Mark], over: list[Mark]) -> None:
        """Replace every mark; re-format only the paragraphs where something changed."""
        old = {m.key() for m in self._under} | {m.key() for m in self._over}
        new = {m.key() for m in under} | {m.key() for m in over}
        changed = list(old ^ new)
        self._under = under
        self._over = sorted(over, key=lambda m: m.start)
        self._over_starts = [m.start for m in self._over]
        self._longest = max((m.end - m.start for m in self._over), default=0)
        if len(changed) > 200:
            self.rehighlight()
            return
        doc = self.document()
        blocks = set()
        for start, end, _ in changed:
            block = doc.findBlock(start)
            while block.isValid() and block.position() < end:
                blocks.add(block.blockNumber())
                block = block.next()
        for number in sorted(blocks):
            self.rehighlightBlock(doc.findBlockByNumber(number))

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        begin = block.position()
        end = begin + block.length() - 1  # UTF-16 units, without the block separator
        marks = [m for m in self._under if m.start < end and begin < m.end]
        first = bisect_left(self._over_starts, begin - self._longest)
        last = bisect_left(self._over_starts, end)
        marks += [m for m in self._over[first:last] if m.end > begin]
        if not marks:
            return
        # cut the block where any mark starts or ends; each piece gets the formats of the
        # marks over it merged, underlines first, so that an entity over part of a quote
        # neither loses the underline nor spreads it past the quote
        cuts = sorted(
            {begin, end} | {min(max(p, begin), end) for m in marks for p in (m.start, m.end)}
        )
        for lo, hi in zip(cuts, cuts[1:], strict=False):
            over = [m for m in marks if m.start <= lo and hi <= m.end]
            if over:
                fmt = QTextCharFormat()
                for mark in over:
                    fmt.merge(mark.fmt)
                self.setFormat(lo - begin, hi - lo, fmt)
