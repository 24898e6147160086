"""The analysis workers (nlp/workers.py) give what analysis in this process gives, text for
text and in order, whatever the texts and however they fall into chunks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp import analyze_texts, load_pipeline, workers
from desktop.nlp.workers import WorkerPool

SENTENCES = [
    'Rosa Lind said "the library will close at noon."',
    "The union, according to its leader Ben Ortiz, rejected the offer.",
    "Nobody spoke.",
    '"We are ready," the coach told reporters in Halden.',
    "\n\n",
    "Prices rose again in March, the agency said.",
]

texts = st.lists(
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=12).map(" ".join), max_size=14
)


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(None, 2) as started:
        started.start()
        yield started


@pytest.mark.slow
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=texts, chunk_texts=st.integers(1, 5), chunk_chars=st.integers(50, 2_000))
def test_workers_give_what_this_process_gives_in_order(
    pool: WorkerPool,
    monkeypatch: pytest.MonkeyPatch,
    batch: list[str],
    chunk_texts: int,
    chunk_chars: int,
) -> None:
    monkeypatch.setattr(workers, "CHUNK_TEXTS", chunk_texts)
    monkeypatch.setattr(workers, "CHUNK_CHARS", chunk_chars)
    here = list(analyze_texts(load_pipeline(), batch))
    assert list(pool.analyze(iter(batch))) == here


def test_chunks_keep_every_text_in_order_within_their_bounds() -> None:
    batch = ["a" * n for n in (5, 30_000, 1, 1, 1, 1, 1, 19_000, 2_000)]
    got = list(workers.chunks(batch))
    assert [t for chunk in got for t in chunk] == batch
    for chunk in got:
        assert len(chunk) == 1 or (
            len(chunk) <= workers.CHUNK_TEXTS and sum(map(len, chunk)) <= workers.CHUNK_CHARS
        )


def test_small_work_stays_in_this_process() -> None:
    assert not workers.worth_parallel(2, 50, workers.MIN_PARALLEL_CHARS - 1)
    assert not workers.worth_parallel(1, 500, 10**7)
    assert not workers.worth_parallel(2, 1, 10**7)
    assert workers.worth_parallel(2, 2, workers.MIN_PARALLEL_CHARS)
