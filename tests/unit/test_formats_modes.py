"""Every export format, and the labelling config that goes with Label Studio's, is created
with the mode the umask gives and keeps the mode of a file it replaces (a colleague or a
web server can read an analyst's export); an export into a stream writes no config."""

from __future__ import annotations

import json
import os
import stat
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.formats.labelstudio import config_path
from desktop.services import exporting
from desktop.services.formats import FORMATS
from desktop.store import Database
from tests.unit.test_formats_common import fill, sample_articles


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "m.sqlite3")
    fill(database, sample_articles())
    yield database
    database.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask,expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_new_export_gets_the_umask_mode(
    db: Database, tmp_path: Path, fmt: str, umask: int, expected: int
) -> None:
    out = tmp_path / f"out{FORMATS[fmt].suffix}"
    old = os.umask(umask)
    try:
        exporting.export(db, fmt, out)
    finally:
        os.umask(old)
    assert _mode(out) == expected
    if fmt == "labelstudio":
        assert _mode(config_path(out)) == expected


def test_the_config_beside_the_export_holds_every_label_it_uses(
    db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    exporting.export(db, "labelstudio", out)
    used = {
        r["value"]["labels"][0]
        for task in json.loads(out.read_text("utf-8"))
        for key in ("annotations", "predictions")
        for item in task.get(key, [])
        for r in item["result"]
        if r["type"] == "labels"
    }
    config = ET.fromstring(config_path(out).read_text("utf-8"))
    assert used and used <= {x.get("value") for x in config.iter("Label")}


def test_a_replaced_config_keeps_its_mode(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    config = config_path(out)
    config.write_text("old", "utf-8")
    config.chmod(0o640)
    exporting.export(db, "labelstudio", out)
    assert _mode(config) == 0o640
    assert config.read_text("utf-8").startswith("<View>")


def test_an_export_into_a_stream_writes_no_config(db: Database, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    exporting.export(db, "labelstudio", fifo)
    reader.join(30)
    assert got and got[0].startswith(b"[")
    assert not config_path(fifo).exists()
