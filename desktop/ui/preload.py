"""The store and the services the window's modules import, loaded before PySide6.

PySide6's import hook reads the source of every module imported after PySide6 (it looks for
the string "PySide6"): importing SQLAlchemy's hundreds of modules and ours on top of the
store before Qt keeps them out of that. This module imports no Qt; ``cli_window`` imports
it just before the window's modules (the command line itself no longer loads the store).
"""

from __future__ import annotations

import desktop.store.browse  # noqa: F401
import desktop.store.database  # noqa: F401
import desktop.store.scratch  # noqa: F401
from desktop.services import (  # noqa: F401
    agreement,
    analysis,
    charts,
    curation,
    editing,
    exporting,
    first_screen,
    importing,
    labels,
    library,
    model_choice,
    report,
    sources,
    statistics,
    team,
    team_editing,
    training,
)
