"""Every format that imports back exactly carries the sources' collection-wide records and
links where it has a slot for them (the span formats' info block, the DocBin's
``Doc._.sources``): any mix of linked, refused, ambiguous and unlinked records exported in
one of them and imported into another database gives the same records and links, and the
copy exports to the same bytes."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services import exporting, importing
from desktop.services.formats import FORMATS
from desktop.store import Database
from tests.unit.test_jsonl_records_roundtrip import COLLECTION, RECORD, STORY, everything, fill

SPAN_FORMATS = ["spacy", "prodigy", "doccano", "labelstudio", "brat"]


def contents(path: Path) -> object:
    """The file's bytes; a zip's members (their times are the clock's, to two seconds)."""
    if not zipfile.is_zipfile(path):
        return path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.mark.parametrize("fmt", SPAN_FORMATS)
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    records=st.lists(RECORD, max_size=4, unique_by=lambda r: r["name"]),
    stories=st.lists(STORY, min_size=1, max_size=3),
)
def test_any_records_and_links_come_back_from_every_exact_format(
    tmp_path_factory: pytest.TempPathFactory,
    fmt: str,
    records: list[dict[str, Any]],
    stories: list[Any],
) -> None:
    folder = tmp_path_factory.mktemp(fmt)
    first_db = Database.open(folder / "first.sqlite3", daily_backup=False)
    second_db = Database.open(folder / "second.sqlite3", daily_backup=False)
    suffix = FORMATS[fmt].suffix
    try:
        fill(first_db, records, stories)
        first = folder / f"first{suffix}"
        exporting.export(first_db, fmt, first)
        report = importing.import_paths(second_db, [first], collection=COLLECTION)
        assert not report.errors, report.errors
        assert everything(second_db) == everything(first_db)
        second = folder / f"second{suffix}"
        exporting.export(second_db, fmt, second)
        assert contents(second) == contents(first)
    finally:
        first_db.close()
        second_db.close()
