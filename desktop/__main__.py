"""``python -m desktop``: the same as the ``quotedesk`` command (and the frozen program's
entry point)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # a frozen program started as an analysis worker (nlp/workers.py spawns them) runs the
    # worker here and exits; otherwise this does nothing
    multiprocessing.freeze_support()

    from desktop.cli import main

    sys.exit(main())
