"""The window's side of the command line: its launch read without the subcommands (issue
16), files given to open (how menus and file managers start Quotedesk) and the start-menu
entry (``--install-desktop``, ``--uninstall-desktop``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn


class _NotAWindowLaunch(Exception):
    """What the light parser raises where argparse would print a message and exit."""


class _WindowParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotAWindowLaunch(message)


def window_arguments(
    argv: Sequence[str],
    add_options: Callable[[argparse.ArgumentParser], None],
    commands: Sequence[str],
) -> argparse.Namespace | None:
    """``argv`` parsed as a window launch (no subcommand), with the top-level options alone;
    None for anything else (a subcommand, ``--help``, ``--version``, a mistake, a ``=--``
    value), which the whole parser then reads and answers exactly as before."""
    parser = _WindowParser(prog="quotedesk", add_help=False)
    add_options(parser)
    sub = parser.add_subparsers(dest="command")
    for name in commands:  # so that the split below sees a subcommand as the whole one does
        sub.add_parser(name, add_help=False)
    options, files = split_window_files(parser, argv)
    if any(o.startswith("-") and o.endswith("=--") for o in options):
        return None
    try:
        args = parser.parse_args(options)
    except _NotAWindowLaunch:
        return None
    if args.command is not None:
        return None
    args.files = [Path(name) for name in files]
    return args


def launch_window(args: argparse.Namespace) -> int:
    """Start the window (``ui.app.run_app``). Before Qt, the first screen is read with the
    settings' defaults (``services.first_screen``): when it can be, the window shows it
    before the store opens; else the store and the services are loaded now, before Qt
    (``ui/preload.py``), for the full path."""
    hint = None
    if not args.files:
        from desktop.paths import default_db
        from desktop.services.first_screen import FIRST_PAGE, first_screen

        hint = first_screen(args.db or default_db(), args.open, "", FIRST_PAGE)
    if hint is None:
        from desktop.ui import preload  # noqa: F401  the store before Qt: see ui/preload.py
    from desktop.ui.app import run_app

    return run_app(args, hint)


def split_window_files(
    parser: argparse.ArgumentParser, argv: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Split ``quotedesk [OPTIONS] FILE...`` (how menus open files) into options and files.

    argparse cannot take files and subcommands in the same place, so the files are taken out
    first; a command line naming a subcommand is returned unchanged.
    """
    commands: set[str] = set()
    takes_value: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands.update(action.choices)
        elif action.option_strings and action.nargs != 0:
            takes_value.update(action.option_strings)
    options: list[str] = []
    files: list[str] = []
    rest = iter(argv)
    for arg in rest:
        if arg == "--":
            files.extend(rest)
        elif arg.startswith("-") and arg != "-":
            options.append(arg)
            if arg in takes_value:
                value = next(rest, None)
                if value is not None:
                    options.append(value)
        elif not files and arg in commands:
            return list(argv), []
        else:
            files.append(arg)
    return options, files


def desktop_entry_command(args: argparse.Namespace) -> int:
    from desktop.ui import desktop_entry

    if args.uninstall_desktop:
        report = desktop_entry.uninstall()
        for path in report.kept:
            print(f"quotedesk: kept {path}: it was changed after it was installed", file=sys.stderr)
        print(f"removed {len(report.removed)} file(s) and folder(s) from the start menu set-up")
        return 0
    report = desktop_entry.install()
    for path in report.written:
        print(f"wrote {path}")
    if report.tools:
        print(f"refreshed the caches with {', '.join(report.tools)}")
    return 0
