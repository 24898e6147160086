"""``--db`` as a path or a PostgreSQL URL: what is parsed, what is shown, what is refused.

A password written into a URL is used for that connection and appears nowhere Quotedesk
prints or saves: a property over any user, password, host and parameters.
"""

from __future__ import annotations

import string
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop import cli
from desktop.store import Database, StoreError
from desktop.store.location import ServerLocation, is_server_url, parse_location, shown

NAMES = st.text(string.ascii_letters + string.digits + "_-.", min_size=1, max_size=20)
# a mark of its own, so that finding it in what is printed can only mean the password
SECRETS = st.text(min_size=0, max_size=30).map(lambda s: f"Pw~{s}")


def test_a_path_stays_a_path_and_a_url_is_a_server() -> None:
    assert parse_location("~/q.sqlite3") == Path.home() / "q.sqlite3"
    assert parse_location(Path("a/b.sqlite3")) == Path("a/b.sqlite3")
    where = parse_location("postgresql://ann@db.example:5433/news?sslmode=require")
    assert isinstance(where, ServerLocation)
    assert where.url.drivername == "postgresql+psycopg"
    assert (where.url.host, where.url.port, where.database) == ("db.example", 5433, "news")
    assert where.url.query["sslmode"] == "require"
    assert where.shown == "postgresql://ann@db.example:5433/news?sslmode=require"
    assert isinstance(parse_location("postgres://ann@h/news"), ServerLocation)


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("mysql://u@h/db", "not a mysql:// URL"),
        ("sqlite:///x.db", "not a sqlite:// URL"),
        ("postgresql://ann@host:5432", "names no database"),
        ("postgresql://ann@host:notaport/db", "is not a PostgreSQL URL"),
    ],
)
def test_other_urls_are_refused_in_one_line(given: str, says: str) -> None:
    with pytest.raises(StoreError, match=says) as caught:
        parse_location(given)
    assert "\n" not in str(caught.value)


@given(user=NAMES, secret=SECRETS, host=NAMES, database=NAMES, mode=st.sampled_from(
    ["disable", "require", "verify-full"]))  # fmt: skip
def test_a_password_in_the_url_is_never_shown(
    user: str, secret: str, host: str, database: str, mode: str
) -> None:
    text = f"postgresql://{user}:{quote(secret, safe='')}@{host}/{database}?sslmode={mode}"
    assert is_server_url(text)
    where = parse_location(text)
    assert isinstance(where, ServerLocation)
    assert where.url.password == secret  # libpq gets it for this connection
    for printed in (where.shown, str(where), shown(text), shown(where)):
        assert "Pw~" not in printed and "Pw%7E" not in printed
        assert f"sslmode={mode}" in printed and printed.startswith(f"postgresql://{user}@")


@given(secret=SECRETS)
def test_a_url_that_does_not_parse_is_refused_without_its_password(secret: str) -> None:
    text = f"postgresql://ann:{quote(secret, safe='')}@host:notaport/db"
    with pytest.raises(StoreError) as caught:
        parse_location(text)
    assert "Pw~" not in str(caught.value) and "Pw%7E" not in str(caught.value)


def test_an_unreachable_server_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql://ann:s3cret-pw@127.0.0.1:9/news?connect_timeout=3"
    with pytest.raises(StoreError, match="Cannot reach the PostgreSQL database") as caught:
        Database.open(url)
    assert "s3cret-pw" not in str(caught.value) and "\n" not in str(caught.value)
    assert cli.main(["--db", url, "export", "--format", "jsonl", "-o", "-"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "s3cret-pw" not in err and "Traceback" not in err


def test_backups_of_a_server_database_point_at_pg_dump(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--db", pg_url, "backups"]) == 1
    assert "pg_dump" in capsys.readouterr().err
    db = Database.open(pg_url)
    try:
        with pytest.raises(StoreError, match="pg_dump"):
            db.backup("manual")
        assert db.backup_if_due() is None and db.on_server and db.path is None
        db.check()  # the server checks its own pages: this only asks it to answer
    finally:
        db.close()


def test_a_database_missing_on_the_server_is_named(postgres_cluster: object) -> None:
    url = postgres_cluster.url("no_such_database")  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match='"no_such_database" does not exist.*createdb'):
        Database.open(url)


def test_quotedesk_db_may_hold_a_url(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "a1", "text": "Made up for the test."}\n', encoding="utf-8")
    monkeypatch.setenv("QUOTEDESK_DB", pg_url)
    assert cli.main(["import", str(source)]) == 0
    db = Database.open(pg_url)
    try:
        from desktop.services import library

        assert library.find_article(db, "a1") is not None
    finally:
        db.close()


def test_another_programs_tables_are_left_alone(postgres_cluster: object) -> None:
    name = postgres_cluster.fresh(template=None)  # type: ignore[attr-defined]
    url = postgres_cluster.url(name)  # type: ignore[attr-defined]
    import psycopg

    with psycopg.connect(**_conninfo(postgres_cluster, name), autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id integer)")
    with pytest.raises(StoreError, match="another program"):
        Database.open(url)
    with psycopg.connect(**_conninfo(postgres_cluster, name)) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables "
                                             "WHERE schemaname = 'public'")}  # fmt: skip
    assert tables == {"invoices"}


def _conninfo(cluster: object, name: str) -> dict[str, str]:
    return {"host": str(cluster.socket), "user": "postgres", "dbname": name}  # type: ignore[attr-defined]
