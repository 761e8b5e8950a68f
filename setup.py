"""Build step that ships `resources/` and `phrasebank/` inside the wheel.

They live at the top of the checkout (where the app and the tests read them), but an installed
wheel only has the `assist` package. So the wheel build copies them to `assist/_shipped/`, which is
where `assist/resources.py` looks in an installed copy. An editable install copies nothing: it keeps
reading the checkout. Everything else about the package is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("resources", "phrasebank")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "*~")


class build_py_with_shipped(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable finder maps `assist` to the checkout, which has the folders
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "assist" / "_shipped"
        for name in SHIPPED:
            source = root / name
            if not source.is_dir():
                raise SystemExit(f"cannot build assist: {source} is missing")
            shutil.rmtree(target / name, ignore_errors=True)  # no stale files from an earlier build
            shutil.copytree(source, target / name, ignore=IGNORED)


setup(cmdclass={"build_py": build_py_with_shipped})
