"""The bundle's entry point (PyInstaller runs a script, not a module): the same as `python -m assist`."""

import multiprocessing
import sys

from assist.cli import main

if __name__ == "__main__":
    # The audit's worker processes start this same executable; freeze_support lets them become
    # workers instead of a second assist.
    multiprocessing.freeze_support()
    sys.exit(main())
