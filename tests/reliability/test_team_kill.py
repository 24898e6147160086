"""The team kill test, short: SIGKILL an annotator mid-edit on PostgreSQL, 5 times.

``benchmarks/team.py --kills 100`` runs the same loop a hundred times (benchmarks/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability import teamkit

pytestmark = pytest.mark.slow


def test_a_killed_annotator_loses_no_committed_edit_and_leaves_no_half_written_layer(
    pg_url: str, tmp_path: Path
) -> None:
    teamkit.populate(pg_url, teamkit.annotators(2), articles=6)
    report = teamkit.run_kills(pg_url, tmp_path, kills=5, seed=3, max_delay=0.8)
    assert report.errors == []
    assert report.kills == 5
    outcome = report.outcome
    assert outcome.lost == [] and outcome.written == [] and outcome.broken == []
    assert outcome.ok > 0  # the annotators did get edits through


def test_the_team_checker_notices_a_lost_edit_a_refused_one_written_and_a_half_write(
    pg_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from desktop.services.team_editing import LayerEditor
    from desktop.store import Database
    from desktop.store.models import ArticleRow, CollectionRow, EditRow

    teamkit.populate(pg_url, teamkit.annotators(2), articles=2)
    db = Database.open(pg_url)
    with db.session() as s:
        article_id = s.scalar(
            select(ArticleRow.id)
            .join(CollectionRow, CollectionRow.id == ArticleRow.collection_id)
            .where(CollectionRow.name == teamkit.SHARED)
            .order_by(ArticleRow.id)
        )
    article = LayerEditor(db, "ann0").article_for(article_id)
    (a, b), (c, d) = teamkit.word_spans(article.text)[:2]
    LayerEditor(db, "ann0").add_entity(article_id, article.revision, a, b, teamkit.LABEL)
    log = tmp_path / "a.log"
    log.write_text(
        f"try {article_id} - {a} {b}\nconflict {article_id} - {a} {b}\n"
        f"try {article_id} - {c} {d}\nok {article_id} - {c} {d}\n",
        encoding="utf-8",
    )
    outcome = teamkit.check(pg_url, [log])
    assert outcome.lost == [f"{article_id} - {c} {d}"]
    assert outcome.written == [f"{article_id} - {a} {b}"]
    assert outcome.broken == []
    with db.transaction() as s:  # an entity's history row gone: the layer is half-written
        s.execute(EditRow.__table__.delete().where(EditRow.action == "add entity"))
    assert teamkit.check(pg_url, [log]).broken
    db.close()


def test_the_team_checker_notices_a_layer_revision_without_its_save(pg_url: str) -> None:
    from desktop.services import team
    from desktop.store import Database
    from desktop.store.models import LayerRow

    teamkit.populate(pg_url, teamkit.annotators(2), articles=2)
    db = Database.open(pg_url)
    panel = team.assigned_to(db, "ann0", teamkit.PARALLEL)[0]
    team.start(db, panel, "ann0")  # a layer begun: revision 2, one save in its history
    assert teamkit.check(pg_url, []).broken == []
    with db.transaction() as s:  # its revision moved without a save in the history
        s.execute(LayerRow.__table__.update().values(revision=LayerRow.revision + 1))
    broken = teamkit.check(pg_url, []).broken
    assert len(broken) == 1 and "revision 3, 1 saves" in broken[0]
    db.close()
