"""A read-only table of whole rows, as the sources index and the concordance show them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Selection = QAbstractItemView.SelectionMode


def row_table(
    name: str, model: QAbstractItemModel, selection: Selection, widths: Sequence[int]
) -> QTableView:
    """A table of ``model`` named ``name``: no grid or row numbers, one line a row in
    alternating colours, whole rows selected, nothing edited in place. The first column
    stretches; the others start at ``widths`` and can be resized."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column, width in enumerate(widths, start=1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, width)
    return table
