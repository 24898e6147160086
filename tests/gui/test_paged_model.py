"""The paged table model (browser, sources index, concordance) after pages that fail."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.ui.paged_model import Deliver, PagedTableModel, failure_shown

pytestmark = pytest.mark.gui


class Numbers(PagedTableModel[int, int]):
    COLUMNS = ("n",)

    def page_size(self) -> int:
        return 3


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 20), st.lists(st.booleans(), max_size=30))
def test_a_failed_page_is_asked_again_and_every_row_comes_once(
    qapp: Any, count: int, fails: list[bool]
) -> None:
    """Whatever pages fail (a locked database while scrolling, say), the error is shown,
    the rows loaded stay, and asking again gets the rest: every row once, in order."""
    data = list(range(count))
    outcomes = iter(fails)
    shown: list[BaseException] = []
    model: Numbers

    def loader(_query: int, offset: int, limit: int, deliver: Deliver[int]) -> None:
        if next(outcomes, False):
            failure_shown(model, shown.append)(OSError("database is locked"))
        else:
            deliver(data[offset : offset + limit], count)

    model = Numbers(loader, 0)
    for _ in range(len(fails) + 1):  # the first page, asked again until it comes
        before = len(shown)
        model.reload()
        if len(shown) == before:
            break
    for _ in range(len(fails) + count):
        model.fetchMore()
    assert model.rowCount() == count
    assert [model._rows[n] for n in range(count)] == data  # noqa: SLF001
    assert len(shown) <= fails.count(True)
