"""Two Quotedesk processes on one database: no "database is locked" escapes, and edits to
the same article made from a stale revision are refused as conflicts, never lost."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from desktop.domain import Article
from desktop.store import Database
from desktop.store import repository as repo
from tests.reliability.crashkit import REPO

EDITS = 120


def test_two_processes_edit_and_import_at_once_without_losing_anything(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s), Article("shared", "word " * 200))
    db.close()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.twoproc",
                str(db_path),
                name,
                str(EDITS),
                str(seed),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed, name in enumerate(["first", "second"])
    ]
    deadline = time.monotonic() + 120
    ready = [Path(f"{db_path}.ready-{name}") for name in ("first", "second")]
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    Path(f"{db_path}.go").touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert [r["errors"] for r in results] == [[], []]
    saved = [rev for r in results for rev in r["saved"]]
    conflicts = sum(r["conflicts"] for r in results)
    assert len(saved) + conflicts == 2 * EDITS
    assert conflicts > 0  # they did collide, and the collisions were caught
    assert len(saved) == len(set(saved)), "two edits claimed the same revision: one was lost"
    conn = sqlite3.connect(db_path)
    try:
        revision = conn.execute("SELECT revision FROM article WHERE id = ?", (aid,)).fetchone()[0]
        history = conn.execute(
            "SELECT user, count(*) FROM edit WHERE article_id = ? GROUP BY user", (aid,)
        ).fetchall()
        imported = conn.execute(
            "SELECT count(*) FROM article WHERE external_id != 'shared'"
        ).fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert revision == 1 + len(saved)  # every saved edit is in the article, none twice
    assert dict(history) == {
        name: len(r["saved"]) for name, r in zip(["first", "second"], results, strict=True)
    }
    assert imported == sum(r["imported"] for r in results) > 0
    assert all(r["saved"] for r in results)  # both got work done
