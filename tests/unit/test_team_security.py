"""The PostgreSQL server keeps each annotator to their own layer (row-level security).

On a throwaway cluster (skipped where PostgreSQL's server is not installed): the owner
imports two annotators' layers and makes login roles for ann, bob and a curator; then,
connected as ann, plain SQL cannot read, change, delete or forge bob's layer, while ann's
own and the curator's writes go through. Sentences are made up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from desktop.services import team
from desktop.services.importing import import_paths
from desktop.services.team_editing import LayerEditor, article_for
from desktop.store import Database, StoreError
from tests.unit.test_team import WORDS, record, write


@pytest.fixture
def secured(pg_url: str, postgres_cluster: Any, tmp_path: Path) -> tuple[Any, str, int]:
    db = Database.open(pg_url)
    try:
        f = write(
            tmp_path / "t.jsonl",
            record("ann", ("Tova Rink", "PER")),
            record("bob", ("Lisbon", "LOC")),
        )
        assert import_paths(db, [f], "c").layers == 2
        team.add_server_person(db, "ann")
        team.add_server_person(db, "bob")
        team.add_server_person(db, "cur", curator=True)
        team.set_mode(db, "c", "parallel", 2)
        aid = team.article_ids(db, "c", ["ferry-1"])[0]
    finally:
        db.close()
    name = pg_url.split("@/")[1].split("?")[0]
    return postgres_cluster, name, aid


def _connect(cluster: Any, name: str, user: str) -> psycopg.Connection[Any]:
    return psycopg.connect(host=str(cluster.socket), user=user, dbname=name, autocommit=True)


def _layers(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    rows = conn.execute("SELECT annotator, annotations FROM annotation_layer").fetchall()
    return dict(rows)


def test_an_annotator_cannot_touch_anothers_layer_in_sql(secured: tuple[Any, str, int]) -> None:
    cluster, name, aid = secured
    bob_before = _layers(_connect(cluster, name, "cur"))["bob"]
    with _connect(cluster, name, "ann") as ann:
        assert set(_layers(ann)) == {"ann"}  # bob's layer is not even visible
        changed = ann.execute(
            "UPDATE annotation_layer SET annotations = %s WHERE annotator = 'bob'",
            (json.dumps({"entities": []}),),
        ).rowcount
        assert changed == 0
        assert ann.execute("DELETE FROM annotation_layer WHERE annotator = 'bob'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no forging in bob's name
            ann.execute(
                "INSERT INTO annotation_layer (article_id, kind, annotator, status, revision,"
                " assigned_by, assigned_at, updated_by, updated_at)"
                " VALUES (%s, 'annotator', 'mallory', 'unreviewed', 1, '', now(), '', now())",
                (aid,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor a curated layer
            ann.execute(
                "INSERT INTO annotation_layer (article_id, kind, annotator, status, revision,"
                " assigned_by, assigned_at, updated_by, updated_at)"
                " VALUES (%s, 'curated', '', 'unreviewed', 1, '', now(), '', now())",
                (aid,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor give a row away
            ann.execute("UPDATE annotation_layer SET annotator = 'bob' WHERE annotator = 'ann'")
        assert (
            ann.execute(  # their own layer they may change
                "UPDATE annotation_layer SET status = 'in_review' WHERE annotator = 'ann'"
            ).rowcount
            == 1
        )
    with _connect(cluster, name, "cur") as cur:
        assert _layers(cur)["bob"] == bob_before
        assert set(_layers(cur)) == {"ann", "bob"}
        assert (
            cur.execute(
                "UPDATE annotation_layer SET status = 'reviewed' WHERE annotator = 'bob'"
            ).rowcount
            == 1
        )


def test_the_app_as_an_annotator_edits_its_own_layer_and_is_refused_anothers(
    secured: tuple[Any, str, int],
) -> None:
    cluster, name, aid = secured
    db = Database.open(cluster.url(name, "ann"))
    try:
        assert team.connection_annotator(db=db) == "ann"  # the login role names them
        editor = LayerEditor(db)
        assert editor.user == "ann"
        shown = article_for(db, aid, "ann")
        result = editor.add_entity(aid, shown.revision, *WORDS["Lisbon"], "LOC")
        assert (*WORDS["Lisbon"], "LOC") in {
            (e.start, e.end, e.label) for e in result.after.entities
        }
        with pytest.raises(StoreError, match="refused"):  # one line, not a traceback
            team.save_version(db, shown, aid, "bob")
        assert set(team.versions_of(db, aid)) == {"ann"}
    finally:
        db.close()
    db = Database.open(cluster.url(name, "cur"))
    try:
        assert set(team.versions_of(db, aid)) == {"ann", "bob"}  # the curator sees all
    finally:
        db.close()


def test_roles_need_postgresql(db_path: Path) -> None:
    db = Database.open(db_path)
    try:
        with pytest.raises(team.TeamError, match="PostgreSQL"):
            team.add_server_person(db, "ann")
    finally:
        db.close()
