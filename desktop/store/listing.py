"""What the article list shows and asks, without SQLAlchemy: its rows (``ArticleSummary``),
its query (``BrowseQuery``) and the words a search looks for. ``browse`` and ``repository``
use them; the window's first screen (``first_screen``) fills them with ``sqlite3`` alone."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# the shortest last word searched as a prefix: a one-letter prefix ("t"*) matches most of
# the index, 0.5-1 s at 100,000 articles, so a last word of one letter is searched whole,
# and alone it waits for the next (the search box says so)
MIN_PREFIX = 2


@dataclass(frozen=True)
class BrowseQuery:
    """What the browser shows: which articles, in what order."""

    collection: str | None = None
    status: str | None = None
    search: str = ""
    sort: str = "id"
    descending: bool = False
    # the id of the last row already shown: the page is the rows after it (keyset paging)
    after: int | None = None
    # only the articles assigned to this annotator (a layer of theirs: "Assigned to me")
    assigned_to: str | None = None

    def with_(self, **changes: object) -> BrowseQuery:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the article list."""

    id: int
    external_id: str
    title: str
    status: str
    collection: str
    analyzed: bool
    entities: int
    quotes: int
    sources: int
    published: str = ""
    lowest_confidence: float | None = None  # its least certain quote (migration 0005)


def _terms(text: str) -> tuple[list[str], bool]:
    """The words of a search (runs of word characters) and whether the last is a prefix.
    A last word whose last token (what the full-text tokenizers split it into) is shorter
    than ``MIN_PREFIX`` is searched whole ("number 7"), and alone it waits for the next
    letter (no search), since as a prefix it would match most of the index."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    tokens = re.findall(r"[^\W_]+", words[-1], flags=re.UNICODE) if words else []
    short = bool(tokens) and len(tokens[-1]) < MIN_PREFIX
    if short and len(words) == 1:
        return [], False
    return words, not short


def typed_words(text: str) -> list[str]:
    """The words a search looks for (none while a lone letter waits for the next)."""
    return _terms(text)[0]


def waits_for_more(text: str) -> bool:
    """Whether the search is one word too short to look for yet (``MIN_PREFIX``)."""
    return not typed_words(text) and bool(re.findall(r"[^\W_]", text, flags=re.UNICODE))
