"""Issue 18, item 7: a string that cannot be written as UTF-8 (a lone surrogate, from a
JSON escape such as ``"\\ud800"`` or from a file name that is not UTF-8) never gets in.

It was a traceback for text, title and labels, and in ``meta`` it was imported and then
every export of the collection failed. Now the record is refused in one line naming the
file, the line and the field, and what is stored always exports.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.formats.errors import unencodable
from desktop.services import exporting, importing
from desktop.store import Database
from tests.reliability import hostilekit

GOOD = hostilekit.RECORD

raw_line = hostilekit.with_surrogate
PLACES = hostilekit.PLACES


def export_all(db: Database, tmp_path: Path, collection: str) -> str:
    out = tmp_path / f"{collection}.jsonl"
    exporting.export(db, "jsonl", out, collection=collection)
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("place", PLACES)
def test_a_lone_surrogate_anywhere_in_a_record_is_one_line(
    tmp_path: Path, db: Database, place: str
) -> None:
    (tmp_path / "seed.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    path = tmp_path / "bad.jsonl"
    good = dict(GOOD, id="ok", text="Bo Chan spoke to reporters on Tuesday.", entities=[])
    path.write_bytes(
        json.dumps(good).encode() + b"\n" + raw_line(GOOD, place, "\ud800").replace(b"a1", b"a2")
    )
    first = importing.import_paths(db, [tmp_path / "seed.jsonl"], "c")
    assert first.added == 1
    report = importing.import_paths(db, [path], "c")
    assert report.added == 0 and not report.bugs
    assert len(report.errors) == 1
    line = report.errors[0]
    assert line.startswith(f"{path}, line 2: ") and "lone surrogate" in line and "\n" not in line
    assert export_all(db, tmp_path, "c").count("\n") == 1  # nothing of the file; it exports


@pytest.mark.parametrize("fmt", ["prodigy", "doccano"])
def test_the_tool_formats_refuse_it_too(tmp_path: Path, db: Database, fmt: str) -> None:
    record: dict[str, Any] = {"text": "Ann Lee said \\udfff it.", "label": [[0, 7, "PERSON"]]}
    if fmt == "prodigy":
        record = {
            "text": "Ann Lee said it.",
            "spans": [],
            "answer": "accept",
            "meta": {"x": "\\udfff"},
        }
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(record).replace("\\\\udfff", "\\udfff") + "\n", encoding="ascii")
    report = importing.import_paths(db, [path], fmt=fmt)
    assert report.added == 0 and len(report.errors) == 1 and not report.bugs
    assert report.errors[0].startswith(f"{path}, line 1: ") and "lone surrogate" in report.errors[0]


def test_label_studio_and_the_safety_net(tmp_path: Path, db: Database) -> None:
    """A whole-document JSON format: the check every article passes names the article."""
    path = tmp_path / "tasks.json"
    path.write_text('[{"data": {"text": "Ann Lee spoke \\ud83d today."}}]', encoding="ascii")
    report = importing.import_paths(db, [path])
    assert report.added == 0 and len(report.errors) == 1 and not report.bugs
    assert report.errors[0].startswith(f"{path}: ") and "lone surrogate" in report.errors[0]


def test_a_surrogate_pair_is_a_character_and_imports(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "emoji.jsonl"
    path.write_text(
        '{"text": "Good news \\ud83d\\ude00 today.", "meta": {"m": "\\ud83d\\ude00"}}\n'
    )
    report = importing.import_paths(db, [path], "e")
    assert (report.added, report.errors) == (1, [])
    assert "\U0001f600" in export_all(db, tmp_path, "e")


def test_a_file_name_that_is_not_utf8_is_stored_readably(tmp_path: Path, db: Database) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # Python keeps the byte as the surrogate \udce9
    (tmp_path / name).write_text("Ann Lee said the vote was close.\n", encoding="utf-8")
    report = importing.import_paths(db, [tmp_path], "f")
    assert (report.added, report.errors) == (1, [])
    assert '"file": "caf\ufffd.txt"' in export_all(db, tmp_path, "f")


# --- the class: any string, any depth ---------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    meta=st.dictionaries(st.text(max_size=5), json_values, max_size=4),
    surrogate=st.characters(categories=["Cs"]),
    where=st.sampled_from(PLACES),
    prefix=st.text(max_size=6),
)
def test_any_record_with_a_lone_surrogate_is_refused(
    tmp_path: Path, db: Database, meta: dict[str, Any], surrogate: str, where: str, prefix: str
) -> None:
    (tmp_path / "seed.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    importing.import_paths(db, [tmp_path / "seed.jsonl"], "p")
    record = dict(GOOD, meta={**meta, **GOOD["meta"]}, title=prefix + "Council votes")
    path = tmp_path / "any.jsonl"
    path.write_bytes(raw_line(record, where, surrogate))
    report = importing.import_paths(db, [path], "p")
    assert report.added == 0 and not report.bugs, report.errors
    assert len(report.errors) == 1 and "\n" not in report.errors[0]
    assert report.errors[0].startswith(f"{path}, line 1: "), report.errors[0]
    export_all(db, tmp_path, "p")  # never fails


@given(value=json_values, surrogate=st.characters(categories=["Cs"]), at=st.integers(0, 50))
def test_unencodable_finds_a_surrogate_at_any_depth(value: Any, surrogate: str, at: int) -> None:
    assert unencodable(value) is None
    holder: list[Any] = [value]
    strings: list[tuple[Any, Any]] = []
    stack: list[Any] = [holder]
    while stack:  # every string and key inside, and where it sits
        item = stack.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, inner in list(pairs):
            if isinstance(inner, str):
                strings.append((item, key))
            elif isinstance(inner, dict | list):
                stack.append(inner)
    if not strings:
        return
    item, key = strings[at % len(strings)]
    item[key] = item[key] + surrogate
    assert unencodable(holder[0]) is not None
