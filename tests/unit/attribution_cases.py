"""What the attribution property tests share: first names and surnames of our own choosing,
the Hypothesis settings they run under (the pipeline is loaded once, so a few derandomized
examples each), and the source names the real pipeline gives each quote of a text."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings

from desktop.nlp.attribution import attribute

WOMEN = ["Mary", "Linda", "Susan", "Karen", "Laura", "Helen", "Sarah", "Anna"]
MEN = ["John", "Robert", "David", "Michael", "Peter", "Thomas", "Paul", "George"]
SURNAMES = ["Smith", "Brown", "Miller", "Wilson", "Taylor", "Anderson", "Clark", "Walker"]


def pipeline_settings(max_examples: int) -> Any:
    """Derandomized settings with no deadline, for properties over the loaded pipeline
    (the ``nlp`` fixture is session-wide, so function scope is no concern)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


def names(nlp: Any, text: str) -> list[str | None]:
    """The name of each quote's source, in the order of the quotes (None: no source)."""
    result = attribute(nlp(text))
    by_key = {s.key: s.name for s in result.sources}
    return [by_key.get(q.source_key) for q in result.quotes]
