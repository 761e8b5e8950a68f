"""The bundle's entry point (PyInstaller runs a script, not a module): the same as `python -m assist`."""

import multiprocessing
import sys

from assist.cli import main

if __name__ == "__main__":
    # The audit's worker processes start this same executable; freeze_support lets them become
    # workers instead of a second assist.
    multiprocessing.freeze_support()
    if sys.argv[1:2] == ["--atspi-helper"]:  # the accessibility helper (assist/platform/atspi_process.py)
        from assist.platform.atspi_process import main as atspi_helper

        sys.exit(atspi_helper(sys.argv[2:]))
    sys.exit(main())
