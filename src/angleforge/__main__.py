"""`python -m angleforge`: the `angleforge` command, as the installed script runs it."""

from __future__ import annotations

import sys

from angleforge.cli import main

if __name__ == "__main__":
    sys.exit(main())
