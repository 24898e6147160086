"""``python -m desktop``: the same as the ``quotedesk`` command (and the frozen program's
entry point)."""

import sys

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # a frozen program started as an analysis worker (nlp/workers.py spawns them) runs
        # the worker here and exits; unfrozen, freeze_support does nothing, and importing
        # multiprocessing would only slow the window's start (issue 16)
        import multiprocessing

        multiprocessing.freeze_support()

    from desktop.cli import main

    sys.exit(main())
