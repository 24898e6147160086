"""Who annotates: the rule for an annotator's name, and round-robin assignment.

An annotator's name travels in JSONL records (``"annotator"``), on the command line
(``--layer annotator NAME``), in edit-history rows and, on PostgreSQL, in role names: one
printable line of 1-200 characters, not only spaces, not starting with ``-``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from desktop.domain.names import InvalidName, shown

MAX_ANNOTATOR_CHARS = 200


def check_annotator(name: object) -> str:
    """``name`` if it may name an annotator, else InvalidName saying why."""
    if not isinstance(name, str):
        raise InvalidName(f"an annotator's name must be text, not {type(name).__name__}")
    if not name.strip():
        raise InvalidName("an annotator needs a name")
    if len(name) > MAX_ANNOTATOR_CHARS:
        raise InvalidName(
            f"annotator name {shown(name)} is longer than {MAX_ANNOTATOR_CHARS} characters"
        )
    if name != name.strip():
        raise InvalidName(f"annotator name {shown(name)} starts or ends with a space")
    if name.startswith("-"):
        raise InvalidName(f"annotator name {shown(name)} starts with '-' (read as an option)")
    for ch in name:
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
            raise InvalidName(f"annotator name {shown(name)} holds an invisible character")
    return name


def round_robin(
    have: Mapping[int, Sequence[str]], annotators: Sequence[str], per_article: int
) -> list[tuple[int, str]]:
    """New (article id, annotator) assignments so each article has ``per_article``
    annotators (or all of them, when there are fewer), dealt out in turn.

    Existing assignments stay and count; the turn goes on from where it stopped, and an
    annotator is never given the same article twice, so the work spreads evenly.
    """
    if not annotators:
        return []
    wanted = min(per_article, len(annotators))
    load = {name: 0 for name in annotators}
    for names in have.values():
        for name in names:
            if name in load:
                load[name] += 1
    out: list[tuple[int, str]] = []
    turn = 0
    for article_id in sorted(have):
        taken = set(have[article_id])
        need = wanted - len(taken & set(annotators))
        for _ in range(max(need, 0)):
            free = [a for a in annotators if a not in taken]
            # the least loaded free annotator; ties go to the next in turn
            pick = min(
                free,
                key=lambda a: (load[a], (annotators.index(a) - turn) % len(annotators)),
            )
            out.append((article_id, pick))
            taken.add(pick)
            load[pick] += 1
            turn = (annotators.index(pick) + 1) % len(annotators)
    return out
