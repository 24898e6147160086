"""The concordance read a page at a time gives, page after page, exactly the whole
concordance (same lines, same order, none twice), and its counts are those of the whole,
for any page size, record and filter, on both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import desc, func, select
from sqlalchemy.orm import Session

from desktop.domain.people import ArticleFilter, ConcordanceLine
from desktop.services import sources
from desktop.store.models import ArticleRow as A
from desktop.store.models import QuoteRow as Q
from desktop.store.models import SourceLinkRow as L
from desktop.store.models import SourceRow as S
from desktop.store.people_queries import LINKED, article_conditions
from tests.gui.records_helpers import fill_with_smiths

FILTERS = [
    ArticleFilter(),
    ArticleFilter(outlet="Evening Star"),
    ArticleFilter(date_from="2026-10-10", date_to="2026-11-20"),
    ArticleFilter(outlet="Nowhere Weekly"),
]


def reference(db: Any, person_id: int, f: ArticleFilter) -> list[ConcordanceLine]:
    """The whole concordance read the plain way (every quote's words sliced in Python from
    its article): what the pages, cut in SQL, must add up to."""
    with db.session() as session:
        return _reference(session, person_id, f)


def _reference(session: Session, person_id: int, f: ArticleFilter) -> list[ConcordanceLine]:
    stmt = (
        select(
            Q.id,
            A.id,
            A.external_id,
            A.title,
            A.published,
            A.outlet,
            A.text,
            Q.start,
            Q.end,
            Q.kind,
            S.key,
            S.name,
        )
        .select_from(Q)
        .join(S, Q.source_id == S.id)
        .join(L, LINKED)
        .join(A, A.id == Q.article_id)
        .where(L.person_id == person_id, Q.rejected.is_(False), S.rejected.is_(False))
        .where(*article_conditions(session, f))
        .order_by(desc(func.coalesce(A.published, "")), A.id, Q.start, Q.end)
    )
    return [
        ConcordanceLine(
            qid, aid, ext, title, pub, outlet, start, end, text[start:end], kind, key, name
        )
        for qid, aid, ext, title, pub, outlet, text, start, end, kind, key, name in session.execute(
            stmt
        )
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
    whole = reference(filled, person.id, f)
    assert sources.concordance(filled, person.id, f) == whole
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
