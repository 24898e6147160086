"""The ``quotedesk`` command: the window with no subcommand, batch work with one.

User mistakes (a bad path, an unreadable file, an unknown format, a locked database) end
in one line on stderr and exit status 1, never a traceback. Ctrl+C stops cleanly: every
article is either fully written or untouched, and exports are never left half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import __version__
from desktop.cli_window import (
    desktop_entry_command,
    launch_window,
    split_window_files,
    window_arguments,
)
from desktop.domain.names import one_line

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130
# every subcommand's name (a test keeps it equal to the whole parser's): a command line
# naming one is never a window launch
COMMAND_NAMES = (
    "import", "analyze", "export", "backups", "restore", "train", "models", "sources",
    "stats", "team", "assign", "agreement", "roles",
)  # fmt: skip


def add_window_options(parser: argparse.ArgumentParser) -> None:
    """The options before any subcommand (``cli_window.window_arguments`` parses them alone
    when no subcommand is given)."""
    parser.add_argument(
        "--db",
        help="a SQLite file, or a PostgreSQL URL (postgresql://user@host:5432/dbname; "
        "passwords from ~/.pgpass or PGPASSWORD); default: $QUOTEDESK_DB or the user data "
        "folder",
    )
    parser.add_argument("--model", help="spaCy pipeline to use (default: best installed)")
    parser.add_argument("--open", metavar="ID", help="window: show the article with this id")
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="window: save a picture once the article is analyzed and shown, then exit",
    )
    parser.add_argument(
        "--install-desktop",
        action="store_true",
        help="add Quotedesk to this user's start menu (Linux), pointing at this launcher",
    )
    parser.add_argument(
        "--uninstall-desktop",
        action="store_true",
        help="remove what --install-desktop wrote",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, every subcommand's parser with it (their modules imported)."""
    from desktop import cli_sources, cli_team, cli_training
    from desktop.services import exporting

    parser = argparse.ArgumentParser(
        prog="quotedesk",
        description="Who is mentioned and who said what in news articles.",
    )
    parser.add_argument("--version", action="version", version=f"quotedesk {__version__}")
    add_window_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import files or folders: .txt .html .jsonl (Quotedesk, Prodigy, doccano), "
        ".json (Label Studio), .spacy, .conll, .zip (brat)",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE|DIR")
    p.add_argument("--collection", default="default")

    p = sub.add_parser("analyze", help="run the model where it has not run yet")
    p.add_argument("--collection")
    p.add_argument("--force", action="store_true", help="re-analyze every article")
    p.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="worker processes for the parse (default: one per core; 1: none)",
    )

    p = sub.add_parser("export", help="export articles with their annotations")
    p.add_argument("--format", required=True, choices=exporting.format_names())
    p.add_argument(  # kept as typed: a trailing / means a folder, "-" standard output
        "-o", "--output", required=True, type=_output_path, help='file to write ("-": stdout)'
    )
    p.add_argument("--collection")
    p.add_argument("--reviewed-only", action="store_true")
    p.add_argument("--labels", help="comma-separated entity labels to export (default: all labels)")
    p.add_argument(
        "--human-only", action="store_true", help="only annotations a person made or kept"
    )
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="replace an existing file even when the choices select no article",
    )

    sub.add_parser("backups", help="list the automatic backups of the database, newest first")
    p = sub.add_parser("restore", help="put a backup in place of the database (saved first)")
    p.add_argument("backup", metavar="BACKUP", help="a file from `quotedesk backups`, or latest")
    cli_training.add_parsers(sub)
    cli_sources.add_parsers(sub)
    cli_team.add_parsers(sub)
    _global_options_after_commands(parser, sub)
    return parser


GLOBAL_OPTIONS = ("--db", "--model")


def _global_options_after_commands(
    parser: argparse.ArgumentParser, sub: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """Accept ``--db`` and ``--model`` after the subcommand too (``quotedesk analyze --model
    NAME``, as the README writes it). Their default there is SUPPRESS, so that leaving one out
    after the subcommand keeps what was given before it; given in both places, the later wins."""
    for action in parser._actions:
        if set(action.option_strings) & set(GLOBAL_OPTIONS):
            for command in sub.choices.values():
                added = command.add_argument(
                    *action.option_strings,
                    dest=action.dest,
                    metavar=action.metavar,
                    help=action.help,
                    default=argparse.SUPPRESS,
                )
                added.type = action.type


def _fail(message: str) -> int:
    print(f"quotedesk: {_line(message)}", file=sys.stderr)
    return EXIT_USER_ERROR


def _line(text: object) -> str:
    """What the command line prints: one line whatever a path holds (breaks escaped)."""
    return one_line(str(text), 4000)


def _jobs(value: str) -> int:
    """``--jobs``: a whole number from 1 (argparse turns the error into one line)."""
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1, not {value!r}")
    return int(value)


def _output_path(value: str) -> str:
    return "/dev/stdout" if value == "-" else value


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    # the window's launch is read without the subcommands' parsers and modules; anything
    # else (a subcommand, --help, --version, a mistake) by the whole parser, as before
    args = window_arguments(given, add_window_options, COMMAND_NAMES)
    if args is None:
        parser = build_parser()
        options, files = split_window_files(parser, given)
        for option in options:  # argparse drops a '--' value: `--labels=--` would mean no filter
            if option.startswith("-") and option.endswith("=--"):
                return _fail(f"{option}: '--' is not a value an option can take")
        args = parser.parse_args(options)
        args.files = [Path(name) for name in files]
    if args.install_desktop or args.uninstall_desktop:
        try:
            return desktop_entry_command(args)
        except OSError as exc:
            return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    if args.command is None:
        return launch_window(args)
    from desktop.cli_commands import run

    return run(args)
