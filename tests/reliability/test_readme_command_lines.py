"""Every command line the README writes is accepted as written (issue 18, item 12):
``quotedesk analyze --model NAME`` was refused because ``--model`` had to come first.

The forms are read from README.md itself, each optional part both present and absent, and
the global options (``--db``, ``--model``) also moved after the subcommand. Each is parsed
with the real parser; the batch forms are then run on a real database.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import shlex
from pathlib import Path

import pytest

from desktop import cli
from tests.conftest import REPO

README = REPO / "README.md"
GLOBAL = {"--db": "PATH", "--model": "NAME"}


def synopsis() -> list[str]:
    """The README's command lines: the ``quotedesk`` lines of its sh blocks, continuation
    lines joined, comments dropped."""
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text("utf-8"), re.S):
        for raw in block.splitlines():
            text = raw.split("#", 1)[0].rstrip()
            if text.startswith(".venv/bin/quotedesk"):
                lines.append(text.removeprefix(".venv/bin/quotedesk").strip())
            elif text.startswith(" ") and lines and text.strip().startswith("["):
                lines[-1] += " " + text.strip()
    return lines


def forms(line: str) -> list[list[str]]:
    """Every choice of the ``[...]`` parts present or absent, as argument lists."""
    parts = re.findall(r"\[[^\]]*\]|\S+", line)
    optional = [i for i, p in enumerate(parts) if p.startswith("[")]
    out = []
    for keep in itertools.product([True, False], repeat=len(optional)):
        chosen = dict(zip(optional, keep, strict=True))
        words: list[str] = []
        for i, part in enumerate(parts):
            if part.startswith("["):
                if chosen[i]:
                    words += part.strip("[]").split()
            elif part != "...":
                words.append(part)
        out.append(words)
    return out


def moved_after_command(words: list[str]) -> list[str]:
    """The same line with each global option placed after the subcommand."""
    commands = {"import", "analyze", "export", "backups", "restore"}
    at = next((i for i, w in enumerate(words) if w in commands), None)
    if at is None:
        return words
    before, rest = words[:at], words[at:]
    moved: list[str] = []
    kept: list[str] = []
    it = iter(before)
    for word in it:
        (moved if word in GLOBAL else kept).extend([word, next(it)] if word in GLOBAL else [word])
    return [*kept, rest[0], *moved, *rest[1:]]


def filled(words: list[str], values: dict[str, str]) -> list[str]:
    return [values.get(w, w) for w in words]


def all_forms(extremes_only: bool = False) -> list[list[str]]:
    """Each README line's forms (only all-optional-parts and none when ``extremes_only``),
    each also with the global options after the subcommand."""
    found = []
    for line in synopsis():
        choices = forms(line)
        for words in [choices[0], choices[-1]] if extremes_only else choices:
            found.append(words)
            if moved_after_command(words) != words:
                found.append(moved_after_command(words))
            if words[:1] and "analyze" in words and "--model" not in words:
                found.append([*words, "--model", "NAME"])  # README: analyze [--model NAME]
    return found


def test_the_readme_lists_the_forms_the_issue_names() -> None:
    lines = synopsis()
    assert any(line.startswith("[--db PATH] analyze") and "--model NAME" in line for line in lines)
    assert any("export --format FMT" in line for line in lines)
    assert len(all_forms()) > 20


def values(tmp: Path) -> dict[str, str]:
    return {
        "PATH": str(tmp / "q.sqlite3"),
        "FILE|DIR": str(tmp / "in.jsonl"),
        "NAME": "news",
        "FMT": "jsonl",
        "OUT": str(tmp / "out.jsonl"),
        "ID": "a1",
        "PERSON,ORG": "PERSON,ORG",
    }


@pytest.mark.parametrize("words", all_forms(), ids=" ".join)
def test_every_readme_form_parses(words: list[str], tmp_path: Path) -> None:
    given = filled(words, values(tmp_path))
    parser = cli.build_parser()
    options, files = cli.split_window_files(parser, given)
    args = parser.parse_args(options)  # SystemExit (status 2) fails the test
    assert files == []
    for option, placeholder in GLOBAL.items():
        if option in words:
            value = getattr(args, option.lstrip("-"))
            assert str(value) == values(tmp_path)[placeholder], shlex.join(given)


BATCH = [w for w in all_forms(extremes_only=True) if set(w) & {"import", "analyze", "export"}]


@pytest.mark.slow
@pytest.mark.parametrize("words", BATCH, ids=" ".join)
def test_every_readme_batch_form_runs(words: list[str], tmp_path: Path) -> None:
    """Run on a real database: a one-line error, never a usage error; ``--model NAME``
    reaches the analysis, which names the missing model."""
    given = values(tmp_path)
    Path(given["FILE|DIR"]).write_text(json.dumps({"id": "a1", "text": "Ann said hi."}) + "\n")
    env_db = ["--db", given["PATH"]] if "--db" not in words else []
    if "import" not in words:
        seed = filled(["--db", "PATH", "import", "FILE|DIR", "--collection", "NAME"], given)
        assert _run(seed)[0] == 0
    code, out, err = _run([*env_db, *filled(words, given)])
    if "analyze" in words and "--model" in words:
        assert code == 1 and "'news' is not installed" in err, err  # the name reached it
    else:
        assert code == 0, err
    assert err.count("\n") <= 1 and "usage:" not in err


def _run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_analyze_with_the_model_named_after_the_subcommand(tmp_path: Path) -> None:
    from desktop.nlp.pipeline import installed_pipelines

    models = installed_pipelines()
    if not models:
        pytest.skip("no spaCy pipeline installed")
    db = str(tmp_path / "q.sqlite3")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a1", "text": 'Ann Lee said: "It works."'}) + "\n")
    assert _run(["import", str(source), "--db", db])[0] == 0
    code, out, err = _run(["analyze", "--db", db, "--model", models[0]])
    assert code == 0, err
    assert f"with {models[0]}" in out
