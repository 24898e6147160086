"""Unexpected errors: logged to a file and shown in a readable dialog, never a silent exit."""

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.domain import Article, Entity, Quote, QuoteKind, Source, Span
from desktop.ui.article_view import ArticleView
from desktop.ui.errors import install_excepthook, setup_logging
from tests.gui.editing_helpers import answer_next_dialog

pytestmark = pytest.mark.gui


def test_unexpected_error_is_logged_and_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log = setup_logging(tmp_path)
    old = sys.excepthook
    shown: list[str] = []

    def read(box: QMessageBox) -> None:  # type: ignore[override]
        shown.append(box.text() + "\n" + box.informativeText())

    try:
        install_excepthook(log)
        answer_next_dialog(read)  # type: ignore[arg-type]
        try:
            raise RuntimeError("the widget fell over")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old
    assert shown and "the widget fell over" in shown[0]
    assert str(log) in shown[0] and "saved work is safe" in shown[0]
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: the widget fell over" in text and "Traceback" in text


def test_hovering_says_what_a_span_is(qtbot) -> None:  # type: ignore[no-untyped-def]
    text = "Ann Lee said the vote 😀 was fair."
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_article(
        Article(
            "t",
            text,
            entities=[Entity(0, 7, "PERSON", "Ann Lee")],
            sources=[Source("s1", "Ann Lee", "PERSON", "", [Span(0, 7, "Ann Lee")])],
            quotes=[
                Quote(13, 32, text[13:32], QuoteKind.INDIRECT, None, Span(0, 7, "Ann Lee"), "s1")
            ],
        )
    )
    assert view.describe(2) == "PERSON: Ann Lee\nSource: Ann Lee"
    assert view.describe(text.index("fair")) == (  # analyzed before there were confidences
        "Indirect quote — Ann Lee\n"
        "No confidence measured (analyzed before confidences; analyze it again)"
    )
    assert view.describe(text.index("said")) == ""


def test_an_error_on_a_worker_thread_is_shown_by_the_gui_thread(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import threading

    log = setup_logging(tmp_path)
    old_sys, old_threading = sys.excepthook, threading.excepthook
    shown: list[tuple[str, bool]] = []

    def read(box: QMessageBox) -> None:  # type: ignore[override]
        shown.append((box.text(), threading.current_thread() is threading.main_thread()))

    try:
        install_excepthook(log)
        answer_next_dialog(read)  # type: ignore[arg-type]

        def fail() -> None:
            raise ValueError("broken in a worker")

        worker = threading.Thread(target=fail)
        worker.start()
        worker.join(5)
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    finally:
        sys.excepthook, threading.excepthook = old_sys, old_threading
    assert shown == [("broken in a worker", True)]
