"""The GUI fixtures (a main window on a fresh database) for the reliability tests."""

from tests.gui.conftest import make_window, settings  # noqa: F401
