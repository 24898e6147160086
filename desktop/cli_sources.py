"""``quotedesk sources`` and ``quotedesk stats``: the records and the numbers of
``services.sources`` and ``services.statistics``, the same the window shows.

Both print to standard output (``-o FILE`` writes a file whole, as exports do): ``sources``
as CSV (default) or JSON, a list of objects with ``id``, ``key``, ``name``, ``type``,
``aliases``, ``quotes`` and ``articles`` (counts) and the record's other fields; ``stats``
as CSV (the window's CSV, ``services.charts.rows_csv``), JSON (``statistics.row_dict``) or
PNG (the window's chart in its light or, with ``--theme dark``, dark colours; ``-o`` or a
pipe required).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

from desktop.domain import record_dicts
from desktop.domain.people import ArticleFilter, RecordSummary
from desktop.services import sources, statistics
from desktop.services.progress import ProgressFn
from desktop.store import Database

SOURCE_COLUMNS = (
    "id", "key", "name", "type", "aliases", "role", "gender", "gender_origin", "quotes",
    "articles", "outlets", "first", "last", "attributes",
)  # fmt: skip


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-11-30, not {value!r}") from None


def _filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--collection")
    p.add_argument("--outlet", help="only articles of this outlet")
    p.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE")
    p.add_argument("--status", choices=["unreviewed", "in_review", "reviewed"])
    p.add_argument("--search", default="", help="only articles whose title or text has it")
    p.add_argument("-o", "--output", metavar="FILE", help="write a file instead of printing")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sources", help="the collection-wide source records and their counts")
    _filter_options(p)
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument(
        "--link",
        action="store_true",
        help="first link the sources of articles imported with annotations",
    )
    p.add_argument(
        "--guess-gender",
        action="store_true",
        help="first guess, from first names, the gender of records that have none",
    )
    p.add_argument(
        "--ambiguous",
        action="store_true",
        help="list the sources left unlinked between several records instead",
    )
    p = sub.add_parser("stats", help="quotes, sources and articles by source, type, gender...")
    _filter_options(p)
    p.add_argument("--by", required=True, choices=statistics.GROUPINGS)
    p.add_argument("--format", choices=["csv", "json", "png"], default="csv")
    p.add_argument(
        "--theme",
        choices=["light", "dark"],
        help="the colours of a PNG: light (the default) or dark, as the window draws them",
    )


def article_filter(args: Any) -> ArticleFilter:
    return ArticleFilter(
        collection=args.collection,
        outlet=args.outlet,
        date_from=args.date_from,
        date_to=args.date_to,
        status=args.status,
        search=args.search or "",
    )


def _check_collection(db: Database, name: str | None) -> None:
    from desktop.services import library

    if name is not None:
        known = library.collection_names(db)
        if name not in known:
            listed = ", ".join(repr(n) for n in known) or "none yet"
            raise sources.RecordError(f"there is no collection {name!r} (known: {listed})")


def record_dict(row: RecordSummary) -> dict[str, Any]:
    """A record as ``sources --format json`` prints it: the JSONL's fields of it (with the
    database id as ``id`` and the exchange key as ``key``) and its counts."""
    p = row.person
    file = record_dicts.record_dict(p)
    described = ("name", "type", "aliases", "role", "gender", "gender_origin")
    return {
        "id": p.id,
        "key": p.key,
        **{name: file[name] for name in described},
        "quotes": row.quotes,
        "articles": row.articles,
        "outlets": row.outlets,
        "first": row.first_date,
        "last": row.last_date,
        "attributes": file["attributes"],
    }


def all_records(db: Database, f: ArticleFilter) -> Iterator[RecordSummary]:
    """Every record under the filter, most quoted first, a page at a time."""
    offset = 0
    while True:
        page = sources.record_page(db, f, offset=offset, limit=1000)
        yield from page.rows
        offset += len(page.rows)
        if not page.rows or offset >= page.total:
            return


def _emit(args: Any, data: str | bytes) -> None:
    if args.output:
        from desktop.services.export_target import write_export_file

        write_export_file(args.output, data)
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.write(data)


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    from desktop.formats.csvtable import neutralise

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_cell(v)) for v in row])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def sources_command(db: Database, args: Any, progress: ProgressFn) -> int:
    from desktop.cli_signals import stop_token

    _check_collection(db, args.collection)
    f = article_filter(args)
    if args.link:
        n = sources.link_collection(db, args.collection, progress, stop_token(args))
        print(f"linked {n} source(s)", file=sys.stderr)
    if args.guess_gender:
        if not args.collection:
            raise sources.RecordError("--guess-gender needs --collection")
        edit = sources.RecordEditor(db).guess_genders(args.collection)
        print(f"guessed the gender of {len(edit.result)} record(s)", file=sys.stderr)
    if args.ambiguous:
        found: list[dict[str, Any]] = [
            {
                "article": a.external_id,
                "source_key": a.source_key,
                "source": a.source_name,
                "candidates": [{"id": p.id, "name": p.name} for p in a.candidates],
            }
            for a in sources.ambiguous(db, f)
        ]
        if args.format == "json":
            _emit(args, json.dumps(found, ensure_ascii=False, indent=1) + "\n")
        else:
            rows = [
                [a["article"], a["source_key"], a["source"], [c["name"] for c in a["candidates"]]]
                for a in found
            ]
            _emit(args, _csv(["article", "source_key", "source", "candidates"], rows))
        return 0
    records = [record_dict(r) for r in all_records(db, f)]
    if args.format == "json":
        _emit(args, json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    else:
        _emit(args, _csv(list(SOURCE_COLUMNS), [[r[c] for c in SOURCE_COLUMNS] for r in records]))
    return 0


def stats_command(db: Database, args: Any, progress: ProgressFn) -> int:
    from desktop.services import charts

    theme = getattr(args, "theme", None)
    if theme is not None and args.format != "png":
        raise sources.RecordError(f"--theme is for a picture (--format png), not {args.format}")
    _check_collection(db, args.collection)
    rows = statistics.stats(db, args.by, article_filter(args))
    if args.format == "json":
        data = [statistics.row_dict(r) for r in rows]
        _emit(args, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "csv":
        _emit(args, charts.rows_csv(args.by, rows))
    else:
        if not args.output and sys.stdout.isatty():
            raise sources.RecordError("a PNG is not for the terminal: give -o FILE.png")
        _emit(args, charts.chart_bytes(args.by, rows, charts.THEMES[theme or "light"], "png"))
    return 0
