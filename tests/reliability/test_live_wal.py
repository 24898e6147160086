"""A database in live use is never taken for one with a stranger's -wal.

While another connection writes, its -wal is reset and its -shm rewritten under a reader's
eyes; the foreign -wal checks judge only a -wal nobody uses (``integrity.in_use``).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from desktop.domain import Article
from desktop.store import Database, integrity
from desktop.store import repository as repo

WRITER = textwrap.dedent(
    """
    import sys, time
    from desktop.domain import Article
    from desktop.store import Database
    from desktop.store import repository as repo
    db = Database.open(sys.argv[1], daily_backup=False)
    print("ready", flush=True)
    n, end = 0, time.monotonic() + float(sys.argv[2])
    while time.monotonic() < end:
        with db.transaction() as s:
            repo.add_article(s, repo.collection(s), Article(f"w{n}", f"Text {n}. " * 200))
        if n % 20 == 0:
            with db.engine.connect() as c:
                c.exec_driver_sql("PRAGMA wal_checkpoint(RESTART)")
        n += 1
    db.close()
    """
)


def test_opening_a_database_another_process_is_writing_never_refuses_its_wal(
    tmp_path: Path,
) -> None:
    path = tmp_path / "live.sqlite3"
    Database.open(path).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "8"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        opens = 0
        while writer.poll() is None:
            db = Database.open(path, daily_backup=False)  # raises if taken for a stranger
            db.close()
            opens += 1
        assert writer.returncode == 0
        assert opens > 5
    finally:
        if writer.poll() is None:
            writer.kill()


def test_a_second_handle_in_this_process_while_the_first_writes(tmp_path: Path) -> None:
    path = tmp_path / "here.sqlite3"
    first = Database.open(path)
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            with first.transaction() as s:
                repo.add_article(s, repo.collection(s), Article(f"h{n}", f"Words {n}. " * 200))
            n += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        end = time.monotonic() + 4
        while time.monotonic() < end:
            assert integrity.in_use(path)
            Database.open(path, daily_backup=False).close()
    finally:
        stop.set()
        thread.join()
        first.close()
    assert not integrity.in_use(path)
