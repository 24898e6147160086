"""``quotedesk agreement``, ``assign`` and ``team``: the command line over services.team.

``agreement`` prints one row per annotator pair, layer and label (JSON: a list of objects;
CSV: a header and one line each). ``assign`` gives articles to annotators, by hand or in
turn; ``team`` shows and sets a collection's annotation mode. Export's ``--layer`` option
is read here too. The connection's annotator is ``$QUOTEDESK_ANNOTATOR`` or the OS user.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import fields
from typing import Any

from desktop.domain.names import one_line
from desktop.services import agreement, team
from desktop.services.exporting import ExportError
from desktop.services.progress import ProgressFn
from desktop.store import Database

EXIT_USER_ERROR = 1


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The team's commands, and ``--layer`` on export (which must be defined already)."""
    add_layer_option(sub.choices["export"])
    p = sub.add_parser(
        "agreement", help="agreement between the annotators' layers, per pair, layer and label"
    )
    p.add_argument("--collection")
    p.add_argument("--format", choices=["json", "csv"], default="json")

    p = sub.add_parser("assign", help="assign a collection's articles to annotators")
    p.add_argument("--collection", required=True)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--round-robin", metavar="NAMES", help="comma-separated annotators, dealt out in turn"
    )
    how.add_argument("--to", metavar="NAME", help="one annotator (with --ids, or every article)")
    p.add_argument("--ids", help="comma-separated article ids (with --to)")
    p.add_argument(
        "--per-article",
        type=_whole,
        metavar="N",
        help="annotators per article (default: the collection's setting)",
    )

    p = sub.add_parser(
        "roles", help="PostgreSQL: a login role for an annotator (the server guards layers)"
    )
    p.add_argument("--add", required=True, metavar="NAME", help="the annotator's name")
    p.add_argument("--curator", action="store_true", help="may read and write every layer")

    p = sub.add_parser("team", help="show or set a collection's annotation mode and assignments")
    p.add_argument("--collection", required=True)
    p.add_argument("--mode", choices=list(team.MODES))
    p.add_argument("--per-article", type=_whole, metavar="N")


def add_layer_option(p: argparse.ArgumentParser) -> None:
    """Export's ``--layer curated|model|shared|annotator NAME``."""
    p.add_argument(
        "--layer",
        nargs="+",
        metavar="LAYER",
        help="whose version: curated, model, shared or annotator NAME (default: the curated "
        "version where there is one, else the shared layer)",
    )


def layer_options(args: Any) -> dict[str, str | None]:
    """``exporting.export``'s ``layer`` and ``annotator`` from ``--layer``."""
    layer, annotator = layer_of(args)
    return {"layer": layer, "annotator": annotator}


def layer_of(args: Any) -> tuple[str | None, str | None]:
    """The ``--layer`` choice as (layer, annotator); a wrong one is an ExportError."""
    given = getattr(args, "layer", None)
    if not given:
        return None, None
    if given[0] == "annotator" and len(given) == 2:
        return "annotator", given[1]
    if len(given) == 1 and given[0] in ("curated", "model", "shared"):
        return given[0], None
    raise ExportError(
        f"--layer takes curated, model, shared or annotator NAME, not {' '.join(given)!r}"
    )


def _whole(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1, not {value!r}")
    return int(value)


def _fail(message: str) -> int:
    print(f"quotedesk: {one_line(message, 4000)}", file=sys.stderr)
    return EXIT_USER_ERROR


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def agreement_command(db: Database, args: Any, progress: ProgressFn) -> int:
    try:
        rows = agreement.collection_agreement(db, args.collection)
    except agreement.AgreementError as exc:
        return _fail(str(exc))
    if not rows:
        where = f"collection {args.collection!r}" if args.collection else "the database"
        print(f"quotedesk: {where} has no article that two annotators annotated", file=sys.stderr)
    names = [f.name for f in fields(agreement.AgreementRow)]
    out = [
        {k: _number(v) if isinstance(v, float) else v for k, v in row.as_dict().items()}
        for row in rows
    ]
    if args.format == "json":
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    return 0


def assign_command(db: Database, args: Any, progress: ProgressFn) -> int:
    by = team.connection_annotator()
    try:
        if args.round_robin is not None:
            names = [n.strip() for n in args.round_robin.split(",") if n.strip()]
            if not names:
                return _fail("--round-robin needs at least one annotator's name")
            new = team.assign_round_robin(db, args.collection, names, by, args.per_article)
            print(f"assigned {len(new)} article(s) to {', '.join(names)} in turn")
            return 0
        given = [x.strip() for x in args.ids.split(",") if x.strip()] if args.ids else None
        ids = team.article_ids(db, args.collection, given)
        count = team.assign(db, ids, args.to, by)
    except team.TeamError as exc:
        return _fail(str(exc))
    print(f"assigned {count} article(s) to {args.to} ({len(ids) - count} were theirs already)")
    return 0


def team_command(db: Database, args: Any, progress: ProgressFn) -> int:
    try:
        if args.mode is not None or args.per_article is not None:
            now = team.project_state(db, args.collection)
            team.set_mode(
                db, args.collection, args.mode or now.mode, args.per_article or now.per_article
            )
        state = team.project_state(db, args.collection)
    except team.TeamError as exc:
        return _fail(str(exc))
    print(
        f"{args.collection}: {state.mode} annotation, {state.per_article} annotator(s) per article"
    )
    for name, count in state.load.items():
        print(f"  {name}: {count} article(s)")
    print(f"  not assigned: {state.unassigned} of {state.articles} article(s)")
    return 0


def roles_command(db: Database, args: Any, progress: ProgressFn) -> int:
    try:
        team.add_server_person(db, args.add, args.curator)
    except team.TeamError as exc:
        return _fail(str(exc))
    what = "curator" if args.curator else "annotator"
    print(f"{args.add} may now log in as an {what}; give them a password on the server")
    return 0


COMMANDS = {
    "agreement": agreement_command,
    "assign": assign_command,
    "roles": roles_command,
    "team": team_command,
}
