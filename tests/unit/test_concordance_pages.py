"""The concordance read a page at a time gives, page after page, exactly the whole
concordance (same lines, same order, none twice), and its counts are those of the whole,
for any page size, record and filter, on both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.people import ArticleFilter
from desktop.services import sources
from tests.gui.records_helpers import fill_with_smiths

FILTERS = [
    ArticleFilter(),
    ArticleFilter(outlet="Evening Star"),
    ArticleFilter(date_from="2026-10-10", date_to="2026-11-20"),
    ArticleFilter(outlet="Nowhere Weekly"),
]


@pytest.fixture
def filled(db: Any, tmp_path: Path) -> Any:
    fill_with_smiths(db, tmp_path)
    return db


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(size=st.integers(1, 4), which=st.integers(0, 20), f=st.sampled_from(FILTERS))
def test_pages_put_together_are_the_whole_concordance(
    filled: Any, size: int, which: int, f: ArticleFilter
) -> None:
    records = sources.record_page(filled, ArticleFilter(), "", "name", False, 0, 100).rows
    person = records[which % len(records)].person
    whole = sources.concordance(filled, person.id, f)
    got, offset = [], 0
    while True:
        page = sources.concordance_page(filled, person.id, f, offset, size)
        assert page.total == len(whole)
        assert page.articles == len({line.article_id for line in whole})
        assert len(page.lines) <= size
        got.extend(page.lines)
        offset += size
        if offset >= page.total:
            break
    assert got == whole
    assert sources.concordance_page(filled, person.id, f, offset, size).lines == []
