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


_PIECE = re.compile(r"\w+|[^\w\s]|\s+")


def spaced_tokens(
    text: str, starts: Iterable[int] = (), ends: Iterable[int] = ()
) -> list[tuple[int, int, bool]]:
    """Tokens that rebuild ``text`` exactly, as spaCy's (and so Prodigy's) tokenizer makes
    them: ``(start, end, ws)``, where ``ws`` says one space follows the token and belongs to
    it, and the rest of a run of whitespace (``"\\n\\n"``, a second space) is a token.

    Every offset in ``starts`` begins a token and every one in ``ends`` ends one, so that
    spans starting or ending there fall on token boundaries (a space is only taken into the
    token before it when no span starts on it or ends after it).
    """
    begins, stops = set(starts), set(ends)
    cuts = sorted({p for p in (*begins, *stops) if 0 < p < len(text)})
    pieces: list[tuple[int, int]] = []
    start = 0
    for end in [*cuts, len(text)]:
        pieces.extend(m.span() for m in _PIECE.finditer(text, start, end))
        start = end
    out: list[tuple[int, int, bool]] = []

    def free(p: int) -> bool:  # the space at p may be a ``ws`` (no span starts or ends on it)
        return text[p] == " " and p not in begins and p + 1 not in stops

    for s, e in pieces:
        if text[s].isspace():
            if out and not out[-1][2] and out[-1][1] == s and not text[s - 1].isspace() and free(s):
                out[-1] = (out[-1][0], out[-1][1], True)
                s += 1
            if s < e:
                out.append((s, e, False))
            continue
        out.append((s, e, False))
    return out
