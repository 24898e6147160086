"""Importers and exporters, one module per format; ``registry`` picks the right one."""

from desktop.formats.errors import FormatError
from desktop.formats.registry import (
    FORMATS,
    READERS,
    WRITERS,
    Format,
    expand,
    reader_for,
    writer_for,
)

__all__ = [
    "FORMATS",
    "READERS",
    "WRITERS",
    "Format",
    "FormatError",
    "expand",
    "reader_for",
    "writer_for",
]
