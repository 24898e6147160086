"""The crash test, short: SIGKILL a process that imports, analyzes and edits, 15 times.

``benchmarks/crash.py`` runs the same test with hundreds of kills (see RELIABILITY.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.crashkit import article_record, check_database, run_crash_test

pytestmark = pytest.mark.slow


def test_nothing_committed_is_lost_and_nothing_is_half_written_after_sigkills(
    tmp_path: Path,
) -> None:
    report = run_crash_test(tmp_path, kills=15, seed=8, max_delay=0.3)
    assert report.worker_errors == []
    assert report.kills == 15 and report.survived == 15
    assert report.lost == [] and report.broken == []
    assert report.reported > 0 and report.articles > 0  # the worker did get work done


def test_the_checker_does_notice_a_lost_commit_and_a_half_imported_article(
    tmp_path: Path,
) -> None:
    import json
    import sqlite3

    from desktop.services import importing
    from desktop.store import Database

    db_path = tmp_path / "c.sqlite3"
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps(article_record(0)) + "\n", encoding="utf-8")
    db = Database.open(db_path)
    importing.import_paths(db, [source], "crash")
    db.close()
    assert check_database(db_path, [["import", "crash-0"]]) == ([], [])
    lost, _ = check_database(db_path, [["import", "crash-0"], ["import", "crash-1"]])
    assert lost == ["import crash-1"]
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DELETE FROM quote WHERE id = (SELECT min(id) FROM quote)")
    conn.close()
    _, broken = check_database(db_path, [])
    assert broken and "half-imported" in broken[0]
