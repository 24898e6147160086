"""Calibrated confidences: how often each decision rule is right on annotated news.

Every statement carries the rule that found it (``Found.rule``: "direct.cue_after",
"reported.ccomp", ...) and the rule that chose its source (``Found.source_rule``:
"name.partial", "pronoun.spoke_last", ...).  ``resources/attribution_confidence.json`` holds,
per rule (for quotes, the rule and whether its cue is "say"/"tell", another cue or none), how
many such decisions were checked against annotated articles and how many were right
(written by ``benchmarks/calibration.py --fit``).  A confidence is that fraction, shrunk
toward the fraction of the rule's family ("pronoun" for "pronoun.nearest.far") in
proportion to how few decisions back it: ``(right + k * family) / (n + k)``.  So a
confidence of 0.9 means "of the decisions made this way, nine in ten were right", and a
rule seen a handful of times cannot claim more than its family does.

A continuation paragraph's source is at most as certain as the statement it continues.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from desktop.nlp.attribution.lexicon import read_resource_text

if TYPE_CHECKING:
    from desktop.nlp.attribution.context import Found

RESOURCE = "attribution_confidence.json"
# a statement reported with "say" or "tell" is a quote more often than one with another cue
SAY_FORMS = {"say", "says", "said", "saying", "tell", "tells", "told", "telling"}
PRIOR_WEIGHT = 8.0  # how many decisions the family's rate counts for
DEFAULT = 0.5  # a rule family never measured


@dataclass(frozen=True)
class Table:
    """Per rule: [decisions checked, decisions right]."""

    quotes: dict[str, tuple[int, int]]
    sources: dict[str, tuple[int, int]]


def parse_table(text: str) -> Table:
    return table_from(json.loads(text))


def table_from(data: object) -> Table:
    """A table from its JSON form (``{"quotes": {rule: [n, right]}, "sources": {...}}``);
    what is not in that form is left out."""
    if not isinstance(data, dict):
        return Table({}, {})

    def counts(part: object) -> dict[str, tuple[int, int]]:
        if not isinstance(part, dict):
            return {}
        return {
            str(k): (int(v[0]), int(v[1]))
            for k, v in part.items()
            if isinstance(v, list | tuple)
            and len(v) == 2
            and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)
            and all(math.isfinite(x) for x in v)
            and 0 <= v[1] <= v[0]
        }

    return Table(quotes=counts(data.get("quotes")), sources=counts(data.get("sources")))


@lru_cache(maxsize=1)
def default_table() -> Table:
    try:
        return parse_table(read_resource_text(RESOURCE))
    except (OSError, ValueError):
        return Table({}, {})


def rate(counts: dict[str, tuple[int, int]], rule: str) -> float:
    """The shrunk fraction right for ``rule``: its own counts pulled toward its family's
    (the rule id without its last part), down to all rules together."""
    parts = rule.split(".") if rule else []
    total_n = sum(n for n, _ in counts.values())
    total_right = sum(r for _, r in counts.values())
    value = (total_right + 1.0) / (total_n + 2.0) if total_n else DEFAULT
    for depth in range(1, len(parts) + 1):
        prefix = ".".join(parts[:depth])
        n = right = 0
        for key, (kn, kr) in counts.items():
            if key == prefix or key.startswith(prefix + "."):
                n += kn
                right += kr
        value = (right + PRIOR_WEIGHT * value) / (n + PRIOR_WEIGHT)
    return value


def quote_key(f: Found, text: str) -> str:
    """The table key of a statement: its extraction rule and its cue's kind
    ("reported.clause.say", "direct.cue_after.cue", "paragraph.continuation.none")."""
    if f.cue is None:
        cue = "none"
    else:
        cue = "say" if text[f.cue[0] : f.cue[1]].lower() in SAY_FORMS else "cue"
    return f"{f.rule}.{cue}" if f.rule else cue


def score(found: list[Found], text: str, table: Table | None = None) -> None:
    """Set ``confidence`` and ``source_confidence`` on every statement of the article
    ``text`` from the table (a confidence the extraction already set is kept)."""
    table = table or default_table()
    quote_rates: dict[str, float] = {}
    source_rates: dict[str, float] = {}
    for f in found:
        if f.confidence is None:
            key = quote_key(f, text)
            if key not in quote_rates:
                quote_rates[key] = rate(table.quotes, key)
            f.confidence = round(quote_rates[key], 3)
        if f.source_key is None:
            f.source_confidence = None
            continue
        if f.source_rule not in source_rates:
            source_rates[f.source_rule] = rate(table.sources, f.source_rule)
        f.source_confidence = round(source_rates[f.source_rule], 3)
    for f in sorted(found, key=lambda f: f.start):
        prev = f.follows_found
        if prev is not None and f.source_confidence is not None:
            if prev.source_confidence is not None:
                f.source_confidence = min(f.source_confidence, prev.source_confidence)
