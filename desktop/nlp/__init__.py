"""Everything that touches spaCy: loading the pipeline, entities, quotes and sources.

spaCy is imported lazily, inside functions, so that importing this package is cheap.
"""

from desktop.nlp.analyzer import AnalysisFailure, DocAnalysis, analyze_texts
from desktop.nlp.pipeline import (
    DEFAULT_MODEL,
    ModelError,
    Pipeline,
    installed_pipelines,
    load_pipeline,
)

__all__ = [
    "DEFAULT_MODEL",
    "AnalysisFailure",
    "DocAnalysis",
    "ModelError",
    "Pipeline",
    "analyze_texts",
    "installed_pipelines",
    "load_pipeline",
]
