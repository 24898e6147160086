"""Test set-up shared by unit and GUI tests.

Qt runs offscreen, and the user folders (settings, logs, default database) point into a
temporary folder so that no test touches the real ones.

Engines: a test outside tests/gui that takes the ``db`` fixture runs twice, on SQLite
(``[sqlite]``) and on PostgreSQL (``[postgresql]``: a fresh database on a throwaway
cluster, ``tests/pg_cluster.py``). Where PostgreSQL's server is not installed those
variants skip saying so, unless ``QUOTEDESK_REQUIRE_POSTGRES=1`` (``make test`` sets it),
which makes that an error. A test about the SQLite file itself is listed in
``SQLITE_ONLY`` (or marked ``sqlite_only``) and skips on PostgreSQL with the reason.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_home = Path(tempfile.mkdtemp(prefix="quotedesk-test-home-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = str(_home / "config")
os.environ["XDG_DATA_HOME"] = str(_home / "data")
os.environ["XDG_STATE_HOME"] = str(_home / "state")
os.environ["XDG_CACHE_HOME"] = str(_home / "cache")
os.environ["QUOTEDESK_DB"] = str(_home / "default.sqlite3")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_TEXT = REPO / "resources" / "sample_article.txt"


ENGINES = ("sqlite", "postgresql")
REQUIRE_POSTGRES = os.environ.get("QUOTEDESK_REQUIRE_POSTGRES") == "1"
# tests about the SQLite file (its bytes, -wal, copies, locks): no PostgreSQL variant
_NO_FILE_BACKUPS = "backups are copies of the SQLite file (a server has pg_dump)"
SQLITE_ONLY = {
    "tests/reliability/test_backups.py": _NO_FILE_BACKUPS,
    "tests/reliability/test_gui_restore.py": _NO_FILE_BACKUPS,
    "tests/unit/test_store.py::test_backup_keeps": _NO_FILE_BACKUPS,
    "tests/unit/test_store.py::test_new_database_is_at_head_with_pragmas": "PRAGMAs",
    "tests/reliability/test_gui_safety.py": "a full or read-only disk under the SQLite file",
    "tests/unit/test_browse.py::test_change_counter_sees": "PRAGMA data_version "
    "(tests/postgres/test_postgres_writers.py has the server's counter)",
    "tests/unit/test_browse.py::test_sorting_by_confidence_reads_the_index": "SQLite's "
    "EXPLAIN QUERY PLAN (tests/postgres/test_postgres_search.py reads PostgreSQL's plan)",
}


def sqlite_only(item: pytest.Item) -> str | None:
    """Why ``item`` runs on SQLite only, or None."""
    marker = item.get_closest_marker("sqlite_only")
    if marker is not None:
        return str(marker.args[0]) if marker.args else "about the SQLite file"
    node = item.nodeid
    return next((why for key, why in SQLITE_ONLY.items() if node.startswith(key)), None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Both engines for a database test outside the GUI folder (see the docstring)."""
    path = Path(str(metafunc.definition.path))
    # "engine" is asked for by this file's ``db`` only (a module's own ``db`` does not)
    if "engine" in metafunc.fixturenames and "gui" not in path.relative_to(REPO).parts:
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """Which engine the test's ``db`` is on (SQLite unless parametrized)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[object]:
    """The session's throwaway PostgreSQL cluster (started at the first test needing it)."""
    from tests.pg_cluster import Cluster, PostgresMissing

    try:
        cluster = Cluster()
    except PostgresMissing as exc:
        if REQUIRE_POSTGRES:
            pytest.fail(f"QUOTEDESK_REQUIRE_POSTGRES=1 but {exc}")
        pytest.skip(str(exc))
    try:
        cluster.start().make_template()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(postgres_cluster: object) -> Iterator[str]:
    """The URL of a fresh, migrated PostgreSQL database of this test's own."""
    name = postgres_cluster.fresh()  # type: ignore[attr-defined]
    yield postgres_cluster.url(name)  # type: ignore[attr-defined]
    postgres_cluster.drop(name)  # type: ignore[attr-defined]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(engine: str, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh database on the test's engine."""
    from desktop.store import Database

    if engine == "postgresql":
        reason = sqlite_only(request.node)
        if reason is not None:
            pytest.skip(f"SQLite only: {reason}")
        where: object = request.getfixturevalue("pg_url")
    else:
        where = request.getfixturevalue("db_path")
    database = Database.open(where)  # type: ignore[arg-type]
    yield database
    database.close()


@pytest.fixture(scope="session")
def nlp() -> object:
    """The spaCy pipeline, loaded once for the whole run (skips where none is installed)."""
    from desktop.nlp.pipeline import ModelError, load_pipeline

    try:
        return load_pipeline().nlp
    except ModelError as exc:  # pragma: no cover - depends on the environment
        pytest.skip(str(exc))
