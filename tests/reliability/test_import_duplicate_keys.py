"""A JSON object that names a key twice is refused, naming the key: never silent loss.

``{"id": "d1", "text": "first", "text": "second"}`` imported "second" and said nothing (the
``json`` module keeps the last value), so the first text was lost without a word. The
class: a duplicate key at any depth of any record of a JSON Lines import (Quotedesk,
Prodigy, doccano share the reader) is one line naming the file, the line and the key.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.formats.jsonlines import DuplicateKeyError, loads
from desktop.services import importing
from desktop.store import Database
from tests.reliability import hostilekit

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)


def objects(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every object (dict) in ``value``."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        found.append(path)
        for k, v in value.items():
            found += objects(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += objects(v, (*path, i))
    return found


def dump_with_twice(
    value: Any, where: tuple[Any, ...], key: str, path: tuple[Any, ...] = ()
) -> str:
    """JSON text of ``value`` in which the object at ``where`` names ``key`` once more."""
    if isinstance(value, dict):
        parts = [
            f"{json.dumps(k)}: {dump_with_twice(v, where, key, (*path, k))}"
            for k, v in value.items()
        ]
        if path == where:
            parts.append(f'{json.dumps(key)}: "again"')
            if key not in value:
                parts.append(f'{json.dumps(key)}: "first"')
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        return (
            "["
            + ", ".join(dump_with_twice(v, where, key, (*path, i)) for i, v in enumerate(value))
            + "]"
        )
    return json.dumps(value)


@settings(max_examples=200, deadline=None)
@given(value=JSON, data=st.data())
def test_a_key_named_twice_in_any_object_is_refused_and_the_rest_reads_as_json_does(
    value: Any, data: st.DataObject
) -> None:
    assert loads(json.dumps(value)) == json.loads(json.dumps(value))
    places = objects(value)
    if not places:
        return
    where = data.draw(st.sampled_from(places))
    here = value
    for step in where:
        here = here[step]
    key = data.draw(st.sampled_from(sorted(here)) if here else st.text(max_size=3))
    with pytest.raises(DuplicateKeyError) as caught:
        loads(dump_with_twice(value, where, key))
    assert caught.value.key == key


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_an_import_with_a_key_twice_anywhere_imports_nothing_and_names_the_key(
    tmp_path_factory: pytest.TempPathFactory, db: Database, data: st.DataObject
) -> None:
    record = dict(hostilekit.RECORD, id="dup-" + str(data.draw(st.integers(0, 10**9))))
    where = data.draw(st.sampled_from(objects(record)))
    here: Any = record
    for step in where:
        here = here[step]
    key = data.draw(st.sampled_from(sorted(here)))
    folder = tmp_path_factory.mktemp("dup")
    path = folder / "twice.jsonl"
    good = dict(hostilekit.RECORD, id=record["id"] + "-fine", text="Kai Oru wrote it down.")
    path.write_text(json.dumps(good) + "\n" + dump_with_twice(record, where, key) + "\n", "utf-8")
    report = importing.import_paths(db, [path], "dups")
    assert report.added == 0 and not report.bugs
    assert len(report.errors) == 1
    line = report.errors[0]
    assert "line 2" in line and repr(key) in line and "twice" in line and "\n" not in line
