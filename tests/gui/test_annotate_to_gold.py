"""Annotate the sample article by hand, from the model's output to the reference annotation,
using only the editor's operations; the JSONL export must then score e2e_name_f1 = 1.0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.services import exporting
from tests.conftest import SHARED
from tests.gui.editing_helpers import answer_next_dialog

pytestmark = [pytest.mark.gui, pytest.mark.slow]

GOLD = SHARED / "seed" / "article.gold.json"
SCORER = SHARED / "eval" / "score_quotes.py"
TRIM = set(" \t\n\r\"'“”‘’«»,.;:—–-()[]")


def trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in TRIM:
        e -= 1
    return s, e


def same_quote(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The scorer's matching: the overlap covers half of each, after trimming."""
    a, b = trimmed(text, *a), trimmed(text, *b)
    overlap = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return overlap > 0 and overlap >= 0.5 * (a[1] - a[0]) and overlap >= 0.5 * (b[1] - b[0])


def surname(name: str) -> str:
    words = [w.strip(".,'").casefold() for w in name.replace("’", "'").split()]
    return words[-1] if words else ""


def trigger(menu, *path: str) -> None:  # type: ignore[no-untyped-def]
    """Click through a context menu: each step is an action's text (before any tab)."""
    for step in path:
        action = next(a for a in menu.actions() if a.text().split("\t")[0] == step)
        if action.menu() is not None:
            menu = action.menu()
        else:
            action.trigger()
            return
    raise AssertionError(f"menu path {path} ends in a submenu")


@pytest.mark.skipif(not GOLD.exists(), reason="the shared reference annotation is absent")
def test_editor_reaches_the_reference_annotation(qtbot, db, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    window = make_window()
    window.resize(1300, 850)
    window.show()
    with qtbot.waitSignal(window.article_shown, timeout=120000):
        pass
    view, panel, model = window.article_view, window.sources, window.sources.model
    text = window.shown.text
    assert text == gold["text"]

    def live() -> list[tuple[int, object]]:
        return [(i, q) for i, q in enumerate(window.shown.quotes) if not q.rejected]

    def edit(action, *args) -> None:  # type: ignore[no-untyped-def]
        with qtbot.waitSignal(window.edits.saved, timeout=5000):
            action(*args)

    def select_quote(span: tuple[int, int]) -> object:
        i, quote = next((i, q) for i, q in live() if (q.start, q.end) == span)
        panel.select_quote(i)
        return quote

    golds = [(g["start"], g["end"]) for g in gold["quotes"]]
    # 1. delete what the model found that is not in the reference
    for i, quote in live():
        if not any(same_quote(text, (quote.start, quote.end), g) for g in golds):
            panel.select_quote(i)
            panel.tree.setFocus()
            edit(qtbot.keyClick, panel.tree, Qt.Key.Key_Delete)

    for g in gold["quotes"]:
        span = (g["start"], g["end"])
        # 2. the quote itself, with the reference's span and kind
        match = next((q for _, q in live() if same_quote(text, (q.start, q.end), span)), None)
        if match is None:
            view.select_span(*span)
            edit(trigger, view.build_menu(), "Make a quote", g["kind"].capitalize())
            match = next(q for _, q in live() if (q.start, q.end) == span)
        ref = (match.start, match.end)
        if match.kind != g["kind"]:
            index = model.index_of_quote(next(i for i, q in live() if (q.start, q.end) == ref))
            edit(trigger, panel.build_menu(index), "Kind", g["kind"].capitalize())
        # 3. the speaker mention, selected in the text and set with S
        quote = select_quote(ref)
        speaker = g.get("speaker")
        if speaker and not (
            quote.speaker
            and quote.speaker.start < speaker["end"]
            and speaker["start"] < quote.speaker.end
        ):
            view.select_span(speaker["start"], speaker["end"])
            view.setFocus()
            edit(qtbot.keyClick, view, Qt.Key.Key_S)
        # 4. the source it belongs to: move it, or make a new one named as the reference
        quote = select_quote(ref)
        sources = {s.key: s for s in window.shown.sources}
        current = sources.get(quote.source_key or "")
        if current is None or surname(current.name) != surname(g["source"]):
            index = model.index_of_quote(next(i for i, q in live() if (q.start, q.end) == ref))
            target = next(
                (s for s in sources.values() if surname(s.name) == surname(g["source"])), None
            )
            if target is not None:
                edit(trigger, panel.build_menu(index), "Move to source", target.name)
            else:
                name = g["source"]
                answer_next_dialog(lambda d, name=name: d.name.setText(name))  # type: ignore[attr-defined]
                edit(trigger, panel.build_menu(index), "New source for this quote…")

    out = tmp_path / "annotated.jsonl"
    assert exporting.export(window.db, "jsonl", out) == 1
    record = json.loads(out.read_text(encoding="utf-8"))
    record["id"] = gold["id"]  # the shipped sample is "sample-article"; the reference names it so
    out.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    scored = subprocess.run(
        [sys.executable, str(SCORER), str(GOLD), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(scored.stdout)
    assert figures["quote_f1"] == 1.0, figures
    assert figures["e2e_name_f1"] == 1.0, figures
    assert window.edits.stack.count() > 0
