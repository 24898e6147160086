"""The window's import summary counts each outcome and names a refused record's id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.services import importing
from desktop.store import Database

pytestmark = pytest.mark.gui


def test_the_window_says_what_was_skipped_and_what_was_refused(  # type: ignore[no-untyped-def]
    qtbot, make_window, db: Database, tmp_path: Path
) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"id": "road", "text": "The road opens in May."}) + "\n")
    assert importing.import_paths(db, [first]).added == 1
    window = make_window(add_sample=False, synchronous=True)
    again = tmp_path / "again.jsonl"
    again.write_text(
        json.dumps({"id": "road", "text": "The road opens in May."})
        + "\n"
        + json.dumps({"id": "road", "text": "The road opens in June."})
        + "\n"
    )
    with qtbot.waitSignal(window.failed, timeout=10000) as failed:
        window.import_paths([again])
    message = failed.args[0]  # one line: the counts, then the first refused record
    assert "\n" not in message
    assert message.startswith("import: imported 0 article(s), skipped 1 already present, refused 1")
    assert "'road'" in message and "different text" in message and "again.jsonl" in message
    shown = window.statusBar().currentMessage()
    assert "refused 1" in shown
