"""The window says who made a person's annotation when the pointer rests on it (offscreen).

Edits made through the editor by two people, read back from the real database, shown in
the article view: an entity's line and a quote's block name their maker; the model's do
not name anyone. Sentences are made up.
"""

from __future__ import annotations

from typing import Any

import pytest

from desktop.domain import Article, Entity, QuoteKind
from desktop.services.editing import Editor
from desktop.store import Database
from desktop.store import repository as repo
from desktop.ui.annotating_view import AnnotatingView

pytestmark = pytest.mark.gui

TEXT = "Rosa Tamm opened the Birch Lane clinic. Tamm said the clinic would stay open late."
CLAUSE = "the clinic would stay open late"


def test_the_tooltip_names_who_made_each_annotation(qtbot: Any, db: Database) -> None:
    rosa = (0, len("Rosa Tamm"))
    with db.transaction() as s:
        aid = repo.add_article(
            s,
            repo.collection(s, "c"),
            Article("t", TEXT, entities=[Entity(*rosa, "PERSON", "Rosa Tamm")]),
        )
    assert aid is not None
    clinic = (TEXT.index("Birch Lane"), TEXT.index("Birch Lane") + len("Birch Lane"))
    quote = (TEXT.index(CLAUSE), TEXT.index(CLAUSE) + len(CLAUSE))
    with db.session() as s:
        rev = repo.load_article(s, aid).revision
    r = Editor(db, "ann").add_entity(aid, rev, *clinic, "FAC")
    Editor(db, "bob").add_quote(aid, r.after.revision, *quote, QuoteKind.INDIRECT)
    with db.session() as s:
        shown = repo.load_article(s, aid, include_rejected=True)
    view = AnnotatingView()
    qtbot.addWidget(view)
    view.show_article(shown)
    assert view.describe(clinic[0]) == "FAC: Birch Lane (by ann)"
    assert view.describe(rosa[0]) == "PERSON: Rosa Tamm"  # the model's: nobody named
    said = view.describe(quote[0]).split("\n")
    assert said[0].startswith("Indirect quote") and said[-1] == "Made by bob"


def test_the_article_line_says_who_set_the_status_and_when(db: Database) -> None:
    from datetime import UTC, datetime

    from desktop.domain import ArticleStatus
    from desktop.ui.article_pane import meta_line

    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s, "c"), Article("t", TEXT))
    assert aid is not None
    with db.session() as s:
        rev = repo.load_article(s, aid).revision
    Editor(db, "ann").set_status(aid, rev, ArticleStatus.REVIEWED)
    with db.session() as s:
        shown = repo.load_article(s, aid)
    assert shown.status_by == "ann" and shown.status_at is not None
    assert abs((datetime.now(UTC) - shown.status_at).total_seconds()) < 60
    assert f"reviewed by ann on {shown.status_at:%Y-%m-%d}" in meta_line(shown)
    assert "unreviewed" in meta_line(Article("u", TEXT))  # nobody set it: no name
