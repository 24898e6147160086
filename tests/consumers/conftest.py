"""Fixtures of the consumer tests: the exported set, and the real servers that import it.

These tests run only when asked for by marker (``pytest -m consumers``, as ``make
test-consumers`` does); ``addopts`` deselects them, and any other ``-m`` (``make test-fast``)
leaves them skipped, so no run of the suite starts a server by accident.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.domain import Article
from desktop.services import analysis, library
from desktop.store import Database
from desktop.store import repository as repo
from tests.consumers import servers
from tests.unit.test_formats_common import fill, sample_articles


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = config.getoption("markexpr") or ""
    if "consumers" in wanted and "not consumers" not in wanted:
        return
    skip = pytest.mark.skip(reason="consumer tests run with -m consumers (make test-consumers)")
    for item in items:
        if "consumers" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The shipped sample article analyzed by the real pipeline, and the hand-made set of
    the unit tests (emoji before spans, nested and identical spans, both origins)."""
    db = Database.open(tmp_path_factory.mktemp("corpus") / "corpus.sqlite3")
    library.add_sample(db)
    analysis.analyze(db)
    fill(db, sample_articles())
    yield db
    db.close()


@pytest.fixture(scope="session")
def corpus(corpus_db: Database) -> list[Article]:
    with corpus_db.session() as session:
        ids = repo.article_ids(session, None)
        return [article for _, article in repo.iter_articles(session, ids)]


def _needs(venv: Path) -> None:
    if not (venv / "bin" / "python").exists():
        pytest.skip(f"{venv} is missing: make test-consumers installs it")


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Server]:
    _needs(servers.LABEL_STUDIO_VENV)
    server = servers.label_studio(tmp_path_factory.mktemp("label-studio"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def doccano(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Server]:
    _needs(servers.DOCCANO_VENV)
    server = servers.doccano(tmp_path_factory.mktemp("doccano"))
    yield server
    server.stop()
