"""What the command line prints about a path is one line whatever the path holds.

Found by the hostile tester: ``export -o $'a\\nb.jsonl'`` printed ``exported 2 article(s) to
a`` and ``b.jsonl`` on two lines, and ``backups`` of a database in a folder with a line
break in its name did the same, so a script reading one line per outcome was misled.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import cli
from tests.reliability.exportkit import make_db

# any characters a Linux file name may hold (no "/" or NUL), line breaks and controls
# included; no lone surrogates (a name that is not UTF-8 is tested in the import tests)
NAME = st.text(
    st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=20
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(folder=NAME, name=NAME)
def test_export_and_backups_say_one_line_for_any_path(
    capsys: pytest.CaptureFixture[str], folder: str, name: str
) -> None:
    root = Path(tempfile.mkdtemp(prefix="qd-lines-")) / folder
    db_path = make_db(root)
    capsys.readouterr()
    code = cli.main(["--db", str(db_path), "export", "--format", "jsonl", "-o", str(root / name)])
    out, err = capsys.readouterr()
    assert (out + err).count("\n") == 1, (out, err)
    if code == 0:
        assert (root / name).read_bytes().startswith(b'{"id": "alpha"')
    assert cli.main(["--db", str(db_path), "backups"]) == 0
    out, err = capsys.readouterr()
    listed = out.splitlines(keepends=True)
    backups = list(Path(f"{db_path}.backups").iterdir())
    assert err == "" and len(listed) == max(1, len(backups)) and out.count("\n") == len(listed)
