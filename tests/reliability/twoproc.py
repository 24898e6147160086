"""One of two Quotedesk processes writing to the same database at once (see
``test_two_processes.py``). Prints a JSON summary of what it saved and what it was refused.

    python -m tests.reliability.twoproc DB NAME EDITS SEED
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path


def main(db_path: Path, name: str, edits: int, seed: int) -> None:
    from sqlalchemy import select

    from desktop.domain import Article
    from desktop.services.editing import Editor
    from desktop.store import Database, StoreError
    from desktop.store import repository as repo
    from desktop.store.errors import ConflictError
    from desktop.store.models import ArticleRow

    rnd = random.Random(seed)
    db = Database.open(db_path)
    editor = Editor(db, user=name)
    saved: list[int] = []
    conflicts = 0
    errors: list[str] = []
    imported = 0
    with db.session() as s:
        article_id, text = s.execute(
            select(ArticleRow.id, ArticleRow.text).where(ArticleRow.external_id == "shared")
        ).one()
    words = [(i, i + 4) for i in range(0, len(text) - 4, 5)]
    # start together: tell the parent this process is ready, wait for its go
    Path(f"{db_path}.ready-{name}").touch()
    go = Path(f"{db_path}.go")
    deadline = time.monotonic() + 120
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    for n in range(edits):
        with db.session() as s:
            revision = s.scalar(select(ArticleRow.revision).where(ArticleRow.id == article_id))
        time.sleep(rnd.uniform(0, 0.004))  # the other process may save in between
        start, end = rnd.choice(words)
        try:
            result = editor.add_entity(article_id, revision, start, end, rnd.choice(["ORG", "GPE"]))
            saved.append(result.after.revision)
        except ConflictError:
            conflicts += 1
        except StoreError as exc:  # e.g. "database is locked": must not happen
            errors.append(f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails
            errors.append(f"{type(exc).__name__}: {exc}")
        if n % 5 == 0:  # imports go on at the same time
            try:
                with db.transaction() as s:
                    coll = repo.collection(s, name)
                    text_n = f"Article {n} imported by {name}. " * 20
                    if repo.add_article(s, coll, Article(f"{name}-{n}", text_n)) is not None:
                        imported += 1
            except Exception as exc:  # noqa: BLE001
                errors.append(f"{type(exc).__name__}: {exc}")
    db.close()
    print(
        json.dumps({"saved": saved, "conflicts": conflicts, "errors": errors, "imported": imported})
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
