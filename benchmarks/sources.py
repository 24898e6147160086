"""Speed of the source records (issue 12): statistics, the sources index, and what linking
adds to analysis, as ratios and times within one run.

    .venv/bin/python benchmarks/sources.py --articles 100000 --workdir /tmp/qd-sources
    .venv/bin/python benchmarks/sources.py --workdir /tmp/qd-sources --linking 200
    .venv/bin/python benchmarks/sources.py --workdir /tmp/qd-sources --write-cost 10000

The database (made once, kept in ``--workdir``) holds generated articles only: short texts of
generated words, 10 quotes each on average (about a million at 100,000 articles), 1-4
sources drawn from 3,000 people and 200 organisations, 20 outlets, three years of dates,
every source linked to its record as the linking rules would (written in bulk here; the
rules themselves are timed in the linking part, on real analyses).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics as pystats
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.domain.linking import name_forms  # noqa: E402
from desktop.domain.people import ArticleFilter, PersonType  # noqa: E402

FIRST = "Ana Tom Lena Ravi Mia Omar Ines Kofi Yuki Sven Lara Ivan Nora Amir Eva Jon".split()
LAST = (
    "Ruiz Berg Okafor Shah Chen Haddad Novak Mensah Tanaka Weber Silva Petrov Osei "
    "Larsen Dubois Varga Kowalski Rahman Fischer Moreau"
).split()
WORDS = "talks budget council said would continue region officials report market".split()
BATCH = 2000


def build(path: Path, n: int, seed: int = 5, revision: str | None = None) -> None:
    """Generate the database (``revision``: its schema brought down to that migration
    first, e.g. without the triggers of a later one)."""
    from desktop.store import Database

    Database.open(path).close()
    if revision is not None:
        from alembic import command

        from desktop.store.database import _alembic_config

        db = Database.open(path, daily_backup=False)
        config = _alembic_config()
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
        db.close()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    stamp = datetime(2026, 11, 1, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    people = [(f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}", "PERSON") for i in range(3000)]
    people += [(f"Agency {i} of Trade", "ORG") for i in range(200)]
    with con:
        con.execute(
            "INSERT INTO collection (id, name, created_at) VALUES (1, 'bench', ?)", (stamp,)
        )
        con.executemany(
            "INSERT INTO person (id, collection_id, key, name, type, role, gender, "
            "gender_origin, aliases, attributes, origin, created_at, updated_at) "
            "VALUES (?, 1, ?, ?, ?, '', ?, ?, '[]', '{}', 'model', ?, ?)",
            [
                (
                    i + 1, f"r-{i:08d}", name, t,
                    rng.choice(("female", "male", None)) if t == "PERSON" else None,
                    rng.choice(("set", "guessed")) if t == "PERSON" else None,
                    stamp, stamp,
                )
                for i, (name, t) in enumerate(people)
            ],
        )  # fmt: skip
        con.executemany(
            "UPDATE person SET gender_origin = NULL WHERE id = ? AND gender IS NULL",
            [(i + 1,) for i in range(len(people))],
        )
        con.executemany(
            "INSERT INTO person_name (person_id, collection_id, form, kind) VALUES (?, 1, ?, ?)",
            [
                (i + 1, form, kind)
                for i, (name, t) in enumerate(people)
                for form, kind in name_forms(name, PersonType(t))
            ],
        )
    day0 = datetime(2023, 1, 1)
    sid = 0
    for first in range(0, n, BATCH):
        arts, srcs, links, quotes = [], [], [], []
        for aid in range(first + 1, min(first + BATCH, n) + 1):
            text = " ".join(rng.choice(WORDS) for _ in range(120))
            published = (day0 + timedelta(minutes=rng.randrange(1_500_000))).isoformat()
            arts.append(
                (aid, f"gen-{aid}", f"Article {aid}", text, f"{aid:064x}", "{}",
                 rng.choice(("unreviewed", "in_review", "reviewed")), published,
                 f"Outlet {rng.randrange(20)}", stamp, stamp)
            )  # fmt: skip
            keys = []
            for k in range(rng.randint(1, 4)):
                sid += 1
                pid = rng.randrange(len(people))
                name, t = people[pid]
                key = f"s{k + 1}"
                srcs.append((sid, aid, key, name, t))
                links.append((aid, key, name, pid + 1))
                keys.append(sid)
            for _ in range(rng.randint(5, 15)):
                start = rng.randrange(0, 500)
                quotes.append((aid, start, start + 40, rng.choice(keys)))
        with con:
            con.executemany(
                "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, "
                "meta, status, published, outlet, analyzed_at, created_at, updated_at, revision)"
                " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 1)",
                [(*a[:9], a[9], a[10]) for a in arts],
            )
            con.executemany(
                "INSERT INTO source (id, article_id, key, name, type, description, origin, "
                "rejected) VALUES (?, ?, ?, ?, ?, '', 'model', 0)",
                srcs,
            )
            con.executemany(
                "INSERT INTO source_link (article_id, source_key, source_name, person_id, "
                "origin, confidence, rule) VALUES (?, ?, ?, ?, 'model', 0.95, 'full_name')",
                links,
            )
            con.executemany(
                'INSERT INTO quote (article_id, start, "end", kind, source_id, origin, '
                "rejected, reason, source_reason, confidence) "
                "VALUES (?, ?, ?, 'direct', ?, 'model', 0, '', '', 0.9)",
                quotes,
            )
        print(f"\r{min(first + BATCH, n)} articles", end="", file=sys.stderr, flush=True)
    con.execute("ANALYZE")
    con.close()
    print(file=sys.stderr)


def median_ms(run: Callable[[], object], times: int = 5) -> float:
    run()  # warm the cache
    taken = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        taken.append((time.perf_counter() - t0) * 1000)
    return pystats.median(taken)


def queries(path: Path, against: tuple[Any, Any] | None = None) -> None:
    from desktop.services import sources, statistics
    from desktop.store import Database, people_queries, people_stats

    db = Database.open(path, daily_backup=False)
    with db.session() as s:
        counts = {
            t: s.connection().exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()  # noqa: S608
            for t in ("article", "quote", "source", "person")
        }
        # about 1,000 articles: ten days
        few = ArticleFilter(date_from="2023-06-01", date_to="2023-06-10")
        in_filter = statistics.totals(db, few).articles
    print(f"database: {counts}; the 1,000-article filter holds {in_filter} articles with quotes")

    def floor() -> None:  # the least any count of the quotes costs: one pass over an index
        with db.session() as s:
            s.connection().exec_driver_sql("SELECT count(*) FROM quote WHERE rejected = 0").one()

    base = median_ms(floor, 3)
    print(f"floor (counting the live quotes from their index alone): {base:.1f} ms")
    whole = ArticleFilter(collection="bench")
    # the same queries as written at another revision (``--against``), asserted equal first
    old_stats, old_queries = (people_stats, people_queries) if against is None else against

    def before(by: str) -> Callable[[], object]:
        def run() -> object:
            with db.session() as s:
                return old_stats.stats(s, by, whole)

        return run

    def before_page(sort: str) -> Callable[[], object]:
        def run() -> object:
            with db.session() as s:
                return old_queries.record_page(s, whole, "", sort, True, 0, sources.PAGE)

        return run

    for by in statistics.GROUPINGS:
        assert before(by)() == statistics.stats(db, by, whole), by
        a = median_ms(lambda by=by: statistics.stats(db, by, whole), 3)
        old = median_ms(before(by), 3) if against else a
        b = median_ms(lambda by=by: statistics.stats(db, by, few))
        print(
            f"stats by {by:7}: whole {a:7.1f} ms (<= 1000; x{a / base:.1f} the floor; "
            f"--against {old:.0f} ms, x{a / old:.2f}), filter {b:6.1f} ms (<= 200)"
        )
    for sort in ("quotes", "name"):
        assert before_page(sort)() == sources.record_page(db, whole, sort=sort), sort
        c = median_ms(lambda sort=sort: sources.record_page(db, whole, sort=sort), 3)
        old = median_ms(before_page(sort), 3) if against else c
        print(
            f"index first page by {sort}: {c:.1f} ms (<= 300; x{c / base:.1f} the floor; "
            f"--against {old:.0f} ms, x{c / old:.2f})"
        )
    d = median_ms(lambda: sources.record_page(db, whole, search="lena"), 3)
    print(f"index first page, search 'lena': {d:.1f} ms")
    db.close()


SPEECH = ("said", "told reporters", "warned", "added")


SYLLABLES = "ka lo mi ren tu sa vel dor an ith ur pe zin bro tal mek sun fa ri gon".split()


def surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def news_text(rng: random.Random, cast: list[tuple[str, str]]) -> str:
    """A short generated news story quoting a few people by full name, then by surname."""
    parts = []
    for first, last in cast:
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        parts.append(f"{first} {last}, a council official, {rng.choice(SPEECH)} the {words}.")
        parts.append(f'"The {words} will not wait," {last} said.')
    return "\n\n".join(parts)


def linking_share(workdir: Path, n: int) -> None:
    """What linking adds to analysis: the real analysis of ``n`` generated stories into a
    collection that already has the benchmark's 3,200 records, timing the linking apart."""
    import json

    from desktop.services import analysis, importing
    from desktop.store import Database, repository

    path = workdir / "linking.sqlite3"
    for old in workdir.glob("linking.sqlite3*"):
        old.unlink()
    db = Database.open(path, daily_backup=False)
    rng = random.Random(3)
    with db.transaction() as s:
        from desktop.store.people import add_person

        coll = repository.collection(s, "bench")
        known = [(rng.choice(FIRST), surname(rng)) for _ in range(3200)]
        for first, last in known:
            add_person(s, coll, f"{first} {last}", PersonType.PERSON)
    src = workdir / "linking.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(n):
            # two people the collection knows, one it does not
            cast = [rng.choice(known), rng.choice(known), (rng.choice(FIRST), surname(rng))]
            fh.write(json.dumps({"id": f"story-{i}", "text": news_text(rng, cast)}) + "\n")
    importing.import_paths(db, [src], collection="bench")
    from desktop.store import people

    spent = [0.0]
    real = people.link_article

    def timed(session: object, article_id: int) -> object:
        t0 = time.perf_counter()
        try:
            return real(session, article_id)  # type: ignore[arg-type]
        finally:
            spent[0] += time.perf_counter() - t0

    people.link_article = timed  # type: ignore[assignment]
    analysis.load_model()  # loaded before the clock starts, as in a long session
    t0 = time.perf_counter()
    report = analysis.analyze(db, collection="bench", jobs=1)
    total = time.perf_counter() - t0
    people.link_article = real  # type: ignore[assignment]
    with db.session() as s:
        links = s.connection().exec_driver_sql("SELECT count(*) FROM source_link").scalar()
    db.close()
    print(
        f"linking: {report.analyzed} stories analyzed in {total:.1f} s, of which linking "
        f"{spent[0] * 1000:.0f} ms ({100 * spent[0] / total:.1f}% of the analysis; target "
        f"<= 5%); {links} links"
    )


