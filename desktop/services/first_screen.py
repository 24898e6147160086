"""The window's first screen without SQLAlchemy (issue 16): ``store.first_screen`` reads it
with ``sqlite3``; this hands it to the window with the article's labels as the window takes
them. None means the window takes its full path (``Database.open``, then its reads)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.domain.labels import LabelDef, labels_from_json
from desktop.store.errors import StoreError
from desktop.store.first_screen import StoredScreen, read_first_screen
from desktop.store.location import parse_location


@dataclass(frozen=True)
class FirstScreen:
    """``StoredScreen`` and the shown article's collection labels (``labels.article_labels``)."""

    stored: StoredScreen
    labels: list[LabelDef]


def first_screen(
    location: str, open_id: str | None, last_article: str, limit: int
) -> FirstScreen | None:
    """What the window shows first at ``location`` (a path; a server URL gives None)."""
    try:
        where = parse_location(location)
    except StoreError:
        return None
    if not isinstance(where, Path):
        return None
    stored = read_first_screen(where, open_id, last_article, limit)
    if stored is None:
        return None
    return FirstScreen(stored, labels_from_json(stored.labels))
