"""Helpers for driving the editor like a person: drag-select text, answer dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QDialog

from desktop.ui.annotating_view import AnnotatingView


def point_at(view: AnnotatingView, index: int) -> QPoint:
    """The viewport point just inside the left edge of character ``index``."""
    view_map = view._map  # noqa: SLF001  (the view's own code-point/UTF-16 map)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view_map.to_utf16(index))
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
    """Select ``[start, end)`` with a mouse drag: press, move with the button down, release."""
    view.ensureCursorVisible()
    cursor = QTextCursor(view.document())
    cursor.setPosition(view._map.to_utf16(start))  # noqa: SLF001
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    a, b = point_at(view, start), point_at(view, end)
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
