"""The window's launch is read without the subcommands (issue 16): ``cli_window``'s light
parser must read every command line exactly as the whole parser does, or hand it over.

For any command line: when the whole parser reads it as a window launch (no subcommand, no
mistake, no ``--help``/``--version``), the light parser gives the very same namespace;
otherwise it gives None and the whole parser answers as before."""

from __future__ import annotations

import argparse
import contextlib
import io
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.cli_window import split_window_files, window_arguments


@cache
def whole_parser() -> argparse.ArgumentParser:
    return cli.build_parser()


def read_by_whole(argv: list[str]) -> argparse.Namespace | None:
    """What the whole parser makes of ``argv`` (None where it prints and exits)."""
    parser = whole_parser()
    options, files = split_window_files(parser, argv)
    if any(o.startswith("-") and o.endswith("=--") for o in options):
        return None
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(options)
    except SystemExit:
        return None
    args.files = [Path(name) for name in files]
    return args


def read_light(argv: list[str]) -> argparse.Namespace | None:
    return window_arguments(argv, cli.add_window_options, cli.COMMAND_NAMES)


def test_the_command_names_are_the_whole_parsers() -> None:
    (sub,) = [a for a in whole_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(cli.COMMAND_NAMES) == sorted(sub.choices)


def test_a_window_launch_is_read_light() -> None:
    argv = ["--db", "my.db", "--open", "an-id", "--screenshot", "shot.png", "a.txt"]
    light = read_light(argv)
    assert light is not None
    assert light == read_by_whole(argv)
    assert light.files == [Path("a.txt")] and light.command is None


TOKENS = st.sampled_from(
    [
        "--db", "--model", "--open", "--screenshot", "--install-desktop",
        "--uninstall-desktop", "-h", "--help", "--version", "--ver", "--scr", "--op", "--",
        "--bogus", "-x", "--db=a.db", "--open=", "--labels=--", "--db=--", "-", "import",
        "analyze", "export", "stats", "backups", "restore", "team", "a.txt", "dir/",
        "x y", "é.png", "--force", "--format", "jsonl",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS | st.text(max_size=6), max_size=7))
def test_the_light_parser_reads_as_the_whole_one_or_hands_over(argv: list[str]) -> None:
    whole = read_by_whole(argv)
    light = read_light(argv)
    if whole is not None and whole.command is None:
        assert light == whole
    else:
        assert light is None
