"""CSV: one row per quote, UTF-8 with BOM, formulas neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from desktop.formats.csvtable import COLUMNS, neutralise
from desktop.services import exporting
from desktop.store import Database
from tests.unit.test_formats_common import fill, sample_articles


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = text", "plain = text"),
        ("", ""),
        (17, "17"),
    ],
)
def test_neutralise(cell: object, expected: str) -> None:
    assert neutralise(cell) == expected


def test_csv_export_has_bom_one_row_per_quote_and_no_formulas(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "db.sqlite3")
    try:
        fill(db, sample_articles())
        out = tmp_path / "quotes.csv"
        assert exporting.export(db, "csv", out) == 2
    finally:
        db.close()
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS
    body = rows[1:]
    assert len(body) == sum(len(a.quotes) for a in sample_articles()) == 5
    first = dict(zip(COLUMNS, body[0], strict=True))
    assert first["source"] == "Adrienne Watson"
    assert first["description"] == "spokeswoman, National Security Council"
    assert first["quote"] == "Talks are 🚀 advancing,"
    assert (first["quote_start"], first["quote_end"]) == ("25", "47")
    unsourced = dict(zip(COLUMNS, body[1], strict=True))
    assert unsourced["source"] == "" and unsourced["kind"] == "indirect"
    last = dict(zip(COLUMNS, body[-1], strict=True))
    assert last["title"] == '\'=HYPERLINK("x")'
    assert last["quote"] == "'-1 is fine,"
    assert last["description"] == "'@mayor"
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert raw.count(b"\r\n") == len(rows)
