"""The window says which articles the analysis failed on, and analyzes the rest."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.domain import Article
from desktop.store import Database
from desktop.store import repository as repo

pytestmark = [pytest.mark.gui, pytest.mark.slow]
MARK = "Zorblatt"


def test_the_window_reports_a_failed_article_and_analyzes_the_others(
    qtbot: QtBot, db: Database, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: the quote engine raises on one article, as a bug in it would."""
    import desktop.nlp.attribution as attribution

    real = attribution.attribute

    def engine(doc: Any, *args: Any, **kwargs: Any) -> Any:
        if MARK in doc.text:
            raise IndexError("the engine tripped")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(attribution, "attribute", engine)
    with db.transaction() as s:
        good = repo.add_article(
            s, repo.collection(s), Article("good", "The mayor said it.", "Road")
        )
        bad = repo.add_article(s, repo.collection(s), Article("bad", f"{MARK} said it.", "Rain"))
    assert good is not None and bad is not None
    window = make_window(add_sample=False)
    window.show()
    messages: list[str] = []
    window.failed.connect(messages.append)
    window.quiet = True  # the message is counted, not shown in a modal dialog
    window.commands.analyze_ids([good, bad])
    qtbot.waitUntil(lambda: bool(messages), timeout=120000)
    assert len(messages) == 1
    assert "1 article(s) failed" in messages[0] and "IndexError" in messages[0]
    with db.session() as s:
        assert repo.is_analyzed(s, good) and not repo.is_analyzed(s, bad)
