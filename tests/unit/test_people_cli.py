"""The numbers of the statistics service, the command line and counts taken from the
JSONL export agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.domain.people import ArticleFilter
from desktop.services import statistics
from desktop.store import Database
from desktop.store.models import EditRow
from tests.unit.test_people_records import export_jsonl, load_stories


def test_the_service_the_command_line_and_the_jsonl_export_agree(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main

    load_stories(db)
    lines = export_jsonl(db, tmp_path / "all.jsonl")
    # counts taken from the export alone: quotes per record key, per outlet, per month
    per_record: dict[str, int] = {}
    per_outlet: dict[str, int] = {}
    for line in lines:
        by_key = {s["id"]: s for s in line["sources"]}
        for q in line["quotes"]:
            source = by_key.get((q.get("source") or {}).get("id"))
            record = (source or {}).get("record")
            if record:
                per_record[record["name"]] = per_record.get(record["name"], 0) + 1
            outlet = line["meta"]["outlet"]
            per_outlet[outlet] = per_outlet.get(outlet, 0) + 1
    service = {r.key: r.quotes for r in statistics.stats(db, "source") if r.record_id}
    assert service == per_record
    assert {r.key: r.quotes for r in statistics.stats(db, "outlet")} == per_outlet
    assert sum(r.quotes for r in statistics.stats(db, "type")) == sum(
        len(x["quotes"]) for x in lines
    )
    where = str(db.path) if db.path is not None else db.location  # a file or a URL
    for by in ("source", "type", "gender", "outlet", "month"):
        assert main(["--db", where, "stats", "--by", by, "--format", "json"]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed == [statistics.row_dict(r) for r in statistics.stats(db, by)]
    assert main(["--db", where, "sources", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["name"]: r["quotes"] for r in records} == {k: v for k, v in per_record.items()} | {
        r["name"]: 0 for r in records if r["name"] not in per_record
    }
    for r in records:
        assert {"id", "name", "type", "aliases", "quotes", "articles"} <= set(r)
    whole = statistics.totals(db, ArticleFilter(collection="harbour"))
    assert whole.quotes == sum(len(x["quotes"]) for x in lines)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EditRow)) == 0


def test_command_line_mistakes_are_one_line_and_png_is_a_png(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main

    load_stories(db)
    where = str(db.path) if db.path is not None else db.location
    assert main(["--db", where, "stats", "--by", "gender", "--collection", "nope"]) != 0
    err = capsys.readouterr().err.strip()
    assert "no collection 'nope'" in err and "harbour" in err and "\n" not in err
    with pytest.raises(SystemExit):
        main(["--db", where, "stats", "--by", "month", "--to", "30/11/2026"])
    assert "must be a date" in capsys.readouterr().err
    png = tmp_path / "gender.png"
    assert main(["--db", where, "stats", "--by", "gender", "--format", "png", "-o", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "sources.csv"
    assert main(["--db", where, "sources", "--collection", "harbour", "-o", str(out)]) == 0
    header, *rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert header.startswith("id,key,name,type,aliases") and len(rows) == len(
        json_records(main, where, capsys)
    )


def json_records(main: object, where: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["--db", where, "sources", "--format", "json"]) == 0  # type: ignore[operator]
    return json.loads(capsys.readouterr().out)
