"""Start-up imports only what it uses (issue 16): the command line's parser and the window's
modules import none of the heavy packages that only one command or one room needs (numpy and
krippendorff for agreement, matplotlib for charts, filelock for training, Alembic for a
migration, psycopg for a server, spaCy for an analysis), nor qtawesome and qtpy (the icons
are drawn from its font by ``ui.glyph_icons``). Each check runs in a fresh interpreter, so
nothing another test imported counts."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "numpy", "krippendorff", "matplotlib", "spacy", "thinc", "filelock", "alembic", "psycopg",
    "qtawesome", "qtpy",
)  # fmt: skip

PROBE = """
import sys
{statements}
heavy = {heavy!r}
print(sorted({{m.split(".")[0] for m in sys.modules if m.split(".")[0] in heavy}}))
"""


def printed_last(code: str) -> str:
    """The last line ``code`` prints, run in a new interpreter (offscreen Qt)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def imported_heavy(statements: str) -> str:
    """What the statements, run in a new interpreter, left imported of HEAVY (as printed)."""
    return printed_last(PROBE.format(statements=statements, heavy=HEAVY))


@pytest.mark.parametrize(
    "statements",
    [
        "import desktop.cli",
        "import desktop.cli\ndesktop.cli.build_parser().parse_args(['stats', '--by', 'gender'])",
        "import desktop.cli_team, desktop.cli_training, desktop.cli_sources",
        "import desktop.ui.app, desktop.ui.main_window",
        "from PySide6.QtWidgets import QApplication\napp = QApplication([])\n"
        "from desktop.ui import icons\nicons.icon('mdi6.undo').pixmap(16, 16)",
    ],
    ids=["cli", "parser", "subcommand-modules", "window-modules", "window-icons"],
)
def test_start_up_imports_nothing_heavy(statements: str) -> None:
    assert imported_heavy(statements) == "[]"


def test_the_probe_sees_a_heavy_import() -> None:
    """The check can fail: importing agreement's own dependency shows up."""
    assert imported_heavy("import desktop.cli\nimport krippendorff") == "['krippendorff', 'numpy']"


def test_the_command_line_loads_neither_the_store_nor_qt() -> None:
    """``import desktop.cli`` (the quotedesk command's first import) brings in neither the
    store (SQLAlchemy) nor Qt, nor any subcommand's module: they come only when needed."""
    probe = (
        "import sys\nimport desktop.cli\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'sqlalchemy'})"
        " + sorted(m for m in sys.modules if m.startswith(('desktop.cli_', 'desktop.services.'))"
        " and m not in ('desktop.cli_window', 'desktop.cli_signals', 'desktop.services.progress')))"
    )
    assert printed_last(probe) == "[]"


def test_the_full_window_loads_the_store_before_qt() -> None:
    """PySide6's import hook reads the source of every module imported after PySide6, so
    the window's full path (``ui.preload``, then the window's modules) has every module of
    SQLAlchemy, the store and the services the window imports loaded by then."""
    probe = (
        "import sys\nimport desktop.ui.preload\nbefore = set(sys.modules)\n"
        "import desktop.ui.app, desktop.ui.main_window\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith("
        "('sqlalchemy', 'desktop.store', 'desktop.services', 'desktop.nlp', 'desktop.formats'))))"
    )
    assert printed_last(probe) == "[]"


def test_the_preload_check_sees_a_late_import() -> None:
    """The check above can fail: a service module the preload leaves out shows up."""
    probe = (
        "import sys\nimport desktop.ui.preload\nbefore = set(sys.modules)\n"
        "import desktop.services.chart_gender\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('desktop.services')))"
    )
    assert printed_last(probe) == "['desktop.services.chart_gender']"


def test_the_window_modules_import_no_store() -> None:
    """The window's modules import the services and the store inside the functions that use
    them (issue 16): importing them all loads no SQLAlchemy, so that the first screen is
    painted before it. A module-level ``from desktop.services import ...`` in any module the
    window imports shows up here."""
    probe = (
        "import sys\nimport desktop.cli, desktop.ui.app, desktop.ui.main_window\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))"
    )
    assert printed_last(probe) == "[]"
