"""The window's side of the command line: files given to open (how menus and file managers
start Quotedesk) and the start-menu entry (``--install-desktop``, ``--uninstall-desktop``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


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
