"""What every open of a SQLite file checks, importable without SQLAlchemy: the schema
revision the code is at and the size below which quick_check runs at the open. The
database handle (``database``) and the first screen's read (``first_screen``) share them."""

from __future__ import annotations

# The newest migration. Alembic (slow to import) is loaded only when a database is not at
# this revision; tests/unit/test_store.py checks that it names Alembic's head.
HEAD_REVISION = "0012"

# quick_check reads every page: about 0.2 s for 260 MB from the page cache. Below this size
# it runs at every open; above it a caller that opens with daily_backup=False (the window)
# runs it off the GUI thread right after the first paint (check_and_backup).
CHEAP_CHECK_BYTES = 64 * 1024 * 1024
