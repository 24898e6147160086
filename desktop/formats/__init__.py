"""Importers and exporters, one module per format; ``registry`` picks the right one."""

from desktop.formats.errors import FormatError
from desktop.formats.registry import READERS, WRITERS, expand, reader_for, writer_for

__all__ = ["READERS", "WRITERS", "FormatError", "expand", "reader_for", "writer_for"]
