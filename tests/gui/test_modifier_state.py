"""Qt keeps one application-wide modifier state: a test that clicks a key with Ctrl or
Shift must not leave it held for the next (it made a later ``selectRow`` extend the
selection, and the sources view's concordance never came)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView
from pytestqt.qtbot import QtBot

from tests.gui.conftest import release_modifiers

pytestmark = pytest.mark.gui

M = Qt.KeyboardModifier
MODIFIERS = [M.ShiftModifier, M.ControlModifier, M.AltModifier, M.MetaModifier]


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(held=st.lists(st.sampled_from(MODIFIERS), min_size=1, unique=True))
def test_after_any_click_with_modifiers_nothing_is_held_once_released(
    qtbot: QtBot, held: list[Any]
) -> None:
    table = QTableView()
    qtbot.addWidget(table)
    model = QStandardItemModel(5, 2, table)
    table.setModel(model)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.show()
    modifiers = M.NoModifier
    for one in held:
        modifiers |= one
    table.selectRow(3)
    qtbot.keyClick(table, Qt.Key.Key_R, modifiers)
    release_modifiers()
    assert QGuiApplication.keyboardModifiers() == M.NoModifier
    table.selectRow(0)  # one row, as with no key held
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0]
