"""Test set-up shared by unit and GUI tests.

Qt runs offscreen, and the user folders (settings, logs, default database) point into a
temporary folder so that no test touches the real ones.
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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from desktop.store import Database

    database = Database.open(db_path)
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
