"""``python -m desktop``: the same as the ``quotedesk`` command."""

import sys

from desktop.cli import main

sys.exit(main())
