"""The streamed JSON list (formats/json_stream.py) reads exactly what ``json.loads`` reads,
however the file is cut into pieces, and refuses what it refuses, naming the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.formats import json_stream
from desktop.formats.errors import FormatError
from desktop.formats.json_stream import NotAList, json_list_items
from desktop.formats.jsonlines import DuplicateKeyError

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def items(path: Path) -> list[Any]:
    return list(json_list_items(path))


@SETTINGS
@given(
    value=st.lists(JSON, max_size=6) | st.dictionaries(st.text(max_size=4), JSON, max_size=3),
    indent=st.sampled_from([None, 0, 2]),
    ascii_only=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
    piece=st.integers(1, 40),
)
def test_any_list_reads_as_json_loads_reads_it_in_any_pieces(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    value: Any,
    indent: int | None,
    ascii_only: bool,
    encoding: str,
    piece: int,
) -> None:
    monkeypatch.setattr(json_stream, "PIECE_BYTES", piece)
    path = tmp_path / "t.json"
    path.write_bytes(json.dumps(value, indent=indent, ensure_ascii=ascii_only).encode(encoding))
    expected = value if isinstance(value, list) else [value]
    assert items(path) == expected


@SETTINGS
@given(
    value=st.lists(JSON, min_size=1, max_size=4),
    cut=st.integers(0, 10_000),
    piece=st.integers(1, 30),
)
def test_a_cut_file_is_a_format_error_never_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: Any, cut: int, piece: int
) -> None:
    monkeypatch.setattr(json_stream, "PIECE_BYTES", piece)
    raw = json.dumps(value, indent=1).encode()
    path = tmp_path / "t.json"
    path.write_bytes(raw[: cut % len(raw)])
    with pytest.raises(FormatError, match="not valid JSON") as err:
        items(path)
    assert err.value.line is not None and 1 <= err.value.line <= raw.count(b"\n") + 1


@SETTINGS
@given(key=st.text(max_size=4), depth=st.integers(0, 3), piece=st.integers(1, 30))
def test_a_key_twice_at_any_depth_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, depth: int, piece: int
) -> None:
    monkeypatch.setattr(json_stream, "PIECE_BYTES", piece)
    name = json.dumps(key)
    inner = "{" + name + ": 1, " + name + ": 2}"
    for _ in range(depth):
        inner = '{"a": [' + inner + "]}"
    path = tmp_path / "t.json"
    path.write_text(f'[{{"ok": 1}}, {inner}]', encoding="utf-8")
    with pytest.raises(DuplicateKeyError) as err:
        items(path)
    assert err.value.key == key


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b'[\n{"a": 1},\n{oops}\n]', 3),
        (b"[\n1,\n2\n3]", 4),  # where json.loads says it too
        (b"", 1),
        (b"[1] [2]", 1),
        (b'[\n"\xff"\n]', 2),
        (b'[\n\n"a\x00"]', 3),
    ],
)
def test_errors_name_the_line(tmp_path: Path, raw: bytes, line: int) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(raw)
    with pytest.raises(FormatError) as err:
        items(path)
    assert err.value.line == line


def test_a_lone_surrogate_is_kept_for_the_checks_to_refuse(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('[{"t": "a\\ud83d b"}]', encoding="ascii")
    assert items(path) == [{"t": "a\ud83d b"}]


def test_deep_nesting_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(FormatError, match="nested too deeply"):
        items(path)


@pytest.mark.parametrize("raw", [b"5", b'"text"', b"null"])
def test_a_top_level_that_is_no_list_or_object_is_not_a_list(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(raw)
    with pytest.raises(NotAList):
        items(path)


@SETTINGS
@given(key=st.sampled_from(["text", "data", "id", "x"]), piece=st.integers(1, 30))
def test_label_studio_refuses_a_key_twice_naming_the_task_and_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, piece: int
) -> None:
    """json.loads kept the last of two keys: a task's first text was lost without a word."""
    from desktop.formats.labelstudio import read_labelstudio

    monkeypatch.setattr(json_stream, "PIECE_BYTES", piece)
    path = tmp_path / "tasks.json"
    twice = '{"data": {"text": "Ann spoke.", "%s": "one", "%s": "two"}}' % (key, key)  # noqa: UP031
    path.write_text('[{"data": {"text": "Bo spoke."}},\n' + twice + "]", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_labelstudio(path))
    assert f"task 2: the key '{key}' appears twice in one object" in str(err.value)
