"""Migration 0006 on a database of revision 0005 that holds articles: every row stays, each
article's outlet is read from its metadata, the old sources link; and down and up again."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from desktop.domain.people import ArticleFilter
from desktop.services import sources, statistics
from desktop.store import Database
from desktop.store.database import _alembic_config, head_revision
from desktop.store.people_stats import iso_week

META = [
    {"outlet": "Harbour Times", "published": "2026-11-02"},
    {"url": "https://www.portweekly.example/a/2", "published": "2026-11-09"},
    {"publisher": "  Coast   Radio "},
    {},
]


def database_at_0005(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    engine.dispose()
    con = sqlite3.connect(path)
    stamp = "2026-11-01 00:00:00.000000"
    with con:
        con.execute("INSERT INTO collection (id, name, created_at) VALUES (1, 'old', ?)", (stamp,))
        for n, meta in enumerate(META, 1):
            text = f'Ana Ruiz said "we go on {n}." Tom Berg said "no."'
            con.execute(
                "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, meta,"
                " status, published, created_at, updated_at, revision) VALUES "
                "(?, 1, ?, '', ?, ?, ?, 'unreviewed', ?, ?, ?, 1)",
                (n, f"old-{n}", text, f"{n:064x}", json.dumps(meta), meta.get("published"),
                 stamp, stamp),
            )  # fmt: skip
            for k, (name, start) in enumerate([("Ana Ruiz", 14), ("Tom Berg", 41)], 1):
                sid = n * 10 + k
                con.execute(
                    "INSERT INTO source (id, article_id, key, name, type, description, origin,"
                    " rejected) VALUES (?, ?, ?, ?, 'PERSON', '', 'model', 0)",
                    (sid, n, f"s{k}", name),
                )
                con.execute(
                    'INSERT INTO quote (article_id, start, "end", kind, source_id, origin, '
                    "rejected, reason, source_reason) VALUES (?, ?, ?, 'direct', ?, 'model', 0,"
                    " '', '')",
                    (n, start, start + 5, sid),
                )
    con.close()


def test_0005_with_articles_upgrades_fills_outlets_and_links(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    database_at_0005(path)
    db = Database.open(path)
    try:
        assert db.current_revision() == head_revision()
        assert sources.outlets(db) == ["Coast Radio", "Harbour Times", "portweekly.example"]
        assert sources.link_collection(db, "old") == 8
        page = sources.record_page(db, ArticleFilter(collection="old")).rows
        assert {(r.person.name, r.quotes, r.articles) for r in page} == {
            ("Ana Ruiz", 4, 4),
            ("Tom Berg", 4, 4),
        }
        by_outlet = {r.key: r.quotes for r in statistics.stats(db, "outlet")}
        assert by_outlet == {
            "Harbour Times": 2,
            "portweekly.example": 2,
            "Coast Radio": 2,
            "(unknown outlet)": 2,
        }
        months = [(r.key, r.quotes) for r in statistics.stats(db, "month")]
        assert months == [("2026-11", 4), ("undated", 4)]
        weeks = [r.key for r in statistics.stats(db, "week")]
        assert weeks == ["2026-W45", "2026-W46", "undated"]
    finally:
        db.close()


def test_0006_goes_down_and_up_keeping_every_article(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    database_at_0005(path)
    Database.open(path).close()
    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert not {"person", "person_name", "source_link"} & tables
        command.upgrade(cfg, "0006")
        outlets = conn.exec_driver_sql("SELECT outlet FROM article ORDER BY id").all()
    engine.dispose()
    assert [o for (o,) in outlets] == ["Harbour Times", "portweekly.example", "Coast Radio", None]


@settings(max_examples=300)
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_the_week_of_any_date_is_its_iso_week(day: date) -> None:
    """The statistics group by the Monday SQLite computes and name it by Python's ISO
    calendar: the two together are the ISO week of every date."""
    con = sqlite3.connect(":memory:")
    (monday,) = con.execute("SELECT date(?, 'weekday 0', '-6 days')", (day.isoformat(),)).fetchone()
    year, week, _ = day.isocalendar()
    assert iso_week(monday) == f"{year}-W{week:02d}"
