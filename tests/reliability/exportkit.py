"""What the export tests share: a small database of made-up articles, and folders to spoil.

The articles are sentences of our own; the read-only folder is a real tmpfs remounted
read-only (root ignores permissions), or a folder without write permission for a user.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from desktop.services import importing
from desktop.store import Database

ARTICLES = [
    {
        "id": "alpha",
        "title": "Harbour talks",
        "text": 'Mara Quill said the harbour would reopen. "We are ready," she told reporters.',
        "entities": [{"start": 0, "end": 10, "label": "PERSON"}],
    },
    {
        "id": "beta 😀",
        "title": "Bridge vote",
        "text": "The council voted on the bridge.\r\nIts chair, Ode Lark, called it overdue.",
    },
]


def make_db(folder: Path, collection: str = "news") -> Path:
    """A database at ``folder/q.sqlite3`` with ARTICLES in ``collection``."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    path = folder / "q.sqlite3"
    db = Database.open(path)
    try:
        report = importing.import_paths(db, [source], collection)
        assert report.added == len(ARTICLES), report
    finally:
        db.close()
    return path


def part_files(*folders: Path) -> list[Path]:
    """Hidden temporary export files left in ``folders``."""
    return [p for f in folders if f.is_dir() for p in f.iterdir() if p.name.endswith(".part")]


@contextlib.contextmanager
def read_only_folder(base: Path, existing: bytes) -> Iterator[Path | None]:
    """A folder that cannot be written, holding ``old.jsonl`` with ``existing``; None when
    this machine can make none (root without mount rights)."""
    folder = base / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        (folder / "old.jsonl").write_bytes(existing)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "quotedesk-export-test", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        yield None
        return
    try:
        (folder / "old.jsonl").write_bytes(existing)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
