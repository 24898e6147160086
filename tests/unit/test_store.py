import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.domain import Article, Attribution, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.domain.offsets import content_id
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.database import head_revision
from desktop.store.errors import NewerSchemaError, NotADatabaseError, StoreError

TEXT = "Alice Smith said the plan works. Bob Jones met Carol in Paris."


def article(**kw: object) -> Article:
    return Article(external_id=str(kw.pop("external_id", "a1")), text=TEXT, **kw)  # type: ignore[arg-type]


def add(db: Database, a: Article) -> int | None:
    with db.transaction() as s:
        return repo.add_article(s, repo.collection(s), a)


def test_new_database_is_at_head_with_pragmas(db: Database) -> None:
    assert db.current_revision() == head_revision()
    with db.engine.connect() as c:
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_reopen_keeps_rows(db_path: Path) -> None:
    db = Database.open(db_path)
    add(db, article())
    db.close()
    db = Database.open(db_path)
    with db.session() as s:
        assert len(repo.article_ids(s)) == 1
    db.close()


def test_import_is_idempotent_by_id_and_by_text(db: Database) -> None:
    assert add(db, article()) is not None
    assert add(db, article()) is None
    # a record without an id of its own (its id derived from the text) is found by its text
    assert add(db, article(external_id=content_id(TEXT))) is None
    # a record with its own, other id is another record, though its text is the same
    assert add(db, article(external_id="other-id-same-text")) is not None


def test_annotations_round_trip(db: Database) -> None:
    a = article(
        entities=[Entity(0, 11, "PERSON", "Alice Smith", Origin.HUMAN)],
        sources=[Source("s1", "Alice Smith", "PERSON", "", [Span(0, 11, "Alice Smith")])],
        quotes=[
            Quote(
                17,
                31,
                TEXT[17:31],
                QuoteKind.INDIRECT,
                Span(12, 16, "said"),
                Span(0, 11, "Alice Smith"),
                "s1",
                Origin.HUMAN,
            )
        ],
    )
    aid = add(db, a)
    assert aid is not None
    with db.session() as s:
        back = repo.load_article(s, aid)
    assert back.entities == a.entities
    assert back.quotes == a.quotes
    assert back.sources[0].name == "Alice Smith"
    assert back.sources[0].mentions == [Span(0, 11, "Alice Smith")]


def test_reanalysis_keeps_human_and_rejected(db: Database) -> None:
    aid = add(db, article(entities=[Entity(0, 11, "ORG", "Alice Smith", Origin.HUMAN)]))
    assert aid is not None
    model = [
        Entity(0, 11, "PERSON", "Alice Smith"),  # overlaps the human entity: dropped
        Entity(33, 42, "PERSON", "Bob Jones"),
        Entity(56, 61, "GPE", "Paris"),
    ]
    with db.transaction() as s:
        repo.apply_model_analysis(s, aid, model, Attribution(), "m", "1")
    # the analyst rejects "Paris"
    with db.transaction() as s:
        row = s.get(repo.ArticleRow, aid)
        assert row is not None
        next(e for e in row.entities if e.label == "GPE").rejected = True
    with db.transaction() as s:
        change = repo.apply_model_analysis(s, aid, model, Attribution(), "m", "2")
    with db.session() as s:
        got = repo.load_article(s, aid, include_rejected=True)
    labels = sorted((e.start, e.label, e.origin, e.rejected) for e in got.entities)
    assert labels == [
        (0, "ORG", Origin.HUMAN, False),
        (33, "PERSON", Origin.MODEL, False),
        (56, "GPE", Origin.MODEL, True),
    ]
    assert change.added == 1 and change.removed == 1
    assert got.model_version == "2"


def test_reanalysis_replaces_model_quotes_and_unused_sources(db: Database) -> None:
    aid = add(db, article())
    assert aid is not None
    att = Attribution(
        quotes=[
            Quote(17, 31, TEXT[17:31], QuoteKind.INDIRECT, None, Span(0, 11, "Alice Smith"), "s1")
        ],
        sources=[Source("s1", "Alice Smith", "PERSON", "", [Span(0, 11, "Alice Smith")])],
    )
    for _ in range(3):
        with db.transaction() as s:
            repo.apply_model_analysis(s, aid, [], att, "m", "1")
    with db.session() as s:
        got = repo.load_article(s, aid)
    assert len(got.quotes) == 1 and len(got.sources) == 1
    assert got.quotes[0].source_key == got.sources[0].key


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    Database.open(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version"):
        Database.open(db_path)
    assert db_path.read_bytes() == before


def test_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("just some notes, not a database\n" * 10)
    before = bogus.read_bytes()
    with pytest.raises(NotADatabaseError):
        Database.open(bogus)
    assert bogus.read_bytes() == before


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder does not exist"):
        Database.open(tmp_path / "nope" / "x.sqlite3")


def test_backup_keeps_a_readable_copy(db: Database) -> None:
    add(db, article())
    copy = db.backup("test")
    con = sqlite3.connect(copy)
    assert con.execute("SELECT count(*) FROM article").fetchone() == (1,)
    con.close()


def test_head_constant_names_alembics_head() -> None:
    from desktop.store.database import HEAD_REVISION

    assert HEAD_REVISION == head_revision()


def test_opening_an_up_to_date_database_does_not_load_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    Database.open(db_path).close()
    code = (
        "import sys; from desktop.store import Database; "
        f"Database.open({str(db_path)!r}).close(); print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
