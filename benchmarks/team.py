"""Team load test on PostgreSQL: annotators editing at once while a curator curates, and
annotators killed mid-edit; nothing may be lost.

    .venv/bin/python benchmarks/team.py                       # 10 annotators for 60 s, 100 kills
    .venv/bin/python benchmarks/team.py --seconds 20 --kills 10

A throwaway cluster (``tests/pg_cluster.py``: a temporary folder, a Unix socket, durability
off) holds two collections of generated articles (``tests/reliability/teamkit.py``): one
shared, one parallel (each article dealt to two annotators). Each annotator is its own
process, logged in as its own role (row-level security holds it to its layer; the curator
has a curator's role), editing through ``LayerEditor``, the window's editor: half its edits
go to shared articles (where the others' edits make it reload: a conflict), half to its own
layers; the curator saves annotator versions as curated ones meanwhile. At the end every
edit a process was told succeeded must be in the database, no refused one may be, and
every layer's entities and revision must match its edit history; the curated layers'
revisions must count the curator's saves. Then the kill loop: an annotator is started,
edits, and is killed with SIGKILL at a random moment, ``--kills`` times, the same checks
after each kill.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pg_cluster import Cluster  # noqa: E402
from tests.reliability import teamkit  # noqa: E402

DATABASE_STATS = (
    "SELECT xact_commit, xact_rollback, deadlocks, conflicts, tup_inserted, tup_updated, "
    "tup_deleted FROM pg_stat_database WHERE datname = %s"
)
TABLE_STATS = (
    "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd FROM pg_stat_user_tables "
    "WHERE relname IN ('article', 'entity', 'edit', 'annotation_layer') ORDER BY relname"
)


def stats(cluster: Cluster, name: str) -> dict[str, Any]:
    """The database's and the busy tables' counters, as pg_stat has them now."""
    import psycopg

    time.sleep(1.0)  # backends flush their counters at most a second late
    with psycopg.connect(host=str(cluster.socket), user="postgres", dbname=name) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(DATABASE_STATS, (name,)).fetchone()
        assert row is not None
        keys = ("xact_commit", "xact_rollback", "deadlocks", "conflicts", "tup_inserted",
                "tup_updated", "tup_deleted")  # fmt: skip
        found: dict[str, Any] = dict(zip(keys, row, strict=True))
        for rel, ins, upd, dele, hot in conn.execute(TABLE_STATS):
            found[rel] = {"n_tup_ins": ins, "n_tup_upd": upd, "n_tup_del": dele, "hot": hot}
    return found


def delta(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    return {
        k: delta(v, before.get(k, {})) if isinstance(v, dict) else v - before.get(k, 0)
        for k, v in after.items()
    }


def curated_check(url: str, log: Path) -> tuple[int, int, list[str]]:
    """(saves, conflicts, mismatches): each curated layer's revision counts its saves."""
    from collections import Counter

    from desktop.services import team
    from desktop.store import Database

    lines = teamkit.read_log(log)
    saves = Counter(int(p[1]) for p in lines if p[0] == "saved")
    conflicts = sum(1 for p in lines if p[0] == "conflict")
    db = Database.open(url)
    wrong = []
    for article_id, n in saves.items():
        version = team.curated(db, article_id)
        if version is None or version.revision != n:
            got = None if version is None else version.revision
            wrong.append(f"article {article_id}: {n} saves, curated revision {got}")
    db.close()
    return sum(saves.values()), conflicts, wrong


def load(
    cluster: Cluster, folder: Path, people: int, seconds: float, articles: int, shared: int
) -> bool:
    cluster.execute("CREATE DATABASE team_load")
    url = cluster.url("team_load")
    names = teamkit.annotators(people)
    teamkit.populate(url, names, articles, shared, roles=True)
    before = stats(cluster, "team_load")
    logs = [folder / f"load-{n}.log" for n in names]
    started = time.monotonic()
    procs = [
        teamkit.spawn_annotator(cluster.url("team_load", n), n, i, logs[i], 100 + i, seconds)
        for i, n in enumerate(names)
    ]
    curator_log = folder / "load-curator.log"
    procs.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.teamkit",
                "curate",
                cluster.url("team_load", teamkit.CURATOR),
                str(curator_log),
                str(seconds),
            ],
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )  # fmt: skip
    )
    failed = []
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            failed.append(err.decode(errors="replace")[-1500:])
    elapsed = time.monotonic() - started
    after = stats(cluster, "team_load")
    outcome = teamkit.check(url, logs)
    saves, curator_conflicts, wrong = curated_check(url, curator_log)
    tries = sum(1 for log in logs for p in teamkit.read_log(log) if p[0] == "try")
    own = sum(1 for log in logs for p in teamkit.read_log(log) if p[0] == "ok" and p[2] != "-")
    print(
        f"load: {people} annotators + 1 curator for {seconds:.0f} s ({elapsed:.1f} s with start-up)"
    )
    print(f"  edits tried {tries}: {outcome.ok} saved ({outcome.ok / seconds:.1f}/s; "
          f"{own} in own layers, {outcome.ok - own} shared), {outcome.conflicts} conflicts "
          f"reported ({tries / seconds:.1f} tries/s)")  # fmt: skip
    print(f"  curator: {saves} curated saves, {curator_conflicts} conflicts")
    print(
        f"  lost {len(outcome.lost)}, refused-but-written {len(outcome.written)}, layers "
        f"unlike their history {len(outcome.broken)}, curated mismatches {len(wrong)}"
    )
    print(f"  pg_stat (during the run): {delta(after, before)}")
    for line in (outcome.lost + outcome.written + outcome.broken + wrong)[:20]:
        print(f"    {line}")
    for err in failed:
        print(f"  a process failed:\n{err}")
    return outcome.sound and not wrong and not failed and tries == outcome.ok + outcome.conflicts


def kills(cluster: Cluster, folder: Path, count: int, seed: int, max_delay: float) -> bool:
    cluster.execute("CREATE DATABASE team_kill")
    url = cluster.url("team_kill")
    teamkit.populate(url, teamkit.annotators(2), articles=10, roles=True)
    started = time.monotonic()
    report = teamkit.run_kills(
        url, folder, count, seed, max_delay, url_for=lambda name: cluster.url("team_kill", name)
    )
    outcome = report.outcome
    print(f"kills: {report.kills} of {count} in {time.monotonic() - started:.0f} s "
          f"({report.mid_edit} between an edit's start and its answer); edits reported "
          f"saved {outcome.ok}, conflicts {outcome.conflicts}")  # fmt: skip
    print(f"  lost {len(outcome.lost)}, refused-but-written {len(outcome.written)}, "
          f"layers unlike their history {len(outcome.broken)}")  # fmt: skip
    for line in (outcome.lost + outcome.written + outcome.broken)[:20]:
        print(f"    {line}")
    for err in report.errors:
        print(f"  an annotator ended by itself:\n{err}")
    return outcome.sound and report.kills == count and not report.errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--articles", type=int, default=20, help="in the parallel collection")
    parser.add_argument("--shared", type=int, default=5, help="in the shared collection")
    parser.add_argument("--kills", type=int, default=100, help="0: no kill loop")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=1.0, help="seconds before a kill")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quotedesk-team-"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores; logs in {folder}")  # fmt: skip
    cluster = Cluster().start()
    try:
        good = args.seconds <= 0 or load(cluster, folder, args.annotators, args.seconds,
                                         args.articles, args.shared)  # fmt: skip
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.kills:
            good = kills(cluster, folder, args.kills, args.seed, args.max_delay) and good
            print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        cluster.stop()
    print("PASS" if good else "FAIL")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
