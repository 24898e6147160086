"""SQL only through bound parameters: no string-built SQL in the package, and hostile names
(quotes, SQL fragments) through search, collection names and labels change nothing."""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

import pytest

from desktop import cli
from desktop.domain import Article
from desktop.domain.labels import LabelDef
from desktop.services import labels, library
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.browse import BrowseQuery

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"
SQL_CALLS = {"execute", "executemany", "executescript", "exec_driver_sql", "text"}
# (file, source of the argument): statements built from constants of the migration itself
DROP_TRIGGER = 'f"DROP TRIGGER IF EXISTS article_fts_{name}"'  # names from a constant tuple
ALLOWED = {
    ("store/migrations/versions/0002_browse_and_search.py", DROP_TRIGGER),
    ("store/migrations/versions/0003_search_prefix_index.py", DROP_TRIGGER),
    # PRAGMA takes no bound parameter; the value is an int from secrets.randbelow
    ("store/database.py", 'f"PRAGMA user_version = {stamp:d}"'),
    # migration 0005's index and triggers: DDL takes no bound parameters, and every piece
    # is a constant of the migration module (no value from outside reaches them)
    *(
        ("store/migrations/versions/0005_article_lowest_confidence.py", segment)
        for segment in (
            'f"CREATE INDEX {INDEX} ON quote (article_id, {certainty()}) WHERE rejected = 0"',
            "f\"UPDATE article SET lowest_confidence = {lowest('article.id')}\"",
            'f"CREATE TRIGGER {name} {body}"',
            'f"DROP INDEX IF EXISTS {INDEX}"',
            'f"DROP TRIGGER IF EXISTS {name}"',
        )
    ),
    # migration 0010's tallies: the same kind of DDL, every piece a constant of the module
    *(
        ("store/migrations/versions/0010_quote_tallies.py", segment)
        for segment in (
            'f"CREATE INDEX {INDEX} ON article (unsourced_quotes, id) WHERE unsourced_quotes > 0"',
            'f"DROP INDEX IF EXISTS {INDEX}"',
            'f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "\n'
            '                "RETURN NULL; END $$"',
            'f"CREATE TRIGGER {name} {when} ON quote FOR EACH ROW {condition} "\n'
            '                f"EXECUTE FUNCTION {name}()"',
            'f"DROP TRIGGER IF EXISTS {name} ON quote"',
            'f"DROP FUNCTION IF EXISTS {name}()"',
            'f"CREATE TRIGGER {name} {body}"',
            'f"DROP TRIGGER IF EXISTS {name}"',
        )
    ),
    # migration 0011's kept counts: names, events, tables, conditions and bodies are all
    # constants of the module (_triggers), no value from outside reaches them
    *(
        ("store/migrations/versions/0011_kept_counts.py", segment)
        for segment in (
            'f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "\n'
            '            "RETURN NULL; END $$"',
            'f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW WHEN ({when}) "\n'
            '            f"EXECUTE FUNCTION {name}()"',
            'f"CREATE TRIGGER {name} {event} ON {table}{condition} BEGIN {body} END"',
            'f"DROP TRIGGER IF EXISTS {name} ON {table}"',
            'f"DROP FUNCTION IF EXISTS {name}()"',
            'f"DROP TRIGGER IF EXISTS {name}"',
        )
    ),
}

HOSTILE = [
    "x'); DROP TABLE article;--",
    'Robert"); DELETE FROM collection; --',
    "' OR '1'='1",
    "%_%",
    '"unbalanced',
    "NEAR(a b) AND OR NOT *",
    "title:foo ^bar",
    "\\'; ATTACH DATABASE '/tmp/x' AS x; --",
    "\x00nul",
    "😀 ünïcödé",
]


def string_built(node: ast.expr) -> bool:
    """An f-string with values, ``%`` or ``+`` on strings, or ``str.format``."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return any(
            isinstance(side, ast.Constant | ast.JoinedStr)
            and isinstance(getattr(side, "value", ""), str)
            for side in (node.left, node.right)
        )
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def sql_building_calls(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in SQL_CALLS and string_built(node.args[0]):
            found.append((node.lineno, ast.get_source_segment(source, node.args[0]) or ""))
    return found


def test_the_checker_finds_string_built_sql() -> None:
    bad = """
