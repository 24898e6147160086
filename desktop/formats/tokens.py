"""A small, dependency-free tokenizer for the token-based formats (CoNLL, Prodigy).

Tokens are runs of word characters or single other non-space characters; every offset in
``cuts`` also splits a token, so that annotation spans always fall on token boundaries.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """``[start, end)`` of each token of ``text``, split at every offset in ``cuts``."""
    out: list[tuple[int, int]] = []
    start = 0
    for end in [*sorted({p for p in cuts if 0 < p < len(text)}), len(text)]:
        # a match cannot run past ``end``, so no token crosses a cut
        out.extend(m.span() for m in _TOKEN.finditer(text, start, end))
        start = end
    return out


def token_range(
    tokens: list[tuple[int, int]], starts: list[int], start: int, end: int
) -> tuple[int, int] | None:
    """First and last (inclusive) token index inside ``[start, end)``; None if none.

    ``starts`` is the list of token start offsets, passed in so callers compute it once.
    """
    first = bisect_right(starts, start - 1)
    last = bisect_right(starts, end - 1) - 1
    while last >= first and tokens[last][1] > end:
        last -= 1
    if first > last or first >= len(tokens):
        return None
    return first, last
