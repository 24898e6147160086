"""Importers and exporters, one module per format; ``registry`` picks the right one.

The names below are loaded on first use (PEP 562): a module that needs one format helper
(``csvtable``, ``errors``) imports without the registry and every format behind it (the
Label Studio reader alone pulls ``xml.sax`` and ``urllib.request``), which the window's
start does not need (issue 16).
"""

# no ``from __future__ import annotations``: it would bind a name in this package
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name == "FormatError":
        from desktop.formats.errors import FormatError

        return FormatError
    if name in __all__:
        from desktop.formats import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