conn.execute(f"SELECT * FROM t WHERE name = '{name}'")
session.execute(text("SELECT * FROM t WHERE id = %s" % ident))
cur.executescript("DROP TABLE " + table)
conn.exec_driver_sql("SELECT {}".format(x))
"""
    good = """
conn.execute("SELECT * FROM t WHERE name = ?", (name,))
session.execute(text("SELECT * FROM t WHERE id = :id"), {"id": ident})
conn.execute(f"SELECT 1")
"""
    assert len(sql_building_calls(bad)) == 4
    assert sql_building_calls(good) == []


def test_no_sql_is_built_from_strings_in_the_package() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for line, segment in sql_building_calls(path.read_text(encoding="utf-8")):
            if (rel, segment) not in ALLOWED:
                found.append(f"desktop/{rel}:{line}: {segment}")
    assert found == [], "SQL built from strings; use bound parameters:\n" + "\n".join(found)


def table_names(db: Database) -> set[str]:
    """The tables of an open database, on either engine."""
    from sqlalchemy import inspect

    return set(inspect(db.engine).get_table_names())


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_hostile_searches_find_text_and_harm_nothing(db: Database) -> None:
    # PostgreSQL cannot store NUL (refused in one line: tests/postgres), but may be asked
    stored = [name for name in HOSTILE if not (db.on_server and "\x00" in name)]
    with db.transaction() as s:
        coll = repo.collection(s)
        for n, name in enumerate(stored):
            repo.add_article(s, coll, Article(f"h{n}", f"Article {n} quotes {name} verbatim."))
    before = table_names(db)
    for name in stored:
        rows, total = library.browse_page(db, BrowseQuery(search=name), 0, 50)
        assert total == len(rows)
    for name in stored:  # the collection filter is a bound value too
        rows, total = library.browse_page(db, BrowseQuery(collection=name), 0, 50)
        assert rows == [] and total == 0
    rows, total = library.browse_page(db, BrowseQuery(search="Robert"), 0, 50)
    assert [r.external_id for r in rows] == ["h1"]
    assert table_names(db) == before
    assert library.browse_page(db, BrowseQuery(), 0, 50)[1] == len(stored)


def test_hostile_collection_names_are_stored_as_given(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    for n, name in enumerate(HOSTILE):
        if "\x00" in name:
            continue  # a command-line argument cannot hold NUL
        source.write_text(json.dumps({"id": f"c{n}", "text": f"Text {n}."}) + "\n", "utf-8")
        args = ["--db", str(db_path), "import", str(source), "--collection", name]
        assert cli.main(args) == 0
    db = Database.open(db_path)
    try:
        names = library.collection_names(db)
        assert sorted(names) == sorted(n for n in HOSTILE if "\x00" not in n)
        for name in names:
            rows, total = library.browse_page(db, BrowseQuery(collection=name), 0, 10)
            assert total == 1 and rows[0].collection == name
    finally:
        db.close()
    assert {"article", "collection", "entity", "quote", "source"} <= tables(db_path)


def test_hostile_label_names_are_refused_and_change_nothing(db: Database) -> None:
    # labels are one token (desktop.domain.names): SQL fragments are refused before any SQL
    collection = "x'); DROP TABLE collection;--"
    with db.transaction() as s:
        repo.collection(s, collection)
    before = labels.collection_labels(db, collection)
    for name in HOSTILE:
        with pytest.raises(ValueError):
            labels.set_collection_labels(db, collection, [LabelDef(name, "#112233", "1")])
    assert labels.collection_labels(db, collection) == before
    labels.set_collection_labels(db, collection, [LabelDef("DROP_TABLE--", "#112233", "1")])
    stored = labels.collection_labels(db, collection)
    assert [(lab.name, lab.color, lab.key) for lab in stored] == [("DROP_TABLE--", "#112233", "1")]
    assert "collection" in table_names(db)


@pytest.mark.parametrize("name", ["my#db", "q?mode=rw", "100%", "a b"])
def test_backups_work_for_database_paths_with_uri_characters(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    db = Database.open(folder / "q.sqlite3")
    try:
        with db.transaction() as s:
            repo.add_article(s, repo.collection(s), Article("a", "Some text."))
        copy = db.backup("test")
        db.restore(copy)
    finally:
        db.close()
    assert copy.parent.parent == folder
