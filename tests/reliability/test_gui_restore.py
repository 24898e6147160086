"""A damaged database at start-up, and File ▸ Restore a backup… in the window."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.domain import Article
from desktop.store import Database, StoreError, backups
from desktop.store import repository as repo
from desktop.ui import database_problem as dp

pytestmark = pytest.mark.gui


def add(db: Database, external_id: str) -> None:
    with db.transaction() as s:
        repo.add_article(s, repo.collection(s), Article(external_id, f"Text of {external_id}."))


def ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT external_id FROM article")}
    finally:
        conn.close()


def damaged(db_path: Path, with_backup: bool) -> StoreError:
    db = Database.open(db_path)
    add(db, "saved")
    if with_backup:
        db.backup("daily")
    db.close()
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 6000)
    for side in ("-wal", "-shm"):
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    with pytest.raises(StoreError) as caught:
        Database.open(db_path)
    return caught.value


def test_the_dialog_explains_and_offers_the_latest_backup(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    error = damaged(db_path, with_backup=True)
    dialog = dp.DatabaseProblemDialog(db_path, str(error))
    qtbot.addWidget(dialog)
    assert "damaged" in dialog.message.text()
    assert "latest good backup" in dialog.hint.text() and dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert dialog.choice == dp.RESTORE and dialog.result() == dialog.DialogCode.Accepted


def test_restoring_the_latest_backup_from_the_dialog_opens_the_database(  # type: ignore[no-untyped-def]
    qtbot, db_path: Path
) -> None:
    error = damaged(db_path, with_backup=True)
    asked: list[str] = []

    def ask(dialog: dp.DatabaseProblemDialog) -> str:
        asked.append(dialog.message.text())
        return dp.RESTORE

    db = dp.open_database(db_path, error, ask=ask)
    assert db is not None and len(asked) == 1
    try:
        with db.session() as s:
            assert repo.find_article(s, "saved") is not None
    finally:
        db.close()
    # the damaged file was kept, byte for byte, beside the backups
    kept = list(backups.safety_folder(db_path).glob("*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"SQLite format 3\x00\x13")


def test_without_a_backup_the_analyst_can_open_another_database_or_quit(  # type: ignore[no-untyped-def]
    qtbot, db_path: Path, tmp_path: Path
) -> None:
    error = damaged(db_path, with_backup=False)
    dialog = dp.DatabaseProblemDialog(db_path, str(error))
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled() and "no sound backup" in dialog.hint.text()

    answers = iter([dp.OPEN_OTHER, dp.OPEN_OTHER])
    picks = iter([db_path, tmp_path / "other.sqlite3"])  # the damaged one again, then a new one
    messages: list[str] = []

    def ask(dialog: dp.DatabaseProblemDialog) -> str:
        messages.append(dialog.message.text())
        return next(answers)

    db = dp.open_database(db_path, error, ask=ask, pick=lambda _parent: next(picks))
    assert db is not None and db.path == tmp_path / "other.sqlite3"
    db.close()
    assert len(messages) == 2  # asked again after the damaged file failed a second time
    assert dp.open_database(db_path, error, ask=lambda _d: dp.QUIT) is None


def test_restore_a_backup_from_the_file_menu(qtbot, db, make_window) -> None:  # type: ignore[no-untyped-def]
    add(db, "first")
    copy = db.backup("daily")
    add(db, "second")
    window = make_window(add_sample=False)
    window.show()
    qtbot.waitUntil(lambda: window.articles.rowCount() == 2, timeout=10000)
    window.runner.wait()
    titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Restore a backup…" in titles

    def choose(dialog: dp.RestoreDialog) -> bool:
        assert dialog.list.count() == 1 and dialog.selected() == copy
        return True

    assert dp.restore_in_window(window, choose)
    qtbot.waitUntil(lambda: window.articles.rowCount() == 1, timeout=10000)
    assert ids(db.path) == {"first"}
    assert "Restored" in window.statusBar().currentMessage()
    add(db, "third")  # the window's database handle still works
    assert ids(db.path) == {"first", "third"}


def zero_a_page(path: Path, page: int) -> None:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    with path.open("r+b") as fh:
        fh.seek(page * size)
        fh.write(bytes(size))


@pytest.mark.parametrize("found_by", ["check-after-first-paint", "damaged-while-open"])
def test_damage_found_after_opening_offers_the_latest_good_backup(  # type: ignore[no-untyped-def]
    qtbot, db_path: Path, settings, monkeypatch: pytest.MonkeyPatch, found_by: str
) -> None:
    from desktop.store import database
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    db = Database.open(db_path)
    for n in range(30):
        add(db, f"a{n}")
    good = db.backup("daily")
    db.close()
    if found_by == "check-after-first-paint":
        zero_a_page(db_path, 6)  # damage SQLite's check finds, but opening the file does not
        monkeypatch.setattr(database, "CHEAP_CHECK_BYTES", 0)  # as if the file were huge
        db = Database.open(db_path, daily_backup=False)  # what the window does
        assert not db.checked
    else:
        good = good.rename(good.with_name("20200101T000000000000-" + good.name.split("-", 1)[1]))
        db = Database.open(db_path, daily_backup=False)  # sound and checked at open...
        assert db.checked
        db.engine.dispose()
        zero_a_page(db_path, 6)  # ...damaged while open: the next look finds it
    runner = TaskRunner()
    window = MainWindow(db, runner, settings, add_sample=False)
    window.quiet = True
    qtbot.addWidget(window)
    offers: list[tuple[str, str]] = []

    def ask(dialog: dp.DatabaseProblemDialog) -> str:
        offers.append((dialog.windowTitle(), dialog.hint.text()))
        assert dialog.latest is not None and dialog.latest.path == good
        return dp.RESTORE

    monkeypatch.setattr(dp, "FIRST_LOOK_MS", 0)
    dp.start_daily_backups(window, db, runner, ask=ask)
    window.show()
    qtbot.waitUntil(lambda: bool(offers), timeout=15000)
    qtbot.waitUntil(lambda: "Restored" in window.statusBar().currentMessage(), timeout=15000)
    assert "is damaged" in offers[0][0] and "latest good backup" in offers[0][1]
    runner.wait()
    assert ids(db_path) == {f"a{n}" for n in range(30)}
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    conn.close()
    add(db, "after")  # the window's handle works on the restored file
    assert "after" in ids(db_path)
    db.close()


def test_damage_met_by_any_read_or_edit_offers_the_restore_at_once(
    qtbot: object, make_window: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's error path itself offers the backup (not only the hourly check), one
    offer at a time, and a quiet window only reports it."""
    from desktop.store.errors import DamagedDatabaseError
    from desktop.ui import database_problem

    asked: list[str] = []

    def ask(dialog: Any) -> str:
        asked.append(dialog.windowTitle())
        # the same damage met again while the offer is up gets no second dialog
        window.show_error(DamagedDatabaseError("damaged again"))
        return database_problem.LATER

    monkeypatch.setattr(database_problem, "_ask", ask)
    window = make_window(add_sample=False)
    window.quiet = False
    window.show_error(DamagedDatabaseError("x.sqlite3 is damaged"))
    assert len(asked) == 1
    window.quiet = True
    messages: list[str] = []
    window.failed.connect(messages.append)
    window.show_error(DamagedDatabaseError("x.sqlite3 is damaged"))
    assert len(asked) == 1 and messages == ["x.sqlite3 is damaged"]
