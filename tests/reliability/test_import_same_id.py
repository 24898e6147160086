"""No silent loss on import: a record whose id holds another text is refused and named.

The outcomes (see ``repository.place_article``): same id and text, skipped; same id and
another text, refused with one line naming the id; no id of its own and a text already
there, skipped; its own new id and a text already there, imported. A property test runs
any sequence of records against a model of those rules and checks the counts and that what
was stored first under an id is never replaced.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.domain.offsets import content_id
from desktop.services import importing
from desktop.store import Database
from desktop.store import repository as repo

TEXTS = [
    "The mayor said the road would open in May.",
    "The mayor said the road would open in June.",
    "Nobody from the ministry answered our questions.",
]


def write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def stored(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {a.external_id: a.text for _, a in repo.iter_articles(s, repo.article_ids(s))}


def test_same_id_with_another_text_is_refused_and_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "q.sqlite3"
    first = write(tmp_path / "first.jsonl", [{"id": "road", "text": TEXTS[0]}])
    assert cli.main(["--db", str(db), "import", str(first)]) == 0
    capsys.readouterr()
    second = write(
        tmp_path / "second.jsonl",
        [{"id": "road", "text": TEXTS[1]}, {"id": "other", "text": TEXTS[2]}],
    )
    code = cli.main(["--db", str(db), "import", str(second)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "imported 1 article(s), skipped 0 already present, refused 1" in out
    (line,) = err.splitlines()
    assert "'road'" in line and "different text" in line and "second.jsonl" in line
    assert "differ from offset 38" in line  # "May" against "June"
    database = Database.open(db)
    try:
        assert stored(database) == {"road": TEXTS[0], "other": TEXTS[2]}
    finally:
        database.close()


def test_identical_record_is_skipped_and_its_own_id_with_a_known_text_is_imported(
    db: Database, tmp_path: Path
) -> None:
    f = write(tmp_path / "a.jsonl", [{"id": "road", "text": TEXTS[0]}])
    assert importing.import_paths(db, [f]).added == 1
    again = importing.import_paths(db, [f])
    assert (again.added, again.skipped, again.conflicts) == (0, 1, [])
    twin = importing.import_paths(
        db, [write(tmp_path / "b.jsonl", [{"id": "wire", "text": TEXTS[0]}])]
    )
    assert (twin.added, twin.added_same_text, twin.skipped) == (1, 1, 0)
    assert "1 with the text of an article under another id" in twin.summary()
    # a record without an id of its own is the same article when its text is there
    no_id = importing.import_paths(db, [write(tmp_path / "c.jsonl", [{"text": TEXTS[0]}])])
    assert (no_id.added, no_id.skipped, no_id.skipped_by_text) == (0, 1, 1)
    assert stored(db) == {"road": TEXTS[0], "wire": TEXTS[0]}


RECORD = st.fixed_dictionaries(
    {"text": st.sampled_from(TEXTS)}, optional={"id": st.sampled_from(["a", "b", "c"])}
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=st.lists(st.lists(RECORD, min_size=1, max_size=4), min_size=1, max_size=4))
def test_any_sequence_of_records_follows_the_rules_and_loses_nothing(
    tmp_path_factory: pytest.TempPathFactory, batches: list[list[dict[str, str]]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    db = Database.open(folder / "q.sqlite3")
    model: dict[str, str] = {}  # id -> the text stored first under it
    try:
        for n, batch in enumerate(batches):
            want = {"added": 0, "same_text": 0, "skipped": 0, "by_text": 0, "refused": 0}
            for record in batch:
                eid = record.get("id", content_id(record["text"]))
                if eid in model:
                    want["skipped" if model[eid] == record["text"] else "refused"] += 1
                elif "id" not in record and record["text"] in model.values():
                    want["skipped"] += 1
                    want["by_text"] += 1
                else:
                    want["same_text"] += record["text"] in model.values()
                    want["added"] += 1
                    model[eid] = record["text"]
            report = importing.import_paths(db, [write(folder / f"{n}.jsonl", batch)])
            got = {
                "added": report.added,
                "same_text": report.added_same_text,
                "skipped": report.skipped,
                "by_text": report.skipped_by_text,
                "refused": len(report.conflicts),
            }
            assert got == want
            assert all("\n" not in line for line in report.conflicts)
            assert stored(db) == model
    finally:
        db.close()


def test_a_hostile_file_name_keeps_the_refusal_one_line(db: Database, tmp_path: Path) -> None:
    importing.import_paths(db, [write(tmp_path / "a.jsonl", [{"id": "x", "text": TEXTS[0]}])])
    hostile = write(tmp_path / "b\nquotedesk: fake.jsonl", [{"id": "x", "text": TEXTS[1]}])
    (line,) = importing.import_paths(db, [hostile]).conflicts
    assert "\n" not in line and "b\\nquotedesk: fake.jsonl: id 'x'" in line
