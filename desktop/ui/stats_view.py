"""The statistics view: one chart at a time (most quoted sources, by type, the gender gap,
by outlet, over time) for the shared filter, with its numbers beside it; each chart exports
as PNG, SVG or CSV, and all of them together as one report (HTML or PDF).

The numbers come from ``services.statistics`` on the worker thread, the very rows
``quotedesk stats`` prints. matplotlib is imported when the view is first shown, so the
window opens without paying for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.people import ArticleFilter, StatRow
from desktop.ui.record_filter import FilterBar, FilterState, describe
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.store import Database
    from desktop.ui.charts import ChartCanvas

Index = QModelIndex | QPersistentModelIndex
ShowError = Callable[[BaseException], None]
# what the list on the left offers; "time" is by month or by week, as the box says
CHOICES = (
    ("source", "Most quoted sources"),
    ("type", "By type"),
    ("gender", "By gender"),
    ("outlet", "By outlet"),
    ("time", "Over time"),
)
# (dialog filter, suffix) per export kind
EXPORTS = {"png": ("PNG image (*.png)", ".png"), "svg": ("SVG image (*.svg)", ".svg")}
EXPORTS["csv"] = ("CSV table (*.csv)", ".csv")
# asks where to save: (parent, caption, suggested path, filter) -> path or "" (tests set it)
AskPath = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    return QFileDialog.getSaveFileName(parent, caption, suggested, filters)[0]


class StatTableModel(QAbstractTableModel):
    """The numbers of the chart on screen, exactly the rows it was drawn from."""

    def __init__(self, parent: Any = None) -> None:
        from desktop.services import charts

        super().__init__(parent)
        self.by = "source"
        self.rows: list[StatRow] = []
        self.header: list[str] = charts.csv_header("source")

    def set_rows(self, by: str, rows: Sequence[StatRow]) -> None:
        from desktop.services import charts

        self.beginResetModel()
        self.by, self.rows, self.header = by, list(rows), charts.csv_header(by)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.header)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self.header[section].replace("_", " ") if 0 <= section < len(self.header) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        from desktop.services import charts

        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, name = self.rows[index.row()], self.header[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = row.key if index.column() == 0 else getattr(row, name, None)
            return charts.cell_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class StatsView(QWidget):
    """Charts of the filtered articles; ``drawn`` says which chart has its rows on screen."""

    drawn = Signal(str)  # the grouping just drawn
    saved = Signal(str)  # the path of an export just written

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        state: FilterState,
        show_error: ShowError,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.state, self.show_error = db, runner, state, show_error
        self.ask_path: AskPath = ask_save_path
        self.setObjectName("statsView")
        self.canvas: ChartCanvas | None = None  # made when first shown
        self._seq = 0
        self._stale = True
        self.filter_bar = FilterBar(state)
        self.choices = QListWidget()
        self.choices.setObjectName("chartChoices")
        for by, title in CHOICES:
            self.choices.addItem(title)
            self.choices.item(self.choices.count() - 1).setData(Qt.ItemDataRole.UserRole, by)
        self.choices.setMaximumWidth(180)
        self.choices.setSpacing(3)
        self.period = QComboBox()
        self.period.setObjectName("chartPeriod")
        self.period.addItem("by month", "month")
        self.period.addItem("by week", "week")
        self.totals = QLabel()
        self.totals.setObjectName("statTotals")
        self.export_buttons = {}
        for fmt in ("png", "svg", "csv"):
            button = QPushButton(f"{fmt.upper()}…")
            button.setToolTip(f"Save this chart's {'numbers' if fmt == 'csv' else 'picture'}")
            button.clicked.connect(lambda _=False, f=fmt: self.export_chart(f))
            self.export_buttons[fmt] = button
        self.report_button = QPushButton("Report…")
        self.report_button.setToolTip("Every chart and table of this filter in one HTML or PDF")
        self.report_button.clicked.connect(self.export_report)
        self.table_model = StatTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("statTable")
        self.table.setModel(self.table_model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setDefaultSectionSize(110)
        self.chart_box = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)

        tools = QHBoxLayout()
        tools.addWidget(self.totals, 1)
        tools.addWidget(self.period)
        for button in (*self.export_buttons.values(), self.report_button):
            tools.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(tools)
        self.splitter = QSplitter(Qt.Orientation.Vertical)  # the chart, its numbers below
        self.splitter.addWidget(self.chart_box)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 180])
        right_layout.addWidget(self.splitter, 1)
        body = QHBoxLayout()
        body.addWidget(self.choices)
        body.addWidget(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filter_bar)
        layout.addLayout(body, 1)

        self.choices.setCurrentRow(0)
        self.choices.currentRowChanged.connect(lambda _row: self.refresh())
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        state.changed.connect(self._on_filter)

    @property
    def by(self) -> str:
        """The grouping of the chart chosen: source, type, gender, outlet, month or week."""
        item = self.choices.currentItem()
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else "source"
        return str(self.period.currentData()) if chosen == "time" else str(chosen)

    def show_chart(self, by: str) -> None:
        """Pick the chart of a grouping (``month``/``week`` pick "over time")."""
        if by in ("month", "week"):
            self.period.setCurrentIndex(self.period.findData(by))
            by = "time"
        rows = [self.choices.item(n).data(Qt.ItemDataRole.UserRole) for n in range(5)]
        self.choices.setCurrentRow(rows.index(by))

    # --- reading and drawing ----------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.canvas is None:
            from desktop.ui.charts import ChartCanvas  # matplotlib: only now

            self.canvas = ChartCanvas(self.chart_box)
            self.chart_layout.addWidget(self.canvas)
        self.filter_bar.load_choices(self.db, self.runner, self.show_error)
        self.refresh()  # an analysis or an edit may have changed the numbers

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.canvas is not None:
            self._draw()  # the theme changed: the chart follows

    def _on_filter(self, _filter: ArticleFilter) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the chosen chart's rows and the totals (only the latest request shows)."""
        from desktop.services import statistics

        if self.canvas is None:
            return
        self._seq += 1
        seq, by, filter_ = self._seq, self.by, self.state.filter
        self.period.setVisible(by in ("month", "week"))
        self.totals.setText("Counting…")  # the whole of a large collection takes a moment

        def read(_p: object, _c: object) -> tuple[list[StatRow], StatRow]:
            return statistics.stats(self.db, by, filter_), statistics.totals(self.db, filter_)

        def shown(result: tuple[list[StatRow], StatRow]) -> None:
            if seq != self._seq:
                return
            rows, total = result
            self.table_model.set_rows(by, rows)
            self.totals.setText(
                f"{total.quotes:,} quotes · {total.sources or 0:,} sources · "
                f"{total.articles:,} articles"
            )
            self._draw()
            self.drawn.emit(by)

        self.runner.run("list statistics", read, shown, self.show_error)

    def _draw(self) -> None:
        from desktop.ui.charts import theme_from_palette

        if self.canvas is not None:
            theme = theme_from_palette(self.palette())
            self.canvas.show_rows(self.table_model.by, self.table_model.rows, theme)

    # --- exports ----------------------------------------------------------------------

    def export_chart(self, fmt: str) -> None:
        """Save the chart on screen as PNG or SVG, or its numbers as CSV."""
        from desktop.services import charts
        from desktop.services.export_target import write_export_file

        if self.canvas is None:
            return
        label, suffix = EXPORTS[fmt]
        path = self.ask_path(self, "Save the chart", f"{self.table_model.by}{suffix}", label)
        if not path:
            return
        if not Path(path).suffix:
            path += suffix
        if fmt == "csv":
            data = charts.rows_csv(self.table_model.by, self.table_model.rows).encode("utf-8")
        else:
            data = self.canvas.export_bytes(fmt)
        self._write(path, lambda: write_export_file(path, data))

    def export_report(self) -> None:
        """Every chart of the current filter, with its numbers, in one HTML or PDF file."""
        from desktop.services import report, statistics

        filters = "HTML page (*.html);;PDF document (*.pdf)"
        path = self.ask_path(self, "Save the report", "report.html", filters)
        if not path:
            return
        if not Path(path).suffix:
            path += ".html"
        filter_ = self.state.filter
        scope = describe(filter_)
        groupings = ("source", "type", "gender", "outlet", self.period.currentData() or "month")

        def work(_p: object, _c: object) -> str:
            sections = [
                report.ReportSection(by, statistics.stats(self.db, by, filter_)) for by in groupings
            ]
            report.write_report(path, "Who gets a voice", scope, sections, datetime.now())
            return path

        self.runner.run("write the report", work, self._saved, self.show_error, long=True)

    def _write(self, path: str, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as exc:
            self.show_error(exc)
            return
        self._saved(path)

    def _saved(self, path: str) -> None:
        self.saved.emit(path)
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Saved {Path(path).name}", 6000)