def write_cost(workdir: Path, n: int) -> None:
    """What the triggers of migration 0011 add to writing: the same generated database of
    ``n`` articles (articles, sources, links, quotes in bulk, as analyses write them) built
    at the head and at 0010, alternately, three times each."""
    taken: dict[str, list[float]] = {"head": [], "0010": []}
    for _ in range(3):
        for rev in ("head", "0010"):
            path = workdir / f"write-{rev}.sqlite3"
            for old in workdir.glob(f"write-{rev}.sqlite3*"):
                old.unlink()
            t0 = time.perf_counter()
            build(path, n, revision=None if rev == "head" else rev)
            taken[rev].append(time.perf_counter() - t0)
    head, old = pystats.median(taken["head"]), pystats.median(taken["0010"])
    print(f"writing {n} articles: head {head:.1f} s, at 0010 {old:.1f} s: x{head / old:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/qd-sources"))
    parser.add_argument(
        "--linking", type=int, metavar="N", help="only measure linking on N analyzed stories"
    )
    parser.add_argument(
        "--write-cost", type=int, metavar="N", help="only time writing N articles, head vs 0010"
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also time the statistics and the index as written at git revision REV",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.linking:
        linking_share(args.workdir, args.linking)
        return
    if args.write_cost:
        write_cost(args.workdir, args.write_cost)
        return
    path = args.workdir / f"sources-{args.articles}.sqlite3"
    if not path.exists():
        t0 = time.perf_counter()
        build(path, args.articles)
        print(f"built {path} in {time.perf_counter() - t0:.0f} s")
    queries(path, old_modules(args.against) if args.against else None)


def old_modules(rev: str) -> tuple[ModuleType, ModuleType]:
    """``people_stats`` and ``people_queries`` as they were at ``rev`` (read with git show)."""
    import importlib.util
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parents[1]
    out = []
    for name in ("people_stats", "people_queries"):
        text = subprocess.run(
            ["git", "show", f"{rev}:desktop/store/{name}.py"],  # noqa: S607
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        path = Path(tempfile.mkdtemp()) / f"{name}_at_rev.py"
        path.write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"{name}_at_rev", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out.append(module)
    return out[0], out[1]


if __name__ == "__main__":
    main()
