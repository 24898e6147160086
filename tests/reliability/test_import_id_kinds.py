"""An ``id`` of any JSON kind: a string or a whole number is the id, anything else is
refused in one line that shows what was given (``"id": 1.0`` said "must be a string or a
number", which 1.0 is).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services import importing
from desktop.store import Database

OTHER = (
    st.floats(allow_nan=False)
    | st.booleans()
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=2), st.integers(), max_size=1)
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=OTHER)
def test_an_id_that_is_neither_text_nor_a_whole_number_is_refused_showing_it(
    tmp_path_factory: pytest.TempPathFactory, db: Database, value: object
) -> None:
    path = tmp_path_factory.mktemp("ids") / "ids.jsonl"
    line = json.dumps({"id": value, "text": "Lio Marsh said so."})
    path.write_text(line + "\n", "utf-8")
    report = importing.import_paths(db, [path], "ids")
    assert report.added == 0 and not report.bugs and len(report.errors) == 1
    error = report.errors[0]
    assert "whole number" in error and json.dumps(value)[:40] in error and "\n" not in error
