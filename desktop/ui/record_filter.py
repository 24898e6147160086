"""The filter the sources index and the statistics share: which articles they count.

``FilterState`` holds one ``ArticleFilter`` and says when it changed; each view shows a
``FilterBar`` bound to the same state, so the index and the charts always count the same
articles. Dates are typed as ISO dates (``2026-11``, ``2026-11-03``, ``2026``); one that is
not a date is marked, named in its tooltip and ignored until it is one.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desktop.domain.names import elide
from desktop.domain.people import ArticleFilter
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.store import Database

TYPING_DELAY_MS = 300  # a search or a date applies once typing pauses this long
ANY = ""
STATUSES = (
    ("Any status", ANY),
    ("Unreviewed", "unreviewed"),
    ("In review", "in_review"),
    ("Reviewed", "reviewed"),
)
_MARKED = "QLineEdit { border: 1px solid #d32f2f; }"  # a date that cannot be used as typed
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_day(text: str, end: bool) -> str | None:
    """The ISO day a typed date means: ``2026`` or ``2026-11`` is its first day (its last
    with ``end``). Empty text is None; text that is no date raises ValueError."""
    text = text.strip()
    if not text:
        return None
    match = _PARTIAL.match(text)
    if match is None:
        raise ValueError(f"“{elide(text, 40)}” is not a date: type 2026, 2026-11 or 2026-11-03")
    year, month, day = match.group(1), match.group(2), match.group(3)
    y = int(year)
    m = int(month) if month else (12 if end else 1)
    try:
        if day:
            d = int(day)
        else:
            d = calendar.monthrange(y, m)[1] if end else 1
        return date(y, m, d).isoformat()
    except ValueError:
        raise ValueError(f"“{elide(text, 40)}” is not a day of the calendar") from None


class FilterState(QObject):
    """The current filter of the collection views; ``changed`` when it is another."""

    changed = Signal(object)  # the new ArticleFilter

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = ArticleFilter()

    @property
    def filter(self) -> ArticleFilter:
        return self._filter

    def set(self, new: ArticleFilter) -> None:
        if new != self._filter:
            self._filter = new
            self.changed.emit(new)

    def update(self, **changes: object) -> None:
        self.set(replace(self._filter, **changes))  # type: ignore[arg-type]


class FilterBar(QWidget):
    """Collection, outlet, publication dates, review status and a search of the texts."""

    def __init__(self, state: FilterState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.collection_box = QComboBox()
        self.collection_box.setObjectName("recordCollection")
        self.collection_box.setToolTip("Collection")
        self.collection_box.addItem("All collections", ANY)
        self.outlet_box = QComboBox()
        self.outlet_box.setObjectName("recordOutlet")
        self.outlet_box.setToolTip("Outlet (the publication of the articles)")
        self.outlet_box.addItem("All outlets", ANY)
        self.status_box = QComboBox()
        self.status_box.setObjectName("recordStatus")
        self.status_box.setToolTip("Review status of the articles")
        for text, value in STATUSES:
            self.status_box.addItem(text, value)
        self.date_from = QLineEdit()
        self.date_from.setObjectName("dateFrom")
        self.date_from.setPlaceholderText("from (2026-11)")
        self.date_to = QLineEdit()
        self.date_to.setObjectName("dateTo")
        self.date_to.setPlaceholderText("to (2026-11-30)")
        self.text_search = QLineEdit()
        self.text_search.setObjectName("articleTextSearch")
        self.text_search.setPlaceholderText("Articles that mention…")
        self.text_search.setClearButtonEnabled(True)
        for edit in (self.date_from, self.date_to):
            edit.setMaximumWidth(130)
            edit.setClearButtonEnabled(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in (
            (self.collection_box, 2),
            (self.outlet_box, 2),
            (self.date_from, 1),
            (self.date_to, 1),
            (self.status_box, 1),
            (self.text_search, 3),
        ):
            layout.addWidget(widget, stretch)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DELAY_MS)
        self._typing.timeout.connect(self.apply)
        for edit in (self.date_from, self.date_to, self.text_search):
            edit.textChanged.connect(self._typing.start)
        for box in (self.collection_box, self.outlet_box, self.status_box):
            box.currentIndexChanged.connect(self.apply)
        state.changed.connect(self.show_filter)
        self._reader: tuple[Database, TaskRunner, Callable[[BaseException], None]] | None = None
        self._outlets_of: str | None = None

    def load_choices(
        self, db: Database, runner: TaskRunner, show_error: Callable[[BaseException], None]
    ) -> None:
        """Read the collections, and the outlets of the chosen one, into the lists (again
        whenever the collection changes)."""
        from desktop.services import library, sources

        self._reader = (db, runner, show_error)
        collection = self._outlets_of = self.state.filter.collection

        def read(_p: object, _c: object) -> tuple[list[str], list[str]]:
            return library.collection_names(db), sources.outlets(db, collection)

        runner.run("list filter choices", read, lambda c: self.set_choices(*c), show_error)

    def set_choices(self, collections: list[str], outlets: list[str]) -> None:
        """Fill the collection and outlet lists, keeping what is chosen."""
        for box, names, everything in (
            (self.collection_box, collections, "All collections"),
            (self.outlet_box, outlets, "All outlets"),
        ):
            keep = box.currentData() or ANY
            with QSignalBlocker(box):
                box.clear()
                box.addItem(everything, ANY)
                for name in names:
                    box.addItem(elide(name, 60), name)
                box.setCurrentIndex(max(box.findData(keep), 0))

    def apply(self) -> None:
        """Put what the bar shows into the shared filter (a date that is no date is marked
        and leaves its end of the range open)."""
        days = []
        for edit, end in ((self.date_from, False), (self.date_to, True)):
            try:
                day = parse_day(edit.text(), end)
                edit.setToolTip("")
                edit.setStyleSheet("")
            except ValueError as exc:
                day = None
                edit.setToolTip(str(exc))
                edit.setStyleSheet(_MARKED)
            days.append(day)
        if days[0] and days[1] and days[0] > days[1]:  # no article in such a range
            for edit in (self.date_from, self.date_to):
                edit.setToolTip(f"The range ends ({days[1]}) before it starts ({days[0]})")
                edit.setStyleSheet(_MARKED)
        self.state.set(
            ArticleFilter(
                collection=self.collection_box.currentData() or None,
                outlet=self.outlet_box.currentData() or None,
                date_from=days[0],
                date_to=days[1],
                status=self.status_box.currentData() or None,
                search=self.text_search.text().strip(),
            )
        )

    def show_filter(self, new: ArticleFilter) -> None:
        """Show a filter another bar (or the program) set."""
        if self._reader is not None and new.collection != self._outlets_of:
            self.load_choices(*self._reader)  # the outlets of that collection
        for box, value in (
            (self.collection_box, new.collection),
            (self.outlet_box, new.outlet),
            (self.status_box, new.status),
        ):
            found = box.findData(value or ANY)
            if found < 0 and value:
                box.addItem(elide(value, 60), value)
                found = box.count() - 1
            with QSignalBlocker(box):
                box.setCurrentIndex(max(found, 0))
        for edit, value in (
            (self.date_from, new.date_from),
            (self.date_to, new.date_to),
            (self.text_search, new.search),
        ):
            if self._meaning(edit) != (value or ""):
                with QSignalBlocker(edit):
                    edit.setText(value or "")

    def _meaning(self, edit: QLineEdit) -> str:
        if edit is self.text_search:
            return edit.text().strip()
        try:
            return parse_day(edit.text(), edit is self.date_to) or ""
        except ValueError:
            return ""

    def describe(self) -> str:
        """The filter in words, for a report's heading."""
        return describe(self.state.filter)


def describe(f: ArticleFilter) -> str:
    """``ArticleFilter`` in words: "Collection “News”, outlet Daily Post, 2026-11-01 to …"."""
    parts = [f"collection “{f.collection}”" if f.collection else "all collections"]
    if f.outlet:
        parts.append(f"outlet “{f.outlet}”")
    if f.date_from or f.date_to:
        parts.append(f"published {f.date_from or '…'} to {f.date_to or '…'}")
    if f.status:
        status = {v: t for t, v in STATUSES}.get(f.status, f.status)
        parts.append(f"{status.lower()} articles")
    if f.search:
        parts.append(f"articles that mention “{f.search}”")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]
