"""Helpers for driving the editor like a person: drag-select text, answer dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QDialog

from desktop.ui.annotating_view import AnnotatingView


def point_at(view: AnnotatingView, index: int) -> QPoint:
    """The viewport point just inside the left edge of character ``index``."""
    return point_at_position(view, view.offsets.to_view(index))


def point_at_position(view: AnnotatingView, position: int) -> QPoint:
    """The viewport point just inside the left edge of the view's ``position``."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def _mouse(
    view: AnnotatingView, kind: QMouseEvent.Type, pos: QPoint, buttons: Qt.MouseButton
) -> None:
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def drag_select(view: AnnotatingView, start: int, end: int) -> None:
    """Select ``[start, end)`` (store offsets) with a mouse drag."""
    drag_positions(view, view.offsets.to_view(start), view.offsets.to_view(end))


def drag_positions(view: AnnotatingView, first: int, last: int) -> None:
    """Drag the mouse from view position ``first`` to ``last``: press, move with the
    button down, release."""
    view.ensureCursorVisible()
    cursor = QTextCursor(view.document())
    cursor.setPosition(first)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    a, b = point_at_position(view, first), point_at_position(view, last)
    held = Qt.MouseButton.LeftButton
    _mouse(view, QMouseEvent.Type.MouseButtonPress, a, held)
    _mouse(
        view, QMouseEvent.Type.MouseMove, QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2), held
    )
    _mouse(view, QMouseEvent.Type.MouseMove, b, held)
    _mouse(view, QMouseEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton)


def answer_next_dialog(fill: Callable[[QDialog], None]) -> None:
    """When the next modal dialog opens, fill it in and accept it."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, act)
            return
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, act)
