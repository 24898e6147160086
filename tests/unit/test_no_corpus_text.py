"""No tracked file holds text of the internal evaluation corpora (``../shared/data`` is for
evaluation only and is read at run time): no run of 40 characters, starting at a word, of
any of their strings (as read, or as escaped in the file) appears in any file git tracks.
Skipped when the corpora are absent."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import REPO, SHARED

WIDTH = 40
WORD_START = re.compile(r"(?<=\s)\S")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _runs(text: str) -> Iterator[str]:
    for m in WORD_START.finditer(text):
        run = text[m.start() : m.start() + WIDTH]
        if len(run) == WIDTH and len(set(run)) > 12:  # not a row of dashes or spaces
            yield run


def test_no_tracked_file_holds_corpus_text() -> None:
    corpora = sorted((SHARED / "data").glob("*.jsonl"))
    if not corpora:
        pytest.skip("the evaluation corpora are not here")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    ours: dict[str, str] = {}
    for name in filter(None, tracked):
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # a picture, a binary
        for run in _runs(" " + text):
            ours.setdefault(run, name)
    found: dict[str, str] = {}
    for path in corpora:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                for s in _strings(json.loads(line)):
                    # as it reads, and as a copy pasted from the file reads (escaped)
                    for run in [*_runs(" " + s), *_runs(" " + json.dumps(s)[1:-1])]:
                        if run in ours:
                            found.setdefault(ours[run], run)
    assert found == {}, f"corpus text in tracked files: {found}"
