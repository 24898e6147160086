"""The sources index's item model: pages of ``RecordSummary`` rows fetched on demand.

Like the article browser's model, rows arrive a page at a time from a background task and
sorting happens in the database, so an index over 100,000 articles opens at once. A gender
the first-name guess gave is shown in italics and says so; a person's is shown plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication

from desktop.domain.names import elide
from desktop.domain.offsets import qt_safe
from desktop.domain.people import ArticleFilter, GenderOrigin, RecordSummary
from desktop.ui.paged_model import Loader, PagedTableModel
from desktop.ui.theme import dimmed_text


@dataclass(frozen=True)
class RecordQuery:
    """What the index lists: the filter, a search of names and aliases, the order."""

    filter: ArticleFilter = ArticleFilter()
    search: str = ""
    sort: str = "quotes"
    descending: bool = True


# loader(query, offset, limit, deliver): a page off the GUI thread, then deliver(rows,
# total) on the GUI thread
RecordLoader = Loader[RecordQuery, RecordSummary]

PAGE_SIZE = 200
COLUMNS = ("Name", "Type", "Gender", "Quotes", "Articles", "Outlets", "First", "Last")
SORT_KEYS = ("name", "type", "gender", "quotes", "articles", "outlets", "first", "last")
TIPS = (
    "The record's name (its aliases in the tooltip)",
    "Person, organisation or other",
    "Gender as a person set it; in italics: guessed from the first name",
    "Quotes in the filtered articles",
    "Articles that quote it",
    "Outlets that quote it",
    "Date of the first article that quotes it",
    "Date of the last article that quotes it",
)


class RecordTableModel(PagedTableModel[RecordQuery, RecordSummary]):
    """Rows of the sources index; ``PersonIdRole`` gives a row's record id."""

    PersonIdRole = Qt.ItemDataRole.UserRole + 1
    NAME, TYPE, GENDER, QUOTES, ARTICLES, OUTLETS, FIRST, LAST = range(8)
    COLUMNS, TIPS = COLUMNS, TIPS

    def __init__(self, loader: RecordLoader, parent: Any = None) -> None:
        super().__init__(loader, RecordQuery(), parent)

    def page_size(self) -> int:
        return PAGE_SIZE

    def cell(self, row: RecordSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.GENDER and _guessed(row):
            return dimmed_text(QGuiApplication.palette())
        if role == Qt.ItemDataRole.FontRole and column == self.GENDER and _guessed(row):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and self.QUOTES <= column <= self.OUTLETS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.PersonIdRole:
            return row.person.id
        return None

    def _display(self, row: RecordSummary, column: int) -> str:
        person = row.person
        if column == self.NAME:
            return qt_safe(elide(person.name, 200))
        if column == self.TYPE:
            return str(person.type).capitalize() if person.type != "ORG" else "Organisation"
        if column == self.GENDER:
            return qt_safe(elide(person.gender_label, 40))
        if column == self.QUOTES:
            return f"{row.quotes:,}"
        if column == self.ARTICLES:
            return f"{row.articles:,}"
        if column == self.OUTLETS:
            return f"{row.outlets:,}"
        day = row.first_date if column == self.FIRST else row.last_date
        return (day or "")[:10]

    def _tooltip(self, row: RecordSummary, column: int) -> str | None:
        person = row.person
        if column == self.GENDER and _guessed(row):
            return "Guessed from the first name; set it by hand to be sure"
        lines = [elide(person.name, 300)]
        if person.aliases:
            lines.append("also: " + elide(", ".join(person.aliases), 300))
        if person.role:
            lines.append(elide(person.role, 200))
        for key, value in list(person.attributes.items())[:10]:
            lines.append(f"{elide(key, 60)}: {elide(value, 120)}")
        return qt_safe("\n".join(lines))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (self._query.sort, self._query.descending) != (SORT_KEYS[column], descending):
            self.set_query(
                RecordQuery(self._query.filter, self._query.search, SORT_KEYS[column], descending)
            )

    # --- helpers for the view ---------------------------------------------------------

    def summary(self, row: int) -> RecordSummary | None:
        return self.row_at(row)

    def row_of(self, person_id: int) -> int:
        for n, row in enumerate(self._rows):
            if row.person.id == person_id:
                return n
        return -1


def _guessed(row: RecordSummary) -> bool:
    return row.person.gender_origin == GenderOrigin.GUESSED
